/** R9 — GUARANTEE_RISK_SUBSIDY (seed 004 Art. (24)), payee guarantor: guaranteed amount × ratio. */
import type { RuleCalculator } from '../calculator';
import { num } from '../calculator';
import { guaranteeRiskSubsidy as calculate } from '../subsidies';

export const guaranteeRiskSubsidy: RuleCalculator = {
  kind: 'GUARANTEE_RISK_SUBSIDY',
  description: '担保风险补助 — the guarantor receives ratio × the guaranteed amount; growthRatio × the year\'s growth of its small and micro volume is paid yearly, not per loan (R9)',
  params: {
    ratio: { type: 'rate', required: true },
    growthRatio: { type: 'rate', required: false },
  },
  quote(params, loan) {
    if (!loan.guarantee) return null;
    const amount = calculate({ guaranteedAmount: loan.guarantee.guaranteedAmount, ratio: num(params, 'ratio') });
    return amount.gt(0) ? { kind: 'SUBSIDY', payee: 'GUARANTOR', payeeId: loan.guarantee.guarantorId, amount } : null;
  },
};
