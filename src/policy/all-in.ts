/**
 * R13's all-in annual cost, extended by issue 15 §2 with an offer's fees (seed 004 (23): no unreasonable
 * fees, and the fees must be visible). One formula for a match's terms and for an offer:
 *
 *   allIn = annualRate + guaranteeFeeRate + feeTotal ÷ principal × 12 ÷ termMonths − interestSubsidyRate
 *
 * never below 0, rounded half-up to 6 places once, at the end (DOMAIN §3). One-off fees are spread evenly
 * over the term as a yearly rate of the principal (straight line, no discounting: the figure a borrower
 * can check with a pencil); a match's terms have no fees, so for them the formula is R13's as before.
 * Pure: plain data in, a Decimal out.
 */
import { Decimal, rate } from '../common/decimal';

export interface AllInCostInput {
  /** The loan's annual rate (a match: the product's minimum; an offer: the offered rate). */
  annualRate: Decimal;
  /** The guarantor's fee a year, a fraction of the guaranteed amount, when the loan carries a guarantee (R6, R7). */
  guaranteeFeeRate?: Decimal | null;
  /** What interest subsidies take off the rate (R9 INTEREST_SUBSIDY: ratio × rate). */
  rateReduction?: Decimal | null;
  /** One-off fees: their CNY total on a principal repaid over `termMonths`. */
  fees?: { total: Decimal; principal: Decimal; termMonths: number } | null;
}

/** One-off fees as a yearly rate of the principal over the term, unrounded (the all-in cost rounds once). */
export function feesAsAnnualRate(fees: { total: Decimal; principal: Decimal; termMonths: number }): Decimal {
  if (fees.total.isZero()) return new Decimal(0);
  return fees.total.div(fees.principal).times(12).div(fees.termMonths);
}

export function allInAnnualCostRate(c: AllInCostInput): Decimal {
  const cost = c.annualRate
    .plus(c.guaranteeFeeRate ?? 0)
    .plus(c.fees ? feesAsAnnualRate(c.fees) : 0)
    .minus(c.rateReduction ?? 0);
  return rate(Decimal.max(cost, 0));
}
