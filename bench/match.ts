/**
 * npm run bench:match [-- --scale 1]
 *
 * The matching figures of issue 4 at DOMAIN §6 scale (scale 1): 1,000,000 enterprises, 100,000 whitelist
 * entries, 200,000 open needs, 5,000 products from 300 banks with 20 guarantors, 700,000 credit profiles,
 * the demo's policy rules. Generated in SQL in one embedded PostgreSQL in a temporary directory (or
 * BENCH_DATABASE_URL's server), with a progress bar per step; every generated firm is flagged synthetic.
 *
 * Measured, each beside its baseline in the same run — the bare SQL that fetches the candidates:
 *   1. one new need matched: insert it and match it in one transaction, as postFinancingNeed does (p50, p99);
 *   2. the re-match after one product changes: its candidate needs and the needs matched to it (needs/s).
 * Before them, every open need re-decided (needs/s, seconds) by `--workers` processes (bench/match-worker.ts)
 * that share need-id ranges of `--range` needs: the first full match on fresh data, else after a rule
 * change (a new version of the bench's interest subsidy). Every tenth range is the baseline's, re-decided
 * first with candidates from the candidate SQL (the path before the product index); the rest with the
 * index. `--full-limit N` takes the first N needs only and gives the seconds for all at the measured rate.
 * The last line of the output is one line of JSON with the figures, for a program to compare runs.
 */
import 'reflect-metadata';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { todayInShanghai } from '../src/common/dates';
import { candidatesOfNeedsSql, candidatesOfProductSql, MATCHABLE_NEED_SQL } from '../src/matching/candidates';
import { refreshNeeds, refreshScope, RefreshStats } from '../src/matching/match.service';
import { bar } from './market';
import { openMarket } from './market-db';
import { ledgerLines, measureLedger } from './match-ledger';

type Lane = 'index' | 'sql';
interface LaneRun { stats: RefreshStats; seconds: number }
interface FullRun { kind: string; workers: number; stats: RefreshStats; seconds: number; open: number; baseline: LaneRun | null }

/** Every tenth range is the baseline's: re-decided first, with candidates from the candidate SQL (the path before the index). */
const BASELINE_EVERY = 10;

/** Runs one worker process to its end on one lane of ranges; resolves with the totals it prints. */
function worker(url: string, parallel: number, lane: Lane): Promise<RefreshStats> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'match-worker.ts'), String(parallel), lane], {
      env: { ...process.env, BENCH_URL: url }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as RefreshStats) : reject(new Error(`worker exited with ${code}`))));
  });
}

/** Every open need re-decided by `workers` processes taking ranges of `range` needs from `bench_range`. */
async function fullRedecision(db: DataSource, url: string, workers: number, range: number, kind: string, limit: number | null): Promise<FullRun> {
  const today = todayInShanghai();
  await db.query(`DROP TABLE IF EXISTS bench_range`);
  await db.query(`
    CREATE TABLE bench_range AS
    SELECT k + 1 AS id, (array_agg(id ORDER BY id))[1] AS lo, (array_agg(id ORDER BY id DESC))[1] AS hi, false AS done
      FROM (SELECT n.id, (row_number() OVER (ORDER BY n.id) - 1) / $2 AS k FROM financing_need n WHERE ${MATCHABLE_NEED_SQL}) x
     WHERE $3::int IS NULL OR k < $3::int / $2 GROUP BY k`, [today, range, limit]);
  const [{ open }] = await db.query(`SELECT count(*)::int AS open FROM financing_need n WHERE ${MATCHABLE_NEED_SQL}`, [today]);
  await db.query(`ALTER TABLE bench_range ADD PRIMARY KEY (id)`);
  await db.query(`ALTER TABLE bench_range ADD COLUMN lane text NOT NULL DEFAULT 'index'`);
  await db.query(`UPDATE bench_range SET lane = 'sql' WHERE id % $1 = 1`, [BASELINE_EVERY]);
  const runLane = async (lane: Lane): Promise<LaneRun> => {
    const t0 = process.hrtime.bigint();
    const all = await Promise.all(Array.from({ length: workers }, () => worker(url, 2, lane)));
    const stats = all.reduce((a, b) => ({ needs: a.needs + b.needs, pairs: a.pairs + b.pairs, eligible: a.eligible + b.eligible, removed: a.removed + b.removed }));
    return { stats, seconds: ms(t0) / 1000 };
  };
  const baseline = await runLane('sql');
  const { stats, seconds } = await runLane('index');
  return { kind, workers, stats, seconds, open, baseline };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
const fmt = (v: number) => v.toFixed(2);
const round = (v: number) => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scale: { type: 'string', default: '1' }, samples: { type: 'string', default: '400' }, products: { type: 'string', default: '5' },
    // A data directory kept between runs: the data is generated (and fully matched) once, then reused.
    keep: { type: 'string' },
    // Measure without the full re-decision.
    'skip-full': { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    range: { type: 'string', default: '500' },
    // Re-decide only the first N open needs (by id) and extrapolate the seconds for all of them.
    'full-limit': { type: 'string' },
    // The subsidy ledger's weight on one need (bench/match-ledger.ts): bookings added, samples per side.
    'skip-ledger': { type: 'boolean', default: false },
    'ledger-samples': { type: 'string', default: '200' },
  } });
  const scale = Number(values.scale);
  const samples = Number(values.samples);
  // The market, generated once per scale into `--keep` (or a temporary directory) and reused; bench:api reads the same.
  const { db, url, sizes, close } = await openMarket({ scale, keep: values.keep });
  try {
    // 0. Every open need re-decided, by `workers` processes sharing need-id ranges (bench/match-worker.ts).
    let full: FullRun | null = null;
    if (!values['skip-full']) {
      const [{ matched }]: { matched: boolean }[] = await db.query(`SELECT full_match IS NOT NULL AS matched FROM bench_run WHERE scale = $1`, [scale]);
      // After a full match, a rule change is what sends every need again: a new version of the interest subsidy (ratio 0.2 ↔ 0.25).
      if (matched) {
        await db.transaction(async (em) => {
          const [rule] = await em.query(`UPDATE policy_rule SET latest = false WHERE code = 'B-INTEREST' AND latest RETURNING id`);
          await em.query(`
            INSERT INTO policy_rule (code, version, kind, pool_id, params, product_kinds, sector_tags, created_by, latest)
            SELECT code, version + 1, kind, pool_id, jsonb_set(params, '{ratio}', to_jsonb(CASE WHEN params->>'ratio' = '0.2' THEN '0.25' ELSE '0.2' END)),
                   product_kinds, sector_tags, 'bench', true
              FROM policy_rule WHERE id = $1`, [rule.id]);
        });
      }
      full = await fullRedecision(db, url, Number(values.workers), Number(values.range), matched ? 'after a rule change' : 'first match',
        values['full-limit'] ? Number(values['full-limit']) : null);
      // What autovacuum would do after a load this size; the measurements below run on current statistics.
      await db.query('ANALYZE');
      await db.query(`UPDATE bench_run SET full_match = $2 WHERE scale = $1`, [scale, JSON.stringify(full)]);
      process.stderr.write(`full re-decision (${full.kind}, ${full.workers} workers): ${JSON.stringify(full.stats)} in ${fmt(full.seconds)} s; `
        + `baseline (candidate SQL): ${JSON.stringify(full.baseline?.stats)} in ${fmt(full.baseline?.seconds ?? 0)} s\n`);
    }

    // 1. One new need: candidates alone (baseline) vs insert + match + commit.
    const today = todayInShanghai();
    const step = Math.max(2, Math.floor(sizes.enterprises / samples));
    const firms: { id: string }[] = await db.query(`SELECT id FROM bench_firm WHERE i % $2 = 1 ORDER BY i LIMIT $1`, [samples, step]);
    const baseline: number[] = [];
    const matched: number[] = [];
    const matchOnly: number[] = [];
    const eligibleCounts: number[] = [];
    const p = bar('one need', firms.length * 2);
    for (const [k, firm] of firms.entries()) {
      const amount = 500_000 + (k % 40) * 100_000;
      const term = [6, 12, 24, 36][k % 4];
      let needId = '';
      const s1 = process.hrtime.bigint();
      await db.transaction(async (em) => {
        [{ id: needId }] = await em.query(
          `INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, max_annual_rate, posted_by) VALUES ($1, 'LOAN', 'WEB', $2, $3, 0.07, 'bench-sample') RETURNING id`,
          [firm.id, amount, term],
        );
        const s0 = process.hrtime.bigint();
        const stats = await refreshNeeds(em, [needId], { today });
        matchOnly.push(ms(s0));
        eligibleCounts.push(stats.eligible);
      });
      matched.push(ms(s1));
      p.increment();
      const s2 = process.hrtime.bigint();
      await db.query(candidatesOfNeedsSql('n.id = ANY($2::uuid[])'), [today, [needId]]);
      baseline.push(ms(s2));
      p.increment();
    }
    p.stop();
    // The sampled needs go again, so that a kept data directory measures the same data next time.
    await db.query(`DELETE FROM match WHERE need_id IN (SELECT id FROM financing_need WHERE posted_by = 'bench-sample')`);
    await db.query(`DELETE FROM financing_need WHERE posted_by = 'bench-sample'`);
    const warm = Math.min(20, Math.floor(firms.length / 10));
    const base = baseline.slice(warm).sort((a, b) => a - b);
    const one = matched.slice(warm).sort((a, b) => a - b);
    const inner = matchOnly.slice(warm).sort((a, b) => a - b);

    // 2. Re-match after one product changes.
    const chosen: { id: string; candidates: number }[] = await db.query(`
      SELECT p.id, (SELECT count(*) FROM match m WHERE m.product_id = p.id)::int AS candidates FROM product p
       WHERE p.need_kind = 'LOAN' ORDER BY (SELECT count(*) FROM match m WHERE m.product_id = p.id) DESC, p.id LIMIT $1`, [Number(values.products)]);
    const rematch: { needs: number; seconds: number; baselineSeconds: number; pairs: number }[] = [];
    for (const product of chosen) {
      await db.query(`UPDATE product SET max_amount = max_amount + 100000, version = version + 1 WHERE id = $1`, [product.id]);
      const s1 = process.hrtime.bigint();
      await db.query(`SELECT need_id AS id FROM (${candidatesOfProductSql()}) c UNION SELECT m.need_id FROM match m WHERE m.product_id = $2::uuid`, [today, product.id]);
      const baselineSeconds = ms(s1) / 1000;
      const s2 = process.hrtime.bigint();
      const stats = await refreshScope(db, { kind: 'product', id: product.id });
      rematch.push({ needs: stats.needs, pairs: stats.pairs, seconds: ms(s2) / 1000, baselineSeconds });
    }

    const fullLine = full
      ? `every open need re-decided (${full.kind}) by ${full.workers} worker processes: ${full.stats.needs} needs, ${full.stats.pairs} candidate pairs, ` +
        `${full.stats.eligible} kept matches in ${fmt(full.seconds)} s (${Math.round(full.stats.needs / full.seconds)} needs/s` +
        `; all ${full.open} open needs at that rate: ${fmt(full.open / (full.stats.needs / full.seconds))} s)` +
        (full.baseline ? `; baseline, candidates from the SQL, every ${BASELINE_EVERY}th range: ${full.baseline.stats.needs} needs in ${fmt(full.baseline.seconds)} s ` +
          `(${Math.round(full.baseline.stats.needs / full.baseline.seconds)} needs/s)` : '')
      : 'full re-decision skipped';
    const rematchNeeds = rematch.reduce((a, r) => a + r.needs, 0);
    const rematchSeconds = rematch.reduce((a, r) => a + r.seconds, 0);
    const lines = [
      `scale ${scale}: ${sizes.enterprises} enterprises, ${sizes.needs} needs, ${sizes.products} products; ${fullLine}`,
      '',
      '| one new need (n = ' + one.length + ') | p50 ms | p99 ms |',
      '|---|---:|---:|',
      `| baseline: candidate SQL alone | ${fmt(percentile(base, 50))} | ${fmt(percentile(base, 99))} |`,
      `| match alone (candidates, facts, engine, writes; inside the transaction) | ${fmt(percentile(inner, 50))} | ${fmt(percentile(inner, 99))} |`,
      `| × baseline | ${fmt(percentile(inner, 50) / percentile(base, 50))} | ${fmt(percentile(inner, 99) / percentile(base, 99))} |`,
      `| insert + match + commit (avg ${fmt(eligibleCounts.reduce((a, b) => a + b, 0) / eligibleCounts.length)} eligible) | ${fmt(percentile(one, 50))} | ${fmt(percentile(one, 99))} |`,
      `| × baseline | ${fmt(percentile(one, 50) / percentile(base, 50))} | ${fmt(percentile(one, 99) / percentile(base, 99))} |`,
      '',
      '| re-match after one product changes | needs | pairs | baseline s | s | needs/s | × baseline |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rematch.map((r, i) => `| product ${i + 1} | ${r.needs} | ${r.pairs} | ${fmt(r.baselineSeconds)} | ${fmt(r.seconds)} | ${Math.round(r.needs / r.seconds)} | ${fmt(r.seconds / r.baselineSeconds)} |`),
      // The figures for a program (the last line); `ledger` is filled once the ledger's weight is measured below.
      JSON.stringify({
        scale,
        oneNeed: {
          n: inner.length, p50: round(percentile(inner, 50)), p99: round(percentile(inner, 99)),
          baselineP50: round(percentile(base, 50)), baselineP99: round(percentile(base, 99)),
          withCommitP50: round(percentile(one, 50)), withCommitP99: round(percentile(one, 99)),
        },
        rematch: {
          needsPerSecond: rematchSeconds ? Math.round(rematchNeeds / rematchSeconds) : null,
          min: rematch.length ? Math.min(...rematch.map((r) => Math.round(r.needs / r.seconds))) : null,
          max: rematch.length ? Math.max(...rematch.map((r) => Math.round(r.needs / r.seconds))) : null,
          products: rematch.length, needs: rematchNeeds, seconds: round(rematchSeconds), baselineSeconds: round(rematch.reduce((a, r) => a + r.baselineSeconds, 0)),
        },
        full: full ? {
          kind: full.kind, workers: full.workers, needs: full.stats.needs, seconds: round(full.seconds), needsPerSecond: Math.round(full.stats.needs / full.seconds),
          // Seconds for every open need at the measured rate (the index lane re-decides 9 ranges in 10 of those measured).
          open: full.open, secondsForAll: round(full.open / (full.stats.needs / full.seconds)),
          baselineNeedsPerSecond: full.baseline && full.baseline.stats.needs ? Math.round(full.baseline.stats.needs / full.baseline.seconds) : null,
        } : null,
        ledger: null,
      }),
    ];
    process.stdout.write(`${lines.slice(0, -1).join('\n')}\n`);
    // 3. One new need with 200,000 fee-subsidy bookings in the ledger against an empty ledger, interleaved.
    const ledger = values['skip-ledger'] ? null : await measureLedger(db, url, { bookings: 200_000, samples: Number(values['ledger-samples']) });
    if (ledger) process.stdout.write(`\n${ledgerLines(ledger).join('\n')}\n`);
    const figures = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    figures.ledger = ledger ? { bookings: ledger.bookings, samples: ledger.samples, emptyP50: round(ledger.empty.p50), loadedP50: round(ledger.loaded.p50), ratio: round(ledger.ratio) } : null;
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
