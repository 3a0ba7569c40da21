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
import { mergeQuotes, quoteRules, readsRate, ruleVersion, RulesQuote } from '../../policy/quotes';
import { bankNetExposure } from '../../policy/compensation';
import { ruleApplies } from '../../policy/eligibility';
import { calculatorFor } from '../../policy/registry';
import type { Payee, PolicyRuleKind } from '../../policy/rule-kinds';
import type { YearAmount } from '../../policy/subsidies';
import type { ChosenGuarantee } from './checks';
import type { ProductKind } from '../../institutions/institution.rules';
import type { BorrowerFacts, MatchContext, NeedFacts, PolicyRuleFacts, ProductFacts } from './facts';

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

/**
 * What a guarantee gives a loan's terms: the guarantor, the coverage and the fee (one guarantor may cover
 * 50 % for one bank and 80 % for another); the guaranteed amount follows from the need's. '-': none.
 */
const guaranteeKeys = new WeakMap<ChosenGuarantee['option'], string>();
export function guaranteeKey(chosen: ChosenGuarantee | null): string {
  if (!chosen) return '-';
  let key = guaranteeKeys.get(chosen.option);
  if (key === undefined) {
    key = `${chosen.option.guarantorId}|${chosen.option.coverageRatio.toString()}|${chosen.option.feeRate.toString()}`;
    guaranteeKeys.set(chosen.option, key);
  }
  return key;
}

/**
 * The part of one need's loan terms that its rate does not change, for a product kind and a guarantee:
 * the rules that apply, the quote of those that do not read the rate (policy/quotes.ts `readsRate`), the
 * bank's net exposure. One need's products of that kind and guarantee share it, whatever their rates.
 */
interface RateFree {
  guarantee: GuaranteeTerms | null;
  quote: RulesQuote<PolicyRuleFacts>;
  /** The applying rules that read the rate, quoted per rate. */
  rateRules: PolicyRuleFacts[];
  /** What the quote gives the terms when no applying rule reads the rate (then every rate shares it). */
  policy: PolicyPart | null;
  bankNetExposure: Decimal;
}

/** The rules in force that apply to one need's firm for a product kind, split by whether they read the rate. */
interface KindRules { rateFree: PolicyRuleFacts[]; rateRules: PolicyRuleFacts[] }

/**
 * One need's parts of its terms: the rules per product kind; the rate-free part per product kind and
 * `guaranteeKey`; the quote of the rules that read the rate per product kind and rate (such a rule reads
 * no guarantee: policy/calculator.ts `readsRate`, so every guarantee shares it).
 */
export interface TermsMemo {
  rules: Map<ProductKind, KindRules>;
  rateFree: Map<string, RateFree>;
  rateQuotes: Map<string, RulesQuote<PolicyRuleFacts>>;
}

export const newTermsMemo = (): TermsMemo => ({ rules: new Map(), rateFree: new Map(), rateQuotes: new Map() });

function loanOf(need: NeedFacts, enterprise: BorrowerFacts, kind: ProductKind, annualRate: Decimal | null, guarantee: GuaranteeTerms | null, context: MatchContext): LoanFigures {
  return { principal: need.amount, termMonths: need.termMonths!, annualRate, productKind: kind, enterpriseId: enterprise.id, guarantee, startsOn: context.today };
}

function kindRules(enterprise: BorrowerFacts, kind: ProductKind, context: MatchContext): KindRules {
  const borrowing = { productKind: kind, sectorTags: enterprise.sectorTags, sizeClass: enterprise.sizeClass, regionCode: enterprise.regionCode, industryChains: enterprise.industryChains };
  const applying = context.rules.filter((rule) => ruleApplies(rule, calculatorFor(rule.kind), borrowing));
  return { rateFree: applying.filter((rule) => !readsRate(rule)), rateRules: applying.filter(readsRate) };
}

function rateFreeTerms(need: NeedFacts, enterprise: BorrowerFacts, kind: ProductKind, chosen: ChosenGuarantee | null, context: MatchContext, rules: KindRules): RateFree {
  const guarantee: GuaranteeTerms | null = chosen
    ? { guarantorId: chosen.option.guarantorId, coverageRatio: chosen.option.coverageRatio, feeRate: chosen.option.feeRate, guaranteedAmount: chosen.guaranteedAmount }
    : null;
  // The rate-free rules are quoted without a rate, so that one reading it would show in every test of the terms.
  const quote = quoteRules(rules.rateFree, loanOf(need, enterprise, kind, null, guarantee, context), context);
  const reserve = quote.reserve?.amount ?? new Decimal(0);
  const { rateRules } = rules;
  return {
    guarantee, quote, rateRules, policy: rateRules.length ? null : policyPartOf(quote),
    bankNetExposure: bankNetExposure(need.amount, guarantee?.coverageRatio ?? new Decimal(0), reserve),
  };
}

/** What a quote gives the terms: the subsidies, the reserve, and the rules that contributed, by version. */
interface PolicyPart {
  subsidies: SubsidyTerms[];
  reserve: Decimal;
  poolId: string | null;
  rateReduction: Decimal;
  versions: string[];
  ids: string[];
}

function policyPartOf({ reserve, subsidies, rateReduction }: RulesQuote<PolicyRuleFacts>): PolicyPart {
  const used = new Map([...(reserve ? [reserve.rule] : []), ...subsidies.map((s) => s.rule)].map((r) => [ruleVersion(r), r.id]));
  const versions = [...used.keys()].sort();
  return {
    subsidies: subsidies.map(({ kind, payee, payeeId, amount, ruleVersion, byYear }) => ({ kind, payee, payeeId, amount, ruleVersion, ...(byYear ? { byYear } : {}) })),
    reserve: reserve?.amount ?? new Decimal(0), poolId: reserve?.poolId ?? null, rateReduction, versions, ids: versions.map((v) => used.get(v)!),
  };
}

/**
 * A loan's terms for a need, a product and the guarantee chosen. `memo` (one need's, `newTermsMemo`)
 * keeps the rate-free part per product kind and guarantee, and the quote of the rules that read the rate
 * per product kind and rate, so that a need's products that differ only in rate quote only the rules that
 * read it (none, when no applying rule does), and those once per rate whatever the guarantee.
 */
export function computeTerms(need: NeedFacts, enterprise: BorrowerFacts, product: ProductFacts, chosen: ChosenGuarantee | null, context: MatchContext, memo: TermsMemo = newTermsMemo()): MatchTerms {
  if (need.kind !== 'LOAN' || need.termMonths === null) return EQUITY_TERMS;
  let rules = memo.rules.get(product.kind);
  if (!rules) memo.rules.set(product.kind, (rules = kindRules(enterprise, product.kind, context)));
  const key = `${product.kind}|${guaranteeKey(chosen)}`;
  let base = memo.rateFree.get(key);
  if (!base) memo.rateFree.set(key, (base = rateFreeTerms(need, enterprise, product.kind, chosen, context, rules)));
  const { guarantee } = base;
  // The rules that read the rate give subsidies only and read no guarantee (RuleCalculator.readsRate): the
  // reserve, and so the bank's exposure, are the rate-free part's; they are quoted without the guarantee,
  // so that one reading it would show in every test of the terms.
  let policy = base.policy;
  if (!policy) {
    const rateKey = `${product.kind}|${product.minAnnualRate?.toString() ?? '-'}`;
    let rated = memo.rateQuotes.get(rateKey);
    if (!rated) memo.rateQuotes.set(rateKey, (rated = quoteRules(rules.rateRules, loanOf(need, enterprise, product.kind, product.minAnnualRate, null, context), context)));
    policy = policyPartOf(mergeQuotes(base.quote, rated));
  }
  const allIn = product.minAnnualRate
    ? allInAnnualCostRate({ annualRate: product.minAnnualRate, guaranteeFeeRate: guarantee?.feeRate, rateReduction: policy.rateReduction })
    : null;
  return {
    indicativeAnnualRate: product.minAnnualRate,
    guarantee,
    riskCompensationReserve: policy.reserve,
    poolId: policy.poolId,
    bankNetExposure: base.bankNetExposure,
    subsidies: policy.subsidies,
    allInAnnualCostRate: allIn,
    policyRuleVersions: policy.versions,
    policyRuleIds: policy.ids,
  };
}
