/** R9 — TURNOVER_FUND_SUBSIDY (seed 004 Art. (26)), payee enterprise: turnover amount × ratio. */
import type { RuleCalculator } from '../calculator';
import { num } from '../calculator';
import { amountSubsidy } from '../subsidies';

export const turnoverFundSubsidy: RuleCalculator = {
  kind: 'TURNOVER_FUND_SUBSIDY',
  description: '转贷周转资金补贴 — the enterprise receives ratio × the turnover amount (R9)',
  params: { ratio: { type: 'rate', required: true } },
  defaultProductKinds: ['TURNOVER_FUND'],
  quote(params, loan) {
    const amount = amountSubsidy(loan.principal, num(params, 'ratio'));
    return amount.gt(0) ? { kind: 'SUBSIDY', payee: 'ENTERPRISE', payeeId: loan.enterpriseId, amount } : null;
  },
};
