/**
 * R13: a policy rule version or a benchmark rate re-decides only the needs its eligibility can reach
 * (policy/policy.reach.ts), not every need — and misses none: after each random change, once the queue
 * has drained, the stored matches equal a from-scratch recomputation of every need.
 */
import fc from 'fast-check';
import { startTestApp, TestApp } from '../support/harness';
import { recomputedFromScratch, storedMatches } from '../support/match-state';
import { daysFromToday, staff } from './fixtures';
import { CREATE_RULE, Market, SET_BENCHMARK, mutate, setUpMarket } from './policy-fixtures';
import { firmWithNeed } from './refresh-fixtures';

const SEED = Number(process.env.FC_SEED ?? 20261201);
const RUNS = 8;

let app: TestApp;
let market: Market;
let authority: string;

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app);
  authority = staff(app).authority;
  // Firms across regions, sizes, tags and chains, each with a loan need.
  const profiles = [
    { regionCode: '370212', employees: 50, revenue: '10000000.00', industryChains: ['AI'], tags: ['EMERGING'] },
    { regionCode: '370212', employees: 5, revenue: '800000.00', industryChains: [], tags: ['BLUE_ECONOMY'] },
    { regionCode: '110108', employees: 500, revenue: '90000000.00', industryChains: ['AI'], tags: [] },
    { regionCode: '340104', employees: 120, revenue: '30000000.00', industryChains: [], tags: ['HIGH_END', 'EMERGING'] },
    { regionCode: '110108', employees: 20, revenue: '3000000.00', industryChains: ['AI'], tags: ['HIGH_END'] },
  ];
  for (const [i, p] of profiles.entries()) {
    await firmWithNeed(app, String(1_500_000 + i * 700_000), { sectorTags: p.tags }, { regionCode: p.regionCode, employees: p.employees, revenue: p.revenue, industryChains: p.industryChains });
  }
  await app.settled();
});
afterAll(() => app?.close());

const subset = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 0 });
const eligibility = fc.record({
  productKinds: subset(['CREDIT_LOAN', 'GUARANTEED_LOAN', 'EQUITY_INVESTMENT']),
  sectorTags: subset(['EMERGING', 'BLUE_ECONOMY', 'HIGH_END']),
  sizeClasses: subset(['MEDIUM', 'SMALL', 'MICRO']),
  regionPrefixes: subset(['37', '3702', '11', '34']),
  industryChains: subset(['AI']),
}).map((e) => ({ ...e, national: e.regionPrefixes.length === 0 }));

/** A new version of one of the market's rules (same kind as its code), or a new benchmark rate in force today. */
const change = fc.oneof(
  fc.record({ code: fc.constant('QD-RC-M'), ratio: fc.constantFrom('0.03', '0.05', '0.08'), eligibility }).map((c) => ({
    rule: { code: c.code, kind: 'RISK_COMPENSATION', poolId: market.pool.id, params: { commitmentRatio: c.ratio, lossShare: '1.0' }, eligibility: c.eligibility },
  })),
  fc.record({ ratio: fc.constantFrom('0.3', '0.5', '0.7'), eligibility }).map((c) => ({
    rule: { code: 'FEE-M', kind: 'GUARANTEE_FEE_SUBSIDY', params: { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: c.ratio, annualCapPerGuarantor: '3000000' }, eligibility: c.eligibility },
  })),
  fc.record({ ratio: fc.constantFrom('0.01', '0.015', '0.02'), eligibility }).map((c) => ({
    rule: { code: 'RISK-M', kind: 'GUARANTEE_RISK_SUBSIDY', params: { ratio: c.ratio }, eligibility: c.eligibility },
  })),
  fc.constantFrom('0.0385', '0.0435', '0.0300').map((rate) => ({ benchmark: rate })),
);

/** The scopes of the refresh jobs a change sent (jobs sent after `since`, on any lane, as sent: not the range jobs cut from them). */
async function scopesSentSince(since: Date): Promise<string[]> {
  const rows: { kind: string }[] = await app.dataSource.query(
    `SELECT coalesce(data -> 'plan' ->> 'kind', data ->> 'kind') AS kind FROM pgboss.job
      WHERE name LIKE 'match-refresh%' AND created_on >= $1 AND NOT data ? 'range' ORDER BY created_on`,
    [since],
  );
  return rows.map((r) => r.kind);
}

let benchmarkDay = -60;

it(`a rule version or benchmark rate re-decides its reach only, and the stored matches equal a recomputation (${RUNS} runs, seed ${SEED}; FC_SEED=<n> for others)`, async () => {
  console.log(`policy reach property: seed ${SEED}`);
  await fc.assert(
    fc.asyncProperty(change, async (c) => {
      const [{ now }] = await app.dataSource.query(`SELECT now() AS now`);
      if ('rule' in c) await mutate(app, authority, CREATE_RULE, c.rule);
      else await mutate(app, authority, SET_BENCHMARK, { code: 'PBOC_1Y', rate: c.benchmark, effectiveFrom: daysFromToday((benchmarkDay += 1)) });
      await app.settled(30_000);
      // Never the whole market: a policy scope, or nothing when the change reaches no need.
      const sent = await scopesSentSince(now);
      expect(sent.every((kind) => kind === 'policy')).toBe(true);
      expect(sent.length).toBeLessThanOrEqual(1);
      const stored = await storedMatches(app.dataSource);
      expect(await recomputedFromScratch(app.dataSource)).toEqual(stored);
    }),
    { numRuns: RUNS, seed: SEED },
  );
}, 240_000);
