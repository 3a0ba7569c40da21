/**
 * R9 — GUARANTEE_FEE_SUBSIDY (seed 004 Art. (24)), payee guarantor: where the fee is below
 * ratioOfBenchmark × the benchmark, the difference × guaranteed amount × term in years, within what the
 * guarantor's yearly cap leaves. A loan with a start date has it allocated by months to the calendar
 * years its guarantee covers, each part within that year's cap (DOMAIN E9).
 */
import type { RuleCalculator } from '../calculator';
import { feeSubsidyBookedIn, num, optionalNum } from '../calculator';
import { money } from '../../common/decimal';
import { guaranteeFeeSubsidy as calculate, guaranteeFeeSubsidyByYear as calculateByYear } from '../subsidies';

export const guaranteeFeeSubsidy: RuleCalculator = {
  kind: 'GUARANTEE_FEE_SUBSIDY',
  description: '担保费补贴 — the guarantor receives (ratioOfBenchmark × benchmark − fee rate) × guaranteed amount × years, at most annualCapPerGuarantor a calendar year (R9)',
  params: {
    benchmarkCode: { type: 'code', required: true },
    ratioOfBenchmark: { type: 'rate', required: true, max: 10 },
    annualCapPerGuarantor: { type: 'money', required: false },
  },
  quote(params, loan, context) {
    if (!loan.guarantee) return null;
    const benchmarkRate = context.benchmarkRate(params.benchmarkCode as string);
    if (!benchmarkRate) return null;
    if (loan.startsOn) {
      // DOMAIN E9: allocated to the calendar years the guarantee covers, each against its own year's cap.
      const guarantorId = loan.guarantee.guarantorId;
      const thisYear = Number(loan.startsOn.slice(0, 4));
      const byYear = calculateByYear({
        benchmarkRate,
        ratioOfBenchmark: num(params, 'ratioOfBenchmark'),
        feeRate: loan.guarantee.feeRate,
        guaranteedAmount: loan.guarantee.guaranteedAmount,
        termMonths: loan.termMonths,
        startsOn: loan.startsOn,
        annualCapPerGuarantor: optionalNum(params, 'annualCapPerGuarantor'),
        bookedIn: (year) => feeSubsidyBookedIn(context, guarantorId, year, thisYear),
      });
      const amount = byYear.reduce((sum, y) => sum.plus(y.amount), money(0));
      return amount.gt(0) ? { kind: 'SUBSIDY', payee: 'GUARANTOR', payeeId: guarantorId, amount, byYear: byYear.filter((y) => y.amount.gt(0)) } : null;
    }
    const amount = calculate({
      benchmarkRate,
      ratioOfBenchmark: num(params, 'ratioOfBenchmark'),
      feeRate: loan.guarantee.feeRate,
      guaranteedAmount: loan.guarantee.guaranteedAmount,
      termMonths: loan.termMonths,
      annualCapPerGuarantor: optionalNum(params, 'annualCapPerGuarantor'),
      paidThisYear: context.feeSubsidyBookedThisYear(loan.guarantee.guarantorId),
    });
    return amount.gt(0) ? { kind: 'SUBSIDY', payee: 'GUARANTOR', payeeId: loan.guarantee.guarantorId, amount } : null;
  },
};
