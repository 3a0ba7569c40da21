/**
 * Issue 11 §3: every string a client sends is checked for being text (common/text.ts) — every String, ID
 * and JSON leaf of every mutation's input and of every query's arguments, read from the schema so a new
 * field cannot be left out. A mutation refuses with INVALID_TEXT in userErrors and writes nothing; a query
 * answers BAD_USER_INPUT naming the argument. Before, a NUL reached PostgreSQL (INTERNAL_SERVER_ERROR) and a
 * lone surrogate was stored as U+FFFD or crashed the e-mail check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, GraphQLField, isLeafType } from 'graphql';
import '../../src/schema';
import { ROLES } from '../../src/auth/roles';
import { startTestApp, TestApp } from '../support/harness';
import { minimalValue, rolesAllowed, textLeaves, withValueAt } from '../support/fuzz';
import { changedTables, TableDigest, tableDigests } from '../support/tables';
import { createInstitution, newCreditCode, REGISTER, registeredEnterprise, staff } from './fixtures';

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));
const BAD = [['\u0000', 'U+0000'], ['\ud800', 'U+D800'], ['\u001b', 'U+001B'], ['\uffff', 'U+FFFF']] as const;

let app: TestApp;
let tokens: Record<string, string>;
let firmCode: string;
let digest: () => Promise<TableDigest>;

beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_WORKER: '0' } });
  const { admin, authority, analyst } = staff(app);
  const firm = await registeredEnterprise(app);
  firmCode = firm.enterprise.creditCode;
  const bank = await createInstitution(app, authority, { kind: 'BANK', name: '文本测试银行' });
  const guarantor = await createInstitution(app, authority, { kind: 'GUARANTOR', name: '文本测试担保', guarantee: { netAssets: '100000000', feeRate: '0.01' } });
  const investor = await createInstitution(app, authority, { kind: 'INVESTOR', name: '文本测试投资' });
  tokens = {
    ADMIN: admin, AUTHORITY: authority, ANALYST: analyst, ENTERPRISE: firm.token,
    BANK: app.token({ sub: 'text-bank', role: 'BANK', institutionId: bank.id }),
    GUARANTOR: app.token({ sub: 'text-guarantor', role: 'GUARANTOR', institutionId: guarantor.id }),
    INVESTOR: app.token({ sub: 'text-investor', role: 'INVESTOR', institutionId: investor.id }),
  };
  digest = await tableDigests(app);
});
afterAll(() => app?.close());

/** A token of a role the field allows, so the request gets to validation. */
const tokenFor = (kind: 'queries' | 'mutations', field: string) => tokens[rolesAllowed(kind, field, ROLES)[0]];
const selection = (field: GraphQLField<unknown, unknown>) => (isLeafType(getNamedType(field.type)) ? '' : '{ __typename }');

describe('a mutation refuses a string that is not text with INVALID_TEXT at its path, and writes nothing', () => {
  const cases = Object.values(schema.getMutationType()!.getFields()).flatMap((field) => {
    const input = field.args.find((a) => a.name === 'input')!;
    return textLeaves(input.type).map((leaf, i) => ({ field, input, leaf, bad: BAD[i % BAD.length] }));
  });

  it('covers every text field of every mutation (the 79 of the schema when this was written, at least)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(79);
  });

  it.each(cases.map((c) => [`${c.field.name} input.${c.leaf.path.join('.')} (${c.bad[1]})`, c] as const))('%s', async (_name, { field, input, leaf, bad: [char, codePoint] }) => {
    const text = `a${char}b`;
    const value = withValueAt(input.type, minimalValue(input.type), leaf.path, leaf.json ? { key: text } : text);
    const document = `mutation($input: ${input.type}) { ${field.name}(input: $input) { userErrors { field code params } } }`;
    const before = await digest();
    const res = await app.gql(document, { input: value }, { token: tokenFor('mutations', field.name) });
    expect(res.errors).toBeUndefined();
    expect(res.data[field.name].userErrors).toEqual([
      { field: ['input', ...leaf.path, ...(leaf.json ? ['key'] : [])], code: 'INVALID_TEXT', params: { position: 2, codePoint } },
    ]);
    expect(changedTables(before, await digest())).toEqual([]);
  });
});

describe('a query refuses an argument that is not text with BAD_USER_INPUT naming it', () => {
  const cases = Object.values(schema.getQueryType()!.getFields()).flatMap((field) =>
    field.args.flatMap((arg) => textLeaves(arg.type).map((leaf) => ({ field, arg, leaf }))),
  );

  it('covers every text argument of every query', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [`${c.field.name}(${[c.arg.name, ...c.leaf.path].join('.')})`, c] as const))('%s', async (_name, { field, arg, leaf }) => {
    const required = field.args.filter((a) => minimalValue(a.type) !== undefined);
    const variables: Record<string, unknown> = Object.fromEntries(required.map((a) => [a.name, minimalValue(a.type)]));
    variables[arg.name] = withValueAt(arg.type, variables[arg.name], leaf.path, leaf.json ? { key: 'a\u0000b' } : 'a\u0000b');
    const used = field.args.filter((a) => a.name in variables);
    const document = `query(${used.map((a) => `$${a.name}: ${a.type}`).join(', ')}) { ${field.name}(${used.map((a) => `${a.name}: $${a.name}`).join(', ')}) ${selection(field)} }`;
    const before = await digest();
    const res = await app.gql(document, variables, { token: tokenFor('queries', field.name) });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions!.argument).toBe([arg.name, ...leaf.path, ...(leaf.json ? ['key'] : [])].join('.'));
    expect(changedTables(before, await digest())).toEqual([]);
  });

  it('a nested field\'s argument too: an enterprise\'s needs after a cursor that is not text', async () => {
    const res = await app.gql(`query($code: String!, $after: String) { enterprise(creditCode: $code) { needs(after: $after) { totalCount } } }`, { code: firmCode, after: 'x\u0000' }, { token: tokens.ADMIN });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'after']]);
  });

  it('a string literal in the document is a string like any other', async () => {
    const res = await app.gql(`{ enterprise(creditCode: "9111\\u0000") { name } }`, {}, { token: tokens.ADMIN });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'creditCode']]);
  });
});

describe('text that is awkward but text is accepted and kept as sent', () => {
  it('registers a firm whose name has a supplementary character, an emoji, tab and a line break, and a contact with a combining mark', async () => {
    const token = app.token({ sub: 'text-odd', role: 'ENTERPRISE' });
    const name = '𠮷野家\t科技😀\n有限公司';
    const res = await app.gql(REGISTER, { input: { creditCode: newCreditCode(), name, sector: 'INDUSTRY', regionCode: '110108', contact: { person: 'Rene\u0301' } } }, { token });
    expect(res.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.data.registerEnterprise.enterprise).toMatchObject({ name, contact: { person: 'Rene\u0301' } });
  });
});

describe('a request whose variables have more errors than graphql-js counts is the client\'s fault', () => {
  it('answers BAD_USER_INPUT with HTTP 400, not INTERNAL_SERVER_ERROR', async () => {
    const entries = Array.from({ length: 60 }, () => ({ creditCode: 1, name: 2, tier: 'NOT_A_TIER', validFrom: 3, validTo: 4 }));
    const res = await app.gql(`mutation($input: PublishWhitelistBatchInput!) { publishWhitelistBatch(input: $input) { userErrors { code } } }`, { input: { whitelistName: 'w', batch: 'b', entries } }, { token: tokens.AUTHORITY });
    expect(res.status).toBe(400);
    expect(new Set(res.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(res.errors!.some((e) => e.message.includes('error limit reached'))).toBe(true);
  });
});
