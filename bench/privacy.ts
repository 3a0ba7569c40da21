/**
 * npm run bench:privacy [-- --scale 1 --samples 60]
 *
 * What R10's audit of filtered reads costs a bank's whitelist page (issue 11, §5). At scale 1: 100,000
 * whitelist entries with a credit profile each (DOMAIN §6), published and imported through the same
 * bulk paths as `npm run import:whitelist` / `import:credit`, in an embedded PostgreSQL in a temporary
 * directory (or BENCH_DATABASE_URL's server). Then, over HTTP against the real server, p50 and p95 of:
 *   1. the page without credit criteria (no audit: the baseline);
 *   2. the page with a credit criterion: the page, its per-firm CreditAccess rows and the filter read
 *      with its counts (firms read, kept: over the part of the list the page's answer depends on, from
 *      its cursor to its last row), all in one audit statement;
 *   3. the same page asking `totalCount` as well: one statement over the whole list answers the count
 *      and the audit's firms read and kept.
 * Samples alternate the three, so drift on the shared machine falls on all alike: compare 2 and 3 with
 * 1 of the same run. `--explain` prints the plans of the first page's statement and of its window count.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { signToken } from '../src/auth/jwt';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { writeImport } from '../src/credit/credit.service';
import { createServer, stopServer } from '../src/server';
import { todayInShanghai } from '../src/common/dates';
import { creditFilterCountsSql, creditFilteredPageQuery, filteredListCounts, writeBatch } from '../src/whitelists/whitelist.service';
import { generatedCode } from './generate-files';

const RATINGS = ['AAA', 'AA', 'AA', 'A', 'A', 'BBB', 'BB', 'B'] as const;
const TAX = ['A', 'A', 'B', 'B', 'M', 'C'] as const;
const TIERS = ['INNOVATIVE_SME', 'SPECIALIZED_SME', 'LITTLE_GIANT', 'SINGLE_CHAMPION'] as const;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (v: number) => v.toFixed(1);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, samples: { type: 'string', default: '60' }, explain: { type: 'boolean', default: false } } });
  const scale = Number(values.scale);
  const samples = Number(values.samples);
  const log = pino({ level: 'warn' });
  let url = process.env.BENCH_DATABASE_URL;
  let stopPg = async () => {};
  let dir: string | undefined;
  if (!url) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-bench-privacy-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: 56000 + Math.floor(Math.random() * 3000), database: 'finmatch', log });
    url = pg.url;
    stopPg = pg.stop;
  }
  const db = createDataSource({ url, poolSize: 8 });
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const entries = Math.round(100_000 * scale);
    const codes = Array.from({ length: entries }, (_, i) => generatedCode(i));
    const started = Date.now();
    await db.transaction(async (em) => {
      const written = await writeBatch(em, {
        whitelistName: '基准白名单', batch: '1', source: 'BENCH', publishedBy: 'bench',
        entries: codes.map((creditCode, i) => ({ creditCode, name: `基准企业 ${i} (synthetic)`, tier: TIERS[i % TIERS.length], validFrom: '2024-01-01', validTo: '2099-12-31' })),
      });
      if (!written.ok) throw new Error(JSON.stringify(written.failures));
      await writeImport(em, {
        source: 'BENCH', asOf: '2026-11-01', importedBy: 'bench',
        records: codes.map((creditCode, i) => ({ creditCode, rating: RATINGS[i % RATINGS.length], taxGrade: TAX[i % TAX.length], overdueCount12m: i % 4, dishonesty: [] })),
      });
    });
    await db.query('ANALYZE');
    const [bank] = await db.query(`INSERT INTO institution (kind, name) VALUES ('BANK', '基准银行') RETURNING id`);
    process.stderr.write(`generated ${entries} whitelist entries with credit profiles in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

    const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: '0' });
    const server = await createServer(db, config, pino({ level: 'silent' }));
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
    const token = signToken({ sub: 'bench-bank', role: 'BANK', institutionId: Buffer.from(`Institution:${bank.id}`).toString('base64url') }, config.jwtSecret);
    const page = async (filter: Record<string, unknown>, count: boolean): Promise<number> => {
      const query = `query($filter: WhitelistFilter) { whitelist(filter: $filter, first: 20) { ${count ? 'totalCount' : ''} edges { node { id tier enterprise { creditCode } } } } }`;
      const t0 = process.hrtime.bigint();
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables: { filter } }) });
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['1. page of 20, tier ≥ SPECIALIZED_SME (no credit criteria, no audit)', { tierAtLeast: 'SPECIALIZED_SME' }, false],
      ['2. + minRating A: page, per-firm reads and the filter read with its counts', { tierAtLeast: 'SPECIALIZED_SME', minRating: 'A' }, false],
      ['3. as 2, with totalCount', { tierAtLeast: 'SPECIALIZED_SME', minRating: 'A' }, true],
    ];
    const times = cases.map(() => [] as number[]);
    for (let i = 0; i < 5; i += 1) for (const [, filter, count] of cases) await page(filter, count); // warm-up
    for (let i = 0; i < samples; i += 1) {
      for (const [k, [, filter, count]] of cases.entries()) times[k].push(await page(filter, count));
    }
    // Absent before the filter audit existed (the bench also runs on older code, for the before figures).
    const [{ audited }] = await db.query(`SELECT to_regclass('credit_filter_read') IS NOT NULL AS audited`);
    if (values.explain && audited) {
      // The first page's statement (one ordered scan numbering the rows), its window's count (the rows it
      // read, by the same index range), then the whole list (what totalCount and its audit share).
      const filter = { tierAtLeast: 'SPECIALIZED_SME', minRating: 'A' } as never;
      const ctx = { db, config } as never;
      const today = todayInShanghai();
      const explain = async ([sql, params]: [string, unknown[]]) => {
        const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        process.stderr.write(`${plan.map((r) => r['QUERY PLAN']).join('\n')}\n\n`);
      };
      const pageQuery = creditFilteredPageQuery(ctx, filter, 20, null, today);
      await explain(pageQuery.getQueryAndParameters());
      const { raw } = await pageQuery.getRawAndEntities<{ we_created_at: Date; we_id: string; p_scanned: string }>();
      const last = raw[19];
      await explain(creditFilterCountsSql(ctx, filter, { after: null, through: [last.we_created_at.toISOString(), last.we_id], rows: Number(last.p_scanned) }, today));
      const t0 = Date.now();
      const counts = await filteredListCounts(ctx, filter, today);
      process.stderr.write(`whole list (totalCount and its audit, one statement): ${JSON.stringify(counts)} in ${Date.now() - t0} ms\n`);
    }
    const [read] = audited ? await db.query(`SELECT read_count, kept_count, returned_count FROM credit_filter_read ORDER BY created_at DESC, id DESC LIMIT 1`) : [null];
    const lines = [
      `whitelist page at scale ${scale} (${entries} entries), ${samples} samples each, ms over HTTP:`,
      '| case | p50 | p95 |',
      '|---|---:|---:|',
      ...cases.map(([label], k) => {
        const sorted = [...times[k]].sort((a, b) => a - b);
        return `| ${label} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 95))} |`;
      }),
      read ? `last filter read: ${read.read_count} firms read, ${read.kept_count} kept, ${read.read_count - read.kept_count} excluded, ${read.returned_count} returned` : 'no filter reads recorded (code before the filter audit)',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await stopServer(server);
  } finally {
    if (db.isInitialized) await db.destroy();
    await stopPg();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
