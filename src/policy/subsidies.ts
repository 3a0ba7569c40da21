/**
 * R9 — subsidies (seed 004): each computed from a rule's parameters and the loan's figures, rounded
 * half-up to the cent. Pure: no database; the rule's parameters and the year's totals are passed in.
 */
import { Decimal, money, rate } from '../common/decimal';

const years = (termMonths: number) => new Decimal(termMonths).div(12);

/** GUARANTEE_RISK_SUBSIDY (Art. (24)), payee guarantor: guaranteed × ratio, plus growthRatio × the year's small/micro volume growth. */
export function guaranteeRiskSubsidy(p: { guaranteedAmount: Decimal; ratio: Decimal; growthRatio?: Decimal | null; volumeGrowth?: Decimal | null }): Decimal {
  const growth = p.growthRatio && p.volumeGrowth && p.volumeGrowth.gt(0) ? p.volumeGrowth.times(p.growthRatio) : new Decimal(0);
  return money(p.guaranteedAmount.times(p.ratio).plus(growth));
}

/**
 * GUARANTEE_FEE_SUBSIDY (Art. (24)), payee guarantor: where feeRate < ratioOfBenchmark × benchmark,
 * (ratioOfBenchmark × benchmark − feeRate) × guaranteed × term in years, within what the guarantor's
 * yearly cap leaves (annualCap − already paid this calendar year).
 */
export function guaranteeFeeSubsidy(p: {
  benchmarkRate: Decimal; ratioOfBenchmark: Decimal; feeRate: Decimal; guaranteedAmount: Decimal; termMonths: number;
  annualCapPerGuarantor?: Decimal | null; paidThisYear?: Decimal | null;
}): Decimal {
  const threshold = p.benchmarkRate.times(p.ratioOfBenchmark);
  if (p.feeRate.gte(threshold)) return money(0);
  let amount = money(threshold.minus(p.feeRate).times(p.guaranteedAmount).times(years(p.termMonths)));
  if (p.annualCapPerGuarantor != null) {
    const left = Decimal.max(p.annualCapPerGuarantor.minus(p.paidThisYear ?? 0), 0);
    amount = Decimal.min(amount, left);
  }
  return amount;
}

/** LEASING_SUBSIDY (Art. (30)) and TURNOVER_FUND_SUBSIDY (Art. (26)), payee enterprise: amount × ratio. */
export function amountSubsidy(amount: Decimal, ratio: Decimal): Decimal {
  return money(amount.times(ratio));
}

/** INTEREST_SUBSIDY (贴息), payee enterprise: ratio × the loan's simple interest over its term; the rate it takes off the all-in cost. */
export function interestSubsidy(p: { principal: Decimal; annualRate: Decimal; termMonths: number; ratio: Decimal }): { amount: Decimal; rateReduction: Decimal } {
  return {
    amount: money(p.principal.times(p.annualRate).times(years(p.termMonths)).times(p.ratio)),
    rateReduction: rate(p.annualRate.times(p.ratio)),
  };
}

/**
 * COLLECTIVE_BOND (Art. (32)): counter-guarantee support of supportRatio × each enterprise's
 * counter-guaranteed amount, at most perEnterpriseCap each; a risk-mitigation fund of fundRatio × the
 * issue; a loss within the fund split publicShare / the rest between public finance and the guarantee
 * centre; any loss beyond the fund is reported, not split (the article does not say who bears it).
 */
export function collectiveBond(p: {
  issueAmount: Decimal; counterGuaranteed: Decimal[]; supportRatio: Decimal; perEnterpriseCap: Decimal;
  fundRatio: Decimal; loss?: Decimal | null; publicShare: Decimal;
}): { mitigationFund: Decimal; supports: Decimal[]; publicFinance: Decimal; guaranteeCentre: Decimal; beyondFund: Decimal } {
  const mitigationFund = money(p.issueAmount.times(p.fundRatio));
  const supports = p.counterGuaranteed.map((amount) => Decimal.min(money(amount.times(p.supportRatio)), p.perEnterpriseCap));
  const loss = p.loss ?? new Decimal(0);
  const within = Decimal.min(loss, mitigationFund);
  const publicFinance = money(within.times(p.publicShare));
  return { mitigationFund, supports, publicFinance, guaranteeCentre: money(within.minus(publicFinance)), beyondFund: money(loss.minus(within)) };
}
