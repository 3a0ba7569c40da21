/**
 * R13 on several processes (docs/MATCHING.md "Staying current"): two real server processes, each with its
 * refresh worker, on one database. A burst of product changes, posted needs, a rule change and a benchmark
 * rate, sent through both at once; once the queue has drained, the stored matches equal a from-scratch
 * recomputation of every need.
 */
import { startTestApp, TestApp } from '../support/harness';
import { recomputedFromScratch, refreshJobsPending, storedMatches } from '../support/match-state';
import { freePort, makeDataRoot, processToken, sendMutation, ServerProcess, startServer, stopServer, UNLIMITED_RATES, until, waitReady } from '../support/server-process';
import { CREATE_PRODUCT, daysFromToday, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff, UPDATE_PRODUCT } from './fixtures';
import { CREATE_RULE, Market, SET_BENCHMARK, mutate, setUpMarket } from './policy-fixtures';

let app: TestApp;
let market: Market;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  // The test's own server only sets the market up: every refresh is left to the two processes.
  app = await startTestApp({ env: { MATCH_WORKER: '0' } });
  market = await setUpMarket(app);
  for (let i = 0; i < 2; i += 1) {
    servers.push(startServer({
      dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(),
      env: { DATABASE_URL: app.databaseUrl, MATCH_REFRESH_POLL_MS: '500', ...UNLIMITED_RATES },
    }));
  }
  await Promise.all(servers.map((s) => waitReady(s, 90_000)));
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => stopServer(s)));
  await app?.close();
});

it('after a burst through two processes the stored matches equal a from-scratch recomputation', async () => {
  const authority = staff(app).authority;
  const firms: Awaited<ReturnType<typeof registeredEnterprise>>[] = [];
  for (let i = 0; i < 8; i += 1) {
    firms.push(await registeredEnterprise(app, { regionCode: i % 2 ? '370212' : '110108', employees: 20 + i * 40, revenue: '10000000.00' }, { attested: i % 3 ? undefined : { sectorTags: ['EMERGING'] } }));
  }
  await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: daysFromToday(-5), records: firms.map((f) => ({ creditCode: f.enterprise.creditCode, rating: 'AA' })) });
  // The processes have their own signing secret: the same people, with tokens they accept.
  const processAuthority = processToken({ sub: 'authority-1', role: 'AUTHORITY' });
  const firmToken = (f: (typeof firms)[number]) => processToken({ sub: f.sub, role: 'ENTERPRISE', creditCode: f.enterprise.creditCode, creditCodeVerified: true } as { sub: string; role: string });
  const through = (i: number) => servers[i % 2];

  await Promise.all([
    ...firms.map((f, i) => sendMutation(through(i), firmToken(f), POST_NEED, { kind: 'LOAN', amount: String(1_500_000 + i * 900_000), termMonths: 12 })),
    ...['9000000', '15000000', '4000000', '12000000', '6500000'].map((maxAmount, i) => sendMutation(through(i), processAuthority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount })),
    ...['0.045', '0.05'].map((minAnnualRate, i) => sendMutation(through(i + 1), processAuthority, UPDATE_PRODUCT, { productId: market.guaranteedLoan.id, minAnnualRate })),
    sendMutation(through(0), processAuthority, CREATE_RULE, {
      code: 'QD-RC-M', kind: 'RISK_COMPENSATION', poolId: market.pool.id, params: { commitmentRatio: '0.10', lossShare: '1.0' },
      eligibility: { productKinds: ['CREDIT_LOAN'], sectorTags: ['EMERGING'], national: true },
    }),
    sendMutation(through(1), processAuthority, SET_BENCHMARK, { code: 'PBOC_1Y', rate: '0.0385', effectiveFrom: daysFromToday(-1) }),
    sendMutation(through(1), processAuthority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '并发新品', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '8000000', minAnnualRate: '0.04',
    }),
  ]);

  // Drained: nothing waiting or running on either lane, twice in a row a poll apart.
  let quiet = 0;
  await until(async () => (quiet = (await refreshJobsPending(app.dataSource)) === 0 ? quiet + 1 : 0) >= 2, 60_000, 'the refresh queue to drain');
  const refreshedBy = servers.map((s) => s.logs.filter((l) => l.msg === 'matches refreshed').length);
  console.log(`refresh jobs done by each process: ${refreshedBy.join(', ')}`);
  expect(refreshedBy[0] + refreshedBy[1]).toBeGreaterThan(0);
  expect(servers.flatMap((s) => s.logs.filter((l) => l.msg?.startsWith('match refresh failed')))).toEqual([]);
  await Promise.all(servers.map((s) => stopServer(s)));

  const stored = await storedMatches(app.dataSource);
  expect((stored.matches as unknown[]).length).toBeGreaterThan(0);
  expect(await recomputedFromScratch(app.dataSource)).toEqual(stored);
}, 180_000);
