/**
 * R10 in the engine: a pair decided for a viewer without the firm's consent (engine/consent-only.ts)
 * depends on nothing consent-only. Property: for any firm, product and two overdue counts, the decision
 * on the withheld facts is the same — every check, eligible, terms, score — and the OVERDUE check is
 * withheld exactly when the product sets an overdue limit.
 */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import { withoutConsentOnly } from '../../src/matching/engine/consent-only';
import { decide } from '../../src/matching/engine/engine';
import type { EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from '../../src/matching/engine/facts';

const d = (v: string | number) => new Decimal(v);
const TODAY = '2026-11-22';
const SEED = Number(process.env.FC_SEED ?? 20261201);
const RUNS = 300;

const need: NeedFacts = {
  id: 'n1', enterpriseId: 'e1', kind: 'LOAN', amount: d(5_000_000), termMonths: 12, collateralOffered: [], maxAnnualRate: d('0.06'),
  acceptGuarantee: true, equityStage: null, preMoneyValuation: null,
};
const firm = (credit: EnterpriseFacts['credit']): EnterpriseFacts => ({
  id: 'e1', regionCode: '370212', sector: 'INDUSTRY', sizeClass: 'SMALL', industryChains: ['AI'], sectorTags: [], foundedOn: '2015-03-01',
  qualifications: [], whitelistTier: 'SPECIALIZED_SME', credit,
});
const product = (o: Partial<ProductFacts>): ProductFacts => ({
  id: 'p1', institutionId: 'bank', kind: 'CREDIT_LOAN', needKind: 'LOAN', enabled: true, activeFrom: null, activeTo: null, minAmount: d(1_000_000),
  maxAmount: d(10_000_000), minTermMonths: null, maxTermMonths: null, minAnnualRate: d('0.04'), collateralAccepted: [], requiresGuarantee: false,
  regionPrefixes: [], sectors: [], industryChains: [], sizeClasses: [], minYearsInBusiness: null, whitelistTierAtLeast: null, qualifications: [],
  minRating: null, minTaxGrade: null, noActiveDishonesty: false, maxOverdueCount12m: null, maxCreditDataAgeDays: null, firstLoanOnly: false,
  equityStages: [], minTicket: null, maxTicket: null, maxPreMoneyValuation: null, version: 1, ...o,
});
const context: MatchContext = {
  today: TODAY, guarantorsByBank: new Map(), borrowerBalance: () => d(0), rules: [], benchmarkRate: () => d('0.0435'),
  feeSubsidyBookedThisYear: () => d(0), poolAvailable: () => d(0),
};

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const arbitraryCase = fc.record({
  rating: maybe(fc.constantFrom('AAA', 'AA', 'A', 'BBB', 'B', 'C' as const)),
  hadBankLoan: maybe(fc.boolean()),
  activeDishonesty: fc.boolean(),
  hasProfile: fc.boolean(),
  counts: fc.tuple(maybe(fc.nat(12)), maybe(fc.nat(12))),
  minRating: maybe(fc.constantFrom('AA', 'A', 'BBB' as const)),
  maxOverdue: maybe(fc.nat(6)),
  firstLoanOnly: fc.boolean(),
  enabled: fc.boolean(),
});

it(`decisions without consent do not vary with the overdue count (${RUNS} runs, seed ${SEED}; FC_SEED=<n> for others)`, () => {
  // eslint-disable-next-line no-console
  console.log(`consent-only property: seed ${SEED}`);
  fc.assert(
    fc.property(arbitraryCase, (c) => {
      const p = product({ minRating: c.minRating, maxOverdueCount12m: c.maxOverdue, firstLoanOnly: c.firstLoanOnly, enabled: c.enabled });
      const decisions = c.counts.map((overdueCount12m) => {
        const credit = c.hasProfile ? { asOf: '2026-11-01', rating: c.rating, taxGrade: null, activeDishonesty: c.activeDishonesty, overdueCount12m, hadBankLoan: c.hadBankLoan } : null;
        const shown = withoutConsentOnly(firm(credit), p);
        return { decision: decide(need, shown.enterprise, shown.product, context), withheld: shown.withheld };
      });
      expect(decisions[1]).toEqual(decisions[0]);
      expect(decisions[0].withheld).toEqual(c.maxOverdue === null ? [] : ['OVERDUE']);
      const overdue = decisions[0].decision.checks.find((check) => check.code === 'OVERDUE')!;
      expect(overdue).toMatchObject({ passed: true, detail: 'CHECK_OVERDUE.none' });
    }),
    { numRuns: RUNS, seed: SEED },
  );
}, 30_000);

it('leaves the facts it was given untouched (the consented view still reads them)', () => {
  const f = firm({ asOf: '2026-11-01', rating: 'AA', taxGrade: 'A', activeDishonesty: false, overdueCount12m: 3, hadBankLoan: true });
  const p = product({ maxOverdueCount12m: 2 });
  withoutConsentOnly(f, p);
  expect(f.credit!.overdueCount12m).toBe(3);
  expect(p.maxOverdueCount12m).toBe(2);
  expect(decide(need, f, p, context).checks.find((c) => c.code === 'OVERDUE')).toMatchObject({ passed: false, detail: 'CHECK_OVERDUE.fail' });
});
