/**
 * Who holds an embedded data directory (SECURITY.md "It recovers by itself"). postmaster.pid names a pid,
 * but a pid is only a number: after a crash it may belong to anything. A process counts as the data
 * directory's postmaster only when it is a `postgres` started with `-D <that directory>`, and finmatch
 * stops one only when finmatch started it (`finmatch.owner` names the process that did, with its start
 * time) and that process is gone. Everything else is left alone.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/** The file, inside the data directory, that names the finmatch process running its postmaster. */
const OWNER_FILE = 'finmatch.owner';

/** An orphan gets a fast shutdown (SIGINT), then an immediate one (SIGQUIT: crash recovery at the next start), then SIGKILL. */
const ORPHAN_SIGNALS: readonly [NodeJS.Signals, number][] = [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]];

export interface Owner {
  /** The finmatch (node) process that started the postmaster. */
  pid: number;
  /** Its start time, so that a reused pid is not mistaken for it. */
  identity: string | null;
  postmasterPid: number;
}

export type Holder =
  /** No postmaster.pid: PostgreSQL stopped cleanly. */
  | { kind: 'none' }
  /** postmaster.pid names a dead process, or one that is not a postgres of this directory (pid reuse). */
  | { kind: 'stale'; pid: number }
  /** A postgres of this directory that finmatch started and whose finmatch process is gone. */
  | { kind: 'orphan'; pid: number; port: number | null; owner: Owner }
  /** A postgres of this directory run by a live finmatch process. */
  | { kind: 'owned'; pid: number; port: number | null; owner: Owner }
  /** A postgres of this directory that finmatch did not start (or cannot tell). */
  | { kind: 'foreign'; pid: number; port: number | null };

function pidFile(dataDir: string): string {
  return path.join(dataDir, 'postmaster.pid');
}

/** Line 1 of postmaster.pid is the pid, line 4 the port. */
function readPidFile(dataDir: string): { pid: number; port: number | null } | null {
  let text: string;
  try {
    text = fs.readFileSync(pidFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0], 10);
  const port = Number.parseInt(lines[3], 10);
  return { pid: pid > 0 ? pid : 0, port: Number.isInteger(port) ? port : null };
}

/** A process's argument vector, or null when there is no such process (a zombie has none either). */
export function commandLine(pid: number): string[] | null {
  if (!(pid > 0)) return null;
  if (fs.existsSync('/proc/self/cmdline')) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return args.length ? args : null;
    } catch {
      return null;
    }
  }
  try {
    const line = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return line ? line.split(/\s+/) : null;
  } catch {
    return null;
  }
}

/** A process's start time (Linux: clock ticks since boot), which a reused pid does not share. */
export function processIdentity(pid: number): string | null {
  if (!(pid > 0)) return null;
  if (fs.existsSync('/proc/self/stat')) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses); starttime is field 22.
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
    } catch {
      return null;
    }
  }
  try {
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

function samePath(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/** True when `pid` is a `postgres` process started with `-D dataDir` (a postmaster; backends rename themselves). */
export function isPostgresOf(pid: number, dataDir: string): boolean {
  const args = commandLine(pid);
  if (!args || path.basename(args[0]) !== 'postgres') return false;
  const d = args.indexOf('-D');
  return d >= 0 && d + 1 < args.length && samePath(args[d + 1], dataDir);
}

function isAlive(owner: Owner): boolean {
  const identity = processIdentity(owner.pid);
  return identity !== null && (owner.identity === null || identity === owner.identity);
}

export function readOwner(dataDir: string): Owner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(dataDir, OWNER_FILE), 'utf8')) as Owner;
    return Number.isInteger(owner.pid) && Number.isInteger(owner.postmasterPid) ? owner : null;
  } catch {
    return null;
  }
}

/** Records that this process runs the postmaster `postmasterPid` of `dataDir`. */
export function writeOwner(dataDir: string, postmasterPid: number): void {
  const owner: Owner = { pid: process.pid, identity: processIdentity(process.pid), postmasterPid };
  const file = path.join(dataDir, OWNER_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(owner));
  fs.renameSync(`${file}.tmp`, file);
}

/** Forgets the owner once its postmaster stopped cleanly (only this process's own record). */
export function clearOwner(dataDir: string): void {
  if (readOwner(dataDir)?.pid === process.pid) fs.rmSync(path.join(dataDir, OWNER_FILE), { force: true });
}

/** Who holds `dataDir`, from postmaster.pid, the process it names, and finmatch.owner. */
export function holderOf(dataDir: string): Holder {
  const file = readPidFile(dataDir);
  if (!file) return { kind: 'none' };
  if (!isPostgresOf(file.pid, dataDir)) return { kind: 'stale', pid: file.pid };
  const owner = readOwner(dataDir);
  if (!owner || owner.postmasterPid !== file.pid) return { kind: 'foreign', pid: file.pid, port: file.port };
  return { kind: isAlive(owner) ? 'owned' : 'orphan', pid: file.pid, port: file.port, owner };
}

/** Removes postmaster.pid when it names no postgres of `dataDir` (PostgreSQL refuses to start while a live pid holds it). */
export function removeStalePidFile(dataDir: string, log: Logger): void {
  const holder = holderOf(dataDir);
  if (holder.kind !== 'stale') return;
  log.warn({ pidFile: pidFile(dataDir), pid: holder.pid }, 'removing stale postmaster.pid left by an unclean stop');
  fs.rmSync(pidFile(dataDir), { force: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops an orphaned postmaster: each signal only while `pid` is still a postgres of `dataDir`, so a pid
 * that was freed and reused meanwhile is never signalled. Resolves once it is gone.
 */
export async function stopOrphan(pid: number, dataDir: string, log: Logger, signals = ORPHAN_SIGNALS): Promise<void> {
  for (const [signal, waitMs] of signals) {
    if (!isPostgresOf(pid, dataDir)) return;
    log.warn({ pid, dataDir, signal }, 'stopping the PostgreSQL an earlier finmatch process left running');
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (const deadline = Date.now() + waitMs; Date.now() < deadline; await sleep(50)) {
      if (!isPostgresOf(pid, dataDir)) return;
    }
  }
  if (isPostgresOf(pid, dataDir)) throw new Error(`PostgreSQL pid ${pid} on ${dataDir} did not stop`);
}

/**
 * Makes `dataDir` free for a new postmaster: a stale postmaster.pid is removed, an orphan of an earlier
 * finmatch process is stopped; a postmaster that a live finmatch process or someone else runs is refused.
 */
export async function claimDataDir(dataDir: string, log: Logger): Promise<void> {
  const holder = holderOf(dataDir);
  switch (holder.kind) {
    case 'none':
      return;
    case 'stale':
      return removeStalePidFile(dataDir, log);
    case 'orphan':
      await stopOrphan(holder.pid, dataDir, log);
      log.info({ pid: holder.pid, deadOwner: holder.owner.pid }, 'orphaned PostgreSQL stopped');
      return removeStalePidFile(dataDir, log);
    case 'owned':
      throw new Error(`finmatch (pid ${holder.owner.pid}) is already running on ${dataDir} with PostgreSQL pid ${holder.pid}; stop it first`);
    case 'foreign':
      throw new Error(`a PostgreSQL that finmatch did not start (pid ${holder.pid}) is running on ${dataDir}; stop it (pg_ctl stop -D ${dataDir}) and start again`);
  }
}
