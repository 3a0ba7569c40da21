/** R8 — RISK_COMPENSATION (seed 004 Art. (27)): reserve min(principal × commitmentRatio, perLoanCap, pool available). */
import type { RuleCalculator } from '../calculator';
import { num, optionalNum } from '../calculator';
import { reserveFor } from '../compensation';

export const riskCompensation: RuleCalculator = {
  kind: 'RISK_COMPENSATION',
  description: '风险补偿 — a pool reserves principal × commitmentRatio (at most perLoanCap) per eligible loan and pays lossShare of a default, up to that reserve (R8)',
  params: {
    commitmentRatio: { type: 'rate', required: true },
    lossShare: { type: 'rate', required: true },
    perLoanCap: { type: 'money', required: false },
  },
  needsPool: true,
  quote(params, loan, context, poolId) {
    if (!poolId) return null;
    const amount = reserveFor({
      principal: loan.principal,
      commitmentRatio: num(params, 'commitmentRatio'),
      perLoanCap: optionalNum(params, 'perLoanCap'),
      poolAvailable: context.poolAvailable(poolId),
    });
    return amount.gt(0) ? { kind: 'RESERVE', amount, poolId } : null;
  },
};
