/**
 * npm run bench:ratelimit [-- --requests 600 --concurrency 40]
 *
 * Issue 11 §1: rate-limit counters hold across API processes. Starts one embedded PostgreSQL in a
 * temporary directory (or uses BENCH_DATABASE_URL's server), applies the migrations, then starts two
 * real API processes (src/main.ts, on 127.0.0.1) on that one database with the production default limits
 * (RATE_LIMIT_* may override them), and sends a burst of requests from one ANALYST token, alternating
 * between the two. Prints how many got 200 and how many 429 at each process: with shared counters the
 * 200s add up to the per-subject limit, not twice it. Then, in this process, times the check itself:
 * `consume` for an address, a subject and an institution (three upserts in parallel), p50 and p99 over
 * --checks sequential calls. Everything stops by itself when done.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { signToken } from '../src/auth/jwt';
import { createRateLimiters } from '../src/auth/rate-limits';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';

const ROOT = path.resolve(__dirname, '..');

function startApi(port: number, databaseUrl: string): ChildProcess {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: '0', LOG_LEVEL: 'error', NODE_ENV: 'development', JWT_SECRET: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function ready(port: number, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`the API on port ${port} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopApi(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '600' }, concurrency: { type: 'string', default: '40' }, checks: { type: 'string', default: '2000' } } });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', JWT_SECRET: '' });
  const log = pino({ level: 'warn' });

  let url = process.env.BENCH_DATABASE_URL;
  let stopPg = async () => {};
  let dir: string | undefined;
  if (!url) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-bench-ratelimit-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: 56000 + Math.floor(Math.random() * 3000), database: 'finmatch', log });
    url = pg.url;
    stopPg = pg.stop;
  }
  const apis: ChildProcess[] = [];
  try {
    // Migrate once here, so the two processes do not race each other through the migrations.
    const db = createDataSource({ url, poolSize: 1 });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    await db.query('DELETE FROM rate_limit');
    await db.destroy();

    const ports = [57000 + Math.floor(Math.random() * 1000), 58000 + Math.floor(Math.random() * 1000)];
    for (const port of ports) apis.push(startApi(port, url));
    await Promise.all(ports.map((port) => ready(port)));

    const token = signToken({ sub: 'bench-analyst', role: 'ANALYST' }, config.jwtSecret);
    const counts = ports.map(() => ({ ok: 0, limited: 0, other: 0 }));
    let next = 0;
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (next < requests) {
        const i = next++;
        const at = i % ports.length;
        const res = await fetch(`http://127.0.0.1:${ports[at]}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ viewer { sub } }' }),
        });
        await res.arrayBuffer();
        if (res.status === 200) counts[at].ok += 1;
        else if (res.status === 429) counts[at].limited += 1;
        else counts[at].other += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const total = counts.reduce((sum, c) => ({ ok: sum.ok + c.ok, limited: sum.limited + c.limited, other: sum.other + c.other }), { ok: 0, limited: 0, other: 0 });
    const lines = [
      `${requests} requests from one token over 2 API processes on one database, ${concurrency} in flight, ${seconds.toFixed(2)} s`,
      `per-subject limit: ${config.rateLimits.perSubject} per ${config.rateLimits.windowSeconds} s (RATE_LIMIT_PER_SUBJECT)`,
      '',
      '| process | 200 | 429 | other |',
      '|---|---:|---:|---:|',
      ...counts.map((c, i) => `| API ${i + 1} (port ${ports[i]}) | ${c.ok} | ${c.limited} | ${c.other} |`),
      `| both | ${total.ok} | ${total.limited} | ${total.other} |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    // The check's own cost: the three upserts sent in parallel, one connection each.
    const checkDb = createDataSource({ url, poolSize: 3 });
    await checkDb.initialize();
    const limiters = createRateLimiters(checkDb, { ...config.rateLimits, perSubject: 1e9, perInstitution: 1e9, perAddress: 1e9 });
    const checks = Number(values.checks);
    const ms: number[] = [];
    for (let i = 0; i < checks; i++) {
      const t0 = process.hrtime.bigint();
      await limiters.consume({ address: `198.51.100.${i % 200}`, subject: `bench-${i % 500}`, institutionId: `00000000-0000-0000-0000-${String(i % 50).padStart(12, '0')}` });
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    await checkDb.destroy();
    ms.sort((a, b) => a - b);
    const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(2);
    process.stdout.write(`\nrate-limit check (address + subject + institution), ${checks} sequential: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms\n`);
  } finally {
    await Promise.all(apis.map(stopApi));
    await stopPg();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
