/**
 * R14 — what each step of a match's lifecycle may follow. PROPOSED → VIEWED → CONTACTED → APPLIED →
 * APPROVED or DECLINED → DISBURSED; OVERDUE when the institution neither contacts nor declines in time.
 * Pure: the services lock the rows and apply what `transition` says.
 *
 * - VIEW (the institution opens it): PROPOSED → VIEWED; on a match already past that, nothing changes.
 * - CONTACT: PROPOSED or VIEWED → CONTACTED; once the enterprise has applied, a contact is recorded as the
 *   institution's response and the status stays APPLIED.
 * - DECLINE (with a reason): any status before DISBURSED in which the institution still decides.
 * - APPLY (the enterprise; counts as consent, R10): PROPOSED, VIEWED or CONTACTED → APPLIED.
 * - APPROVE: APPLIED → APPROVED (an approval needs the enterprise's application).
 * - DISBURSE: APPROVED → DISBURSED, and again on DISBURSED for a further tranche.
 * - LAPSE (the deadline): PROPOSED or VIEWED → OVERDUE.
 * Repeating a step that already happened (VIEW, CONTACT, APPLY, APPROVE) changes nothing and is not an error.
 */
import type { MatchStatus } from './match.rules';

export const MATCH_ACTIONS = ['VIEW', 'CONTACT', 'DECLINE', 'APPLY', 'APPROVE', 'DISBURSE', 'LAPSE'] as const;
export type MatchAction = (typeof MATCH_ACTIONS)[number];

/** The actions an institution takes with respondToMatch (API.md). */
export const RESPONSES = ['VIEW', 'CONTACT', 'DECLINE'] as const;
export type Response = (typeof RESPONSES)[number];

export type Transition =
  /** The status moves (or stays, `to` = from) and the step is recorded. */
  | { kind: 'step'; to: MatchStatus }
  /** The step already happened: nothing to write. */
  | { kind: 'repeat' }
  | { kind: 'refused'; variant: 'notApplied' | 'notApproved' | 'closed' | 'state' };

const TABLE: Record<MatchAction, Partial<Record<MatchStatus, MatchStatus | 'repeat'>>> = {
  VIEW: { PROPOSED: 'VIEWED', VIEWED: 'repeat', CONTACTED: 'repeat', APPLIED: 'repeat', APPROVED: 'repeat', DISBURSED: 'repeat', DECLINED: 'repeat', OVERDUE: 'repeat' },
  CONTACT: { PROPOSED: 'CONTACTED', VIEWED: 'CONTACTED', CONTACTED: 'repeat', APPLIED: 'APPLIED' },
  DECLINE: { PROPOSED: 'DECLINED', VIEWED: 'DECLINED', CONTACTED: 'DECLINED', APPLIED: 'DECLINED', APPROVED: 'DECLINED' },
  APPLY: { PROPOSED: 'APPLIED', VIEWED: 'APPLIED', CONTACTED: 'APPLIED', APPLIED: 'repeat' },
  APPROVE: { APPLIED: 'APPROVED', APPROVED: 'repeat' },
  DISBURSE: { APPROVED: 'DISBURSED', DISBURSED: 'DISBURSED' },
  LAPSE: { PROPOSED: 'OVERDUE', VIEWED: 'OVERDUE' },
};

/** Statuses after which nothing but a VIEW happens to a match (DISBURSED still takes further tranches). */
const CLOSED: readonly MatchStatus[] = ['DECLINED', 'OVERDUE'];

export function transition(action: MatchAction, from: MatchStatus): Transition {
  const to = TABLE[action][from];
  if (to === 'repeat') return { kind: 'repeat' };
  if (to) return { kind: 'step', to };
  if (CLOSED.includes(from)) return { kind: 'refused', variant: 'closed' };
  if (action === 'APPROVE' || action === 'DISBURSE') {
    const before: readonly MatchStatus[] = ['PROPOSED', 'VIEWED', 'CONTACTED'];
    if (before.includes(from)) return { kind: 'refused', variant: 'notApplied' };
    if (action === 'DISBURSE' && from === 'APPLIED') return { kind: 'refused', variant: 'notApproved' };
  }
  return { kind: 'refused', variant: 'state' };
}

/** Whether a step is the institution's response that stops the R14 clock (its first contact or decline). */
export const isResponse = (action: MatchAction): boolean => action === 'CONTACT' || action === 'DECLINE';

/** The statuses in which the enterprise is working with the institution: the need is IN_PROGRESS while one holds. */
export const ENGAGED: readonly MatchStatus[] = ['APPLIED', 'APPROVED', 'DISBURSED'];
