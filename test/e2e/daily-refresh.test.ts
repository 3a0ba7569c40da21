/**
 * R13 over dates (docs/MATCHING.md "Staying current"): a scope cut into range jobs covers each of its
 * needs once, and the database's day passing — moved with the test clock (`database_clock.shift`), never
 * waited for — refreshes what depends on the date, once across processes, also after a missed midnight.
 */
import 'reflect-metadata';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { uuidOf } from '../../src/common/ids';
import { createDataSource } from '../../src/database/data-source';
import { refreshPassedDays } from '../../src/matching/daily-refresh';
import { refreshScope } from '../../src/matching/match.service';
import { startRefreshQueue } from '../../src/matching/refresh.queue';
import { RANGE_NEEDS, scopeChunks, scopeRanges } from '../../src/matching/refresh.scope';
import { startTestApp, TestApp } from '../support/harness';
import { recomputedFromScratch, storedMatches } from '../support/match-state';
import { CREATE_PRODUCT, daysFromToday, staff } from './fixtures';
import { CREATE_RULE, Market, eventually, mutate, setUpMarket } from './policy-fixtures';
import { firmWithNeed, matchOf } from './refresh-fixtures';

describe('range jobs', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('a scope cut into ranges covers each of its needs exactly once, and refreshing range by range gives what one refresh gives', async () => {
    app = await startTestApp({ env: { MATCH_WORKER: '0' } });
    const market = await setUpMarket(app);
    for (let i = 0; i < 7; i += 1) await firmWithNeed(app, String(1_500_000 + i * 500_000));
    const today = daysFromToday(0);
    const all = [];
    for await (const c of scopeChunks(app.dataSource, { kind: 'all' }, today)) all.push(...c.needIds);
    expect(all.length).toBe(7);
    const ranges = await scopeRanges(app.dataSource, { kind: 'all' }, today, 3);
    expect(ranges.length).toBe(3);
    expect(ranges[0].after).toBeNull();
    expect(ranges[2].upTo).toBeNull();
    const covered = [];
    for (const range of ranges) for await (const c of scopeChunks(app.dataSource, { kind: 'all' }, today, range)) covered.push(...c.needIds);
    expect(covered).toEqual(all);

    const productId = uuidOf(market.creditLoan.id, 'FinancialProduct')!;
    await app.dataSource.query(`UPDATE product SET max_amount = 3000000, version = version + 1 WHERE id = $1`, [productId]);
    const productRanges = await scopeRanges(app.dataSource, { kind: 'product', id: productId }, today, 2);
    expect(productRanges.length).toBeGreaterThan(1);
    for (const range of productRanges) await refreshScope(app.dataSource, { kind: 'product', id: productId }, { range });
    const stored = await storedMatches(app.dataSource);
    expect(await recomputedFromScratch(app.dataSource)).toEqual(stored);
  });
});

describe('range jobs on the queue', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('a refresh of more needs than one job takes is cut into range jobs on the bulk lane, which together decide every need', async () => {
    app = await startTestApp({ env: { MATCH_WORKER: '0' } });
    await setUpMarket(app);
    const { firm } = await firmWithNeed(app, '1000000');
    const worker = await startRefreshQueue(app.dataSource, { worker: true, pollSeconds: 0.5, log: pino({ level: 'silent' }) });
    try {
      await eventually(async () => (await worker.pending()) === 0, 30_000);
      // More needs than RANGE_NEEDS, written directly (the API would match each as it is posted).
      const extra = RANGE_NEEDS + 150;
      await app.dataSource.query(
        `INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, posted_by)
         SELECT e.id, 'LOAN', 'MINI_PROGRAM', 2000000 + i * 1000, 12, 'range-test' FROM enterprise e, generate_series(1, $2::int) i WHERE e.credit_code = $1`,
        [firm.enterprise.creditCode, extra],
      );
      const [{ now }] = await app.dataSource.query(`SELECT now() AS now`);
      await app.dataSource.transaction((em) => worker.enqueue(em, { kind: 'all' }));
      await eventually(async () => (await worker.pending()) === 0, 120_000);
      const ranges = await app.dataSource.query(
        `SELECT data -> 'upTo' AS up_to, state::text FROM pgboss.job WHERE name = 'match-refresh-bulk' AND data ? 'range' AND created_on >= $1`, [now]);
      expect(ranges).toHaveLength(2);
      expect(ranges.every((r: { state: string }) => r.state === 'completed')).toBe(true);
      const [{ decided }] = await app.dataSource.query(`SELECT count(DISTINCT need_id)::int AS decided FROM match WHERE eligible`);
      expect(decided).toBe(extra + 1);
    } finally {
      await worker.stop();
    }
    const stored = await storedMatches(app.dataSource);
    expect(await recomputedFromScratch(app.dataSource)).toEqual(stored);
  }, 240_000);
});

describe('the daily refresh, by the database\'s clock', () => {
  let app: TestApp;
  let market: Market;
  afterAll(() => app?.close());

  it('a product\'s end date, a future rule version and a credit profile growing old take effect when the database\'s day passes, caught up after a missed midnight', async () => {
    app = await startTestApp({ env: { MATCH_WORKER: '0' } });
    market = await setUpMarket(app);
    const authority = staff(app).authority;
    const ending = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '限时贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '9000000', minAnnualRate: '0.041',
      activeTo: daysFromToday(1),
    });
    const fresh = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '新数据贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '9000000', minAnnualRate: '0.042',
      eligibility: { maxCreditDataAgeDays: 11 },
    });
    const { firm, need } = await firmWithNeed(app, '4000000', { sectorTags: ['EMERGING'] });
    // A rule version from the day after tomorrow doubles the pool reserve for EMERGING firms.
    await mutate(app, authority, CREATE_RULE, {
      code: 'QD-RC-M', kind: 'RISK_COMPENSATION', poolId: market.pool.id, params: { commitmentRatio: '0.10', lossShare: '1.0' },
      eligibility: { productKinds: ['CREDIT_LOAN'], sectorTags: ['EMERGING'], national: true }, effectiveFrom: daysFromToday(2),
    });
    const worker = await startTestApp({ databaseUrl: app.databaseUrl });
    try {
      await worker.settled();
      expect(await matchOf(app, need.id, firm.token, ending.id)).not.toBeNull();
      expect(await matchOf(app, need.id, firm.token, fresh.id)).not.toBeNull();
      expect((await matchOf(app, need.id, firm.token, market.creditLoan.id)).terms.riskCompensationReserve).toBe('200000.00');
      const [{ day }] = await app.dataSource.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM match_refresh_day`);
      expect(day).toBe(daysFromToday(0));
      await worker.close();

      // No worker runs while the database's clock moves two days on (the credit data is then 12 days old).
      await app.dataSource.query(`UPDATE database_clock SET shift = interval '2 days'`);
      const restarted = await startTestApp({ databaseUrl: app.databaseUrl });
      try {
        await eventually(async () => (await matchOf(app, need.id, firm.token, ending.id)) === null, 10_000);
        await eventually(async () => (await matchOf(app, need.id, firm.token, fresh.id)) === null, 10_000);
        await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id))?.terms.riskCompensationReserve === '400000.00', 10_000);
        await restarted.settled();
        const [{ day: moved }] = await app.dataSource.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM match_refresh_day`);
        expect(moved).toBe(daysFromToday(2));
      } finally {
        await restarted.close();
      }
      const stored = await storedMatches(app.dataSource);
      expect(await recomputedFromScratch(app.dataSource)).toEqual(stored);
    } finally {
      await app.dataSource.query(`UPDATE database_clock SET shift = interval '0'`);
    }
  });

  it('two processes seeing the day pass at once refresh it once', async () => {
    await app.dataSource.query(`UPDATE database_clock SET shift = interval '3 days'`);
    const sources = [app.dataSource, createDataSource({ url: app.databaseUrl, poolSize: 2 }) as DataSource];
    await sources[1].initialize();
    const sent: string[] = [];
    try {
      const runs = await Promise.all(sources.map((db, i) => refreshPassedDays(db, async (_em, scope) => void sent.push(`${i}:${scope.kind}`))));
      expect(runs.filter((r) => r !== null)).toHaveLength(1);
      expect(runs.find((r) => r !== null)).toMatchObject({ from: daysFromToday(2), to: daysFromToday(3) });
      expect(await Promise.all(sources.map((db) => refreshPassedDays(db, async () => undefined)))).toEqual([null, null]);
    } finally {
      await sources[1].destroy();
      await app.dataSource.query(`UPDATE database_clock SET shift = interval '0'`);
    }
  });
});
