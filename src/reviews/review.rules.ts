/** The claim lifecycle (issue 17 §3): SUBMITTED → APPROVED → PAID, or SUBMITTED → REJECTED (with a reason). Pure. */
export const CLAIM_STATUSES = ['SUBMITTED', 'APPROVED', 'REJECTED', 'PAID'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * A pool claim's lifecycle (issue 17 §3): OPEN at the default → SUBMITTED by the bank with its documents →
 * APPROVED (all or part) → PAID, or SUBMITTED → REJECTED (with a reason; final: the default is settled
 * without a payout). Pure.
 */
export const POOL_CLAIM_STATUSES = ['OPEN', 'SUBMITTED', 'APPROVED', 'REJECTED', 'PAID'] as const;
export type PoolClaimStatus = (typeof POOL_CLAIM_STATUSES)[number];

export const REVIEW_DECISIONS = ['APPROVE', 'REJECT'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The document kinds a rule asks for that a claim does not name. */
export function missingDocuments(required: readonly string[], named: readonly { kind: string }[]): string[] {
  const kinds = new Set(named.map((d) => d.kind));
  return required.filter((k) => !kinds.has(k));
}
