/**
 * R5 — the credit filters products (R12) and the bank's whitelist page use: minimum rating, minimum tax
 * grade, no active dishonesty, maximum overdue count, maximum data age, first-loan only. Each is written
 * as a pure check (the R13 checks and their details) and as a SQL condition on given values (the
 * whitelist page's filters); test/credit/conditions.test.ts holds the two to the same answers. Matching
 * compares a profile with each product's own columns instead, in matching/candidates.ts, which
 * test/matching/candidates.test.ts holds to these checks.
 *
 * No credit data fails every criterion: a filter asks for something known, not for the absence of bad news.
 */
import { CreditRating, ratingRank, TaxGrade, taxRank } from './grades';

export interface CreditCriteria {
  minRating?: CreditRating | null;
  minTaxGrade?: TaxGrade | null;
  noActiveDishonesty?: boolean | null;
  maxOverdueCount12m?: number | null;
  maxCreditDataAgeDays?: number | null;
  firstLoanOnly?: boolean | null;
}

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

/** Whole days from `from` to `to` (calendar dates, YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The criteria that are set, in R13's order, checked against a profile (null: the firm has none). */
export function checkCredit(facts: CreditFacts | null, criteria: CreditCriteria, today: string): CreditCheck[] {
  const checks: CreditCheck[] = [];
  if (criteria.minRating) {
    const actual = facts?.rating ?? null;
    checks.push({ code: 'CREDIT_RATING', passed: actual !== null && ratingRank(actual) >= ratingRank(criteria.minRating), actual, required: criteria.minRating });
  }
  if (criteria.minTaxGrade) {
    const actual = facts?.taxGrade ?? null;
    checks.push({ code: 'TAX_GRADE', passed: actual !== null && taxRank(actual) >= taxRank(criteria.minTaxGrade), actual, required: criteria.minTaxGrade });
  }
  if (criteria.noActiveDishonesty) {
    const actual = facts ? facts.activeDishonesty : null;
    checks.push({ code: 'DISHONESTY', passed: actual === false, actual, required: false });
  }
  if (criteria.maxOverdueCount12m != null) {
    const actual = facts?.overdueCount12m ?? null;
    checks.push({ code: 'OVERDUE', passed: actual !== null && actual <= criteria.maxOverdueCount12m, actual, required: criteria.maxOverdueCount12m });
  }
  if (criteria.maxCreditDataAgeDays != null) {
    const actual = facts ? daysBetween(facts.asOf, today) : null;
    checks.push({ code: 'CREDIT_DATA_AGE', passed: actual !== null && actual <= criteria.maxCreditDataAgeDays, actual, required: criteria.maxCreditDataAgeDays });
  }
  if (criteria.firstLoanOnly) {
    const actual = facts?.hadBankLoan ?? null;
    checks.push({ code: 'FIRST_LOAN', passed: actual === false, actual, required: false });
  }
  return checks;
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

/** The same criteria as SQL conditions (AND-ed by the caller) with their named parameters. */
export function creditConditions(criteria: CreditCriteria, at: CreditColumns, today: string): { conditions: string[]; params: Record<string, unknown> } {
  const a = at.alias;
  const p = (name: string) => `${at.paramPrefix}${name}`;
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (criteria.minRating) {
    conditions.push(`${a}.rating_rank >= :${p('minRating')}`);
    params[p('minRating')] = ratingRank(criteria.minRating);
  }
  if (criteria.minTaxGrade) {
    conditions.push(`${a}.tax_rank >= :${p('minTaxGrade')}`);
    params[p('minTaxGrade')] = taxRank(criteria.minTaxGrade);
  }
  if (criteria.noActiveDishonesty) conditions.push(`${a}.active_dishonesty = false`);
  if (criteria.maxOverdueCount12m != null) {
    conditions.push(`${a}.overdue_count_12m <= :${p('maxOverdue')}`);
    params[p('maxOverdue')] = criteria.maxOverdueCount12m;
  }
  if (criteria.maxCreditDataAgeDays != null) {
    conditions.push(`${a}.${at.asOfColumn} >= :${p('today')}::date - :${p('maxAge')}::int`);
    params[p('today')] = today;
    params[p('maxAge')] = criteria.maxCreditDataAgeDays;
  }
  if (criteria.firstLoanOnly) conditions.push(`${a}.had_bank_loan = false`);
  return { conditions, params };
}

/** The criteria that are set, by name, in R13's order (a filtered read is audited under these names, R10). */
export function criteriaInUse(criteria: CreditCriteria): (keyof CreditCriteria)[] {
  const order: (keyof CreditCriteria)[] = ['minRating', 'minTaxGrade', 'noActiveDishonesty', 'maxOverdueCount12m', 'maxCreditDataAgeDays', 'firstLoanOnly'];
  return order.filter((name) => criteria[name] != null && criteria[name] !== false);
}
