/** R9 — INTEREST_SUBSIDY (贴息), payee enterprise: ratio × the loan's interest; it takes ratio × rate off the all-in cost. */
import type { RuleCalculator } from '../calculator';
import { num } from '../calculator';
import { interestSubsidy as calculate } from '../subsidies';

export const interestSubsidy: RuleCalculator = {
  kind: 'INTEREST_SUBSIDY',
  description: '贴息 — the enterprise receives ratio × the loan\'s interest over its term; the all-in cost drops by ratio × the rate (R9)',
  params: { ratio: { type: 'rate', required: true } },
  readsRate: true,
  quote(params, loan) {
    if (!loan.annualRate) return null;
    const { amount, rateReduction } = calculate({ principal: loan.principal, annualRate: loan.annualRate, termMonths: loan.termMonths, ratio: num(params, 'ratio') });
    return amount.gt(0) ? { kind: 'SUBSIDY', payee: 'ENTERPRISE', payeeId: loan.enterpriseId, amount, rateReduction } : null;
  },
};
