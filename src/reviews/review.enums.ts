import { graphqlEnum } from '../common/enums';
import { CLAIM_STATUSES, ClaimStatus, POOL_CLAIM_STATUSES, PoolClaimStatus, REVIEW_DECISIONS, ReviewDecision } from './review.rules';

export const ClaimStatusEnum = graphqlEnum<ClaimStatus>('SubsidyClaimStatus', CLAIM_STATUSES, 'Where a subsidy claim stands (issue 17 §3).', {
  SUBMITTED: 'Applied for by the payee, with its documents; waiting for an authority\'s review.',
  APPROVED: 'Approved: committed against the rule\'s budget for the year (and the guarantor\'s yearly cap); waiting for payment.',
  REJECTED: 'Rejected with a reason; the payee may apply again.',
  PAID: 'Paid: booked in the subsidy ledger, the ledger entry and its posting written.',
});

export const ReviewDecisionEnum = graphqlEnum<ReviewDecision>('SubsidyClaimDecision', REVIEW_DECISIONS, 'An authority\'s decision on a submitted claim.', {
  APPROVE: 'Approve (within the budget and the cap).',
  REJECT: 'Reject, with a reason.',
});

export const PoolClaimStatusEnum = graphqlEnum<PoolClaimStatus>('PoolClaimStatus', POOL_CLAIM_STATUSES, 'Where a bank\'s claim on a risk-compensation pool stands (R8; issue 17 §3).', {
  OPEN: 'Opened by the default: the pool keeps the claimable amount reserved; waiting for the bank to apply with its documents.',
  SUBMITTED: 'Applied for by the bank, with its documents; waiting for an authority\'s review.',
  APPROVED: 'Approved, all or part; waiting for payment.',
  REJECTED: 'Rejected with a reason; final: the reserve went back to the pool and the whole net loss was split.',
  PAID: 'Paid: the pool paid the approved amount, released the rest, and the loss net of the payout was split (DOMAIN E10).',
});

export const PoolClaimDecisionEnum = graphqlEnum<ReviewDecision>('PoolClaimDecision', REVIEW_DECISIONS, 'An authority\'s decision on a submitted pool claim.', {
  APPROVE: 'Approve the claim, or part of it.',
  REJECT: 'Reject it, with a reason (final).',
});
