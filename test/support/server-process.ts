/**
 * A real finmatch server as its own process (src/main.ts through ts-node) on the embedded PostgreSQL in
 * a data directory of its own, for what only a whole process shows: PostgreSQL or the process itself
 * being killed. The recovery tests and `npm run bench:recovery` use it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { signToken } from '../../src/auth/jwt';
import { withCheckCharacter } from '../../src/enterprises/credit-code';

const ROOT = path.resolve(__dirname, '../..');
/** Production mode, so that errors are answered as a deployment answers them. */
const SECRET = 'recovery-test-secret-0123456789-abcdefghij';

/** A token the server processes accept. */
export const processToken = (claims: { sub: string; role: string; institutionId?: string }) => signToken(claims as Parameters<typeof signToken>[0], SECRET);

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A temporary directory the embedded cluster's `postgres` user can reach when we run as root. */
export function makeDataRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-recovery-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  pgPort: number;
  dataDir: string;
  /** The JSON log lines so far. */
  logs: { msg?: string; [k: string]: unknown }[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** `detached`: the server leads a process group of its own, so a test can signal the group as a terminal's Ctrl-C does. */
export function startServer(options: { dataDir: string; port: number; pgPort: number; env?: Record<string, string>; detached?: boolean }): ServerProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      TS_NODE_TRANSPILE_ONLY: '1',
      TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      PORT: String(options.port),
      EMBEDDED_PG_PORT: String(options.pgPort),
      DATA_DIR: options.dataDir,
      DEMO_DATA: '0',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const logs: ServerProcess['logs'] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        if (line.trim()) logs.push({ msg: line });
      }
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${options.port}`, pgPort: options.pgPort, dataDir: options.dataDir, logs, exited };
}

/** Rate limits out of the way of tests that send many requests from one token and address (harness.ts's default too, unless a test sets its own). */
export const UNLIMITED_RATES = { RATE_LIMIT_PER_SUBJECT: '1000000', RATE_LIMIT_PER_INSTITUTION: '1000000', RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_AUTH_FAILURES: '1000000' };

/** A mutation through a server process, its `input` as the variable; returns its payload, and throws on any error or userError. */
export async function sendMutation(server: ServerProcess, token: string, document: string, input: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: document, variables: { input } }),
  });
  const body = (await res.json()) as { data: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const payload = Object.values(body.data)[0];
  if (payload.userErrors.length) throw new Error(JSON.stringify(payload.userErrors));
  return payload;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function readyStatus(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
}

/** Polls /readyz every 50 ms until it answers 200; resolves with the time that took. */
export async function waitReady(server: ServerProcess, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`the server exited: ${JSON.stringify(server.logs.slice(-5))}`);
    if ((await readyStatus(server.url)) === 200) return Date.now() - started;
    await sleep(50);
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${JSON.stringify(server.logs.slice(-5))}`);
}

/** The pid postmaster.pid names. */
export function postmasterPid(dataDir: string): number {
  return Number.parseInt(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
}

export async function stopServer(server: ServerProcess): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  return server.exited;
}

let serial = 0;

export interface WriteOutcome {
  /** Credit codes of enterprises whose registration was answered 200 with no error. */
  acknowledged: string[];
  /** Responses 503 with SERVICE_UNAVAILABLE, retryable. */
  unavailable: number;
  /** Anything else: a 200 with errors, another status, a broken connection. */
  unexpected: string[];
}

const REGISTER = `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { creditCode } userErrors { code } } }`;

/** A registerEnterprise request of a new ENTERPRISE user for a new firm: its credit code, token and JSON body. */
export function registration(): { creditCode: string; token: string; body: string } {
  serial += 1;
  const body17 = `91110108${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(6, '0')}`;
  const creditCode = withCheckCharacter(body17.slice(0, 17));
  const token = signToken({ sub: `recovery-${process.pid}-${serial}`, role: 'ENTERPRISE' }, SECRET);
  const input = { creditCode, name: `恢复测试有限公司 ${serial}`, sector: 'INDUSTRY', regionCode: '110108', employees: 10, revenue: '1000000.00', industryChains: [], contact: { person: '李四', phone: '010-12345678', email: 'li@example.invalid' } };
  return { creditCode, token, body: JSON.stringify({ query: REGISTER, variables: { input } }) };
}

/** One registerEnterprise by a new ENTERPRISE user, classified into `outcome`. */
export async function registerOne(server: ServerProcess, outcome: WriteOutcome): Promise<void> {
  const { creditCode, token, body: request } = registration();
  let status = 0;
  let text = '';
  try {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: request,
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    text = await res.text();
    const body = JSON.parse(text) as { data?: { registerEnterprise?: { enterprise?: { creditCode: string }; userErrors: unknown[] } }; errors?: { extensions?: { code?: string; retryable?: boolean } }[] };
    if (status === 200 && !body.errors && body.data?.registerEnterprise?.userErrors.length === 0 && body.data.registerEnterprise.enterprise?.creditCode === creditCode) {
      outcome.acknowledged.push(creditCode);
      return;
    }
    if (status === 503 && body.errors?.length && body.errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE' && e.extensions.retryable === true) && res.headers.get('retry-after')) {
      outcome.unavailable += 1;
      return;
    }
  } catch (error) {
    text = String(error);
  }
  outcome.unexpected.push(`${status} ${text.slice(0, 300)}`);
}

/** `concurrency` writers registering enterprises until `stop()`; the outcome fills as they go. */
export function writeUnderLoad(server: ServerProcess, concurrency: number): { outcome: WriteOutcome; stop(): Promise<void> } {
  const outcome: WriteOutcome = { acknowledged: [], unavailable: 0, unexpected: [] };
  let running = true;
  const writers = Array.from({ length: concurrency }, async () => {
    while (running) await registerOne(server, outcome);
  });
  return {
    outcome,
    async stop() {
      running = false;
      await Promise.all(writers);
    },
  };
}

/** Waits until `predicate` holds, polling every 50 ms. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
