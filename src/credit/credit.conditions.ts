/**
 * R5 — the credit filters products (R12) and the bank's whitelist page use: minimum rating, minimum tax
 * grade, no active dishonesty, maximum overdue count, maximum data age, first-loan only. Each is written
 * once, in `CREDIT_CRITERIA`: how a profile meets it in TypeScript, and the same as a SQL condition over
 * a profile's columns. Three callers read these definitions: `checkCredit` (the R13 checks and their
 * details, through matching/criteria/), `creditConditions` (the whitelist page's filters, on given
 * values) and the candidate search (matching/candidates.ts, on each product's own columns).
 * test/credit/conditions.test.ts holds the SQL to the checks on given values; test/matching/candidates.test.ts
 * on product columns.
 *
 * No credit data fails every criterion: a filter asks for something known, not for the absence of bad news.
 */
import { daysBetween } from '../common/dates';
import { CREDIT_RATINGS, CreditRating, ratingRank, TAX_GRADES, TaxGrade, taxRank } from './grades';

export interface CreditCriteria {
  minRating?: CreditRating | null;
  minTaxGrade?: TaxGrade | null;
  noActiveDishonesty?: boolean | null;
  maxOverdueCount12m?: number | null;
  maxCreditDataAgeDays?: number | null;
  firstLoanOnly?: boolean | null;
}

export type CreditCriterionName = keyof CreditCriteria;

/** The profile figures the criteria read (CreditProfileEntity has them; so does a whitelist search row). */
export interface CreditFacts {
  asOf: string;
  rating: CreditRating | null;
  taxGrade: TaxGrade | null;
  activeDishonesty: boolean;
  overdueCount12m: number | null;
  hadBankLoan: boolean | null;
}

/** The R13 check each criterion feeds. */
export type CreditCheckCode = 'CREDIT_RATING' | 'TAX_GRADE' | 'DISHONESTY' | 'OVERDUE' | 'CREDIT_DATA_AGE' | 'FIRST_LOAN';

export interface CreditCheck {
  code: CreditCheckCode;
  passed: boolean;
  /** What the profile holds (null: no data). */
  actual: string | number | boolean | null;
  /** What the criterion asks for. */
  required: string | number | boolean;
}

/** Where a profile's columns are in SQL: `alias` holds rating_rank, tax_rank, active_dishonesty, overdue_count_12m, had_bank_loan. */
export interface ProfileSql {
  alias: string;
  /** The column holding the profile's as-of date under `alias` (as_of on credit_profile). */
  asOfColumn: string;
  /** Today, as a SQL date expression. */
  today: string;
}

/**
 * One R5 criterion. `V` is the value it is set to; a flag (`true`) asks for nothing more than itself.
 * A criterion is set when its value is neither null nor false (0 is a limit).
 */
export interface CreditCriterion<V = unknown> {
  /** Its name on a product's eligibility and a whitelist filter, and in the audit of a filtered read (R10). */
  name: CreditCriterionName;
  /** The R13 check it feeds. */
  code: CreditCheckCode;
  /** The profile figure a check on it shows, as the credit access log names it (R10). */
  field: string;
  /** The CreditFacts figure it reads, and the credit_profile column that holds it. */
  fact: keyof CreditFacts;
  profileColumn: string;
  /** True for a yes/no criterion (false = not set), false for a value (null = not set). */
  flag: boolean;
  /** Whether the profile meets `required` (null facts: no profile). */
  check(facts: CreditFacts | null, required: V, today: string): Omit<CreditCheck, 'code'>;
  /** The same in SQL: `required` is a SQL expression of `sqlValue(required)` (a flag has none). */
  sql(profile: ProfileSql, required: string): string;
  /** The value as the SQL compares it (a grade as its rank); a flag has none. */
  sqlValue?(required: V): number;
  /** The same from a SQL expression holding the value as products store it (`p.min_rating`). */
  columnSql?(column: string): string;
}

/** A product column's grade as the rank the profile and whitelist columns store (1 = lowest). */
export const rankSql = (column: string, lowestFirst: readonly string[]) => `CASE ${column} ${lowestFirst.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} END`;

export const MIN_RATING: CreditCriterion<CreditRating> = {
  name: 'minRating', code: 'CREDIT_RATING', field: 'rating', fact: 'rating', profileColumn: 'rating_rank', flag: false,
  check(facts, required) {
    const actual = facts?.rating ?? null;
    return { passed: actual !== null && ratingRank(actual) >= ratingRank(required), actual, required };
  },
  sql: ({ alias }, required) => `${alias}.rating_rank >= ${required}`,
  sqlValue: ratingRank,
  columnSql: (column) => rankSql(column, [...CREDIT_RATINGS].reverse()),
};

export const MIN_TAX_GRADE: CreditCriterion<TaxGrade> = {
  name: 'minTaxGrade', code: 'TAX_GRADE', field: 'taxGrade', fact: 'taxGrade', profileColumn: 'tax_rank', flag: false,
  check(facts, required) {
    const actual = facts?.taxGrade ?? null;
    return { passed: actual !== null && taxRank(actual) >= taxRank(required), actual, required };
  },
  sql: ({ alias }, required) => `${alias}.tax_rank >= ${required}`,
  sqlValue: taxRank,
  columnSql: (column) => rankSql(column, [...TAX_GRADES].reverse()),
};

export const NO_ACTIVE_DISHONESTY: CreditCriterion<boolean> = {
  name: 'noActiveDishonesty', code: 'DISHONESTY', field: 'activeDishonesty', fact: 'activeDishonesty', profileColumn: 'active_dishonesty', flag: true,
  check(facts) {
    const actual = facts ? facts.activeDishonesty : null;
    return { passed: actual === false, actual, required: false };
  },
  sql: ({ alias }) => `${alias}.active_dishonesty = false`,
};

export const MAX_OVERDUE_COUNT: CreditCriterion<number> = {
  name: 'maxOverdueCount12m', code: 'OVERDUE', field: 'overdueCount12m', fact: 'overdueCount12m', profileColumn: 'overdue_count_12m', flag: false,
  check(facts, required) {
    const actual = facts?.overdueCount12m ?? null;
    return { passed: actual !== null && actual <= required, actual, required };
  },
  sql: ({ alias }, required) => `${alias}.overdue_count_12m <= ${required}`,
  sqlValue: (required) => required,
  columnSql: (column) => column,
};

export const MAX_CREDIT_DATA_AGE: CreditCriterion<number> = {
  name: 'maxCreditDataAgeDays', code: 'CREDIT_DATA_AGE', field: 'asOf', fact: 'asOf', profileColumn: 'as_of', flag: false,
  check(facts, required, today) {
    const actual = facts ? daysBetween(facts.asOf, today) : null;
    return { passed: actual !== null && actual <= required, actual, required };
  },
  sql: ({ alias, asOfColumn, today }, required) => `${alias}.${asOfColumn} >= ${today} - ${required}::int`,
  sqlValue: (required) => required,
  columnSql: (column) => column,
};

export const FIRST_LOAN_ONLY: CreditCriterion<boolean> = {
  name: 'firstLoanOnly', code: 'FIRST_LOAN', field: 'firstLoan', fact: 'hadBankLoan', profileColumn: 'had_bank_loan', flag: true,
  check(facts) {
    const actual = facts?.hadBankLoan ?? null;
    return { passed: actual === false, actual, required: false };
  },
  sql: ({ alias }) => `${alias}.had_bank_loan = false`,
};

/** The R5 criteria, in R13's order. */
export const CREDIT_CRITERIA: readonly CreditCriterion[] = [MIN_RATING, MIN_TAX_GRADE, NO_ACTIVE_DISHONESTY, MAX_OVERDUE_COUNT, MAX_CREDIT_DATA_AGE, FIRST_LOAN_ONLY];

/** Whether a criterion's value asks for anything (null and false do not; 0 is a limit). */
export const isSet = (value: unknown): boolean => value != null && value !== false;

/** One criterion checked against a profile (null: the firm has none). */
export function checkOne(criterion: CreditCriterion, facts: CreditFacts | null, required: unknown, today: string): CreditCheck {
  return { code: criterion.code, ...criterion.check(facts, required, today) };
}

/** The criteria that are set, in R13's order, checked against a profile (null: the firm has none). */
export function checkCredit(facts: CreditFacts | null, criteria: CreditCriteria, today: string): CreditCheck[] {
  return CREDIT_CRITERIA.filter((c) => isSet(criteria[c.name])).map((c) => checkOne(c, facts, criteria[c.name], today));
}

export const meetsCredit = (facts: CreditFacts | null, criteria: CreditCriteria, today: string): boolean =>
  checkCredit(facts, criteria, today).every((c) => c.passed);

/** Where the columns live: an alias with rating_rank, tax_rank, active_dishonesty, overdue_count_12m, had_bank_loan. */
export interface CreditColumns {
  alias: string;
  /** The column holding the profile's as-of date under `alias` (as_of on credit_profile). */
  asOfColumn: string;
  /** Prefix for parameter names, unique within the query. */
  paramPrefix: string;
}

/** The criteria that are set as SQL conditions on their given values (AND-ed by the caller), with their named parameters. */
export function creditConditions(criteria: CreditCriteria, at: CreditColumns, today: string): { conditions: string[]; params: Record<string, unknown> } {
  const p = (name: string) => `${at.paramPrefix}${name}`;
  const profile: ProfileSql = { alias: at.alias, asOfColumn: at.asOfColumn, today: `:${p('today')}::date` };
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  for (const c of CREDIT_CRITERIA) {
    const value = criteria[c.name];
    if (!isSet(value)) continue;
    const condition = c.sql(profile, `:${p(c.name)}`);
    conditions.push(condition);
    if (c.sqlValue) params[p(c.name)] = c.sqlValue(value);
    if (condition.includes(profile.today)) params[p('today')] = today;
  }
  return { conditions, params };
}

/** The criteria that are set, by name, in R13's order (a filtered read is audited under these names, R10). */
export function criteriaInUse(criteria: CreditCriteria): CreditCriterionName[] {
  return CREDIT_CRITERIA.filter((c) => isSet(criteria[c.name])).map((c) => c.name);
}
