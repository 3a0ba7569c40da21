/**
 * npm run bench:abuse [-- --url http://localhost:4000] [--timeout 120] [--runs 5] [--case 10^8] [--root <checkout>]
 *
 * Issue 11 §1's abusive documents against a real server: by default this starts src/main.ts in a child
 * process (embedded PostgreSQL in a temporary directory, no demo data; --root: another checkout's, e.g. the
 * code before the fix), or uses a running one (--url; its JWT_SECRET must be the development one). For each document it times the answer, times one /healthz
 * sent 20 ms after it (the event loop is shared: a held loop holds /healthz too), and samples the
 * server's resident memory (RSS, Linux /proc) every 20 ms while the request runs. Each document is sent
 * --runs times: the table gives the first run (the JIT compiling that path) and the median of the others.
 *
 * The token is an ENTERPRISE that never registered: any valid token reaches the analysis.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate } from 'graphql';
import { signToken } from '../src/auth/jwt';
import { queryLimits } from '../src/common/limits.plugin';
import { estimateCost } from '../src/common/query-cost';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';
import { finmatchSchema } from '../src/schema';
import { aliasFlood, fragmentBomb } from './abuse-documents';

const { values: args } = parseArgs({ options: { url: { type: 'string' }, timeout: { type: 'string', default: '120' }, case: { type: 'string' }, root: { type: 'string' }, runs: { type: 'string', default: '5' } } });
const TIMEOUT_MS = Number(args.timeout) * 1000;
const RUNS = Number(args.runs);

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: 'fragments, 10^7 spreads', query: fragmentBomb(7) },
  { name: 'fragments, 10^8 spreads', query: fragmentBomb(8) },
  { name: '10,000 aliases of a totalCount', query: aliasFlood(10_000) },
  { name: 'status list of 100,000 (variable)', query: 'query ($s: [NeedStatus!]) { financingNeeds(first: 1, filter: { status: $s }) { totalCount } }', variables: { s: Array(100_000).fill('OPEN') } },
  { name: 'status list of 100,000 (literal)', query: `{ financingNeeds(first: 1, filter: { status: [${Array(100_000).fill('OPEN').join(',')}] }) { totalCount } }` },
  { name: '3,000 repeated fields (field merging)', query: `{ viewer { ${Array(2_990).fill('role').join(' ')} } }` },
  { name: 'baseline: { __typename } (no database)', query: '{ __typename }' },
  { name: 'baseline: a page of needs with totalCount', query: '{ viewer { role } financingNeeds(first: 20, filter: { status: [OPEN] }) { totalCount edges { node { id amount } } } }' },
];

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

async function startServer(): Promise<{ url: string; child: ChildProcess; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-abuse-'));
  const [port, pgPort] = [await freePort(), await freePort()];
  const root = path.resolve(args.root ?? path.join(__dirname, '..'));
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), DEMO_DATA: '0', MATCH_WORKER: '0', LOG_LEVEL: 'warn', JWT_SECRET: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (Date.now() - started > 120_000) throw new Error('the server did not start in 120 s');
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, dataDir };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T | null; error?: string }> {
  const started = performance.now();
  try {
    const value = await run();
    return { ms: Math.round(performance.now() - started), value };
  } catch (error) {
    return { ms: Math.round(performance.now() - started), value: null, error: (error as Error).name === 'TimeoutError' ? 'no answer' : String(error) };
  }
}

async function runOnce(url: string, token: string, pid: number | undefined, c: Case) {
  const body = JSON.stringify({ query: c.query, variables: c.variables });
  let peak = rssMb(pid) ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid) ?? 0)), 20);
  const request = timed(async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const json = (await res.json()) as { errors?: { message: string; extensions?: { code?: string; limit?: string } }[] };
    const error = json.errors?.[0];
    return `${res.status} ${error ? `${error.extensions?.code}${error.extensions?.limit ? ` (${error.extensions.limit})` : ''}` : 'data'}`;
  });
  await new Promise((r) => setTimeout(r, 20));
  const health = timed(async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).status);
  const [answer, healthz] = await Promise.all([request, health]);
  clearInterval(sampler);
  return { bytes: Buffer.byteLength(body), answer, healthz, peak: Math.max(peak, rssMb(pid) ?? 0) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** RUNS times (once if it gets no answer: the server is still busy with it). */
async function runCase(url: string, token: string, pid: number | undefined, c: Case) {
  const before = rssMb(pid);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await runOnce(url, token, pid, c);
    runs.push(run);
    if (run.answer.error) break;
  }
  const [first] = runs;
  // The median leaves out the first run, which includes the JIT compiling that path.
  const warm = runs.length > 1 ? runs.slice(1) : runs;
  return {
    document: c.name,
    bytes: first.bytes,
    answer: first.answer.value ?? first.answer.error,
    runs: runs.length,
    'answer ms first': first.answer.ms,
    'answer ms median': median(warm.map((r) => r.answer.ms)),
    'healthz ms first': first.healthz.error ? `${first.healthz.ms} (${first.healthz.error})` : first.healthz.ms,
    'healthz ms median': median(warm.map((r) => r.healthz.ms)),
    'rss before MB': before ?? '—',
    'rss peak MB': pid ? Math.max(...runs.map((r) => r.peak)) : '—',
  };
}

/** The analysis alone, in this process: parse (token limit), validation (graphql-js's rules and the limits'), cost. */
async function analysisTimes(c: Case) {
  const schema = await finmatchSchema();
  const { limits } = loadConfig({});
  const { parseOptions, validationRules } = queryLimits(limits);
  const ms = (run: () => unknown) => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };
  const phases = { parse: [] as number[], validate: [] as number[], cost: [] as number[] };
  let outcome = 'passes';
  // Three runs first, untimed: the JIT warms up as it does in a server that has run a while.
  for (let i = -3; i < RUNS; i++) {
    if (i === 0) Object.values(phases).forEach((xs) => xs.splice(0));
    let document;
    try {
      const parsing = performance.now();
      try {
        document = parse(c.query, parseOptions);
      } finally {
        phases.parse.push(performance.now() - parsing);
      }
    } catch (error) {
      outcome = `parse: ${(error as GraphQLError).message.slice(0, 40)}`;
      continue;
    }
    let errors: readonly GraphQLError[] = [];
    phases.validate.push(ms(() => (errors = validate(schema, document, [...specifiedRules, ...validationRules]))));
    if (errors.length) {
      outcome = `validation: ${errors[0].message.slice(0, 40)}`;
      continue;
    }
    let cost = 0;
    phases.cost.push(ms(() => (cost = estimateCost(schema, document, getOperationAST(document)!, c.variables ?? {}, limits).cost)));
    outcome = `cost ${cost}`;
  }
  const fmt = (xs: number[]) => (xs.length ? median(xs).toFixed(2) : '—');
  return { document: c.name, 'parse ms': fmt(phases.parse), 'validate ms': fmt(phases.validate), 'cost ms': fmt(phases.cost), outcome };
}

async function main(): Promise<void> {
  const server = args.url ? null : await startServer();
  const url = args.url ?? server!.url;
  const token = signToken({ sub: 'bench-abuse-never-registered', role: 'ENTERPRISE' }, DEVELOPMENT_JWT_SECRET, '1h');
  const rows = [];
  try {
    // One request first, so the table measures the documents and not the server's warm-up.
    await runCase(url, token, server?.child.pid, CASES[CASES.length - 1]);
    for (const c of CASES.filter((x) => !args.case || x.name.includes(args.case))) rows.push(await runCase(url, token, server?.child.pid, c));
  } finally {
    if (server) {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      // A server still busy with a document cannot stop: it is killed, then its PostgreSQL is stopped.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        const postmaster = path.join(server.dataDir, 'postmaster.pid');
        const pgPid = fs.existsSync(postmaster) ? Number(fs.readFileSync(postmaster, 'utf8').split('\n')[0]) : 0;
        if (pgPid) process.kill(pgPid, 'SIGINT');
        await new Promise((r) => setTimeout(r, 3000));
      }
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
  }
  console.table(rows);
  if (!args.root && !args.url) {
    console.log('The analysis alone, in this process (median of --runs, after three untimed runs):');
    const analysis = [];
    for (const c of CASES.filter((x) => !args.case || x.name.includes(args.case))) analysis.push(await analysisTimes(c));
    console.table(analysis);
  }
  // fetch keeps its connections open; nothing else is left to do.
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
