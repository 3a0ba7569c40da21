/**
 * R14 — a match's lifecycle: PROPOSED → VIEWED → CONTACTED → APPLIED → APPROVED or DECLINED → DISBURSED,
 * or OVERDUE when the institution neither contacts nor declines in time. The engine creates PROPOSED
 * matches and may drop or re-price them only while no one has acted on them.
 */
export const MATCH_STATUSES = ['PROPOSED', 'VIEWED', 'CONTACTED', 'APPLIED', 'APPROVED', 'DECLINED', 'DISBURSED', 'OVERDUE'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** R14 — why an institution declined, shown to the enterprise with what it could do about it. */
export const DECLINE_REASONS = [
  'INSUFFICIENT_CREDIT_HISTORY', 'WEAK_CASH_FLOW', 'COLLATERAL_INSUFFICIENT', 'DEBT_TOO_HIGH', 'INDUSTRY_RESTRICTED', 'INCOMPLETE_DOCUMENTS',
  'AMOUNT_TOO_LARGE', 'RATE_NOT_ACCEPTED', 'ENTERPRISE_UNRESPONSIVE', 'OTHER',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** A need is proposed to its best few institutions at a time (R14); their matches hold its slots. */
export const PROPOSALS_PER_NEED = 10;

/** Statuses whose institution's turn is over: the match stays as history and frees its slot for the next-ranked one. */
export const FREED_STATUSES: readonly MatchStatus[] = ['DECLINED', 'OVERDUE'];

/** R10: an institution sees the matches of its own products, and a guarantor those routed to it. */
export const institutionSeesMatch = (m: { institutionId: string; guarantorId: string | null }, institutionId: string): boolean =>
  m.institutionId === institutionId || m.guarantorId === institutionId;

/** The same rule in SQL, over a match alias and an institution id parameter. */
export const institutionSeesMatchSql = (alias: string, institutionId: string): string =>
  `(${alias}.institution_id = ${institutionId} OR ${alias}.guarantor_id = ${institutionId})`;

/** R13's order of a need's matches (`compareMatches` in engine/score.ts) in SQL over a match alias: best first. */
export const bestFirstSql = (m: string): string => `${m}.score DESC, ${m}.all_in_cost ASC NULLS LAST, ${m}.product_id`;

/** The same order reversed: worst first (the indexes ix_match_need_rank and ix_match_need_proposed follow both). */
export const worstFirstSql = (m: string): string => `${m}.score, ${m}.all_in_cost DESC NULLS FIRST, ${m}.product_id DESC`;

/** Statuses in which the institution still owes a response: contact or decline before the deadline (R14). */
export const AWAITING_RESPONSE: readonly MatchStatus[] = ['PROPOSED', 'VIEWED'];

/** When an institution must contact or decline by: `responseHours` after the match was proposed, while it awaits a response. */
export function respondBy(m: { status: MatchStatus; eligible: boolean; createdAt: Date }, responseHours: number): Date | null {
  return m.eligible && AWAITING_RESPONSE.includes(m.status) ? new Date(m.createdAt.getTime() + responseHours * 3_600_000) : null;
}
