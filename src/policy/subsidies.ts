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

/** An amount booked against one calendar year (R9's yearly caps). */
export interface YearAmount {
  year: number;
  amount: Decimal;
}

/**
 * The calendar years a term covers and its months in each (DOMAIN E9): month i of the term starts i
 * months after `startsOn` and counts in the year it starts in. 36 months from 2026-07-01 → 2026: 6,
 * 2027: 12, 2028: 12, 2029: 6; 12 months from 2026-12-15 → 2026: 1, 2027: 11.
 */
export function monthsByYear(startsOn: string, termMonths: number): { year: number; months: number }[] {
  const first = Number(startsOn.slice(0, 4)) * 12 + Number(startsOn.slice(5, 7)) - 1;
  const years: { year: number; months: number }[] = [];
  for (let i = 0; i < termMonths; i += 1) {
    const year = Math.floor((first + i) / 12);
    if (years.length && years[years.length - 1].year === year) years[years.length - 1].months += 1;
    else years.push({ year, months: 1 });
  }
  return years;
}

/**
 * `total` allocated to the calendar years of the term by months (DOMAIN E9), each part rounded half-up
 * to the cent on the running total so that the parts add up to `total` exactly.
 */
export function allocateByMonths(total: Decimal, startsOn: string, termMonths: number): YearAmount[] {
  let months = 0;
  let allocated = new Decimal(0);
  return monthsByYear(startsOn, termMonths).map(({ year, months: m }) => {
    months += m;
    const upTo = money(total.times(months).div(termMonths));
    const amount = upTo.minus(allocated);
    allocated = upTo;
    return { year, amount };
  });
}

/**
 * GUARANTEE_FEE_SUBSIDY over the calendar years a guarantee covers (DOMAIN E9): the subsidy for the
 * whole term — (ratioOfBenchmark × benchmark − feeRate) × guaranteed × years — allocated to the years by
 * months, each year's part within what that year's cap leaves for the guarantor (`bookedIn(year)`
 * already booked). E9: 5,000,000 × 0.8 for 36 months from 2026-07-01 at fee 0.010 → 47,000.00 a year;
 * 23,500.00 in 2026, 47,000.00 in 2027 and 2028, 23,500.00 in 2029.
 */
export function guaranteeFeeSubsidyByYear(p: {
  benchmarkRate: Decimal; ratioOfBenchmark: Decimal; feeRate: Decimal; guaranteedAmount: Decimal; termMonths: number; startsOn: string;
  annualCapPerGuarantor?: Decimal | null; bookedIn(year: number): Decimal;
}): YearAmount[] {
  const total = guaranteeFeeSubsidy({ ...p, annualCapPerGuarantor: null });
  if (!total.gt(0)) return [];
  return allocateByMonths(total, p.startsOn, p.termMonths).map(({ year, amount }) => ({
    year,
    amount: p.annualCapPerGuarantor == null ? amount : Decimal.min(amount, Decimal.max(p.annualCapPerGuarantor.minus(p.bookedIn(year)), 0)),
  }));
}

/**
 * GUARANTEE_RISK_SUBSIDY's yearly part (Art. (24): "新增小微企业担保额比上年增长部分再给予1%的补助"):
 * growthRatio × the growth of a guarantor's small and micro guarantee volume in `year` over the year
 * before, nothing for a decline.
 */
export function volumeGrowthSubsidy(p: { volume: Decimal; previousVolume: Decimal; growthRatio: Decimal }): { growth: Decimal; amount: Decimal } {
  const growth = Decimal.max(money(p.volume.minus(p.previousVolume)), 0);
  return { growth, amount: money(growth.times(p.growthRatio)) };
}

/** LEASING_SUBSIDY (Art. (30)) and TURNOVER_FUND_SUBSIDY (Art. (26)), payee enterprise: amount × ratio. */
export function amountSubsidy(amount: Decimal, ratio: Decimal): Decimal {
  return money(amount.times(ratio));
}

/**
 * Simple interest on `principal` at `annualRate` for `months` months: principal × annualRate × months / 12,
 * not rounded. The one interest formula: R9's 贴息 and the repayment schedule (loans/schedule.ts) round it.
 */
export const simpleInterest = (principal: Decimal, annualRate: Decimal, months: number): Decimal => principal.times(annualRate).times(months).div(12);

/** INTEREST_SUBSIDY (贴息), payee enterprise: ratio × the loan's simple interest over its term; the rate it takes off the all-in cost. */
export function interestSubsidy(p: { principal: Decimal; annualRate: Decimal; termMonths: number; ratio: Decimal }): { amount: Decimal; rateReduction: Decimal } {
  return {
    amount: money(simpleInterest(p.principal, p.annualRate, p.termMonths).times(p.ratio)),
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
