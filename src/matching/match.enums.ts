import { graphqlEnum } from '../common/enums';
import { CRITERIA, MATCH_CHECK_CODES, MatchCheckCode } from './criteria';
import { DECLINE_REASONS, DeclineReason, MATCH_STATUSES, MatchStatus } from './match.rules';

export const MatchStatusEnum = graphqlEnum<MatchStatus>('MatchStatus', MATCH_STATUSES, 'Where a match stands (R14).', {
  PROPOSED: 'Proposed to the institution by the engine',
  VIEWED: 'The institution has opened it',
  CONTACTED: 'The institution has contacted the enterprise',
  APPLIED: 'The enterprise has applied (counts as consent, R10)',
  APPROVED: 'The institution approved the financing',
  DECLINED: 'The institution declined, with a reason',
  DISBURSED: 'Money was paid out',
  OVERDUE: 'The institution neither contacted nor declined in time; the next institution is proposed',
});

export const MatchCheckCodeEnum = graphqlEnum<MatchCheckCode>('MatchCheckCode', MATCH_CHECK_CODES, 'The checks of R13, in the order they run.',
  Object.fromEntries(CRITERIA.map((c) => [c.code, c.description])) as Record<MatchCheckCode, string>);

export const DeclineReasonEnum = graphqlEnum<DeclineReason>('DeclineReason', DECLINE_REASONS, 'Why an institution declined (R14).', {
  INSUFFICIENT_CREDIT_HISTORY: 'Too little credit history',
  WEAK_CASH_FLOW: 'Cash flow too weak for the repayments',
  COLLATERAL_INSUFFICIENT: 'Collateral does not cover the risk',
  DEBT_TOO_HIGH: 'Existing debt too high',
  INDUSTRY_RESTRICTED: 'The industry is restricted for this lender',
  INCOMPLETE_DOCUMENTS: 'Documents missing or incomplete',
  AMOUNT_TOO_LARGE: 'The amount is larger than the lender will take on',
  RATE_NOT_ACCEPTED: 'The enterprise did not accept the rate',
  ENTERPRISE_UNRESPONSIVE: 'The enterprise did not respond',
  OTHER: 'Another reason',
});
