/**
 * R13 freshness: every change that can alter matches queues a refresh of its scope on a durable job
 * queue in PostgreSQL (pg-boss), in the same transaction as the change, so the job exists exactly when
 * the change commits and a restart loses nothing. docs/MATCHING.md "Staying current" describes the
 * protocol; in short:
 * - every job sent is kept (no de-duplicating policy, which dropped a change's job while one of the same
 *   scope waited — the lost refresh). Jobs of the same scope taken in one batch run once: the run starts
 *   after all of them committed, so it reads what each of them changed;
 * - two lanes, each its own queue, both worked by every worker process at once: small scopes (a product,
 *   some firms, a whitelist batch, a credit import, a pool; a bank's or a guarantor's products fan out into
 *   product jobs) on `match-refresh`, and the large ones (a policy reach, everything) on
 *   `match-refresh-bulk`, so a long scope never holds up a product refresh;
 * - jobs bounded to seconds: a scope with more needs than one job should take (refresh.scope.ts
 *   RANGE_NEEDS, PRODUCT_RANGE_NEEDS) is cut into range jobs on the bulk lane, which every worker shares;
 *   the expiry is far longer than a bounded job, so a job is never run twice at once;
 * - a failed job is logged (job id, lane, scope, attempt) and counted, and retried with backoff.
 *
 * The same queue runs R14's response deadline: a sweep job lapses the matches no one answered in time and
 * sends the next sweep, delayed, before it ends (also when it fails). The next sweep waits in PostgreSQL, so
 * a restart picks the chain up; each start sends one too, which the stately queue drops if one is waiting.
 * And each worker looks, every few seconds, whether the database's day has passed (daily-refresh.ts).
 */
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { matchLapses, refreshDuration, refreshJobs } from '../common/metrics';
import type { RefreshQueue, RefreshScope } from '../common/refresh';
import { databaseToday } from '../database/clock';
import { refreshPassedDays } from './daily-refresh';
import { lapseRenewals } from '../loans/renewal.service';
import { lapseOverdueMatches } from './lifecycle.service';
import { refreshScope, RefreshStats } from './match.service';
import { NeedRange, productsOfScope, scopeRanges } from './refresh.scope';

/** The small lane (the name the queue always had) and the bulk lane. */
export const REFRESH_QUEUE = 'match-refresh';
export const BULK_QUEUE = 'match-refresh-bulk';
export const DEADLINE_QUEUE = 'match-deadlines';
export type Lane = 'small' | 'bulk';

/**
 * Jobs a small-lane worker takes at once: a few, so that the other processes' workers find the rest
 * waiting (a bulk-lane worker takes one job at a time, for the same reason).
 */
export const SMALL_BATCH = 4;

/**
 * A job not done after this long is failed and retried. A bounded job takes seconds (refresh.scope.ts):
 * the margin is wide enough that a job that is merely slow is never run a second time beside itself.
 */
export const EXPIRE_SECONDS = 15 * 60;
const RETRIES = { retryLimit: 10, retryDelay: 2, retryBackoff: true };

/** A bulk-lane job: a large scope to cut into ranges, or one range of a scope. */
export type BulkJob = { plan: RefreshScope } | { range: RefreshScope; after: string | null; upTo: string | null };

/** The lane a change's scope is sent to. */
export const laneOf = (scope: RefreshScope): Lane => (scope.kind === 'all' || scope.kind === 'policy' ? 'bulk' : 'small');

/** A scope's name in logs and for coalescing: its kind and what it names (hashed when long). */
export function scopeKey(scope: RefreshScope): string {
  const parts = 'ids' in scope ? [...scope.ids].sort().join(',') : 'id' in scope ? scope.id : 'reach' in scope ? JSON.stringify(scope.reach) : '';
  return `${scope.kind}:${parts.length > 80 ? createHash('sha1').update(parts).digest('hex') : parts}`;
}

/** One batch's jobs grouped by scope, in the order first seen: each group is refreshed once. */
export function coalesce<J extends { data: RefreshScope }>(jobs: readonly J[]): J[][] {
  const groups = new Map<string, J[]>();
  for (const job of jobs) {
    const key = scopeKey(job.data);
    const group = groups.get(key);
    if (group) group.push(job);
    else groups.set(key, [job]);
  }
  return [...groups.values()];
}

export interface RefreshQueueOptions {
  /** Run a worker in this process (the API server does; the import commands only send). */
  worker: boolean;
  /** How often an idle worker looks for work (pg-boss: at least 0.5 s). */
  pollSeconds: number;
  log: Logger;
  /** Behind a pooler in transaction mode: no startup parameters on the queue's connections. */
  pooler?: boolean;
  /** R14: lapse matches unanswered after `responseHours`, looking every `sweepSeconds` (with the worker). */
  deadlines?: { responseHours: number; sweepSeconds: number };
  /** How often a worker looks whether the database's day has passed (default: 10 polling intervals, at least 5 s). */
  daySeconds?: number;
}

/** pg-boss's connection, from the DataSource's URL. */
function connectionOf(dataSource: DataSource): string {
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('the DataSource has no url for the job queue');
  return url;
}

const DEADLOCK = '40P01';

/**
 * pg-boss's createQueue, again when PostgreSQL picked it as a deadlock's victim: processes started
 * together all create the queues at once (its DDL and inserts can deadlock; seen starting three servers on
 * an empty database). Creating an existing queue is a no-op, so trying again is safe.
 */
async function createQueue(boss: PgBoss, name: string, options: PgBoss.Queue, update = false): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await boss.createQueue(name, options);
      // A queue made by an earlier release keeps its options on create: set them (the refresh queue was "stately").
      if (update) await boss.updateQueue(name, options);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}


/** Whether the database's day is past the last day the daily refresh covered (null: no day recorded yet). */
const DAY_PASSED_SQL = `SELECT shanghai_today() > (SELECT day FROM match_refresh_day WHERE id = 1) AS passed`;

const LANE_QUEUE: Record<Lane, string> = { small: REFRESH_QUEUE, bulk: BULK_QUEUE };

/** What a job did, for its log line. */
type JobOutcome = (RefreshStats & { range?: NeedRange }) | { ranges: number } | { products: number };

export async function startRefreshQueue(dataSource: DataSource, options: RefreshQueueOptions): Promise<RefreshQueue> {
  const { log } = options;
  const boss = new PgBoss({
    connectionString: connectionOf(dataSource),
    schema: 'pgboss',
    max: options.worker ? 4 : 1,
    application_name: 'finmatch-jobs',
    supervise: options.worker,
    schedule: false,
    ...(options.pooler ? {} : { options: '-c timezone=Asia/Shanghai' }),
  } as PgBoss.ConstructorOptions);
  boss.on('error', (error) => log.warn({ err: error }, 'job queue error'));
  await boss.start();
  for (const name of [REFRESH_QUEUE, BULK_QUEUE]) await createQueue(boss, name, { name, policy: 'standard', ...RETRIES, expireInSeconds: EXPIRE_SECONDS }, true);

  /** Sends jobs on a lane, in `em`'s transaction when given. */
  const insert = async (lane: Lane, data: object[], em?: EntityManager) => {
    if (!data.length) return;
    const db = em ? { executeSql: async (text: string, values: unknown[]) => ({ rows: await em.query(text, values) }) } : undefined;
    await boss.insert(data.map((d) => ({ name: LANE_QUEUE[lane], data: d })), db ? { db } : {});
  };

  /**
   * A scope, where the job runs: a bank's or a guarantor's products become product jobs; a scope larger
   * than one job becomes range jobs on the bulk lane; anything else is refreshed here and now.
   */
  const runScope = async (scope: RefreshScope): Promise<JobOutcome> => {
    const products = await productsOfScope(dataSource, scope);
    if (products) {
      await insert('small', products.map((id) => ({ kind: 'product', id })));
      return { products: products.length };
    }
    const today = await databaseToday(dataSource);
    const ranges = await scopeRanges(dataSource, scope, today);
    if (ranges.length > 1) {
      await insert('bulk', ranges.map((r): BulkJob => ({ range: scope, after: r.after, upTo: r.upTo })));
      return { ranges: ranges.length };
    }
    return refreshScope(dataSource, scope, { today });
  };

  /** Runs one piece of work for `jobs` (the same scope); a failure is logged, counted and handed back to pg-boss to retry. */
  const runJobs = async (lane: Lane, jobs: PgBoss.JobWithMetadata<unknown>[], scope: RefreshScope, work: () => Promise<JobOutcome>) => {
    const started = Date.now();
    const ids = jobs.map((j) => j.id);
    try {
      const outcome = await work();
      const seconds = (Date.now() - started) / 1000;
      refreshDuration.observe({ scope: scope.kind }, seconds);
      refreshJobs.inc({ lane, outcome: 'done' }, jobs.length);
      log.info({ lane, jobs: ids, scope: scopeKey(scope), ...outcome, ms: Date.now() - started }, 'matches refreshed');
    } catch (error) {
      refreshJobs.inc({ lane, outcome: 'failed' }, jobs.length);
      for (const job of jobs) {
        const last = job.retryCount >= job.retryLimit;
        log[last ? 'error' : 'warn'](
          { lane, jobId: job.id, scope: scopeKey(scope), attempt: job.retryCount + 1, retryLimit: job.retryLimit, err: error },
          last ? 'match refresh failed for the last time' : 'match refresh failed; it will be retried',
        );
      }
      const message = error instanceof Error ? error.message : String(error);
      for (const id of ids) await boss.fail(LANE_QUEUE[lane], id, { message });
    }
  };

  let dayTimer: NodeJS.Timeout | null = null;
  const enqueue = async (em: EntityManager, scope: RefreshScope) => {
    const lane = laneOf(scope);
    await insert(lane, [lane === 'bulk' ? ({ plan: scope } satisfies BulkJob) : scope], em);
  };

  if (options.worker) {
    const poll = { pollingIntervalSeconds: options.pollSeconds, includeMetadata: true as const };
    let smallWorker = '';
    smallWorker = await boss.work<RefreshScope>(REFRESH_QUEUE, { ...poll, batchSize: SMALL_BATCH }, async (jobs) => {
      // A full batch means more may wait: look again at once instead of after the polling interval.
      if (jobs.length === SMALL_BATCH) boss.notifyWorker(smallWorker);
      for (const group of coalesce(jobs)) await runJobs('small', group, group[0].data, () => runScope(group[0].data));
    });
    let bulkWorker = '';
    bulkWorker = await boss.work<BulkJob>(BULK_QUEUE, { ...poll, batchSize: 1 }, async ([job]) => {
      boss.notifyWorker(bulkWorker);
      const data = job.data;
      if ('plan' in data) await runJobs('bulk', [job], data.plan, () => runScope(data.plan));
      else await runJobs('bulk', [job], data.range, async () => {
        const range = { after: data.after, upTo: data.upTo };
        return { ...(await refreshScope(dataSource, data.range, { range })), range };
      });
    });

    // The daily refresh: at start (a midnight missed while no server ran) and every few seconds after. The
    // look is one statement on the queue's own connections; the API's pool is used only when the day passed.
    const dayPassed = async () => {
      const { rows } = await boss.getDb().executeSql(DAY_PASSED_SQL, []);
      return (rows as { passed: boolean | null }[])[0]?.passed !== false;
    };
    const checkDay = () => dayPassed().then((passed) => (passed ? refreshPassedDays(dataSource, enqueue) : null)).then(
      (day) => day && log.info(day, 'the day passed: matches that depend on the date queued for refresh'),
      (error) => log.warn({ err: error }, 'daily refresh check failed'),
    );
    await checkDay();
    dayTimer = setInterval(() => void checkDay(), (options.daySeconds ?? Math.max(5, options.pollSeconds * 10)) * 1000);
    dayTimer.unref();
  }

  await createQueue(boss, DEADLINE_QUEUE, { name: DEADLINE_QUEUE, policy: 'stately', retryLimit: 5, retryDelay: 5, expireInSeconds: 15 * 60 });
  const deadlines = options.deadlines;
  if (options.worker && deadlines) {
    await boss.work(DEADLINE_QUEUE, { pollingIntervalSeconds: Math.min(options.pollSeconds, deadlines.sweepSeconds) }, async () => {
      try {
        const lapsed = await lapseOverdueMatches(dataSource, deadlines.responseHours);
        matchLapses.inc(lapsed);
        if (lapsed) log.info({ lapsed }, 'unanswered matches lapsed (OVERDUE); the next-ranked were proposed');
        const renewals = await lapseRenewals(dataSource);
        if (renewals) log.info({ renewals }, 'unanswered renewal requests lapsed; turnover-fund needs posted');
      } finally {
        await boss.send(DEADLINE_QUEUE, {}, { startAfter: deadlines.sweepSeconds });
      }
    });
    await boss.send(DEADLINE_QUEUE, {});
  }

  return {
    enqueue,
    async pending() {
      // States before 'completed': created, retry, active — on both lanes.
      return (await boss.getQueueSize(REFRESH_QUEUE, { before: 'completed' })) + (await boss.getQueueSize(BULK_QUEUE, { before: 'completed' }));
    },
    async stop() {
      if (dayTimer) clearInterval(dayTimer);
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}
