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
 * Also reported: the first full match of every open need (needs/s).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { todayInShanghai } from '../src/common/dates';
import { candidatesOfNeedsSql, candidatesOfProductSql } from '../src/matching/candidates';
import { refreshNeeds, refreshScope, RefreshStats } from '../src/matching/match.service';
import { generatedCode } from './generate-files';

const CHUNK = 50_000;

/** A deterministic pseudo-random integer in [0, n) from row number i and a salt, in SQL. */
const rnd = (i: string, salt: string, n: number) => `(abs(hashtext(${i}::text || '${salt}')) % ${n})`;
const pick = (i: string, salt: string, values: readonly string[]) => `(ARRAY[${values.map((v) => `'${v}'`).join(',')}])[1 + ${rnd(i, salt, values.length)}]`;

const PROVINCES = ['11', '31', '37', '34', '44', '32', '33', '42', '51', '61'];
const DISTRICTS = PROVINCES.flatMap((p) => ['01', '02', '05'].flatMap((c) => ['01', '02', '08'].map((d) => `${p}${c}${d}`)));
const SECTORS = ['INDUSTRY', 'SOFTWARE_IT', 'WHOLESALE', 'RETAIL', 'CONSTRUCTION', 'TRANSPORT'];
const SIZES = ['MICRO', 'MICRO', 'SMALL', 'SMALL', 'SMALL', 'MEDIUM', 'LARGE'];
const CHAINS = ['HYDROGEN', 'ENERGY_STORAGE', 'WIND_EQUIPMENT', 'AI', 'BIOPHARMA', 'MEDICAL_ROBOTICS'];
const TAGS = ['BLUE_ECONOMY', 'HIGH_END', 'EMERGING'];
const TIERS = ['INNOVATIVE_SME', 'SPECIALIZED_SME', 'SPECIALIZED_SME', 'LITTLE_GIANT', 'SINGLE_CHAMPION'];
const RATINGS = ['AAA', 'AA', 'AA', 'A', 'A', 'BBB', 'BB', 'B'];
const TAX = ['A', 'A', 'B', 'B', 'M', 'C'];

function bar(label: string, total: number): SingleBar {
  const b = new SingleBar({ format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} | {duration}s`, hideCursor: true, stream: process.stderr }, Presets.shades_classic);
  b.start(total, 0);
  return b;
}

/** Runs `sql` over [from, to) in chunks of row numbers ($1, $2), with a progress bar. */
async function inChunks(db: DataSource, label: string, total: number, sql: string, extra: (from: number, to: number) => unknown[] = () => []): Promise<void> {
  const b = bar(label, total);
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK);
    await db.query(sql, [from, to, ...extra(from, to)]);
    b.update(to);
  }
  b.stop();
}

interface Sizes { enterprises: number; needs: number; products: number }
interface FullMatch { stats: RefreshStats; ms: number }

async function generate(db: DataSource, scale: number): Promise<Sizes> {
  const enterprises = Math.round(1_000_000 * scale);
  const whitelisted = Math.round(100_000 * scale);
  const needs = Math.round(200_000 * scale);
  const products = Math.max(50, Math.round(5_000 * scale));
  const banks = Math.max(10, Math.round(300 * scale));
  const guarantors = 20;

  await inChunks(db, 'enterprises', enterprises, `
    INSERT INTO enterprise (credit_code, name, sector, region_code, founded_on, employees, revenue, size_class, size_standard, industry_chains, sector_tags, synthetic)
    SELECT u.code, '基准企业 ' || u.i || ' (synthetic)', ${pick('u.i', 's', SECTORS)}, ${pick('u.i', 'r', DISTRICTS)},
           date '2000-01-01' + ${rnd('u.i', 'f', 9000)}, 5 + ${rnd('u.i', 'e', 800)}, (100000 + ${rnd('u.i', 'v', 50000)} * 10000)::numeric,
           ${pick('u.i', 'z', SIZES)}, 'MIIT-2011-300',
           CASE WHEN ${rnd('u.i', 'c', 3)} = 0 THEN ARRAY[${pick('u.i', 'ch', CHAINS)}] ELSE '{}' END,
           CASE WHEN ${rnd('u.i', 't', 4)} = 0 THEN ARRAY[${pick('u.i', 'tg', TAGS)}] ELSE '{}' END, true
      FROM unnest($3::text[], $4::int[]) AS u(code, i) WHERE u.i >= $1::int AND u.i < $2::int`,
    (from, to) => {
      const ids = Array.from({ length: to - from }, (_, k) => from + k);
      return [ids.map((i) => generatedCode(i)), ids];
    });
  // The row number each firm was generated from (its code carries it).
  await db.query(`CREATE TABLE bench_firm AS SELECT substr(credit_code, 10, 8)::int AS i, id FROM enterprise WHERE synthetic AND credit_code LIKE '91______B%'`);
  await db.query(`CREATE UNIQUE INDEX ON bench_firm (i)`);

  const [{ id: whitelistId }] = await db.query(`INSERT INTO whitelist (name, publisher, created_by) VALUES ('基准白名单 (synthetic)', 'bench', 'bench') RETURNING id`);
  const [{ id: batchId }] = await db.query(`INSERT INTO whitelist_batch (whitelist_id, batch, entry_count, source, published_by) VALUES ($1, 'bench', $2, 'bench', 'bench') RETURNING id`, [whitelistId, whitelisted]);
  await inChunks(db, 'whitelist entries', whitelisted, `
    INSERT INTO whitelist_entry (whitelist_id, batch_id, enterprise_id, listed_name, tier, valid_from, valid_to)
    SELECT $3, $4, f.id, '基准企业 ' || f.i, ${pick('f.i', 'w', TIERS)}, date '2024-01-01', date '2027-12-31'
      FROM bench_firm f WHERE f.i >= $1 AND f.i < $2`, () => [whitelistId, batchId]);

  const [{ id: importId }] = await db.query(`INSERT INTO credit_import (source, as_of, record_count, imported, skipped, imported_by) VALUES ('BENCH', CURRENT_DATE - 30, 0, 0, 0, 'bench') RETURNING id`);
  await inChunks(db, 'credit records', enterprises, `
    WITH r AS (
      INSERT INTO credit_record (enterprise_id, source, as_of, import_id, rating, tax_grade, overdue_count_12m, had_bank_loan, dishonesty)
      SELECT f.id, 'BENCH', CURRENT_DATE - 30, $3, ${pick('f.i', 'cr', RATINGS)}, ${pick('f.i', 'tx', TAX)}, ${rnd('f.i', 'od', 4)}, ${rnd('f.i', 'bl', 3)} > 0,
             CASE WHEN ${rnd('f.i', 'dh', 33)} = 0 THEN '[{"kind":"ABNORMAL_OPERATION","listedOn":"2025-01-01","repairedOn":null}]'::jsonb ELSE '[]'::jsonb END
        FROM bench_firm f WHERE f.i >= $1 AND f.i < $2 AND f.i % 10 < 7
      RETURNING *)
    INSERT INTO credit_profile (enterprise_id, record_id, source, as_of, rating, tax_grade, overdue_count_12m, had_bank_loan, dishonesty, active_dishonesty)
    SELECT enterprise_id, id, source, as_of, rating, tax_grade, overdue_count_12m, had_bank_loan, dishonesty, jsonb_array_length(dishonesty) > 0 FROM r`, () => [importId]);

  // Institutions, guarantors, agreements, products, policy.
  await db.query(`INSERT INTO institution (kind, name, region_code) SELECT 'BANK', '基准银行 ' || g, ${pick('g', 'br', DISTRICTS)} FROM generate_series(0, $1 - 1) g`, [banks]);
  await db.query(`INSERT INTO institution (kind, name, region_code) SELECT 'GUARANTOR', '基准担保 ' || g, ${pick('g', 'gr', DISTRICTS)} FROM generate_series(0, $1 - 1) g`, [guarantors]);
  await db.query(`
    INSERT INTO guarantor_profile (institution_id, net_assets, net_assets_as_of, fee_rate, cap_multiple, target_multiple, opening_liability, liability)
    SELECT id, 2000000000, CURRENT_DATE, 0.008 + (${rnd('name', 'gf', 5)}) * 0.001, 10, 5, 9000000000, 9000000000 FROM institution WHERE kind = 'GUARANTOR'`);
  const [{ id: ruleId }] = await db.query(`INSERT INTO risk_sharing_rule (name, shares, coverage_ratio) VALUES ('基准 4321', '[{"party":"GUARANTOR","share":"0.4"},{"party":"RE_GUARANTOR","share":"0.3"},{"party":"BANK","share":"0.2"},{"party":"LOCAL_GOVERNMENT","share":"0.1"}]', 0.8) RETURNING id`);
  await db.query(`
    INSERT INTO cooperation_agreement (bank_id, guarantor_id, risk_sharing_rule_id)
    SELECT b.id, g.id, $1 FROM (SELECT id, row_number() OVER (ORDER BY name) n FROM institution WHERE kind = 'BANK') b
      JOIN (SELECT id, row_number() OVER (ORDER BY name) n FROM institution WHERE kind = 'GUARANTOR') g ON g.n IN (1 + b.n % 20, 1 + (b.n + 7) % 20)`, [ruleId]);
  const b = bar('products', products);
  await db.query(`
    INSERT INTO product (institution_id, name, kind, need_kind, min_amount, max_amount, min_term_months, max_term_months, min_annual_rate, max_annual_rate,
                         requires_guarantee, region_prefixes, industry_chains, whitelist_tier_at_least, min_rating, no_active_dishonesty, max_overdue_count_12m,
                         equity_stages, max_pre_money_valuation)
    SELECT bk.id, '基准产品 ' || g, k.kind, k.need_kind,
           (${rnd('g', 'mn', 10)} * 100000)::numeric, (1000000 + ${rnd('g', 'mx', 30)} * 1000000)::numeric, 1, (ARRAY[12, 24, 36, 60])[1 + ${rnd('g', 'tm', 4)}],
           CASE WHEN k.need_kind = 'LOAN' THEN 0.03 + ${rnd('g', 'rt', 30)} * 0.001 END, CASE WHEN k.need_kind = 'LOAN' THEN 0.08 END,
           k.kind = 'GUARANTEED_LOAN',
           CASE WHEN ${rnd('g', 'rp', 10)} < 8 THEN ARRAY[${pick('g', 'pp', PROVINCES)}] ELSE '{}' END,
           CASE WHEN ${rnd('g', 'pc', 10)} < 3 THEN ARRAY[${pick('g', 'pch', CHAINS)}] ELSE '{}' END,
           CASE WHEN ${rnd('g', 'pw', 10)} < 2 THEN 'SPECIALIZED_SME' END,
           CASE WHEN ${rnd('g', 'pr', 10)} < 4 THEN 'A' END,
           ${rnd('g', 'pd', 2)} = 0,
           CASE WHEN ${rnd('g', 'po', 3)} = 0 THEN 1 END,
           CASE WHEN k.need_kind = 'EQUITY' THEN ARRAY['ANGEL', 'SERIES_A', 'SERIES_B'] ELSE '{}' END,
           CASE WHEN k.need_kind = 'EQUITY' THEN 2000000000 END
      FROM generate_series(0, $1 - 1) g
      JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM institution WHERE kind = 'BANK') bk ON bk.n = g % $2
      CROSS JOIN LATERAL (SELECT CASE WHEN ${rnd('g', 'k', 20)} = 0 THEN 'EQUITY_INVESTMENT' WHEN ${rnd('g', 'k', 20)} < 3 THEN 'GUARANTEED_LOAN'
                                      WHEN ${rnd('g', 'k', 20)} < 5 THEN 'TURNOVER_FUND' ELSE 'CREDIT_LOAN' END AS kind) k0
      CROSS JOIN LATERAL (SELECT k0.kind, CASE WHEN k0.kind = 'EQUITY_INVESTMENT' THEN 'EQUITY' ELSE 'LOAN' END AS need_kind) k`, [products, banks]);
  b.update(products);
  b.stop();
  await db.query(`INSERT INTO benchmark_rate (code, effective_from, rate) VALUES ('PBOC_1Y', '2015-10-24', 0.0435) ON CONFLICT DO NOTHING`);
  const [{ id: poolId }] = await db.query(`INSERT INTO risk_compensation_pool (name, capacity) VALUES ('基准资金池', 300000000) RETURNING id`);
  await db.query(`
    INSERT INTO policy_rule (code, version, kind, pool_id, params, product_kinds, sector_tags, created_by) VALUES
      ('B-RC', 1, 'RISK_COMPENSATION', $1, '{"commitmentRatio":"0.05","lossShare":"1"}', '{CREDIT_LOAN}', '{BLUE_ECONOMY,HIGH_END,EMERGING}', 'bench'),
      ('B-FEE', 1, 'GUARANTEE_FEE_SUBSIDY', NULL, '{"benchmarkCode":"PBOC_1Y","ratioOfBenchmark":"0.5","annualCapPerGuarantor":"3000000"}', '{}', '{}', 'bench'),
      ('B-RISK', 1, 'GUARANTEE_RISK_SUBSIDY', NULL, '{"ratio":"0.015"}', '{}', '{}', 'bench'),
      ('B-TURNOVER', 1, 'TURNOVER_FUND_SUBSIDY', NULL, '{"ratio":"0.003"}', '{}', '{}', 'bench'),
      ('B-INTEREST', 1, 'INTEREST_SUBSIDY', NULL, '{"ratio":"0.2"}', '{CREDIT_LOAN}', '{}', 'bench')`, [poolId]);

  await inChunks(db, 'open needs', needs, `
    INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, max_annual_rate, accept_guarantee, equity_stage, pre_money_valuation, posted_by)
    SELECT f.id, CASE WHEN x.equity THEN 'EQUITY' ELSE 'LOAN' END, ${pick('g', 'nc', ['MINI_PROGRAM', 'WEB', 'BANK_REFERRAL', 'ROADSHOW'])},
           (100000 + ${rnd('g', 'na', 200)} * 100000)::numeric,
           CASE WHEN NOT x.equity THEN (ARRAY[6, 12, 24, 36])[1 + ${rnd('g', 'nt', 4)}] END,
           CASE WHEN NOT x.equity THEN 0.045 + ${rnd('g', 'nr', 40)} * 0.001 END, NOT x.equity,
           CASE WHEN x.equity THEN 'SERIES_A' END, CASE WHEN x.equity THEN 500000000 END, 'bench'
      FROM generate_series($1, $2 - 1) g
      CROSS JOIN LATERAL (SELECT ${rnd('g', 'ne', 20)} = 0 AS equity) x
      JOIN bench_firm f ON f.i = ${rnd('g', 'nf', enterprises)}
    ON CONFLICT DO NOTHING`);
  await db.query('ANALYZE');
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM financing_need`);
  return { enterprises, needs: n, products };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
const fmt = (v: number) => v.toFixed(2);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scale: { type: 'string', default: '1' }, samples: { type: 'string', default: '400' }, products: { type: 'string', default: '5' },
    // A data directory kept between runs: the data is generated (and fully matched) once, then reused.
    keep: { type: 'string' },
    // Measure without the first full match (at scale 1 it takes most of an hour on 2 cores).
    'skip-full': { type: 'boolean', default: false },
  } });
  const scale = Number(values.scale);
  const samples = Number(values.samples);
  const log = pino({ level: 'warn' });
  let url = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  let dir: string | undefined;
  if (!url) {
    const kept = values.keep ? path.resolve(values.keep) : undefined;
    if (kept) fs.mkdirSync(kept, { recursive: true, mode: 0o755 });
    else dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-bench-match-'));
    const home = kept ?? dir!;
    fs.chmodSync(home, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(home, 'pg'), port: 56000 + Math.floor(Math.random() * 3000), database: 'finmatch', log });
    url = pg.url;
    stop = pg.stop;
  }
  const db = createDataSource({ url, poolSize: 4 });
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const started = Date.now();
    await db.query(`CREATE TABLE IF NOT EXISTS bench_run (scale numeric PRIMARY KEY, sizes jsonb NOT NULL, full_match jsonb)`);
    const [previous]: { sizes: Sizes; full_match: FullMatch | null }[] = await db.query(`SELECT sizes, full_match FROM bench_run WHERE scale = $1`, [scale]);
    const sizes = previous?.sizes ?? await generate(db, scale);
    if (!previous) await db.query(`INSERT INTO bench_run (scale, sizes) VALUES ($1, $2)`, [scale, JSON.stringify(sizes)]);
    process.stderr.write(`${previous ? 'reused' : 'generated'} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(sizes)}\n`);

    let first = previous?.full_match ?? null;
    if (!first && values['skip-full']) {
      const [{ n }] = await db.query(`SELECT count(DISTINCT need_id)::int AS n FROM match`);
      first = { stats: { needs: n, pairs: 0, eligible: 0, removed: 0 }, ms: Number.NaN };
      process.stderr.write(`first full match skipped: ${n} needs have matches from earlier runs\n`);
    } else if (!first) {
      const t0 = process.hrtime.bigint();
      first = { stats: await refreshScope(db, { kind: 'all' }), ms: ms(t0) };
      // What autovacuum would do after a load this size; the measurements below run on current statistics.
      await db.query('ANALYZE');
      await db.query(`UPDATE bench_run SET full_match = $2 WHERE scale = $1`, [scale, JSON.stringify(first)]);
    }
    const { stats: full, ms: fullMs } = first;
    const measured = Number.isFinite(fullMs);
    if (measured) process.stderr.write(`first full match${previous?.full_match ? ' (earlier run)' : ''}: ${JSON.stringify(full)} in ${fmt(fullMs / 1000)} s\n`);

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

    const lines = [
      `scale ${scale}: ${sizes.enterprises} enterprises, ${sizes.needs} needs, ${sizes.products} products; ` +
        (measured
          ? `first full match ${full.needs} needs, ${full.eligible} eligible matches in ${fmt(fullMs / 1000)} s (${Math.round(full.needs / (fullMs / 1000))} needs/s)`
          : `first full match skipped (${full.needs} needs have matches from earlier runs; a product's re-match then decides only those and its new candidates)`),
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
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (db.isInitialized) await db.destroy();
    await stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
