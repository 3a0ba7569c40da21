/**
 * R13 — the pure engine: every check can fail with a detail that names what to do, in order; E3's
 * refusal surfaces as a GUARANTEE miss; terms and score are deterministic.
 */
import { Decimal } from '../../src/common/decimal';
import { message } from '../../src/common/messages';
import { MATCH_CHECK_CODES, MatchCheckCode } from '../../src/matching/engine/checks';
import { decide } from '../../src/matching/engine/engine';
import type { EnterpriseFacts, GuarantorOption, MatchContext, NeedFacts, ProductFacts } from '../../src/matching/engine/facts';
import { compareMatches, scoreMatch } from '../../src/matching/engine/score';
import { checkParams } from '../../src/policy/params';
import { CALCULATORS } from '../../src/policy/registry';
import { POLICY_RULE_KINDS } from '../../src/policy/rule-kinds';

const d = (v: string | number) => new Decimal(v);
const TODAY = '2026-11-22';

const need = (o: Partial<NeedFacts> = {}): NeedFacts => ({
  id: 'n1', enterpriseId: 'e1', kind: 'LOAN', amount: d(5_000_000), termMonths: 12, collateralOffered: [], maxAnnualRate: d('0.06'),
  acceptGuarantee: true, equityStage: null, preMoneyValuation: null, ...o,
});
const firm = (o: Partial<EnterpriseFacts> = {}): EnterpriseFacts => ({
  id: 'e1', regionCode: '370212', sector: 'INDUSTRY', sizeClass: 'SMALL', industryChains: ['AI'], sectorTags: [], foundedOn: '2015-03-01',
  qualifications: ['HIGH_TECH'], whitelistTier: 'SPECIALIZED_SME',
  credit: { asOf: '2026-11-01', rating: 'AA', taxGrade: 'A', activeDishonesty: false, overdueCount12m: 0, hadBankLoan: false }, ...o,
});
const product = (o: Partial<ProductFacts> = {}): ProductFacts => ({
  id: 'p1', institutionId: 'bank', kind: 'CREDIT_LOAN', needKind: 'LOAN', enabled: true, activeFrom: null, activeTo: null, minAmount: d(1_000_000),
  maxAmount: d(10_000_000), minTermMonths: null, maxTermMonths: null, minAnnualRate: d('0.04'), collateralAccepted: [], requiresGuarantee: false,
  regionPrefixes: [], sectors: [], industryChains: [], sizeClasses: [], minYearsInBusiness: null, whitelistTierAtLeast: null, qualifications: [],
  minRating: null, minTaxGrade: null, noActiveDishonesty: false, maxOverdueCount12m: null, maxCreditDataAgeDays: null, firstLoanOnly: false,
  equityStages: [], minTicket: null, maxTicket: null, maxPreMoneyValuation: null, version: 1, ...o,
});
const guarantor = (netAssets: number, liability: number, fee = '0.010', id = 'g1'): GuarantorOption => ({
  guarantorId: id, guarantorName: `担保 ${id}`, bankId: 'bank', feeRate: d(fee), coverageRatio: d('0.8'),
  figures: { netAssets: d(netAssets), liability: d(liability), capMultiple: d(10), targetMultiple: d(5) },
});
const context = (o: Partial<MatchContext> = {}): MatchContext => ({
  today: TODAY, guarantorsByBank: new Map([['bank', [guarantor(2_000_000_000, 9_000_000_000)]]]), borrowerBalance: () => d(0), rules: [],
  benchmarkRate: (code) => (code === 'PBOC_1Y' ? d('0.0435') : null), feeSubsidyBookedThisYear: () => d(0), poolAvailable: () => d(300_000_000), ...o,
});

const failing = (n: NeedFacts, e: EnterpriseFacts, p: ProductFacts, c = context()) =>
  decide(n, e, p, c).checks.filter((x) => !x.passed).map((x) => [x.code, x.detail]);

describe('R13 checks', () => {
  it('runs every check in R13\'s order, and an unrestricted pair passes them all', () => {
    const decision = decide(need(), firm(), product(), context());
    expect(decision.checks.map((c) => c.code)).toEqual([...MATCH_CHECK_CODES]);
    expect(decision.eligible).toBe(true);
  });

  // One miss per check code, each on an otherwise eligible pair.
  const misses: [MatchCheckCode, string, () => [NeedFacts, EnterpriseFacts, ProductFacts, MatchContext?]][] = [
    ['NEED_KIND', 'fail', () => [need(), firm(), product({ needKind: 'EQUITY' })]],
    ['PRODUCT_ACTIVE', 'ended', () => [need(), firm(), product({ activeTo: '2026-01-01' })]],
    ['AMOUNT', 'above', () => [need({ amount: d(20_000_000) }), firm(), product()]],
    ['TERM', 'above', () => [need({ termMonths: 60 }), firm(), product({ maxTermMonths: 36 })]],
    ['REGION', 'fail', () => [need(), firm(), product({ regionPrefixes: ['11'] })]],
    ['SECTOR', 'fail', () => [need(), firm(), product({ sectors: ['RETAIL'] })]],
    ['CHAIN', 'fail', () => [need(), firm(), product({ industryChains: ['HYDROGEN'] })]],
    ['SIZE_CLASS', 'fail', () => [need(), firm(), product({ sizeClasses: ['MICRO'] })]],
    ['YEARS_IN_BUSINESS', 'fail', () => [need(), firm({ foundedOn: '2024-12-01' }), product({ minYearsInBusiness: 3 })]],
    ['ANNUAL_REVENUE', 'fail', () => [need(), firm({ revenue: d('999999.99') }), product({ minAnnualRevenue: d(1_000_000) })]],
    ['WHITELIST_TIER', 'fail', () => [need(), firm(), product({ whitelistTierAtLeast: 'LITTLE_GIANT' })]],
    ['QUALIFICATION', 'fail', () => [need(), firm(), product({ qualifications: ['TECH_SME'] })]],
    ['CREDIT_RATING', 'fail', () => [need(), firm(), product({ minRating: 'AAA' })]],
    ['TAX_GRADE', 'fail', () => [need(), firm({ credit: { ...firm().credit!, taxGrade: 'C' } }), product({ minTaxGrade: 'B' })]],
    ['DISHONESTY', 'fail', () => [need(), firm({ credit: { ...firm().credit!, activeDishonesty: true } }), product({ noActiveDishonesty: true })]],
    ['OVERDUE', 'fail', () => [need(), firm({ credit: { ...firm().credit!, overdueCount12m: 4 } }), product({ maxOverdueCount12m: 2 })]],
    ['CREDIT_DATA_AGE', 'fail', () => [need(), firm(), product({ maxCreditDataAgeDays: 7 })]],
    ['FIRST_LOAN', 'fail', () => [need(), firm({ credit: { ...firm().credit!, hadBankLoan: true } }), product({ firstLoanOnly: true })]],
    ['COLLATERAL', 'fail', () => [need({ collateralOffered: ['EQUIPMENT'] }), firm(), product({ collateralAccepted: ['REAL_ESTATE'] })]],
    ['RATE', 'fail', () => [need({ maxAnnualRate: d('0.035') }), firm(), product()]],
    ['GUARANTEE', 'noAgreement', () => [need(), firm(), product({ requiresGuarantee: true }), context({ guarantorsByBank: new Map() })]],
    ['EQUITY_STAGE', 'fail', () => [need({ kind: 'EQUITY', termMonths: null, equityStage: 'SEED' }), firm(), product({ needKind: 'EQUITY', equityStages: ['SERIES_B'] })]],
    ['EQUITY_TICKET', 'above', () => [need({ kind: 'EQUITY', termMonths: null }), firm(), product({ needKind: 'EQUITY', maxTicket: d(3_000_000) })]],
    ['EQUITY_VALUATION', 'fail', () => [need({ kind: 'EQUITY', termMonths: null, preMoneyValuation: d(900_000_000) }), firm(), product({ needKind: 'EQUITY', maxPreMoneyValuation: d(500_000_000) })]],
  ];

  it.each(misses)('%s can fail, alone, with its own detail', (code, variant, setup) => {
    const [n, e, p, c] = setup();
    expect(failing(n, e, p, c)).toEqual([[code, `CHECK_${code}.${variant}`]]);
  });

  it('covers every check code with a miss', () => {
    expect(misses.map((m) => m[0]).sort()).toEqual([...MATCH_CHECK_CODES].sort());
  });

  it('has a message in both languages for every detail the checks produce', () => {
    for (const [code, variant] of misses.map((m) => [m[0], m[1]])) {
      for (const lang of ['zh', 'en'] as const) expect(message(lang, `CHECK_${code}.${variant}`, {})).not.toMatch(/^(输入无效|Invalid input)/);
    }
  });

  it('words a detail a person can act on: "rating BBB is below the product\'s A"', () => {
    const [check] = decide(need(), firm({ credit: { ...firm().credit!, rating: 'BBB' } }), product({ minRating: 'A' }), context()).checks.filter((c) => !c.passed);
    expect(message('en', check.detail, check.params)).toBe('Rating BBB is below the product\'s A');
    expect(message('zh', check.detail, check.params)).toBe('信用评级 BBB 低于产品要求的 A');
  });

  it('E3: a guarantor with 2,000,000 left refuses an 80 % guarantee on 5,000,000 for a small firm (3,000,000 weighted): GUARANTEE fails', () => {
    const tight = context({ guarantorsByBank: new Map([['bank', [guarantor(100_000_000, 998_000_000)]]]) });
    const decision = decide(need(), firm(), product({ requiresGuarantee: true }), tight);
    const check = decision.checks.find((c) => c.code === 'GUARANTEE')!;
    expect(check).toMatchObject({ passed: false, detail: 'CHECK_GUARANTEE.noRoom', params: { options: 1, room: '2000000.00' } });
  });

  it('chooses the guarantor with the lowest fee, then the most room', () => {
    const two = context({ guarantorsByBank: new Map([['bank', [guarantor(2_000_000_000, 0, '0.012', 'gA'), guarantor(1_000_000_000, 0, '0.010', 'gB'), guarantor(2_000_000_000, 0, '0.010', 'gC')]]]) });
    const decision = decide(need(), firm(), product({ requiresGuarantee: true }), two);
    expect(decision.terms!.guarantee!.guarantorId).toBe('gC');
    expect(decision.terms!.allInAnnualCostRate!.toFixed()).toBe('0.05');
  });
});

describe('R13 ANNUAL_REVENUE (a product\'s minimum annual revenue, R3 revenue)', () => {
  const check = (revenue: Decimal | null | undefined, min: Decimal | null | undefined) => {
    const c = decide(need(), firm({ revenue }), product({ minAnnualRevenue: min }), context()).checks.find((x) => x.code === 'ANNUAL_REVENUE')!;
    return [c.passed, c.detail, c.params];
  };

  it('comes after YEARS_IN_BUSINESS and before WHITELIST_TIER', () => {
    const codes = decide(need(), firm(), product(), context()).checks.map((c) => c.code);
    expect(codes.slice(codes.indexOf('YEARS_IN_BUSINESS'), codes.indexOf('WHITELIST_TIER') + 1)).toEqual(['YEARS_IN_BUSINESS', 'ANNUAL_REVENUE', 'WHITELIST_TIER']);
  });

  it.each([
    ['no minimum, revenue unknown', null, null, [true, 'CHECK_ANNUAL_REVENUE.none', {}]],
    ['no minimum (absent), revenue unknown (absent)', undefined, undefined, [true, 'CHECK_ANNUAL_REVENUE.none', {}]],
    ['exactly the minimum', d(1_000_000), d(1_000_000), [true, 'CHECK_ANNUAL_REVENUE.ok', { revenue: '1000000.00', min: '1000000.00' }]],
    ['one cent below', d('999999.99'), d(1_000_000), [false, 'CHECK_ANNUAL_REVENUE.fail', { revenue: '999999.99', min: '1000000.00' }]],
    ['revenue unknown', null, d(1_000_000), [false, 'CHECK_ANNUAL_REVENUE.unknown', { min: '1000000.00' }]],
    ['a minimum of 0 and revenue unknown', undefined, d(0), [false, 'CHECK_ANNUAL_REVENUE.unknown', { min: '0.00' }]],
  ] as const)('%s', (_what, revenue, min, expected) => {
    expect(check(revenue, min)).toEqual(expected);
  });

  it('words the detail so the firm can act on it', () => {
    const [failed] = decide(need(), firm({ revenue: d(800_000) }), product({ minAnnualRevenue: d(1_000_000) }), context()).checks.filter((c) => !c.passed);
    expect(message('en', failed.detail, failed.params)).toBe('Annual revenue 800000.00 is below the product\'s minimum 1000000.00');
    expect(message('zh', failed.detail, failed.params)).toBe('年营业收入 800000.00 低于产品要求的 1000000.00');
    const [unknown] = decide(need(), firm(), product({ minAnnualRevenue: d(1_000_000) }), context()).checks.filter((c) => !c.passed);
    expect(message('en', unknown.detail, unknown.params)).toBe('The product needs an annual revenue of at least 1000000.00 and the profile states none; add it');
  });
});

describe('R13 score and order', () => {
  it('is deterministic and within 0–100', () => {
    const a = decide(need(), firm(), product(), context());
    const b = decide(need(), firm(), product(), context());
    expect(a.score).toBe(b.score);
    expect(a.score).toBeGreaterThanOrEqual(0);
    expect(a.score).toBeLessThanOrEqual(100);
  });

  it('weighs cost: a cheaper product scores higher', () => {
    const cheap = decide(need(), firm(), product({ minAnnualRate: d('0.03') }), context()).score!;
    const dear = decide(need(), firm(), product({ minAnnualRate: d('0.05') }), context()).score!;
    expect(cheap).toBeGreaterThan(dear);
  });

  it('breaks ties by the lower all-in cost, then the product id', () => {
    const rows = [
      { score: 70, allIn: d('0.05'), productId: 'b' }, { score: 70, allIn: d('0.04'), productId: 'c' },
      { score: 80, allIn: null, productId: 'z' }, { score: 70, allIn: d('0.04'), productId: 'a' }, { score: 70, allIn: null, productId: 'a0' },
    ];
    expect([...rows].sort(compareMatches).map((r) => r.productId)).toEqual(['z', 'a', 'c', 'b', 'a0']);
  });

  it('scores an equity match on targeting and valuation headroom', () => {
    const n = need({ kind: 'EQUITY', termMonths: null, preMoneyValuation: d(100_000_000) });
    const p = product({ needKind: 'EQUITY', maxPreMoneyValuation: d(400_000_000), industryChains: ['AI'] });
    const decision = decide(n, firm(), p, context());
    // cost 0.5×40 + risk 0.5×30 + support 0.75×15 + targeting (1/3)×15 = 20 + 15 + 11.25 + 5 = 51.25 → 51
    expect(decision.score).toBe(51);
    expect(scoreMatch(n, p, decision.terms!)).toBe(51);
  });
});

describe('policy rule parameters, per kind', () => {
  it('declares parameters for every PolicyRuleKind', () => {
    expect(Object.keys(CALCULATORS).sort()).toEqual([...POLICY_RULE_KINDS].sort());
  });

  it('refuses unknown, missing, malformed and out-of-range parameters with the field path', () => {
    const { failures } = checkParams(CALCULATORS.RISK_COMPENSATION.params, { commitmentRatio: '1.5', perLoanCap: 'lots', extra: 1 });
    expect(failures.map((f) => [f.field.join('.'), f.code])).toEqual([
      ['params.extra', 'UNKNOWN_PARAM'], ['params.commitmentRatio', 'OUT_OF_RANGE'], ['params.lossShare', 'REQUIRED'], ['params.perLoanCap', 'INVALID_DECIMAL'],
    ]);
    expect(checkParams(CALCULATORS.GUARANTEE_FEE_SUBSIDY.params, { benchmarkCode: 'pboc', ratioOfBenchmark: '0.5' }).failures.map((f) => f.code)).toEqual(['INVALID_FORMAT']);
    expect(checkParams(CALCULATORS.LEASING_SUBSIDY.params, []).failures.map((f) => f.code)).toEqual(['PARAMS_NOT_OBJECT']);
  });

  it('normalises accepted parameters to decimal strings', () => {
    expect(checkParams(CALCULATORS.RISK_COMPENSATION.params, { commitmentRatio: 0.05, lossShare: '1.0', perLoanCap: '2000000' })).toEqual({
      params: { commitmentRatio: '0.05', lossShare: '1', perLoanCap: '2000000' }, failures: [],
    });
  });
});
