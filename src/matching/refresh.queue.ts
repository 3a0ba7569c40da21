/**
 * R13 freshness: every change that can alter matches queues a refresh of its scope on a durable job
 * queue in PostgreSQL (pg-boss), in the same transaction as the change, so the job exists exactly when
 * the change commits and a restart loses nothing: a job not yet done is picked up by the next worker,
 * and a job whose worker died is retried. While a refresh of one scope waits, the same scope is queued
 * once ("stately" queue with the scope as singleton key): the waiting job reads the newest facts anyway.
 *
 * The same queue runs R14's response deadline: a sweep job lapses the matches no one answered in time and
 * sends the next sweep, delayed, before it ends (also when it fails). The next sweep waits in PostgreSQL, so
 * a restart picks the chain up; each start sends one too, which the stately queue drops if one is waiting.
 */
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { matchLapses, refreshDuration } from '../common/metrics';
import type { RefreshQueue, RefreshScope } from '../common/refresh';
import { lapseOverdueMatches } from './lifecycle.service';
import { refreshScope } from './match.service';

export const REFRESH_QUEUE = 'match-refresh';
export const DEADLINE_QUEUE = 'match-deadlines';

/** Jobs a worker takes at once; a failure retries the whole batch, which is safe: a refresh is idempotent. */
const BATCH = 50;

/** One batch's scopes without repeats; a refresh of everything covers all the others. */
export function coalesce(scopes: RefreshScope[]): RefreshScope[] {
  if (scopes.some((s) => s.kind === 'all')) return [{ kind: 'all' }];
  const seen = new Set<string>();
  return scopes.filter((s) => {
    const key = singletonKey(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
}

function singletonKey(scope: RefreshScope): string {
  const parts = 'ids' in scope ? [...scope.ids].sort().join(',') : 'id' in scope ? scope.id : '';
  return `${scope.kind}:${parts.length > 80 ? createHash('sha1').update(parts).digest('hex') : parts}`;
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
async function createQueue(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await boss.createQueue(name, options);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

export async function startRefreshQueue(dataSource: DataSource, options: RefreshQueueOptions): Promise<RefreshQueue> {
  const boss = new PgBoss({
    connectionString: connectionOf(dataSource),
    schema: 'pgboss',
    max: options.worker ? 3 : 1,
    application_name: 'finmatch-jobs',
    supervise: options.worker,
    schedule: false,
    ...(options.pooler ? {} : { options: '-c timezone=Asia/Shanghai' }),
  } as PgBoss.ConstructorOptions);
  boss.on('error', (error) => options.log.warn({ err: error }, 'job queue error'));
  await boss.start();
  await createQueue(boss, REFRESH_QUEUE, {
    name: REFRESH_QUEUE,
    policy: 'stately',
    retryLimit: 10,
    retryDelay: 2,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
  });

  if (options.worker) {
    let workerId = '';
    workerId = await boss.work<RefreshScope>(REFRESH_QUEUE, { batchSize: BATCH, pollingIntervalSeconds: options.pollSeconds }, async (jobs) => {
      // A full batch means more may wait: look again at once instead of after the polling interval.
      if (jobs.length === BATCH) boss.notifyWorker(workerId);
      for (const scope of coalesce(jobs.map((j) => j.data))) {
        const started = Date.now();
        const stats = await refreshScope(dataSource, scope);
        refreshDuration.observe({ scope: scope.kind }, (Date.now() - started) / 1000);
        options.log.info({ scope: scope.kind, ...stats, ms: Date.now() - started }, 'matches refreshed');
      }
    });
  }

  await createQueue(boss, DEADLINE_QUEUE, { name: DEADLINE_QUEUE, policy: 'stately', retryLimit: 5, retryDelay: 5, expireInSeconds: 15 * 60 });
  const deadlines = options.deadlines;
  if (options.worker && deadlines) {
    await boss.work(DEADLINE_QUEUE, { pollingIntervalSeconds: Math.min(options.pollSeconds, deadlines.sweepSeconds) }, async () => {
      try {
        const lapsed = await lapseOverdueMatches(dataSource, deadlines.responseHours);
        matchLapses.inc(lapsed);
        if (lapsed) options.log.info({ lapsed }, 'unanswered matches lapsed (OVERDUE); the next-ranked were proposed');
      } finally {
        await boss.send(DEADLINE_QUEUE, {}, { startAfter: deadlines.sweepSeconds });
      }
    });
    await boss.send(DEADLINE_QUEUE, {});
  }

  return {
    async enqueue(em, scope) {
      const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: await em.query(text, values) }) };
      await boss.send(REFRESH_QUEUE, scope, { singletonKey: singletonKey(scope), db } as PgBoss.SendOptions);
    },
    pending() {
      // States before 'completed': created, retry, active.
      return boss.getQueueSize(REFRESH_QUEUE, { before: 'completed' });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}
