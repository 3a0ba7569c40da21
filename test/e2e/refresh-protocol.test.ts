/**
 * R13's refresh protocol (docs/MATCHING.md "Staying current"): a change's refresh is never lost, and a long
 * scope on the bulk lane does not hold up a product refresh on the small lane.
 */
import 'reflect-metadata';
import pino from 'pino';
import { uuidOf } from '../../src/common/ids';
import { registry } from '../../src/common/metrics';
import { startRefreshQueue } from '../../src/matching/refresh.queue';
import { startTestApp, TestApp } from '../support/harness';
import { recomputedFromScratch, storedMatches } from '../support/match-state';
import { CREATE_PRODUCT, staff, UPDATE_PRODUCT } from './fixtures';
import { eventually, mutate, setUpMarket } from './policy-fixtures';
import { firmWithNeed, matchOf } from './refresh-fixtures';

const silent = pino({ level: 'silent' });

describe('a refresh is never lost', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('a change whose job is sent while a job of the same scope waits is refreshed after it commits (the issue\'s interleaving)', async () => {
    // No worker in the server: this test decides when jobs run.
    app = await startTestApp({ env: { MATCH_WORKER: '0' } });
    const market = await setUpMarket(app);
    const authority = staff(app).authority;
    const productId = uuidOf(market.creditLoan.id, 'FinancialProduct')!;
    const { firm, need } = await firmWithNeed(app, '6000000');
    expect(await matchOf(app, need.id, firm.token, market.creditLoan.id)).not.toBeNull();

    // Change 1 commits; its refresh waits (no worker yet).
    await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount: '5000000' });
    // Change 2 sends its refresh inside its transaction, which stays open.
    const sender = await startRefreshQueue(app.dataSource, { worker: false, pollSeconds: 0.5, log: silent });
    const change2 = app.dataSource.createQueryRunner();
    await change2.startTransaction();
    await change2.query(`UPDATE product SET max_amount = 20000000, version = version + 1 WHERE id = $1`, [productId]);
    await sender.enqueue(change2.manager, { kind: 'product', id: productId });

    // A worker runs change 1's refresh, which reads before change 2 commits.
    const worker = await startRefreshQueue(app.dataSource, { worker: true, pollSeconds: 0.5, log: silent });
    try {
      await eventually(async () => (await worker.pending()) === 0, 15_000);
      expect(await matchOf(app, need.id, firm.token, market.creditLoan.id)).toBeNull();
      await change2.commitTransaction();
      // Change 2's own job now exists and brings the match back.
      await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)) !== null, 10_000);
      await eventually(async () => (await worker.pending()) === 0, 15_000);
    } finally {
      await change2.release();
      await worker.stop();
      await sender.stop();
    }
    const stored = await storedMatches(app.dataSource);
    expect(await recomputedFromScratch(app.dataSource)).toEqual(stored);
  });
});

describe('lanes: a stalled bulk scope does not delay a product refresh', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('while a refresh of everything waits for a lock on one need, another product\'s change reaches its need', async () => {
    app = await startTestApp();
    const market = await setUpMarket(app);
    const authority = staff(app).authority;
    // Two needs; the refresh of everything locks needs in id order, so the one held is the first: the
    // stalled chunk then holds no lock the other need's refresh wants.
    const [held, other] = [await firmWithNeed(app, '6000000'), await firmWithNeed(app, '2500000')].sort((a, b) => a.needId.localeCompare(b.needId));
    // A product only the other need fits.
    const amount = Number(other.need.amount);
    const product = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '单笔贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: String(amount - 500_000), maxAmount: String(amount + 500_000), minAnnualRate: '0.04',
    });
    await eventually(async () => (await matchOf(app, other.need.id, other.firm.token, product.id)) !== null);
    await app.settled();

    // Another transaction holds the first need's row: the bulk scope's refresh waits for it.
    const lock = app.dataSource.createQueryRunner();
    await lock.startTransaction();
    await lock.query(`SELECT id FROM financing_need WHERE id = $1 FOR UPDATE`, [held.needId]);
    const sender = await startRefreshQueue(app.dataSource, { worker: false, pollSeconds: 0.5, log: silent });
    try {
      for (let i = 0; i < 2; i += 1) await app.dataSource.transaction((em) => sender.enqueue(em, { kind: 'all' }));
      // The bulk job is running and stuck on the lock.
      await eventually(async () => {
        const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'`);
        return n > 0;
      }, 10_000);

      const started = Date.now();
      await mutate(app, authority, UPDATE_PRODUCT, { productId: product.id, maxAmount: String(amount - 100_000) });
      await eventually(async () => (await matchOf(app, other.need.id, other.firm.token, product.id)) === null, 8_000);
      expect(Date.now() - started).toBeLessThan(8_000);
      // The bulk scope is still waiting.
      expect(await sender.pending()).toBeGreaterThan(0);
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
      await sender.stop();
    }
    await app.settled(30_000);
    const stored = await storedMatches(app.dataSource);
    expect(await recomputedFromScratch(app.dataSource)).toEqual(stored);
  });
});


describe('a failed job is logged, counted and retried', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('each attempt is logged with its job id, lane, scope and attempt number, and counted by lane', async () => {
    app = await startTestApp({ env: { MATCH_WORKER: '0' } });
    const lines: Record<string, any>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const failedBefore = await failedJobs();
    const worker = await startRefreshQueue(app.dataSource, { worker: true, pollSeconds: 0.5, log });
    try {
      // A scope naming no valid product id: listing its needs fails in SQL, every time.
      await app.dataSource.transaction((em) => worker.enqueue(em, { kind: 'product', id: 'not-a-uuid' }));
      await eventually(async () => lines.filter((l) => l.msg === 'match refresh failed; it will be retried').length >= 2, 20_000);
    } finally {
      await worker.stop();
    }
    const failures = lines.filter((l) => l.msg === 'match refresh failed; it will be retried');
    expect(failures[0]).toMatchObject({ lane: 'small', scope: 'product:not-a-uuid', attempt: 1, retryLimit: 10 });
    expect(failures[1]).toMatchObject({ lane: 'small', scope: 'product:not-a-uuid', attempt: 2, jobId: failures[0].jobId });
    expect(failures[0].err.message).toMatch(/uuid/);
    expect((await failedJobs()) - failedBefore).toBeGreaterThanOrEqual(2);
  });
});

async function failedJobs(): Promise<number> {
  const metric = await registry.getSingleMetric('finmatch_match_refresh_jobs_total')?.get();
  return metric?.values.find((v) => v.labels.lane === 'small' && v.labels.outcome === 'failed')?.value ?? 0;
}
