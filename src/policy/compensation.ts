/**
 * R8 — risk-compensation reserve and claim (seed 004 Art. (27); seed 001 三.2), and R13's bank net
 * exposure. At disbursement an eligible loan reserves min(principal × commitmentRatio, perLoanCap if
 * set, pool available); on a default the bank claims its net loss: payout = min(loss × lossShare, the
 * loan's reserve), the rest of the reserve is released. Pure: no database.
 */
import { Decimal, money } from '../common/decimal';

export interface ReserveTerms {
  principal: Decimal;
  commitmentRatio: Decimal;
  perLoanCap?: Decimal | null;
  poolAvailable: Decimal;
}

export function reserveFor(t: ReserveTerms): Decimal {
  let reserve = money(t.principal.times(t.commitmentRatio));
  if (t.perLoanCap != null) reserve = Decimal.min(reserve, t.perLoanCap);
  return Decimal.max(Decimal.min(reserve, t.poolAvailable), 0);
}

export function claimPayout(netLoss: Decimal, lossShare: Decimal, reserve: Decimal): { payout: Decimal; released: Decimal } {
  const payout = Decimal.max(Decimal.min(money(netLoss.times(lossShare)), reserve), 0);
  return { payout, released: reserve.minus(payout) };
}

/**
 * R7 after R8 (DOMAIN E10): the loss the risk-sharing parties split is the net loss less the pool's
 * payout, never below zero.
 */
export function lossAfterPayout(netLoss: Decimal, payout: Decimal): Decimal {
  return Decimal.max(money(netLoss.minus(payout)), 0);
}

/** R13: bank net exposure = max(0, principal × (1 − coverage) − reserve). */
export function bankNetExposure(principal: Decimal, coverage: Decimal, reserve: Decimal): Decimal {
  return Decimal.max(money(principal.times(new Decimal(1).minus(coverage)).minus(reserve)), 0);
}
