/**
 * R5 — credit grades and their order (best first), used by product filters ("minimum rating A").
 */
export const CREDIT_RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C'] as const;
export type CreditRating = (typeof CREDIT_RATINGS)[number];

/** Tax credit grades, best first; M is a new taxpayer (ranked between B and C by the tax authority). */
export const TAX_GRADES = ['A', 'B', 'M', 'C', 'D'] as const;
export type TaxGrade = (typeof TAX_GRADES)[number];

export const DISHONESTY_KINDS = ['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION', 'ABNORMAL_OPERATION'] as const;
export type DishonestyKind = (typeof DISHONESTY_KINDS)[number];

/** Rank of a rating: C = 1 … AAA = 9, as the `rating_rank` columns store it (higher is better). */
export function ratingRank(rating: CreditRating): number {
  return CREDIT_RATINGS.length - CREDIT_RATINGS.indexOf(rating);
}

/** Rank of a tax grade: D = 1 … A = 5, as the `tax_rank` columns store it (higher is better). */
export function taxRank(grade: TaxGrade): number {
  return TAX_GRADES.length - TAX_GRADES.indexOf(grade);
}
