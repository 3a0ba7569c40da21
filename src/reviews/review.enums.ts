import { graphqlEnum } from '../common/enums';
import { CLAIM_STATUSES, ClaimStatus, REVIEW_DECISIONS, ReviewDecision } from './review.rules';

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
