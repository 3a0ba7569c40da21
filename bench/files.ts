/**
 * npm run bench:files
 *
 * Hostile import files against the real command (SECURITY.md "Files from outside"): generates the XLSX
 * bombs of issue 11 (a 300 KiB file declaring one 300 MB cell, the same with sizes that lie, a 200 MB
 * cell under the byte limit, 2,000,000 identical rows) and the text files that reach the row limit, then
 * runs `npm run import:whitelist` on each as a child process under /usr/bin/time, printing the exit
 * status, the refusal, the wall and CPU time to it (Node and ts-node start-up included) and the
 * command's peak RSS. The first row is the command's start-up alone (a file that does not exist: exit 2
 * after every module is loaded), to subtract from the others. The refusal comes before the database is opened, so none is needed: DATABASE_URL
 * points at a closed port, and a file that got as far as writing would fail loudly instead.
 * Limits are the defaults unless FILE_MAX_* are set in the environment.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeHugeCellXlsx, writeManyRowsCsv, writeManyRowsXlsx } from './hostile-files';

const DIR = path.resolve(__dirname, 'tmp', 'files');

interface Case {
  name: string;
  file: string;
  make: (file: string) => Promise<void>;
}

const CASES: Case[] = [
  { name: 'XLSX, one 300 MB cell (sizes declared)', file: 'cell-300mb.xlsx', make: (f) => writeHugeCellXlsx(f, 300_000_000) },
  { name: 'XLSX, one 300 MB cell (1 KB declared, data descriptor)', file: 'cell-300mb-lying.xlsx', make: (f) => writeHugeCellXlsx(f, 300_000_000, { declaredSize: 1000, descriptor: true }) },
  { name: 'XLSX, one 200 MB cell (under the byte limit)', file: 'cell-200mb.xlsx', make: (f) => writeHugeCellXlsx(f, 200_000_000) },
  { name: 'XLSX, 2,000,000 identical rows', file: 'rows-2m.xlsx', make: (f) => writeManyRowsXlsx(f, 2_000_000) },
  { name: 'XLSX, 300,000 identical rows (under the byte limit)', file: 'rows-300k.xlsx', make: (f) => writeManyRowsXlsx(f, 300_000) },
  { name: 'CSV, 2,000,000 identical rows', file: 'rows-2m.csv', make: (f) => writeManyRowsCsv(f, 2_000_000) },
];

interface Run {
  code: number;
  refusal: string;
  seconds: number;
  /** User + system CPU: less disturbed than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMiB: number;
}

function importWhitelist(file: string): Promise<Run> {
  const args = ['-f', '%e %U %S %M', process.execPath, require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'src/cli/import-whitelist.ts', file, '--whitelist', 'bench', '--batch', '1', '--lang', 'en'];
  const env = { ...process.env, DATABASE_URL: 'postgres://bench:bench@127.0.0.1:9/none', LOG_LEVEL: 'warn' };
  return new Promise((resolve) => {
    execFile('/usr/bin/time', args, { env, cwd: path.resolve(__dirname, '..'), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // /usr/bin/time writes its figures as the last line of stderr.
      const [seconds, user, system, kib] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
      const refusal = stdout.split('\n').find((line) => /^(file|row \d+)/.test(line)) ?? stdout.trim().split('\n')[0] ?? '';
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, refusal, seconds, cpuSeconds: Number((user + system).toFixed(2)), peakRssMiB: Math.round(kib / 1024) });
    });
  });
}

async function main(): Promise<void> {
  fs.mkdirSync(DIR, { recursive: true });
  const results = [];
  const startup = await importWhitelist(path.join(DIR, 'no-such-file.csv'));
  results.push({ case: 'start-up only (no such file)', fileKiB: 0, ...startup });
  for (const c of CASES) {
    const file = path.join(DIR, c.file);
    if (!fs.existsSync(file)) await c.make(file);
    const run = await importWhitelist(file);
    const size = fs.statSync(file).size;
    results.push({ case: c.name, fileKiB: Math.round(size / 1024), ...run });
    process.stderr.write(`${c.name}: exit ${run.code} in ${run.seconds} s (CPU ${run.cpuSeconds} s), peak RSS ${run.peakRssMiB} MiB\n  ${run.refusal}\n`);
  }
  process.stdout.write('\n| file | size KiB | exit | refusal | wall s | CPU s | CPU s beyond start-up | peak RSS MiB |\n|---|---:|---:|---|---:|---:|---:|---:|\n');
  for (const r of results) {
    const beyond = (r.cpuSeconds - startup.cpuSeconds).toFixed(1);
    process.stdout.write(`| ${r.case} | ${r.fileKiB.toLocaleString('en')} | ${r.code} | ${r.refusal.replace(/\|/g, '\\|')} | ${r.seconds} | ${r.cpuSeconds} | ${beyond} | ${r.peakRssMiB} |\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
