import { graphqlEnum } from '../common/enums';
import { MATCH_CHECK_CODES, MatchCheckCode } from './engine/checks';
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

export const MatchCheckCodeEnum = graphqlEnum<MatchCheckCode>('MatchCheckCode', MATCH_CHECK_CODES, 'The checks of R13, in the order they run.', {
  NEED_KIND: 'The product serves the need\'s kind (loan or equity)',
  PRODUCT_ACTIVE: 'The product is switched on and within its active window',
  AMOUNT: 'The amount is within the product\'s range',
  TERM: 'The loan term is within the product\'s range',
  REGION: 'The firm\'s region is one the product serves',
  SECTOR: 'The firm\'s sector is one the product serves',
  CHAIN: 'The firm is in one of the product\'s industry chains',
  SIZE_CLASS: 'The firm\'s size class is one the product serves',
  YEARS_IN_BUSINESS: 'The firm has been in business long enough',
  WHITELIST_TIER: 'The firm is on a whitelist at the product\'s tier or higher today',
  QUALIFICATION: 'The firm holds the qualifications the product needs',
  CREDIT_RATING: 'The firm\'s rating meets the product\'s minimum',
  TAX_GRADE: 'The firm\'s tax credit grade meets the product\'s minimum',
  DISHONESTY: 'The firm has no active dishonesty listing, where the product asks',
  OVERDUE: 'The firm\'s overdue count in 12 months is within the product\'s maximum',
  CREDIT_DATA_AGE: 'The firm\'s credit data is recent enough',
  FIRST_LOAN: 'The firm never had a bank loan, where the product is for first-time borrowers',
  COLLATERAL: 'The collateral offered is what the product accepts',
  RATE: 'The product\'s lowest rate is within the need\'s maximum',
  GUARANTEE: 'Where a guarantee is required: a guarantor with an agreement with the bank and room under R6',
  EQUITY_STAGE: 'The funding round is one the investor invests in',
  EQUITY_TICKET: 'The amount is within the investor\'s ticket range',
  EQUITY_VALUATION: 'The pre-money valuation is within the investor\'s cap',
});

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
