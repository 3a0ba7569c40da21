/**
 * R13 — the engine's shortcut for a full re-decision (engine.ts `decideCandidate`) shares what one need's
 * products have in common: the guarantee chosen per bank, each guarantor's admission, the terms of
 * products that differ in nothing the terms read, the rate-free part of those terms, and scores. Whatever
 * it shares, each pair must come out exactly as `decide` decides it alone, and with the policy figures of
 * every applying rule quoted together for the loan (terms.ts quotes the rules that do not read the rate
 * once per kind and guarantee). Random needs, firms, products
 * (banks, kinds, rates, guarantees, targeting), agreements (one guarantor with several banks at different
 * fees and coverages) and rules of every kind that quotes a loan; products are decided in a random order.
 */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import { allInAnnualCostRate } from '../../src/policy/all-in';
import type { MatchTerms } from '../../src/matching/engine/terms';
import { approximateBeforeTargeting, scoreBeforeTargeting, scoreFromApproximation, scoreWithTargeting } from '../../src/matching/engine/score';
import { bankNetExposure } from '../../src/policy/compensation';
import { ruleApplies } from '../../src/policy/eligibility';
import { quoteRules, ruleVersion } from '../../src/policy/quotes';
import { decide, decideCandidate, newNeedMemo } from '../../src/matching/engine/engine';
import type { EnterpriseFacts, GuarantorOption, MatchContext, NeedFacts, PolicyRuleFacts, ProductFacts } from '../../src/matching/engine/facts';
import type { ProductKind } from '../../src/institutions/institution.rules';
import { readParams } from '../../src/policy/params';
import { calculatorFor } from '../../src/policy/registry';
import type { PolicyRuleKind } from '../../src/policy/rule-kinds';

const SEED = Number(process.env.FC_SEED ?? 20261201);
const d = (v: string | number) => new Decimal(v);
const TODAY = '2026-07-01';
const BANKS = ['b1', 'b2', 'b3'];
const GUARANTORS = ['g1', 'g2'];
const KINDS: ProductKind[] = ['CREDIT_LOAN', 'GUARANTEED_LOAN', 'TURNOVER_FUND', 'LEASING'];
const RATES = ['0.035', '0.0385', '0.04', '0.045', '0.06'];

const needArb = fc.record({
  amount: fc.constantFrom(300_000, 1_000_000, 5_000_000, 12_345_678.9),
  termMonths: fc.constantFrom(6, 12, 36, 60),
  maxAnnualRate: fc.option(fc.constantFrom('0.05', '0.08'), { nil: null }),
  sizeClass: fc.constantFrom('MICRO' as const, 'SMALL' as const, 'MEDIUM' as const),
  regionCode: fc.constantFrom('370212', '110108'),
});
const productArb = fc.record({
  bank: fc.constantFrom(...BANKS), kind: fc.constantFrom(...KINDS), rate: fc.option(fc.constantFrom(...RATES), { nil: null }),
  guaranteed: fc.boolean(), tier: fc.boolean(), chains: fc.boolean(), regions: fc.boolean(),
});
const agreementArb = fc.record({
  bank: fc.constantFrom(...BANKS), guarantor: fc.constantFrom(...GUARANTORS),
  fee: fc.constantFrom('0.005', '0.010', '0.015'), coverage: fc.constantFrom('0.5', '0.8'),
});
const guarantorArb = fc.record({ netAssets: fc.constantFrom(5_000_000, 200_000_000), liability: fc.constantFrom(0, 900_000_000) });
const ruleArb = fc.oneof(
  fc.record({ kind: fc.constant<PolicyRuleKind>('INTEREST_SUBSIDY'), params: fc.record({ ratio: fc.constantFrom('0.3', '0.5') }) }),
  fc.record({ kind: fc.constant<PolicyRuleKind>('RISK_COMPENSATION'), params: fc.record({ commitmentRatio: fc.constantFrom('0.1', '0.2'), lossShare: fc.constant('0.5'), perLoanCap: fc.constantFrom('500000', '5000000') }) }),
  fc.record({ kind: fc.constant<PolicyRuleKind>('GUARANTEE_FEE_SUBSIDY'), params: fc.record({ benchmarkCode: fc.constant('PBOC_1Y'), ratioOfBenchmark: fc.constant('0.5'), annualCapPerGuarantor: fc.constantFrom('30000', '3000000') }) }),
  fc.record({ kind: fc.constant<PolicyRuleKind>('GUARANTEE_RISK_SUBSIDY'), params: fc.record({ ratio: fc.constant('0.005') }) }),
  fc.record({ kind: fc.constant<PolicyRuleKind>('TURNOVER_FUND_SUBSIDY'), params: fc.record({ ratio: fc.constant('0.01') }) }),
  fc.record({ kind: fc.constant<PolicyRuleKind>('LEASING_SUBSIDY'), params: fc.record({ ratio: fc.constant('0.02') }) }),
).chain((r) => fc.record({ rule: fc.constant(r), kinds: fc.subarray(KINDS, { maxLength: 2 }), sizes: fc.subarray(['MICRO', 'SMALL'] as const) }));

const marketArb = fc.record({
  needs: fc.array(needArb, { minLength: 1, maxLength: 3 }),
  products: fc.array(productArb, { minLength: 1, maxLength: 14 }),
  agreements: fc.uniqueArray(agreementArb, { maxLength: 6, selector: (a) => `${a.bank}|${a.guarantor}` }),
  guarantors: fc.record({ g1: guarantorArb, g2: guarantorArb }),
  rules: fc.array(ruleArb, { maxLength: 5 }),
  order: fc.array(fc.nat(), { minLength: 14, maxLength: 14 }),
});

type Market = typeof marketArb extends fc.Arbitrary<infer M> ? M : never;

function build(m: Market) {
  const needs: NeedFacts[] = m.needs.map((n, i) => ({
    id: `n${i}`, enterpriseId: `e${i}`, kind: 'LOAN', amount: d(n.amount), termMonths: n.termMonths, collateralOffered: [],
    maxAnnualRate: n.maxAnnualRate === null ? null : d(n.maxAnnualRate), acceptGuarantee: true, equityStage: null, preMoneyValuation: null,
  }));
  const firms: EnterpriseFacts[] = m.needs.map((n, i) => ({
    id: `e${i}`, regionCode: n.regionCode, sector: 'INDUSTRY', sizeClass: n.sizeClass, industryChains: ['AI'], sectorTags: [], foundedOn: '2015-03-01',
    qualifications: [], whitelistTier: 'SPECIALIZED_SME', credit: null,
  }));
  const products: ProductFacts[] = m.products.map((p, i) => ({
    id: `p${String(i).padStart(2, '0')}`, institutionId: p.bank, kind: p.kind, needKind: 'LOAN', enabled: true, activeFrom: null, activeTo: null,
    minAmount: d(0), maxAmount: d(100_000_000), minTermMonths: null, maxTermMonths: null, minAnnualRate: p.rate === null ? null : d(p.rate),
    collateralAccepted: [], requiresGuarantee: p.guaranteed, regionPrefixes: p.regions ? ['37', '11'] : [], sectors: [], industryChains: p.chains ? ['AI'] : [],
    sizeClasses: [], minYearsInBusiness: null, whitelistTierAtLeast: p.tier ? 'SPECIALIZED_SME' : null, qualifications: [], minRating: null,
    minTaxGrade: null, noActiveDishonesty: false, maxOverdueCount12m: null, maxCreditDataAgeDays: null, firstLoanOnly: false, equityStages: [],
    minTicket: null, maxTicket: null, maxPreMoneyValuation: null, version: 1,
  }));
  const options = new Map<string, GuarantorOption[]>();
  for (const a of m.agreements) {
    const g = m.guarantors[a.guarantor as 'g1' | 'g2'];
    const list = options.get(a.bank) ?? [];
    list.push({
      guarantorId: a.guarantor, guarantorName: a.guarantor, bankId: a.bank, feeRate: d(a.fee), coverageRatio: d(a.coverage),
      figures: { netAssets: d(g.netAssets), liability: d(g.liability), capMultiple: d(10), targetMultiple: d(5) },
    });
    options.set(a.bank, list);
  }
  const rules: PolicyRuleFacts[] = m.rules.map(({ rule, kinds, sizes }, i) => ({
    id: `r${i}`, code: `R${i}`, version: 1, kind: rule.kind, poolId: rule.kind === 'RISK_COMPENSATION' ? 'pool' : null,
    params: readParams(calculatorFor(rule.kind).params, rule.params as Record<string, string>),
    productKinds: kinds, sectorTags: [], sizeClasses: [...sizes], regionPrefixes: [], industryChains: [],
  }));
  const context: MatchContext = {
    today: TODAY, guarantorsByBank: options, borrowerBalance: () => d(0), rules,
    benchmarkRate: (code) => (code === 'PBOC_1Y' ? d('0.0435') : null), feeSubsidyBookedThisYear: () => d(10_000),
    feeSubsidyBookedIn: (_g, year) => d(year === 2026 ? 10_000 : 0), poolAvailable: () => d(1_000_000),
  };
  const order = products.map((p, i) => ({ p, k: m.order[i] ?? i })).sort((a, b) => a.k - b.k).map((x) => x.p);
  return { needs, firms, order, context };
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/**
 * The terms' policy figures as every applying rule quoted together for the loan, rate and all (what
 * terms.ts computed before it quoted the rate-free rules once per kind and guarantee).
 */
function quotedTogether(need: NeedFacts, firm: EnterpriseFacts, product: ProductFacts, terms: MatchTerms, context: MatchContext): MatchTerms {
  const borrowing = { productKind: product.kind, sectorTags: firm.sectorTags, sizeClass: firm.sizeClass, regionCode: firm.regionCode, industryChains: firm.industryChains };
  const applying = context.rules.filter((rule) => ruleApplies(rule, calculatorFor(rule.kind), borrowing));
  const { reserve, subsidies, rateReduction } = quoteRules(applying, {
    principal: need.amount, termMonths: need.termMonths!, annualRate: product.minAnnualRate, productKind: product.kind, enterpriseId: firm.id,
    guarantee: terms.guarantee, startsOn: context.today,
  }, context);
  const reserveAmount = reserve?.amount ?? d(0);
  const used = new Map([...(reserve ? [reserve.rule] : []), ...subsidies.map((s) => s.rule)].map((r) => [ruleVersion(r), r.id]));
  const versions = [...used.keys()].sort();
  return {
    indicativeAnnualRate: product.minAnnualRate, guarantee: terms.guarantee, riskCompensationReserve: reserveAmount, poolId: reserve?.poolId ?? null,
    bankNetExposure: bankNetExposure(need.amount, terms.guarantee?.coverageRatio ?? d(0), reserveAmount),
    subsidies: subsidies.map(({ kind, payee, payeeId, amount, ruleVersion: v, byYear }) => ({ kind, payee, payeeId, amount, ruleVersion: v, ...(byYear ? { byYear } : {}) })),
    allInAnnualCostRate: product.minAnnualRate ? allInAnnualCostRate({ annualRate: product.minAnnualRate, guaranteeFeeRate: terms.guarantee?.feeRate, rateReduction }) : null,
    policyRuleVersions: versions, policyRuleIds: versions.map((v) => used.get(v)!),
  };
}

describe('R13 decideCandidate (one need\'s products decided with what they share)', () => {
  it('decides every pair exactly as decide does alone', () => {
    console.log(`engine-memo property seed ${SEED}`);
    fc.assert(fc.property(marketArb, (m) => {
      const { needs, firms, order, context } = build(m);
      needs.forEach((need, i) => {
        const memo = newNeedMemo();
        for (const product of order) {
          const alone = decide(need, firms[i], product, context);
          const shared = decideCandidate(need, firms[i], product, context, memo);
          if (!alone.eligible) {
            // Only GUARANTEE's search is the engine's; a pair another check refuses is no candidate (the candidate SQL drops it).
            if (alone.checks.every((c) => c.passed || c.code === 'GUARANTEE')) expect(shared).toBeNull();
            continue;
          }
          expect(shared).not.toBeNull();
          expect({ score: shared!.score, terms: plain(shared!.terms) }).toEqual({ score: alone.score, terms: plain(alone.terms) });
          expect(plain(shared!.terms)).toEqual(plain(quotedTogether(need, firms[i], product, alone.terms!, context)));
        }
      });
    }), { seed: SEED, numRuns: 300 });
  });
});

describe('R13 score by numbers (score.ts approximateBeforeTargeting)', () => {
  const need = (maxAnnualRate: string | null): NeedFacts => ({
    id: 'n', enterpriseId: 'e', kind: 'LOAN', amount: d(1_000_000), termMonths: 12, collateralOffered: [], maxAnnualRate: maxAnnualRate === null ? null : d(maxAnnualRate),
    acceptGuarantee: true, equityStage: null, preMoneyValuation: null,
  });
  const terms = (allIn: string, exposure: number, subsidy: number): MatchTerms => ({
    indicativeAnnualRate: d(allIn), guarantee: null, riskCompensationReserve: d(0), poolId: null, bankNetExposure: d(exposure),
    subsidies: subsidy ? [{ kind: 'INTEREST_SUBSIDY', payee: 'ENTERPRISE', payeeId: 'e', amount: d(subsidy), ruleVersion: 'I@v1' }] : [], allInAnnualCostRate: d(allIn),
    policyRuleVersions: [], policyRuleIds: [],
  });
  const exact = (n: NeedFacts, t: MatchTerms, targeting: number) => scoreWithTargeting(scoreBeforeTargeting(n, { maxPreMoneyValuation: null }, t), targeting);
  const fast = (n: NeedFacts, t: MatchTerms, targeting: number) => scoreFromApproximation(approximateBeforeTargeting(n, { maxPreMoneyValuation: null }, t), targeting);

  it('leaves a sum at a half to the decimals, which round it half up', () => {
    // cost 40 × (1 − 0.0015 ÷ 0.12) = 39.5, risk 30 × 0.5 = 15, support 0, one targeting mark (5): 59.5.
    const halfway = terms('0.0015', 500_000, 0);
    expect(fast(need(null), halfway, 1)).toBeNull();
    expect(exact(need(null), halfway, 1)).toBe(60);
    expect(fast(need(null), halfway, 0)).toBeNull();
    expect(exact(need(null), halfway, 0)).toBe(55);
  });

  it('agrees with the decimals everywhere else', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 1_200_000 }), fc.integer({ min: 0, max: 40_000 }), fc.constantFrom(null, '0.05', '0.0435', '0'), fc.integer({ min: 0, max: 3 }),
      (allIn, exposure, subsidy, maxRate, targeting) => {
        const t = terms(new Decimal(allIn).div(1_000_000).toFixed(), exposure, subsidy);
        const n = need(maxRate);
        const approx = fast(n, t, targeting);
        if (approx !== null) expect(approx).toBe(exact(n, t, targeting));
      },
    ), { seed: SEED, numRuns: 2000 });
  });
});
