/**
 * npm run bench:claims [-- --scale 0.1] [--samples 60]
 *
 * What matching's claim gate costs (issue 11 §6): a need is a candidate only when no claim on its firm is
 * PENDING or CONTESTED (`unsettledClaimSql`, an anti-join on ix_enterprise_claim_unsettled). Generates, at
 * scale 1, 1,000,000 firms (10 % with a PENDING claim, 30 % VERIFIED), 200,000 open needs and 5,000
 * products (each fits one fortieth of the needs by amount) in an embedded PostgreSQL in a temporary directory, then times the candidate SQL of both sides
 * — a chunk of 200 needs (refreshInFull's) and one product's needs — with the gate and, interleaved in the
 * same run, the same SQL with the gate taken out. Prints p50 and p99 of each.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { todayInShanghai } from '../src/common/dates';
import { unsettledClaimSql } from '../src/enterprises/claim.rules';
import { candidatesOfNeedsSql, candidatesOfProductSql } from '../src/matching/candidates';
import { generatedCode } from './generate-files';

const GATE = `AND NOT ${unsettledClaimSql('n.enterprise_id')}`;
const ungated = (sql: string) => {
  if (!sql.includes(GATE)) throw new Error('the candidate SQL carries no claim gate');
  return sql.split(GATE).join('');
};

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.1' }, samples: { type: 'string', default: '60' } } });
  const scale = Number(values.scale);
  const samples = Number(values.samples);
  const firms = Math.round(1_000_000 * scale);
  const needs = Math.round(200_000 * scale);
  const products = Math.max(50, Math.round(5_000 * scale));
  const log = pino({ level: 'warn' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-bench-claims-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: 59000 + Math.floor(Math.random() * 900), database: 'finmatch', log });
  const db = createDataSource({ url: pg.url, poolSize: 2 });
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const codes = Array.from({ length: firms }, (_, i) => generatedCode(i));
    for (let from = 0; from < firms; from += 50_000) {
      await db.query(
        `INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard, founded_on, synthetic)
         SELECT c, 'bench ' || c, 'INDUSTRY', '370212', 'SMALL', 'MIIT-2011-300', date '2010-01-01', true FROM unnest($1::text[]) AS c`,
        [codes.slice(from, from + 50_000)],
      );
    }
    await db.query(`CREATE TABLE bench_firm AS SELECT row_number() OVER (ORDER BY credit_code) AS i, id FROM enterprise`);
    await db.query(`
      INSERT INTO enterprise_claim (enterprise_id, sub, status, evidence)
      SELECT id, 'bench-' || i, CASE WHEN i % 10 = 0 THEN 'PENDING' ELSE 'VERIFIED' END, CASE WHEN i % 10 = 0 THEN NULL ELSE 'TOKEN_CLAIM' END
        FROM bench_firm WHERE i % 10 IN (0, 1, 2, 3)`);
    await db.query(`
      INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, posted_by)
      SELECT f.id, 'LOAN', 'WEB', (1000000 + (g % 40) * 250000)::numeric, 12, 'bench'
        FROM generate_series(1, $1::int) AS g JOIN bench_firm f ON f.i = 1 + (g * 7919) % $2::int`, [needs, firms]);
    const [{ id: bank }] = await db.query(`INSERT INTO institution (kind, name) VALUES ('BANK', 'bench bank') RETURNING id`);
    await db.query(`
      INSERT INTO product (institution_id, name, kind, need_kind, min_amount, max_amount)
      SELECT $1, 'p' || g, 'CREDIT_LOAN', 'LOAN', (1000000 + (g % 40) * 250000)::numeric, (1200000 + (g % 40) * 250000)::numeric
        FROM generate_series(1, $2::int) AS g`, [bank, products]);
    await db.query('VACUUM ANALYZE');

    const today = todayInShanghai();
    const needIds: string[] = (await db.query(`SELECT id FROM financing_need ORDER BY id`)).map((r: { id: string }) => r.id);
    const productIds: string[] = (await db.query(`SELECT id FROM product ORDER BY id`)).map((r: { id: string }) => r.id);
    const chunkSql = candidatesOfNeedsSql('n.id = ANY($2::uuid[])');
    const productSql = candidatesOfProductSql();
    const timings = { chunk: [[], []] as number[][], product: [[], []] as number[][] };
    const time = async (sql: string, params: unknown[]) => {
      const t0 = process.hrtime.bigint();
      const rows = await db.query(sql, params);
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, rows: rows.length as number };
    };
    const rows = [0, 0];
    for (let s = 0; s < samples; s++) {
      const offset = (s * 997) % Math.max(1, needIds.length - 200);
      const chunk = needIds.slice(offset, offset + 200);
      const product = productIds[(s * 31) % productIds.length];
      // Interleaved, so both see the same load.
      for (const [k, sql] of [[0, chunkSql], [1, ungated(chunkSql)]] as const) {
        const r = await time(sql, [today, chunk]);
        timings.chunk[k].push(r.ms);
        rows[k] += r.rows;
      }
      for (const [k, sql] of [[0, productSql], [1, ungated(productSql)]] as const) timings.product[k].push((await time(sql, [today, product])).ms);
    }
    const line = (name: string, [gated, bare]: number[][]) =>
      `${name}: gated p50 ${quantile(gated, 0.5).toFixed(2)} ms, p99 ${quantile(gated, 0.99).toFixed(2)} ms; without the gate p50 ${quantile(bare, 0.5).toFixed(2)} ms, p99 ${quantile(bare, 0.99).toFixed(2)} ms`;
    process.stdout.write(
      `scale ${scale}: ${firms} firms (10 % PENDING claims, 30 % VERIFIED), ${needs} needs, ${products} products, ${samples} samples each\n` +
      `${line('candidates of 200 needs', timings.chunk)}\n` +
      `${line('candidates of one product', timings.product)}\n` +
      `pairs kept with the gate ${rows[0]}, without ${rows[1]} (the gate drops the needs of firms with a PENDING claim)\n`,
    );
  } finally {
    if (db.isInitialized) await db.destroy();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
