/**
 * Generators for fuzzing the API from its schema: an operation document and `fast-check` arbitraries for
 * any GraphQL input type, so a new mutation or input field is fuzzed without touching the test. Values
 * are mostly well-shaped (ids that exist, plausible codes and dates, so requests get into the services),
 * with boundary values, huge numbers, wrong ids, strings that are not text, and random strings in
 * enum-like fields mixed in.
 */
import fc from 'fast-check';
import { getMetadataStorage } from 'type-graphql';
import {
  GraphQLField, GraphQLInputType, GraphQLNonNull, GraphQLNamedType, GraphQLObjectType, getNamedType, isEnumType, isInputObjectType, isLeafType,
  isListType, isNonNullType, isObjectType, isScalarType,
} from 'graphql';

/** Characters the text rule refuses (common/text.ts): one of them spoils any string. */
export const NOT_TEXT = ['\u0000', '\ud800', '\udfff', '\u0001', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\u009f', '\ufdd0', '\ufffe', '\uffff', '\u{10FFFF}', '\u{1FFFE}'];
/** Unusual characters that are text and must be accepted. */
const ODD_TEXT = ['\t', '\n', '\r\n', '😀', '𠮷', 'é', 'e\u0301', '\u202e', '\u200b', '\u00a0', '\u3000', "'", '"', '\\', '%', '_', '<script>', "'; DROP TABLE enterprise; --"];

/** What the fuzzer knows of the world it runs in: ids by node type, values by field name. */
export interface FuzzWorld {
  /** Ids that exist, by node type (Match, Loan, Institution, …). */
  ids: Record<string, string[]>;
  /** Valid values for string and id fields, by field name (creditCode, regionCode, bankId, …; a list field by its singular too). */
  hints: Record<string, string[]>;
  /** Near misses for string fields (a wrong check character, a five-digit region): sent with the random values, not the clean ones. */
  misses: Record<string, string[]>;
  /** Whole valid values of any type, by field name (shares that add up to 1, params of a kind): half the clean values of that field. */
  examples: Record<string, unknown[]>;
  /** A date n days from today. */
  day(n: number): string;
}

const withBadChar = (base: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.constantFrom(...NOT_TEXT), fc.nat()).map(([s, c, at]) => {
    const i = s.length ? at % (s.length + 1) : 0;
    return s.slice(0, i) + c + s.slice(i);
  });
const withOddText = (base: fc.Arbitrary<string>) => fc.tuple(base, fc.constantFrom(...ODD_TEXT)).map(([s, c]) => s + c);

function randomString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('', ' ', 'x'.repeat(256), '中'.repeat(300), 'a'.repeat(20_000)),
  );
}

/** A string for field `name`: mostly a plausible value, else odd, random or not text. */
export function stringFor(world: FuzzWorld, name: string, clean = false): fc.Arbitrary<string> {
  const hints = world.hints[name] ?? world.hints[name.replace(/s$/, '')];
  const misses = world.misses[name] ?? world.misses[name.replace(/s$/, '')] ?? [];
  const plausible = hints?.length ? fc.constantFrom(...hints) : fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 });
  if (clean) return plausible;
  return fc.oneof(
    { weight: 10, arbitrary: plausible },
    { weight: misses.length ? 3 : 0, arbitrary: misses.length ? fc.constantFrom(...misses) : plausible },
    { weight: 2, arbitrary: withOddText(plausible) },
    { weight: 3, arbitrary: withBadChar(plausible) },
    { weight: 3, arbitrary: randomString() },
  );
}

/** Node types an id field most likely names, from its name (matchId → Match); any type otherwise. */
const ID_TYPES: [RegExp, string[]][] = [
  [/^match/i, ['Match']], [/^loan/i, ['Loan']], [/^need/i, ['FinancingNeed']], [/^product/i, ['FinancialProduct']],
  [/^(institution|bank|guarantor|investor)/i, ['Institution']], [/^riskSharingRule|^rule/i, ['RiskSharingRule', 'PolicyRule']],
  [/^pool/i, ['RiskCompensationPool']], [/^entry/i, ['WhitelistEntry']], [/^whitelist/i, ['Whitelist']],
  [/^enterprise/i, ['Enterprise']], [/^consent/i, ['Consent']], [/^agreement/i, ['CooperationAgreement']],
];

export function idFor(world: FuzzWorld, name: string, clean = false): fc.Arbitrary<string> {
  const types = ID_TYPES.find(([re]) => re.test(name))?.[1] ?? Object.keys(world.ids);
  const likely = world.hints[name] ?? types.flatMap((t) => world.ids[t] ?? []);
  const any = Object.values(world.ids).flat();
  if (clean && (likely.length || any.length)) return fc.constantFrom(...(likely.length ? likely : any));
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  const wrong = fc.oneof(
    fc.uuid().map((u) => b64(`${types[0] ?? 'Match'}:${u}`)),
    fc.string({ maxLength: 40 }).map(b64),
    fc.constantFrom('', '0', '-1', 'null', 'TWF0Y2g6', b64('Match:00000000-0000-0000-0000-000000000000'), '=='.repeat(100), 'A'.repeat(5000)),
    fc.integer().map(String),
    withBadChar(fc.constantFrom(...(any.length ? any : ['x']))),
  );
  return fc.oneof(
    { weight: likely.length ? 12 : 0, arbitrary: likely.length ? fc.constantFrom(...likely) : fc.constant('') },
    { weight: any.length ? 2 : 0, arbitrary: any.length ? fc.constantFrom(...any) : fc.constant('') },
    { weight: 4, arbitrary: wrong },
  );
}

function decimalArb(name: string, clean = false): fc.Arbitrary<unknown> {
  const rate = /rate|ratio|share|multiple|coverage/i.test(name);
  const plausible = rate
    ? fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 1_000_000).toFixed(6).replace(/0+$/, '').replace(/\.$/, ''))
    : fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }).map(String), fc.integer({ min: 0, max: 99_999_999 }).map((n) => (n / 100).toFixed(2)));
  if (clean) return plausible;
  return fc.oneof(
    { weight: 12, arbitrary: plausible },
    { weight: 4, arbitrary: fc.constantFrom('0', '0.00', '-1', '-0.01', '1', '0.0000001', '1.005', '1e5', '1E-3', '999999999999999999.99', '1' + '0'.repeat(60), '0.' + '1'.repeat(60), 'NaN', 'Infinity', '-Infinity', '', ' 1', '1 ', '+1', '0x10', '1,000') },
    { weight: 2, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.constant(1e308), fc.constant(Number.MAX_SAFE_INTEGER + 2)) },
    { weight: 2, arbitrary: randomString() },
  );
}

/** Clean dates lie where their name says: founding, listing and as-of days in the past, ends and deadlines ahead. */
function dateArb(world: FuzzWorld, name: string, clean = false): fc.Arbitrary<unknown> {
  if (clean) {
    const [min, max] = /founded|listed|repaired|asOf|validFrom/i.test(name) ? [-3000, -1] : /validTo|neededBy|activeTo/i.test(name) ? [1, 1000] : [-1000, 1000];
    return fc.integer({ min, max }).map((n) => world.day(n));
  }
  return fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: -4000, max: 4000 }).map((n) => world.day(n)) },
    { weight: 4, arbitrary: fc.constantFrom('2026-02-29', '2024-02-29', '2026-02-30', '2026-13-01', '0000-01-01', '0001-01-01', '9999-12-31', '10000-01-01', '1900-01-01', '2026-1-1', '20260101', '2026-01-01T00:00:00Z', '') },
    { weight: 2, arbitrary: fc.oneof(randomString(), fc.integer()) },
  );
}

function intArb(name: string, clean = false): fc.Arbitrary<unknown> {
  const months = /month|days|count|employees|years/i.test(name);
  if (clean) return months ? fc.integer({ min: 1, max: 60 }) : fc.integer({ min: 0, max: 100_000 });
  return fc.oneof(
    { weight: 10, arbitrary: months ? fc.integer({ min: 0, max: 400 }) : fc.integer({ min: -10, max: 100_000 }) },
    { weight: 4, arbitrary: fc.constantFrom(0, -1, 1, 2147483647, -2147483648) },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 2 ** 53, 1e20, 1.5, '12', null) },
  );
}

function jsonArb(world: FuzzWorld, clean = false): fc.Arbitrary<unknown> {
  const keys = world.hints.jsonKey ?? ['ratio'];
  if (clean) return fc.dictionary(fc.constantFrom(...keys), fc.oneof(decimalArb('ratio', true), stringFor(world, 'benchmarkCode', true)), { maxKeys: 4 });
  const value = fc.oneof(decimalArb('ratio'), stringFor(world, 'benchmarkCode'), fc.jsonValue({ maxDepth: 2 }));
  return fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(withBadChar(fc.constantFrom(...keys)), value, { minKeys: 1, maxKeys: 2 }) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

function scalarArb(world: FuzzWorld, type: GraphQLNamedType, name: string, clean: boolean): fc.Arbitrary<unknown> {
  switch (type.name) {
    case 'String': return stringFor(world, name, clean);
    case 'ID': return idFor(world, name, clean);
    case 'Int': return intArb(name, clean);
    case 'Float': return clean ? fc.double({ min: 0, max: 1e6, noNaN: true }) : fc.oneof(fc.double(), fc.integer());
    case 'Boolean': return clean ? fc.boolean() : fc.oneof({ weight: 10, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 0, null) });
    case 'Decimal': return decimalArb(name, clean);
    case 'Date': return dateArb(world, name, clean);
    case 'DateTime': return clean ? fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) : fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), randomString());
    case 'JSON': return jsonArb(world, clean);
    default: return fc.oneof(randomString(), fc.jsonValue({ maxDepth: 2 }));
  }
}

/**
 * An arbitrary value (JSON, as a client would send it in `variables`) for an input type; `undefined` means
 * "omitted". 2 in 7 are clean (every field plausible: these get past validation into the services'
 * rules), 3 in 7 clean but for one spoiled leaf (most often by a character that is not text), 2 in 7 anything (boundaries, nulls, wrong types, wrong
 * ids, strings that are not text).
 */
export function inputFor(world: FuzzWorld, type: GraphQLInputType): fc.Arbitrary<unknown> {
  const clean = valueFor(world, type, 'input', 0, true);
  return fc.oneof({ weight: 2, arbitrary: clean }, { weight: 3, arbitrary: nearlyClean(clean) }, { weight: 2, arbitrary: valueFor(world, type, 'input', 0, false) });
}

/** One leaf of a value, spoiled: a character that is not text, an empty or huge string, a boundary number. */
const SPOILERS: ((leaf: string | number, at: number) => unknown)[] = [
  (leaf, at) => { const s = String(leaf); const i = at % (s.length + 1); return s.slice(0, i) + NOT_TEXT[at % NOT_TEXT.length] + s.slice(i); },
  () => '',
  (leaf) => String(leaf).repeat(3000).slice(0, 30_000),
  (leaf, at) => `${leaf}${ODD_TEXT[at % ODD_TEXT.length]}`,
  (_leaf, at) => [0, -1, 2147483647, -2147483648, 2 ** 31, 1e20][at % 6],
];

/**
 * A clean value with one leaf spoiled: the one problem a validator must catch on its own (with every other
 * field valid, a NUL in a name would reach the database).
 */
function nearlyClean(clean: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(clean, fc.nat(), fc.oneof(fc.constant(0), fc.nat({ max: SPOILERS.length - 1 })), fc.nat()).map(([value, pick, how, at]) => {
    const leaves: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach((item, i) => (typeof item === 'string' || typeof item === 'number' ? leaves.push({ parent: v, key: i }) : walk(item)));
      else if (v && typeof v === 'object') for (const [k, item] of Object.entries(v)) (typeof item === 'string' || typeof item === 'number' ? leaves.push({ parent: v as Record<string, unknown>, key: k }) : walk(item));
    };
    const copy = structuredClone(value);
    walk(copy);
    // A character that is not text goes into a string when there is one (that is where it does harm).
    const strings = leaves.filter(({ parent, key }) => typeof (parent as Record<string | number, unknown>)[key] === 'string');
    const candidates = how === 0 && strings.length ? strings : leaves;
    if (!candidates.length) return copy;
    const { parent, key } = candidates[pick % candidates.length];
    (parent as Record<string | number, unknown>)[key] = SPOILERS[how]((parent as Record<string | number, unknown>)[key] as string | number, at);
    return copy;
  });
}

function valueFor(world: FuzzWorld, type: GraphQLInputType, name: string, depth: number, clean: boolean): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    let value = nullableValue(world, type.ofType, name, depth, clean);
    const examples = world.examples[name];
    if (clean && examples?.length) value = fc.oneof(value, fc.constantFrom(...examples));
    return clean ? value : fc.oneof({ weight: 30, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
  }
  let value = nullableValue(world, type, name, depth, clean);
  const examples = world.examples[name];
  if (clean && examples?.length) value = fc.oneof(value, fc.constantFrom(...examples));
  if (clean) return fc.oneof({ weight: 1, arbitrary: value }, { weight: 1, arbitrary: fc.constant(undefined) });
  return fc.oneof({ weight: 6, arbitrary: value }, { weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) });
}

function nullableValue(world: FuzzWorld, type: GraphQLInputType, name: string, depth: number, clean: boolean): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(world, type, name, depth, clean);
  if (isListType(type)) {
    const item = valueFor(world, type.ofType, name, depth + 1, clean).filter((v) => v !== undefined);
    if (clean) return fc.array(item, { minLength: 1, maxLength: 3 });
    return fc.oneof(
      { weight: 10, arbitrary: fc.array(item, { maxLength: depth ? 3 : 5 }) },
      { weight: 1, arbitrary: item },
      // Long lists: limits and repeats. A constant element keeps the body small enough to pass the body limit.
      { weight: 1, arbitrary: item.chain((v) => fc.integer({ min: 50, max: 600 }).map((n) => Array.from({ length: n }, () => v))) },
    );
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => v.name);
    if (clean) return fc.constantFrom(...values);
    return fc.oneof({ weight: 15, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.oneof(randomString(), fc.constant(values[0].toLowerCase())) });
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const record = fc.record(Object.fromEntries(fields.map((f) => [f.name, valueFor(world, f.type, f.name, depth + 1, clean)])));
    const given = record.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    if (clean) return given;
    return fc.oneof(
      { weight: 30, arbitrary: given },
      { weight: 1, arbitrary: given.map((r) => ({ ...r, notAField: 1 })) },
      { weight: 1, arbitrary: fc.oneof(randomString(), fc.constant([])) },
    );
  }
  if (isScalarType(type)) return scalarArb(world, type, name, clean);
  return fc.constant(null);
}

/** `{ a b c { d e } }`: the payload's leaves and the leaves of the objects it returns, one level down. */
export function selectionOf(type: GraphQLObjectType, depth = 0): string {
  const parts = Object.values(type.getFields() as Record<string, GraphQLField<unknown, unknown>>)
    .filter((f) => !f.args.some((a) => isNonNullType(a.type)))
    .flatMap((f) => {
      const named = getNamedType(f.type);
      if (isLeafType(named)) return [f.name];
      if (isObjectType(named) && depth < 1) {
        const inner = selectionOf(named, depth + 1);
        return inner ? [`${f.name} ${inner}`] : [];
      }
      if (isObjectType(named) && f.name === 'userErrors') return [`${f.name} { field code message }`];
      return [];
    });
  return parts.length ? `{ __typename ${parts.join(' ')} }` : '';
}

/** A value GraphQL accepts for a type: required fields only, each a dummy of its type (`undefined` for an optional one). */
export function minimalValue(type: GraphQLInputType): unknown {
  if (!isNonNullType(type)) return undefined;
  const t = type.ofType;
  if (isListType(t)) return [];
  if (isEnumType(t)) return t.getValues()[0].name;
  if (isInputObjectType(t)) {
    return Object.fromEntries(Object.values(t.getFields()).flatMap((f) => (isNonNullType(f.type) ? [[f.name, minimalValue(f.type)]] : [])));
  }
  const dummies: Record<string, unknown> = { String: 'x', ID: 'x', Int: 1, Float: 1, Boolean: true, Decimal: '1', Date: '2026-01-01', DateTime: '2026-01-01T00:00:00Z', JSON: {} };
  return dummies[t.name] ?? 'x';
}

/** A text leaf of an input type: its path (list items as "0") and whether it is JSON (then a string goes inside an object). */
export interface TextLeaf {
  path: string[];
  json: boolean;
}

/** Every String, ID and JSON leaf reachable in an input type (an input type inside itself is followed once). */
export function textLeaves(type: GraphQLInputType, path: string[] = [], seen: string[] = []): TextLeaf[] {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    if (seen.includes(named.name)) return [];
    const listed = isListType(isNonNullType(type) ? type.ofType : type);
    return Object.values(named.getFields()).flatMap((f) => textLeaves(f.type, [...path, ...(listed ? ['0'] : []), f.name], [...seen, named.name]));
  }
  const listed = isListType(isNonNullType(type) ? type.ofType : type);
  const at = listed ? [...path, '0'] : path;
  if (named.name === 'String' || named.name === 'ID') return [{ path: at, json: false }];
  if (named.name === 'JSON') return [{ path: at, json: true }];
  return [];
}

/** `value` (of `type`) with `leaf` at `path`, creating the objects and one-item lists on the way with their required fields. */
export function withValueAt(type: GraphQLInputType, value: unknown, path: string[], leaf: unknown): unknown {
  if (!path.length) return leaf;
  const t = isNonNullType(type) ? type.ofType : type;
  const [head, ...rest] = path;
  if (isListType(t)) return [withValueAt(t.ofType, minimalValue(t.ofType) ?? {}, rest, leaf)];
  if (isInputObjectType(t)) {
    const base = (value && typeof value === 'object' ? value : minimalValue(new GraphQLNonNull(t))) as Record<string, unknown>;
    const field = t.getFields()[head];
    return { ...base, [head]: withValueAt(field.type, base[head] ?? minimalValue(field.type), rest, leaf) };
  }
  throw new Error(`no field ${head} in ${String(t)}`);
}

/** The roles @Authorized names on a root field (every role when it names none). */
export function rolesAllowed(kind: 'queries' | 'mutations', field: string, all: readonly string[]): string[] {
  const storage = getMetadataStorage();
  const resolver = storage[kind].find((q) => q.schemaName === field);
  const auth = resolver && storage.authorizedFields.find((a) => a.target === resolver.target && a.fieldName === resolver.methodName);
  const roles = auth?.roles as string[] | undefined;
  return roles?.length ? roles : [...all];
}
