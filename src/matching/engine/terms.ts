/**
 * R13 — the terms of an eligible loan match: indicative rate (the product's minimum), the guarantee the
 * GUARANTEE check chose, the risk-compensation reserve (R8: the pool rule giving the largest reserve,
 * then the lower rule code), bank net exposure = max(0, principal × (1 − coverage) − reserve), the
 * subsidies of R9, and all-in annual cost = rate + guarantee fee − interest-subsidy rate (policy/all-in.ts,
 * which an offer's fees extend). Each policy
 * rule that contributed is named with its version (for display) and kept by id. Pure.
 */
import { Decimal } from '../../common/decimal';
import { allInAnnualCostRate } from '../../policy/all-in';
import type { LoanFigures } from '../../policy/calculator';
import { quoteRules, ruleVersion } from '../../policy/quotes';
import { bankNetExposure } from '../../policy/compensation';
import { ruleApplies } from '../../policy/eligibility';
import { calculatorFor } from '../../policy/registry';
import type { Payee, PolicyRuleKind } from '../../policy/rule-kinds';
import type { YearAmount } from '../../policy/subsidies';
import type { ChosenGuarantee } from './checks';
import type { BorrowerFacts, MatchContext, NeedFacts, ProductFacts } from './facts';

export interface GuaranteeTerms {
  guarantorId: string;
  coverageRatio: Decimal;
  feeRate: Decimal;
  guaranteedAmount: Decimal;
}

export interface SubsidyTerms {
  kind: PolicyRuleKind;
  payee: Payee;
  payeeId: string;
  amount: Decimal;
  /** `CODE@vN` of the rule that gave it. */
  ruleVersion: string;
  /** The calendar years it would be booked against (a fee subsidy over the guarantee's years, DOMAIN E9). */
  byYear?: YearAmount[];
}

export interface MatchTerms {
  indicativeAnnualRate: Decimal | null;
  guarantee: GuaranteeTerms | null;
  riskCompensationReserve: Decimal;
  poolId: string | null;
  bankNetExposure: Decimal | null;
  subsidies: SubsidyTerms[];
  allInAnnualCostRate: Decimal | null;
  policyRuleVersions: string[];
  /** The ids of those rules, in the same order: what a disbursement looks the rules up by. */
  policyRuleIds: string[];
}

export { ruleVersion };

/** Terms of an equity match: no rate, guarantee, reserve or subsidy applies to an investment. */
const EQUITY_TERMS: MatchTerms = {
  indicativeAnnualRate: null, guarantee: null, riskCompensationReserve: new Decimal(0), poolId: null, bankNetExposure: null, subsidies: [], allInAnnualCostRate: null, policyRuleVersions: [], policyRuleIds: [],
};

export function computeTerms(need: NeedFacts, enterprise: BorrowerFacts, product: ProductFacts, chosen: ChosenGuarantee | null, context: MatchContext): MatchTerms {
  if (need.kind !== 'LOAN' || need.termMonths === null) return EQUITY_TERMS;
  const guarantee: GuaranteeTerms | null = chosen
    ? { guarantorId: chosen.option.guarantorId, coverageRatio: chosen.option.coverageRatio, feeRate: chosen.option.feeRate, guaranteedAmount: chosen.guaranteedAmount }
    : null;
  const loan: LoanFigures = {
    principal: need.amount,
    termMonths: need.termMonths,
    annualRate: product.minAnnualRate,
    productKind: product.kind,
    enterpriseId: enterprise.id,
    guarantee,
    startsOn: context.today,
  };
  const borrowing = { productKind: product.kind, sectorTags: enterprise.sectorTags, sizeClass: enterprise.sizeClass, regionCode: enterprise.regionCode, industryChains: enterprise.industryChains };

  const applying = context.rules.filter((rule) => ruleApplies(rule, calculatorFor(rule.kind), borrowing));
  const { reserve, subsidies: quoted, rateReduction } = quoteRules(applying, loan, context);
  const subsidies: SubsidyTerms[] = quoted.map(({ kind, payee, payeeId, amount, ruleVersion, byYear }) => ({ kind, payee, payeeId, amount, ruleVersion, ...(byYear ? { byYear } : {}) }));

  const reserveAmount = reserve?.amount ?? new Decimal(0);
  const coverage = guarantee?.coverageRatio ?? new Decimal(0);
  const allIn = product.minAnnualRate
    ? allInAnnualCostRate({ annualRate: product.minAnnualRate, guaranteeFeeRate: guarantee?.feeRate, rateReduction })
    : null;
  const used = new Map([...(reserve ? [reserve.rule] : []), ...quoted.map((s) => s.rule)].map((r) => [ruleVersion(r), r.id]));
  const versions = [...used.keys()].sort();
  return {
    indicativeAnnualRate: product.minAnnualRate,
    guarantee,
    riskCompensationReserve: reserveAmount,
    poolId: reserve?.poolId ?? null,
    bankNetExposure: bankNetExposure(need.amount, coverage, reserveAmount),
    subsidies,
    allInAnnualCostRate: allIn,
    policyRuleVersions: versions,
    policyRuleIds: versions.map((v) => used.get(v)!),
  };
}
