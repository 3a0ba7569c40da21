/**
 * Prometheus metrics (docs/OPERATIONS.md "Metrics"), served on `/metrics` — on METRICS_PORT when it is
 * set (and then only there), else on the API's port. One registry per process: every server and worker in
 * the process reports into it, as Prometheus expects of one scrape target.
 *
 * - `finmatch_http_request_duration_seconds{method,route,status}` every HTTP request;
 * - `finmatch_graphql_operation_duration_seconds{operation,type}` and
 *   `finmatch_graphql_errors_total{code}` (operation names are the clients' own: a name that is not a plain
 *   identifier, or one past the first OPERATION_NAMES_KEPT, is counted as `other`, so a client cannot
 *   blow up the series);
 * - `finmatch_db_pool_connections{state}` (in use, idle, waiting) of the API's pool;
 * - `finmatch_job_queue_jobs{queue,state}` and `finmatch_job_queue_oldest_seconds{queue}` (jobs not done yet);
 * - `finmatch_match_refresh_duration_seconds{scope}`, `finmatch_match_refresh_jobs_total{lane,outcome}` (the refresh
 *   lanes are the queues `match-refresh` and `match-refresh-bulk` above), `finmatch_match_lapses_total` (R14 deadlines);
 * - `finmatch_ledger_postings{kind}` / `finmatch_ledger_amount_yuan{kind}`: the ledger's committed postings
 *   as the database holds them (so every process reports the same totals: aggregate with max, not sum);
 * - Node's own process metrics (CPU, memory, event-loop lag, GC), prefixed `finmatch_`.
 */
import client, { Counter, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

export const registry: Registry = new Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'finmatch_' });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpDuration: Histogram<'method' | 'route' | 'status'> = new Histogram({
  name: 'finmatch_http_request_duration_seconds', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], buckets: SECONDS, registers: [registry],
});
export const graphqlDuration: Histogram<'operation' | 'type'> = new Histogram({
  name: 'finmatch_graphql_operation_duration_seconds', help: 'GraphQL operations by name and type', labelNames: ['operation', 'type'], buckets: SECONDS, registers: [registry],
});
export const graphqlErrors: Counter<'code'> = new Counter({
  name: 'finmatch_graphql_errors_total', help: 'GraphQL errors answered, by extensions.code', labelNames: ['code'], registers: [registry],
});
export const refreshDuration: Histogram<'scope'> = new Histogram({
  name: 'finmatch_match_refresh_duration_seconds', help: 'R13 match refreshes by scope kind', labelNames: ['scope'], buckets: [...SECONDS, 60, 300, 900], registers: [registry],
});
export const refreshJobs: Counter<'lane' | 'outcome'> = new Counter({
  name: 'finmatch_match_refresh_jobs_total', help: 'R13 match refresh jobs by lane (small, bulk) and outcome (done, failed: retried unless it was the last attempt)',
  labelNames: ['lane', 'outcome'], registers: [registry],
});
export const matchLapses: Counter = new Counter({
  name: 'finmatch_match_lapses_total', help: 'R14: matches lapsed (OVERDUE) because no one answered by the deadline', registers: [registry],
});
/** Distinct operation names kept as labels; later ones count as `other`. */
export const OPERATION_NAMES_KEPT = 200;
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const seenOperations = new Set<string>();

export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!PLAIN_NAME.test(name)) return 'other';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= OPERATION_NAMES_KEPT) return 'other';
  seenOperations.add(name);
  return name;
}

/** The pool and queue gauges read a live DataSource when scraped; the latest one started in the process reports. */
let source: DataSource | null = null;

interface PgPool { totalCount: number; idleCount: number; waitingCount: number }

new client.Gauge({
  name: 'finmatch_db_pool_connections', help: 'The API pool: connections in use, idle, and requests waiting for one', labelNames: ['state'], registers: [registry],
  collect() {
    const pool = (source?.driver as { master?: PgPool } | undefined)?.master;
    if (!pool) return;
    this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
    this.set({ state: 'idle' }, pool.idleCount);
    this.set({ state: 'waiting' }, pool.waitingCount);
  },
});

const queueJobs = new client.Gauge({ name: 'finmatch_job_queue_jobs', help: 'Jobs not done yet, by queue and state', labelNames: ['queue', 'state'], registers: [registry] });
new client.Gauge({
  name: 'finmatch_job_queue_oldest_seconds', help: 'Age of the oldest job not done yet, by queue', labelNames: ['queue'], registers: [registry],
  async collect() {
    if (!source?.isInitialized) return;
    this.reset();
    queueJobs.reset();
    // Only jobs before 'completed' (pg-boss's state order): the few waiting or running, found by its state index.
    const rows = (await source.query(
      `SELECT name, state::text, count(*)::int AS jobs, extract(epoch FROM now() - min(created_on))::float AS oldest
         FROM pgboss.job WHERE state < 'completed' GROUP BY name, state`,
    ).catch(() => [])) as { name: string; state: string; jobs: number; oldest: number }[];
    const oldest = new Map<string, number>();
    for (const r of rows) {
      queueJobs.set({ queue: r.name, state: r.state }, r.jobs);
      oldest.set(r.name, Math.max(oldest.get(r.name) ?? 0, r.oldest));
    }
    for (const [queue, seconds] of oldest) this.set({ queue }, seconds);
  },
});

export function reportDatabase(dataSource: DataSource): void {
  source = dataSource;
}

const ledgerAmount = new client.Gauge({ name: 'finmatch_ledger_amount_yuan', help: 'Money the ledger has posted, by movement kind, in yuan (database totals)', labelNames: ['kind'], registers: [registry] });
new client.Gauge({
  name: 'finmatch_ledger_postings', help: 'Ledger postings committed, by movement kind (database totals)', labelNames: ['kind'], registers: [registry],
  async collect() {
    if (!source?.isInitialized) return;
    const rows = (await source.query(`SELECT kind, count(*)::int AS n, sum(amount)::float8 AS amount FROM ledger_posting GROUP BY kind`).catch(() => [])) as { kind: string; n: number; amount: number }[];
    this.reset();
    ledgerAmount.reset();
    for (const r of rows) {
      this.set({ kind: r.kind }, r.n);
      ledgerAmount.set({ kind: r.kind }, r.amount);
    }
  },
});
