/**
 * R8 and R9 — the kinds of policy rule (PolicyRuleKind): risk compensation and the subsidies of seed 004.
 * A rule row holds its kind, parameters and eligibility; `registry.ts` maps each kind to its calculator.
 */
export const POLICY_RULE_KINDS = [
  'RISK_COMPENSATION', 'GUARANTEE_RISK_SUBSIDY', 'GUARANTEE_FEE_SUBSIDY', 'LEASING_SUBSIDY', 'TURNOVER_FUND_SUBSIDY', 'INTEREST_SUBSIDY', 'COLLECTIVE_BOND',
] as const;
export type PolicyRuleKind = (typeof POLICY_RULE_KINDS)[number];

/** Who receives a subsidy (R9). */
export type Payee = 'GUARANTOR' | 'ENTERPRISE';
