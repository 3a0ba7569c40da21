/**
 * Issue 15 §2 — offers, as plain data: the fee kinds a bank may quote, what an offer's figures must
 * satisfy, what its fees charge, its all-in annual cost (policy/all-in.ts), and where it stands.
 *
 * Seed 004 (23): banks may not add unreasonable conditions to small firms' loans — no disguised rate
 * rises, no consulting or financial-advisory fees, no deposit costs passed on. So the fee kinds are a
 * closed list without consulting or advisory fees, and every fee is shown with what it charges and
 * counted in the all-in cost. A guarantee's fee is not an offer fee: the match's guarantee carries it.
 * Pure: no database, no GraphQL.
 */
import { Decimal, money, rate } from '../common/decimal';
import { Failure, failure, duplicates } from '../common/failure';
import { DOCUMENT_KINDS, isDocumentKind } from '../documents/document.rules';
import { allInAnnualCostRate, feesAsAnnualRate } from '../policy/all-in';
import { interestSubsidy } from '../policy/subsidies';
import type { MatchStatus } from '../matching/match.rules';

export const FEE_KINDS = ['ARRANGEMENT', 'COMMITMENT', 'APPRAISAL', 'NOTARIZATION', 'REGISTRATION', 'INSURANCE', 'ACCOUNT_MANAGEMENT'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

export const OFFER_STATUSES = ['OPEN', 'ACCEPTED', 'DECLINED', 'EXPIRED'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/**
 * Why an offer was declined: the enterprise accepted another offer for the same need; its match was
 * closed (the bank declined it, or it lapsed); its need stopped looking for money (withdrawn, closed,
 * funded or past needed-by).
 */
export const OFFER_DECLINE_REASONS = ['OFFER_ACCEPTED_ELSEWHERE', 'MATCH_CLOSED', 'NEED_CLOSED'] as const;
export type OfferDeclineReason = (typeof OFFER_DECLINE_REASONS)[number];

/** The highest annual rate an offer may carry: 4 × the one-year LPR of 3 %, the ceiling courts protect since 2020 (as engine/score.ts). */
export const MAX_OFFER_RATE = new Decimal('0.12');
/** A one-off fee given as a rate of the principal: at most 5 %. */
export const MAX_FEE_RATE = new Decimal('0.05');
/** Fees on one offer. */
export const MAX_FEES = FEE_KINDS.length;
/** How long an offer may stay open. */
export const MAX_VALIDITY_DAYS = 90;

/** A fee as given: exactly one of `amount` (CNY) and `rate` (a fraction of the offered principal, once). */
export interface FeeInput {
  kind: FeeKind;
  amount?: Decimal | null;
  rate?: Decimal | null;
}

/** A fee as stored and shown: what it charges in CNY on the offered principal. */
export interface Fee {
  kind: FeeKind;
  amount: Decimal | null;
  rate: Decimal | null;
  charged: Decimal;
}

/** A fee's charge: its amount, or rate × principal rounded half-up to the cent. */
export const feeCharged = (fee: FeeInput, principal: Decimal): Decimal => (fee.amount ? money(fee.amount) : money(principal.times(fee.rate!)));

export function feesOf(fees: readonly FeeInput[], principal: Decimal): Fee[] {
  return fees.map((f) => ({ kind: f.kind, amount: f.amount ?? null, rate: f.rate ?? null, charged: feeCharged(f, principal) }));
}

/** What the offer's figures are checked against: the need it answers and the product it is made under. */
export interface OfferBounds {
  needAmount: Decimal;
  productMinRate: Decimal | null;
  productMaxRate: Decimal | null;
}

export interface OfferFigures {
  amount: Decimal;
  annualRate: Decimal;
  termMonths: number;
  fees: readonly FeeInput[];
  requiredDocuments: readonly string[];
}

/**
 * The failures of an offer's figures beyond their format (the input's decorators check places, signs
 * and a fee rate's MAX_FEE_RATE, offer.inputs.ts): the amount within the need, the rate within the product's range and the ceiling, each fee one
 * of amount or rate, each kind and each required document once, the documents of known kinds.
 */
export function offerFailures(f: OfferFigures, bounds: OfferBounds): Failure[] {
  const out: Failure[] = [];
  if (f.amount.gt(bounds.needAmount)) out.push(failure('amount', 'OFFER_EXCEEDS_NEED', { needAmount: bounds.needAmount.toFixed(2) }));
  if (f.annualRate.gt(MAX_OFFER_RATE)) out.push(failure('annualRate', 'RATE_ABOVE_CEILING', { max: MAX_OFFER_RATE.toFixed() }));
  else if (bounds.productMinRate && f.annualRate.lt(bounds.productMinRate)) out.push(failure('annualRate', 'RATE_OUTSIDE_PRODUCT', { min: bounds.productMinRate.toFixed(), max: bounds.productMaxRate?.toFixed() ?? '—' }));
  else if (bounds.productMaxRate && f.annualRate.gt(bounds.productMaxRate)) out.push(failure('annualRate', 'RATE_OUTSIDE_PRODUCT', { min: bounds.productMinRate?.toFixed() ?? '0', max: bounds.productMaxRate.toFixed() }));
  f.fees.forEach((fee, i) => {
    if ((fee.amount ? 1 : 0) + (fee.rate ? 1 : 0) !== 1) out.push(failure(['fees', String(i)], 'FEE_AMOUNT_OR_RATE'));
  });
  out.push(...duplicates(['fees'], f.fees.map((fee) => fee.kind)).map((d) => ({ ...d, field: [...d.field, 'kind'] })));
  f.requiredDocuments.forEach((kind, i) => {
    if (!isDocumentKind(kind)) out.push(failure(['requiredDocuments', String(i)], 'UNKNOWN_DOCUMENT_KIND', { value: kind, allowed: DOCUMENT_KINDS.join(', ') }));
  });
  out.push(...duplicates(['requiredDocuments'], f.requiredDocuments));
  return out;
}

/** The cost side of an offer, as the enterprise compares it. */
export interface OfferCost {
  fees: Fee[];
  feeTotal: Decimal;
  /** The fees as a yearly rate over the term (6 places, for display; the all-in cost uses the exact figure). */
  feesAnnualRate: Decimal;
  guaranteeFeeRate: Decimal | null;
  interestSubsidyRate: Decimal;
  allInAnnualCostRate: Decimal;
}

/**
 * An offer's cost: its fees' charges and total, and the all-in annual cost — the offered rate, plus the
 * match's guarantee fee, plus the fees spread over the term, minus what the match's interest subsidies
 * take off the offered rate (ratio × rate for each INTEREST_SUBSIDY rule version the match used).
 */
export function offerCost(f: Pick<OfferFigures, 'amount' | 'annualRate' | 'termMonths' | 'fees'>, guaranteeFeeRate: Decimal | null, interestSubsidyRatios: readonly Decimal[]): OfferCost {
  const fees = feesOf(f.fees, f.amount);
  const feeTotal = fees.reduce((sum, fee) => sum.plus(fee.charged), new Decimal(0));
  const spread = { total: feeTotal, principal: f.amount, termMonths: f.termMonths };
  const interestSubsidyRate = interestSubsidyRatios.reduce(
    (sum, ratio) => sum.plus(interestSubsidy({ principal: f.amount, annualRate: f.annualRate, termMonths: f.termMonths, ratio }).rateReduction), new Decimal(0));
  return {
    fees,
    feeTotal,
    feesAnnualRate: rate(feesAsAnnualRate(spread)),
    guaranteeFeeRate,
    interestSubsidyRate,
    allInAnnualCostRate: allInAnnualCostRate({ annualRate: f.annualRate, guaranteeFeeRate, rateReduction: interestSubsidyRate, fees: spread }),
  };
}

/** Where an offer stands as readers see it: an OPEN offer past its validity reads EXPIRED before the sweep marks it. */
export const effectiveOfferStatus = (status: OfferStatus, validUntil: Date, now: Date): OfferStatus =>
  status === 'OPEN' && validUntil.getTime() <= now.getTime() ? 'EXPIRED' : status;

/** The match statuses after which an offer on the match can no longer be taken up (lifecycle.rules.ts: nothing but a VIEW follows). */
export const MATCH_CLOSED_STATUSES: readonly MatchStatus[] = ['DECLINED', 'OVERDUE'];

/** What an offer's reader is told about it: its status, and why it was declined when it was. */
export interface OfferStanding {
  status: OfferStatus;
  declineReason: OfferDeclineReason | null;
}

/**
 * Where an offer stands as readers see it, before any sweep has marked it: an OPEN offer past its
 * validity reads EXPIRED; an OPEN one whose match was closed reads DECLINED (MATCH_CLOSED), or whose need
 * stopped looking for money (`needActive` false: R11, over or past needed-by) DECLINED (NEED_CLOSED) —
 * what the writers (offer.closing.ts) store, in the same order, and what acceptOffer goes by.
 */
export function offerStanding(
  offer: { status: OfferStatus; declineReason: OfferDeclineReason | null; validUntil: Date },
  now: Date,
  facts: { matchStatus: MatchStatus; needActive: boolean },
): OfferStanding {
  if (offer.status !== 'OPEN') return { status: offer.status, declineReason: offer.declineReason };
  if (effectiveOfferStatus(offer.status, offer.validUntil, now) === 'EXPIRED') return { status: 'EXPIRED', declineReason: null };
  if (MATCH_CLOSED_STATUSES.includes(facts.matchStatus)) return { status: 'DECLINED', declineReason: 'MATCH_CLOSED' };
  if (!facts.needActive) return { status: 'DECLINED', declineReason: 'NEED_CLOSED' };
  return { status: 'OPEN', declineReason: null };
}
