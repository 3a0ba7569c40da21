import { graphqlEnum } from '../common/enums';
import { FEE_KINDS, FeeKind, OFFER_DECLINE_REASONS, OFFER_STATUSES, OfferDeclineReason, OfferStatus } from './offer.rules';

export const FeeKindEnum = graphqlEnum<FeeKind>('FeeKind', FEE_KINDS, 'A one-off fee a bank may quote on an offer (seed 004 (23): no consulting or financial-advisory fees).', {
  ARRANGEMENT: '贷款手续费: arranging the loan',
  COMMITMENT: '承诺费: keeping the facility available',
  APPRAISAL: '评估费: valuing the collateral',
  NOTARIZATION: '公证费: notarising the contract',
  REGISTRATION: '抵押登记费: registering the pledge or mortgage',
  INSURANCE: '保险费: insurance the loan requires',
  ACCOUNT_MANAGEMENT: '账户管理费: managing the loan account',
});

export const OfferStatusEnum = graphqlEnum<OfferStatus>('OfferStatus', OFFER_STATUSES, 'Where an offer stands (issue 15 §2).', {
  OPEN: 'Made and within its validity: the enterprise may accept it',
  ACCEPTED: 'The enterprise accepted it: the match is APPLIED and the bank has its consent',
  DECLINED: 'Declined, with its reason (another offer for the need was accepted, its match was closed, or its need stopped looking for money)',
  EXPIRED: 'Past its validUntil (by the database\'s clock) without being accepted',
});

export const OfferDeclineReasonEnum = graphqlEnum<OfferDeclineReason>('OfferDeclineReason', OFFER_DECLINE_REASONS, 'Why an offer was declined.', {
  OFFER_ACCEPTED_ELSEWHERE: 'The enterprise accepted another offer for the same need',
  MATCH_CLOSED: 'Its match was closed while the offer was open: the bank declined it, or it lapsed',
  NEED_CLOSED: 'Its need stopped looking for money while the offer was open: withdrawn, closed unfunded, funded or past its needed-by date',
});
