/**
 * What authorities report on (issue 17 §5; docs/AUTHORITIES.md ST1–ST7): the exact definitions the
 * statistics' SQL is built from. Pure data: no database.
 */
import type { ProductKind } from '../institutions/institution.rules';
import { addMonths } from '../common/dates';

/**
 * ST1 — a credit loan (信用贷, DOMAIN glossary: "no collateral, no guarantee") is a disbursed loan with no
 * guarantee, of a product whose kind is not secured by nature (these kinds lend against a pledge, a
 * mortgage, goods, receivables or a leased asset), where the need offered no collateral the product accepts.
 */
export const SECURED_PRODUCT_KINDS: readonly ProductKind[] = ['MORTGAGE_LOAN', 'IP_PLEDGE_LOAN', 'WAREHOUSE_RECEIPT', 'RECEIVABLES_FINANCING', 'LEASING'];

/** ST7 — what a target measures. */
export const TARGET_METRICS = ['NEW_FIRMS_POSTING_NEEDS', 'INTENDED_FINANCING_AMOUNT', 'LOANS_DISBURSED_AMOUNT', 'FIRST_LOAN_BORROWERS'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** Metrics that count firms: their value is a whole number. */
export const COUNT_METRICS: readonly TargetMetric[] = ['NEW_FIRMS_POSTING_NEEDS', 'FIRST_LOAN_BORROWERS'];

/** The most months `amplificationHistory` states in one answer (ST6). */
export const MAX_HISTORY_MONTHS = 120;
export const DEFAULT_HISTORY_MONTHS = 12;

/** Months from the one `a` starts to the one `b` starts, both YYYY-MM-01, inclusive. */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number);
  const [yb, mb] = b.split('-').map(Number);
  return (yb - ya) * 12 + (mb - ma) + 1;
}

/**
 * ST6: the months a history covers: the filter's months, each side defaulting to the 12 months up to the
 * current one, and never past the current month. Null `from` after `to`; an error past the maximum.
 */
export function historyMonths(from: string | null, to: string | null, today: string): { first: string; last: string } | { tooMany: number } {
  const current = `${today.slice(0, 7)}-01`;
  const lastAsked = to ? `${to.slice(0, 7)}-01` : current;
  const last = lastAsked < current ? lastAsked : current;
  const first = from ? `${from.slice(0, 7)}-01` : addMonths(last, 1 - DEFAULT_HISTORY_MONTHS);
  const count = monthsBetween(first, last);
  if (count > MAX_HISTORY_MONTHS) return { tooMany: count };
  return { first, last };
}
