/**
 * npm run bench:ledger [-- --scale 0.1] [--keep DIR] [--bookings 200000] [--samples 200]
 *
 * Issue 13's target "one need with 200,000 subsidy bookings in the ledger: within 10 % of an empty
 * ledger". One new need matched — inserted, matched and committed in one transaction, as
 * postFinancingNeed does — against the generated market (bench/market.ts) with an empty ledger, and
 * against the same market whose ledger holds `bookings` guarantee fee subsidies booked this year, each
 * with its live guarantee, spread over the market's guarantors and firms. Same run, interleaved need by
 * need (the same firm, amount and term on both sides, the side that goes first alternating).
 *
 * Both ledgers live in one database: the loaded one is the schema `bench_ledger`, holding copies of the
 * ledger's tables (subsidy_booking, guarantee and, where the build has them, their running totals) that
 * the loaded side's connections find first on their search_path; every other table is shared. So the two
 * sides differ by the ledger alone. `measureLedger` is what bench:match calls on its own market.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { todayInShanghai } from '../src/common/dates';
import { createDataSource, dataSourceOptions } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { refreshNeeds } from '../src/matching/match.service';
import { bar, generate, Sizes } from './market';

const SCHEMA = 'bench_ledger';
/** The ledger's tables the decision path could read: copied into the loaded side's schema when this build has them. */
const LEDGER_TABLES = ['subsidy_booking', 'guarantee', 'guarantor_fee_subsidy_total', 'guarantor_borrower_balance'];

export interface LedgerOptions {
  /** Fee-subsidy bookings (each with its guarantee) in the loaded ledger. */
  bookings?: number;
  /** Needs matched on each side. */
  samples?: number;
}

export interface LedgerFigures {
  bookings: number;
  samples: number;
  empty: { p50: number; p90: number; p99: number };
  loaded: { p50: number; p90: number; p99: number };
  /** loaded p50 ÷ empty p50: the target is ≤ 1.10. */
  ratio: number;
}

const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
};

/**
 * The loaded ledger in `bench_ledger`, made once per database and size: copies of the ledger's tables
 * with `bookings` fee subsidies of this year on the market's guarantors (within their yearly cap), each
 * with a live guarantee of a market firm, and the running totals of those rows.
 */
async function loadLedger(db: DataSource, bookings: number, year: number): Promise<void> {
  const [made]: { bookings: number; year: number }[] = await db.query(
    `SELECT (obj_description(to_regnamespace('${SCHEMA}'), 'pg_namespace'))::jsonb ->> 'bookings' AS bookings,
            (obj_description(to_regnamespace('${SCHEMA}'), 'pg_namespace'))::jsonb ->> 'year' AS year`);
  if (Number(made?.bookings) === bookings && Number(made?.year) === year) return;
  const tables: string[] = (await db.query(`SELECT t FROM unnest($1::text[]) t WHERE to_regclass('public.' || t) IS NOT NULL`, [LEDGER_TABLES])).map((r: { t: string }) => r.t);
  await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await db.query(`CREATE SCHEMA ${SCHEMA}`);
  for (const t of tables) {
    await db.query(`CREATE TABLE ${SCHEMA}.${t} (LIKE public.${t} INCLUDING ALL)`);
    await db.query(`INSERT INTO ${SCHEMA}.${t} SELECT * FROM public.${t}`);
  }
  const [{ rule }] = await db.query(`SELECT id AS rule FROM policy_rule WHERE kind = 'GUARANTEE_FEE_SUBSIDY' ORDER BY code, version DESC LIMIT 1`);
  const [{ firms }] = await db.query(`SELECT count(*)::int AS firms FROM bench_firm`);
  const b = bar('ledger bookings', bookings);
  const chunk = 50_000;
  for (let from = 0; from < bookings; from += chunk) {
    const to = Math.min(bookings, from + chunk);
    // Booking i: guarantor i mod n, a firm picked by hash, 10.00–99.00 CNY of subsidy, a guarantee of 100,000–1,000,000.
    await db.query(`
      WITH g AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM institution WHERE kind = 'GUARANTOR'),
      x AS (SELECT s.k AS i, g.id AS guarantor_id, f.id AS enterprise_id
              FROM generate_series($1::int, $2::int - 1) AS s(k)
              JOIN g ON g.n = s.k % g.total
              JOIN bench_firm f ON f.i = abs(hashtext(s.k::text || 'lf')) % $5::int),
      guarantees AS (
        INSERT INTO ${SCHEMA}.guarantee (guarantor_id, enterprise_id, guaranteed_amount, outstanding)
        SELECT guarantor_id, enterprise_id, 100000 + (i % 10) * 100000, 100000 + (i % 10) * 100000 FROM x RETURNING 1)
      INSERT INTO ${SCHEMA}.subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year)
      SELECT 'GUARANTEE_FEE_SUBSIDY', $3, 'GUARANTOR', guarantor_id, 10 + i % 90, $4 FROM x`,
    [from, to, rule, year, firms]);
    b.update(to);
  }
  b.stop();
  if (tables.includes('guarantor_fee_subsidy_total')) {
    await db.query(`TRUNCATE ${SCHEMA}.guarantor_fee_subsidy_total`);
    await db.query(`INSERT INTO ${SCHEMA}.guarantor_fee_subsidy_total (guarantor_id, year, total)
                    SELECT payee_id, year, sum(amount) FROM ${SCHEMA}.subsidy_booking WHERE kind = 'GUARANTEE_FEE_SUBSIDY' GROUP BY payee_id, year`);
  }
  if (tables.includes('guarantor_borrower_balance')) {
    await db.query(`TRUNCATE ${SCHEMA}.guarantor_borrower_balance`);
    await db.query(`INSERT INTO ${SCHEMA}.guarantor_borrower_balance (guarantor_id, enterprise_id, balance)
                    SELECT guarantor_id, enterprise_id, sum(outstanding) FROM ${SCHEMA}.guarantee WHERE status = 'LIVE' GROUP BY guarantor_id, enterprise_id`);
  }
  for (const t of tables) await db.query(`ANALYZE ${SCHEMA}.${t}`);
  await db.query(`COMMENT ON SCHEMA ${SCHEMA} IS '${JSON.stringify({ bookings, year })}'`);
}

/** A DataSource on `url` whose sessions read the loaded ledger's tables first. */
function loadedSide(url: string): DataSource {
  const options = dataSourceOptions({ url, poolSize: 2 });
  const extra = options.extra as { options?: string };
  return new DataSource({ ...options, extra: { ...extra, options: `${extra.options ?? ''} -c search_path=${SCHEMA},public`.trim() } } as typeof options);
}

/**
 * One need inserted, matched and committed; its time in ms. It goes again after (untimed), so that the
 * other side posts the same need into the same state.
 */
async function oneNeed(db: DataSource, firmId: string, amount: number, term: number, today: string): Promise<number> {
  const started = process.hrtime.bigint();
  const id = await db.transaction(async (em) => {
    const [{ id }] = await em.query(
      `INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, max_annual_rate, posted_by) VALUES ($1, 'LOAN', 'WEB', $2, $3, 0.07, 'bench-ledger') RETURNING id`,
      [firmId, amount, term]);
    await refreshNeeds(em, [id], { today });
    return id as string;
  });
  const took = ms(started);
  await db.query(`WITH m AS (DELETE FROM match WHERE need_id = $1) DELETE FROM financing_need WHERE id = $1`, [id]);
  return took;
}

/**
 * Measures one new need with an empty ledger (`db`, the market's own tables) against the loaded ledger
 * (a second DataSource on `url`, the same database), interleaved. The sampled needs are deleted after.
 */
export async function measureLedger(db: DataSource, url: string, options: LedgerOptions = {}): Promise<LedgerFigures> {
  const bookings = options.bookings ?? 200_000;
  const samples = options.samples ?? 200;
  const today = todayInShanghai();
  await loadLedger(db, bookings, Number(today.slice(0, 4)));
  const loaded = loadedSide(url);
  await loaded.initialize();
  try {
    const [{ firms }] = await db.query(`SELECT count(*)::int AS firms FROM bench_firm`);
    const step = Math.max(2, Math.floor(firms / (samples + 20)));
    const picked: { id: string }[] = await db.query(`SELECT id FROM bench_firm WHERE i % $2 = 0 ORDER BY i LIMIT $1`, [samples + 20, step]);
    const times = { empty: [] as number[], loaded: [] as number[] };
    const p = bar('one need, both ledgers', picked.length);
    for (const [k, firm] of picked.entries()) {
      const amount = 500_000 + (k % 40) * 100_000;
      const term = [6, 12, 24, 36][k % 4];
      const sides: ['empty' | 'loaded', DataSource][] = [['empty', db], ['loaded', loaded]];
      if (k % 2) sides.reverse();
      for (const [side, source] of sides) {
        const t = await oneNeed(source, firm.id, amount, term, today);
        // The first 20 warm each side's connections, prepared statements and caches.
        if (k >= 20) times[side].push(t);
      }
      p.increment();
    }
    p.stop();
    const empty = summary(times.empty);
    const full = summary(times.loaded);
    return { bookings, samples: times.empty.length, empty, loaded: full, ratio: full.p50 / empty.p50 };
  } finally {
    await loaded.destroy();
    await db.query(`DELETE FROM match WHERE need_id IN (SELECT id FROM financing_need WHERE posted_by = 'bench-ledger')`);
    await db.query(`DELETE FROM financing_need WHERE posted_by = 'bench-ledger'`);
  }
}

/** The figures as a table for bench:match's report. */
export function ledgerLines(f: LedgerFigures): string[] {
  const fmt = (v: number) => v.toFixed(2);
  return [
    `| one new need, insert + match + commit (n = ${f.samples} each, interleaved) | p50 ms | p90 ms | p99 ms |`,
    '|---|---:|---:|---:|',
    `| empty ledger | ${fmt(f.empty.p50)} | ${fmt(f.empty.p90)} | ${fmt(f.empty.p99)} |`,
    `| ${f.bookings.toLocaleString('en')} fee-subsidy bookings and their guarantees | ${fmt(f.loaded.p50)} | ${fmt(f.loaded.p90)} | ${fmt(f.loaded.p99)} |`,
    `| × empty ledger (target ≤ 1.10 at p50) | ${fmt(f.ratio)} | ${fmt(f.loaded.p90 / f.empty.p90)} | ${fmt(f.loaded.p99 / f.empty.p99)} |`,
  ];
}

/** Standalone: the market of bench:match (a kept data directory is reused, with bench:match's `bench_run` record), then the measure. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scale: { type: 'string', default: '0.1' }, keep: { type: 'string' },
    bookings: { type: 'string', default: '200000' }, samples: { type: 'string', default: '200' },
  } });
  const scale = Number(values.scale);
  let url = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  let dir: string | undefined;
  if (!url) {
    const home = values.keep ? path.resolve(values.keep) : (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-bench-ledger-')));
    fs.mkdirSync(home, { recursive: true, mode: 0o755 });
    fs.chmodSync(home, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(home, 'pg'), port: 56000 + Math.floor(Math.random() * 3000), database: 'finmatch', log: pino({ level: 'warn' }) });
    ({ url, stop } = pg);
  }
  const db = createDataSource({ url, poolSize: 2 });
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    await db.query(`CREATE TABLE IF NOT EXISTS bench_run (scale numeric PRIMARY KEY, sizes jsonb NOT NULL, full_match jsonb)`);
    const [previous]: { sizes: Sizes }[] = await db.query(`SELECT sizes FROM bench_run WHERE scale = $1`, [scale]);
    const sizes = previous?.sizes ?? await generate(db, scale);
    if (!previous) await db.query(`INSERT INTO bench_run (scale, sizes) VALUES ($1, $2)`, [scale, JSON.stringify(sizes)]);
    const figures = await measureLedger(db, url, { bookings: Number(values.bookings), samples: Number(values.samples) });
    process.stdout.write(`scale ${scale}: ${sizes.enterprises} enterprises, ${sizes.needs} needs, ${sizes.products} products\n\n${ledgerLines(figures).join('\n')}\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'ledger', scale, ...figures })}\n`);
  } finally {
    if (db.isInitialized) await db.destroy();
    await stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
