/**
 * The registry of policy-rule calculators, one per PolicyRuleKind (STYLE.md habit 2). Adding a kind is
 * one file under kinds/ and one line here (and its name in rule-kinds.ts).
 */
import type { RuleCalculator } from './calculator';
import { collectiveBondRule } from './kinds/collective-bond';
import { guaranteeFeeSubsidy } from './kinds/guarantee-fee-subsidy';
import { guaranteeRiskSubsidy } from './kinds/guarantee-risk-subsidy';
import { interestSubsidy } from './kinds/interest-subsidy';
import { leasingSubsidy } from './kinds/leasing-subsidy';
import { riskCompensation } from './kinds/risk-compensation';
import { turnoverFundSubsidy } from './kinds/turnover-fund-subsidy';
import type { PolicyRuleKind } from './rule-kinds';

export const CALCULATORS: Readonly<Record<PolicyRuleKind, RuleCalculator>> = {
  RISK_COMPENSATION: riskCompensation,
  GUARANTEE_RISK_SUBSIDY: guaranteeRiskSubsidy,
  GUARANTEE_FEE_SUBSIDY: guaranteeFeeSubsidy,
  LEASING_SUBSIDY: leasingSubsidy,
  TURNOVER_FUND_SUBSIDY: turnoverFundSubsidy,
  INTEREST_SUBSIDY: interestSubsidy,
  COLLECTIVE_BOND: collectiveBondRule,
};

export function calculatorFor(kind: PolicyRuleKind): RuleCalculator {
  return CALCULATORS[kind];
}
