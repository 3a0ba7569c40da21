/** R9 — LEASING_SUBSIDY (seed 004 Art. (30)), payee enterprise: financed amount × ratio. */
import type { RuleCalculator } from '../calculator';
import { num } from '../calculator';
import { amountSubsidy } from '../subsidies';

export const leasingSubsidy: RuleCalculator = {
  kind: 'LEASING_SUBSIDY',
  description: '融资租赁补贴 — the enterprise receives ratio × the financed amount (R9)',
  params: { ratio: { type: 'rate', required: true } },
  defaultProductKinds: ['LEASING'],
  quote(params, loan) {
    const amount = amountSubsidy(loan.principal, num(params, 'ratio'));
    return amount.gt(0) ? { kind: 'SUBSIDY', payee: 'ENTERPRISE', payeeId: loan.enterpriseId, amount } : null;
  },
};
