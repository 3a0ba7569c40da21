/**
 * R5 — the credit-data file a data source imports: its columns under the header names sources use, and
 * one row to a typed record (ratings, tax grade, overdue figures, social security, bank loans and
 * dishonesty listings) or to failures on the file's own column names. Only the credit code is
 * required; the credit code's check and the import's defaults (source, as-of date) are the service's.
 */
import { RowCheck, cellBoolean, cellDate, cellInteger, cellMoney, cellText } from '../common/cell';
import { Decimal } from '../common/decimal';
import { Params } from '../common/messages';
import { Cell, ColumnSpec, FileFailure, TableRow } from '../common/table-file';
import type { DishonestyListing } from './credit.entity';
import { CREDIT_RATINGS, CreditRating, DISHONESTY_KINDS, DishonestyKind, TAX_GRADES, TaxGrade } from './grades';

/** The columns of a credit file; only creditCode is required. */
export const CREDIT_COLUMNS: ColumnSpec[] = [
  { field: 'creditCode', aliases: ['统一社会信用代码', '信用代码', 'creditCode'], required: true },
  { field: 'name', aliases: ['企业名称', 'name'], required: false },
  { field: 'source', aliases: ['数据来源', '来源', 'source'], required: false },
  { field: 'asOf', aliases: ['数据日期', '截至日期', 'asOf', 'as_of'], required: false },
  { field: 'rating', aliases: ['信用评级', '评级', 'rating'], required: false },
  { field: 'taxGrade', aliases: ['纳税信用等级', '纳税等级', 'taxGrade'], required: false },
  { field: 'overdueCount12m', aliases: ['近12个月逾期次数', '逾期次数', 'overdueCount12m'], required: false },
  { field: 'currentOverdueAmount', aliases: ['当前逾期金额', '逾期金额', 'currentOverdueAmount'], required: false },
  { field: 'socialSecurityMonths', aliases: ['社保连续缴纳月数', '社保月数', 'socialSecurityMonths'], required: false },
  { field: 'hadBankLoan', aliases: ['是否有银行贷款', '有无贷款记录', 'hadBankLoan'], required: false },
  { field: 'dishonesty', aliases: ['失信记录', '失信信息', 'dishonesty'], required: false },
];


/** One valid row of a credit file; null where the file says nothing. */
export interface CreditFileRow {
  row: number;
  creditCode: string;
  name: string | null;
  source: string | null;
  asOf: string | null;
  rating: CreditRating | null;
  taxGrade: TaxGrade | null;
  overdueCount12m: number | null;
  currentOverdueAmount: Decimal | null;
  socialSecurityMonths: number | null;
  hadBankLoan: boolean | null;
  dishonesty: DishonestyListing[];
}

const KIND_BY_NAME = new Map<string, DishonestyKind>([
  ['失信被执行人', 'DISHONEST_JUDGMENT_DEBTOR'],
  ['重大税收违法', 'MAJOR_TAX_VIOLATION'],
  ['重大税收违法失信主体', 'MAJOR_TAX_VIOLATION'],
  ['重大税收违法案件当事人', 'MAJOR_TAX_VIOLATION'],
  ['经营异常', 'ABNORMAL_OPERATION'],
  ['经营异常名录', 'ABNORMAL_OPERATION'],
  ['列入经营异常名录', 'ABNORMAL_OPERATION'],
]);

/**
 * The listing kind a text names: the enum value in any case, or 失信被执行人; 重大税收违法 (…失信主体,
 * …案件当事人); 经营异常 (…名录, 列入经营异常名录). Null for anything else.
 */
export function parseDishonestyKind(text: string): DishonestyKind | null {
  const upper = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return DISHONESTY_KINDS.find((k) => k === upper) ?? KIND_BY_NAME.get(text.replace(/\s/g, '')) ?? null;
}

/** A grade in any case and width, with or without 级 ("A级", "ａａ"), if it is one of `grades`. */
function gradeOf<T extends string>(text: string, grades: readonly T[]): T | null {
  const key = text.normalize('NFKC').replace(/\s/g, '').replace(/级$/, '').toUpperCase();
  return grades.find((g) => g === key) ?? null;
}

/** The `expected` parameter of INVALID_DISHONESTY. */
const LISTING_FORMAT = 'KIND:YYYY-MM-DD[:YYYY-MM-DD]';
/** Between listings in one cell: ; ； or a line break. */
const LISTING_SEPARATOR = /[;；\r\n]+/;
/** Between a listing's kind and dates: : ： or |. */
const PART_SEPARATOR = /[:：|]/;
/** What a cell says when there is no listing. */
const NONE = '无';

type Problem = { code: string; params?: Params };

interface Listings {
  listings: DishonestyListing[];
  problems: Problem[];
}

/** One listing from its parts, or its problems: an unknown kind, unreadable dates. */
function listing(kindText: string, listedOn: Cell, repairedOn: Cell, out: Listings): void {
  const kind = parseDishonestyKind(kindText);
  const listed = cellDate(listedOn);
  const repaired = cellText(repairedOn) === null ? null : cellDate(repairedOn);
  const before = out.problems.length;
  if (kind === null) out.problems.push({ code: 'UNKNOWN_DISHONESTY_KIND', params: { value: kindText } });
  if (!listed.ok) out.problems.push({ code: listed.code, params: listed.params });
  if (repaired && !repaired.ok) out.problems.push({ code: repaired.code, params: repaired.params });
  if (out.problems.length === before && kind && listed.ok) out.listings.push({ kind, listedOn: listed.value, repairedOn: repaired?.ok ? repaired.value : null });
}

const invalid = (value: string): Problem => ({ code: 'INVALID_DISHONESTY', params: { value, expected: LISTING_FORMAT } });

/** A listing written as text: KIND:listedOn[:repairedOn]. */
function textListing(text: string, out: Listings): void {
  const parts = text.split(PART_SEPARATOR).map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3 || parts[0] === '' || parts[1] === '') out.problems.push(invalid(text));
  else listing(parts[0], parts[1], parts[2] ?? null, out);
}

/** A listing from JSON: {kind, listedOn, repairedOn?} with text (or Excel-serial) dates, or the text form. */
function jsonListing(item: unknown, out: Listings): void {
  if (typeof item === 'string') return textListing(item.trim(), out);
  const { kind, listedOn, repairedOn } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const isDate = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';
  if (Array.isArray(item) || typeof kind !== 'string' || !isDate(listedOn) || !(repairedOn === undefined || repairedOn === null || isDate(repairedOn))) {
    out.problems.push(invalid(JSON.stringify(item) ?? String(item)));
  } else listing(kind, listedOn, repairedOn ?? null, out);
}

/**
 * The dishonesty cell: text with listings separated by ; ； or line breaks, each KIND:listedOn[:repairedOn]
 * (or ： and | between the parts); or, from JSON lines, an array of {kind, listedOn, repairedOn?} (or
 * of such texts). Blank, 无 or an empty array is no listing.
 */
function dishonestyListings(cell: Cell): Listings {
  const out: Listings = { listings: [], problems: [] };
  if (Array.isArray(cell)) {
    for (const item of cell) jsonListing(item, out);
    return out;
  }
  const text = cellText(cell);
  if (text === null || text === NONE) return out;
  if (typeof cell !== 'string') out.problems.push(invalid(text));
  else for (const part of text.split(LISTING_SEPARATOR)) if (part.trim() !== '') textListing(part.trim(), out);
  return out;
}

/**
 * One row of a credit file as a record, or null with its failures: REQUIRED (creditCode),
 * INVALID_LENGTH {min: 1, max} (name 200, source 100), INVALID_DATE {value}, UNKNOWN_RATING and
 * UNKNOWN_TAX_GRADE {value, allowed}, INVALID_INTEGER {value}, OUT_OF_RANGE {min, max},
 * INVALID_DECIMAL {value}, TOO_MANY_DECIMAL_PLACES {places}, INVALID_BOOLEAN {value},
 * UNKNOWN_DISHONESTY_KIND {value}, INVALID_DISHONESTY {value, expected}. `columns` maps each field to
 * its header as written, for failures the caller finds later.
 */
export function creditRow(row: TableRow): { record: CreditFileRow | null; failures: FileFailure[]; columns: Record<string, string> } {
  const check = new RowCheck(row);
  const columns = row.columns;
  if (!check.readable) return { record: null, failures: check.failures, columns };
  const creditCode = check.text('creditCode', true)?.toUpperCase() ?? null;
  const name = check.boundedText('name', false, 200);
  const source = check.boundedText('source', false, 100);
  const asOf = check.value('asOf', cellDate, false);
  const ratingText = check.text('rating', false);
  const rating = ratingText === null ? null : gradeOf(ratingText, CREDIT_RATINGS);
  if (ratingText !== null && rating === null) check.fail('rating', 'UNKNOWN_RATING', { value: ratingText, allowed: CREDIT_RATINGS.join(', ') });
  const taxText = check.text('taxGrade', false);
  const taxGrade = taxText === null ? null : gradeOf(taxText, TAX_GRADES);
  if (taxText !== null && taxGrade === null) check.fail('taxGrade', 'UNKNOWN_TAX_GRADE', { value: taxText, allowed: TAX_GRADES.join(', ') });
  const overdueCount12m = check.value('overdueCount12m', (c) => cellInteger(c, 0, 366), false);
  const currentOverdueAmount = check.value('currentOverdueAmount', cellMoney, false);
  const socialSecurityMonths = check.value('socialSecurityMonths', (c) => cellInteger(c, 0, 1200), false);
  const hadBankLoan = check.value('hadBankLoan', cellBoolean, false);
  const { listings, problems } = dishonestyListings(check.cell('dishonesty'));
  for (const p of problems) check.fail('dishonesty', p.code, p.params);
  if (check.failures.length || creditCode === null) return { record: null, failures: check.failures, columns };
  const record: CreditFileRow = {
    row: row.row,
    creditCode,
    name,
    source,
    asOf,
    rating,
    taxGrade,
    overdueCount12m,
    currentOverdueAmount,
    socialSecurityMonths,
    hadBankLoan,
    dishonesty: listings,
  };
  return { record, failures: [], columns };
}
