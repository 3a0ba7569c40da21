/**
 * R9 — GUARANTEE_FEE_SUBSIDY (seed 004 Art. (24)), payee guarantor: where the fee is below
 * ratioOfBenchmark × the benchmark, the difference × guaranteed amount × term in years, within what the
 * guarantor's yearly cap leaves.
 */
import type { RuleCalculator } from '../calculator';
import { num, optionalNum } from '../calculator';
import { guaranteeFeeSubsidy as calculate } from '../subsidies';

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
