/**
 * Issue 11 §6 — a firm is who it says it is. A person (token `sub`) who registers a credit code holds a
 * *claim* on that firm. The claim is VERIFIED when the token carries that credit code as a verified claim
 * (the login service checked the business licence: 电子营业执照, 实名认证 + 信用查询授权) or when an
 * authority confirms it; until then it is PENDING. The real owner can contest a claim (the holder's claim
 * and the contester's own both become CONTESTED); an authority resolves it (VERIFIED or REJECTED). Only a
 * VERIFIED holder reads the firm's credit file, changes a whitelisted firm's registered facts, grants
 * consent, applies to matches, and has its needs proposed to banks. Every step is an audited event.
 * Pure: statuses, evidence, actions and the transitions allowed; claim.service.ts applies them.
 */
import { sqlList } from '../common/sql-list';
export const CLAIM_STATUSES = ['PENDING', 'VERIFIED', 'CONTESTED', 'REJECTED'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** What a VERIFIED (or REJECTED) status rests on. */
export const CLAIM_EVIDENCE = ['TOKEN_CLAIM', 'AUTHORITY_DECISION'] as const;
export type ClaimEvidence = (typeof CLAIM_EVIDENCE)[number];

/**
 * Audited steps: REGISTERED (a claim is made: PENDING, or VERIFIED by the token), VERIFIED_BY_TOKEN (a
 * pending claim's holder came back with a token verified for the code), CONFIRMED (an authority verified
 * it), CONTEST_FILED (the contester's claim), CONTESTED (the holder's claim, disputed), REINSTATED (every
 * contest rejected: the holder's claim is back where it was), REJECTED (an authority refused it),
 * SUPERSEDED (a pending claim gave way to a registration whose token was verified for the code),
 * MIGRATED (a binding made before claims existed: PENDING).
 */
export const CLAIM_ACTIONS = ['REGISTERED', 'VERIFIED_BY_TOKEN', 'CONFIRMED', 'CONTEST_FILED', 'CONTESTED', 'REINSTATED', 'REJECTED', 'SUPERSEDED', 'MIGRATED'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

/** Statuses of a claim still alive (one per `sub`; REJECTED is final). */
export const LIVE_CLAIM_STATUSES: readonly ClaimStatus[] = ['PENDING', 'VERIFIED', 'CONTESTED'];
/** Statuses that keep a firm's needs from being proposed (matching's gate). */
export const UNSETTLED_CLAIM_STATUSES: readonly ClaimStatus[] = ['PENDING', 'CONTESTED'];

/** An authority's decisions on a claim. */
export const CLAIM_DECISIONS = ['VERIFY', 'REJECT'] as const;
export type ClaimDecision = (typeof CLAIM_DECISIONS)[number];

/** Whether a claim in `status` may be contested (a REJECTED one is over; a CONTESTED one can take more contests). */
export function contestable(status: ClaimStatus): boolean {
  return status !== 'REJECTED';
}

/** Whether an authority may decide a claim in `status`: confirming needs PENDING or CONTESTED; rejecting, anything alive. */
export function decidable(status: ClaimStatus, decision: ClaimDecision): boolean {
  return decision === 'VERIFY' ? status === 'PENDING' || status === 'CONTESTED' : status !== 'REJECTED';
}

/**
 * SQL (over an enterprise id expression) true when the firm's holder is not verified: some claim on it is
 * PENDING or CONTESTED. A firm nobody claimed (an authority's list, demo data) has no claim and passes.
 * Uses ix_enterprise_claim_unsettled.
 */
export function unsettledClaimSql(enterpriseId: string): string {
  return `EXISTS (SELECT 1 FROM enterprise_claim ec WHERE ec.enterprise_id = ${enterpriseId} AND ec.status IN (${sqlList(UNSETTLED_CLAIM_STATUSES)}))`;
}
