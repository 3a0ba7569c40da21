/**
 * Issue 17 §1 — guarantors have a say (R6, R7, R14): a guarantee a match routes to a guarantor needs the
 * guarantor's acceptance before the loan is disbursed. Pure: the service locks the rows and applies
 * what `respond` says.
 *
 * - A guarantee is routed when the lender approves the match (R14 APPROVE), to the guarantor the match's
 *   terms chose. Under an agreement (银担合作, R7) whose acceptance is AUTOMATIC (见贷即保: the guarantor
 *   accepts what the lender approves) it is ACCEPTED at once; under REVIEW it is PENDING until the
 *   guarantor answers.
 * - ACCEPT: PENDING → ACCEPTED (again on ACCEPTED: nothing changes).
 * - REFUSE (with a reason): PENDING or ACCEPTED → REFUSED, until a loan is disbursed under it; the match
 *   is then routed to the next guarantor with room.
 * - A disbursement of a match with a guarantor needs its guarantee ACCEPTED (GUARANTEE_NOT_ACCEPTED).
 */
export const GUARANTEE_STATUSES = ['PENDING', 'ACCEPTED', 'REFUSED'] as const;
export type GuaranteeStatus = (typeof GUARANTEE_STATUSES)[number];

export const GUARANTEE_ACTIONS = ['ACCEPT', 'REFUSE'] as const;
export type GuaranteeAction = (typeof GUARANTEE_ACTIONS)[number];

/** How a cooperation agreement's guarantor answers the guarantees its lender routes (R7). */
export const GUARANTEE_ACCEPTANCES = ['AUTOMATIC', 'REVIEW'] as const;
export type GuaranteeAcceptance = (typeof GUARANTEE_ACCEPTANCES)[number];

export type Answer =
  | { kind: 'step'; to: GuaranteeStatus }
  | { kind: 'repeat' }
  | { kind: 'refused'; code: 'GUARANTEE_CLOSED' | 'GUARANTEE_IN_USE' };

/** What an action does to a guarantee in `from`; `disbursed` says whether a loan was disbursed under it. */
export function respond(action: GuaranteeAction, from: GuaranteeStatus, disbursed: boolean): Answer {
  if (from === 'REFUSED') return { kind: 'refused', code: 'GUARANTEE_CLOSED' };
  if (action === 'ACCEPT') return from === 'ACCEPTED' ? { kind: 'repeat' } : { kind: 'step', to: 'ACCEPTED' };
  if (disbursed) return { kind: 'refused', code: 'GUARANTEE_IN_USE' };
  return { kind: 'step', to: 'REFUSED' };
}

/** Why a match with a guarantor cannot be disbursed yet, or null when its guarantee is accepted. */
export function disbursementBlock(status: GuaranteeStatus | null): 'none' | 'pending' | 'refused' | null {
  if (status === 'ACCEPTED') return null;
  return status === null ? 'none' : status === 'PENDING' ? 'pending' : 'refused';
}
