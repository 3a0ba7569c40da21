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
