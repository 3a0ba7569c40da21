/**
 * The DOMAIN §6 market, generated in SQL for the benchmarks (bench:match, bench:api): at scale 1 it is
 * 1,000,000 enterprises, 100,000 whitelist entries, 700,000 credit profiles, 200,000 open needs, 5,000
 * products from 300 banks with 20 guarantors and agreements, and policy rules. Deterministic: a row's
 * values are hashes of its row number. Every generated firm is flagged synthetic.
 */
import { Presets, SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';
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

export function bar(label: string, total: number): SingleBar {
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

export interface Sizes { enterprises: number; needs: number; products: number }

export async function generate(db: DataSource, scale: number): Promise<Sizes> {
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
