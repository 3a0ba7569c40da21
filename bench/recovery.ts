/**
 * npm run bench:recovery [-- --trials 5 --writers 4 --gap 31]
 *
 * SECURITY.md "It recovers by itself": how long the server takes to be ready again, on its own, after its
 * embedded PostgreSQL is killed (kill -9 of the postmaster) under a load of writes. One real server
 * process (src/main.ts, production mode) on a fresh embedded cluster in a temporary directory, PORT and
 * EMBEDDED_PG_PORT picked free. Each trial: writers register enterprises without pause, the postmaster is
 * killed, and the clock runs until /readyz answers 200 again on a new postmaster (polled every 50 ms);
 * also reported, until the first write after the kill is acknowledged. Trials are `--gap` seconds apart,
 * longer than the supervisor's 30 s crash-loop window, so each restart starts without backoff. At the
 * end every acknowledged write is looked up: the number lost must be 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { embeddedUrl } from '../src/database/embedded';
import { isPostgresOf } from '../src/database/postmaster';
import {
  freePort, makeDataRoot, postmasterPid, readyStatus, sleep, startServer, stopServer, until, waitReady, writeUnderLoad,
} from '../test/support/server-process';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { trials: { type: 'string', default: '5' }, writers: { type: 'string', default: '4' }, gap: { type: 'string', default: '31' } } });
  const trials = Number(values.trials);
  const writers = Number(values.writers);
  const gapMs = Number(values.gap) * 1000;
  const root = makeDataRoot();
  const dataDir = path.join(root, 'data');
  const pgPort = await freePort();
  const server = startServer({ dataDir, port: await freePort(), pgPort });
  const results: { readyMs: number; firstAckMs: number; unavailable: number }[] = [];
  const acknowledged: string[] = [];
  let unexpected: string[] = [];
  try {
    const startMs = await waitReady(server, 300_000);
    console.log(`server ready after ${(startMs / 1000).toFixed(1)} s (first start: initdb, migrations, ts-node)`);
    for (let trial = 1; trial <= trials; trial += 1) {
      await sleep(trial === 1 ? 2000 : gapMs);
      const load = writeUnderLoad(server, writers);
      try {
        await until(() => load.outcome.acknowledged.length >= 20, 60_000, 'writes before the kill');
        const killed = postmasterPid(dataDir);
        if (!isPostgresOf(killed, dataDir)) throw new Error(`pid ${killed} is not the postmaster`);
        const ackedBefore = load.outcome.acknowledged.length;
        const t0 = Date.now();
        process.kill(killed, 'SIGKILL');
        await until(() => !isPostgresOf(killed, dataDir), 10_000, 'the postmaster to die');
        await until(async () => (await readyStatus(server.url)) === 200 && postmasterPid(dataDir) !== killed, 120_000, 'ready again');
        const readyMs = Date.now() - t0;
        await until(() => load.outcome.acknowledged.length > ackedBefore, 120_000, 'a write acknowledged after the kill');
        const firstAckMs = Date.now() - t0;
        results.push({ readyMs, firstAckMs, unavailable: load.outcome.unavailable });
        console.log(`trial ${trial}: ready ${readyMs} ms after kill -9, first acknowledged write after ${firstAckMs} ms, ${load.outcome.unavailable} requests answered 503`);
      } finally {
        await load.stop();
      }
      acknowledged.push(...load.outcome.acknowledged);
      unexpected = unexpected.concat(load.outcome.unexpected);
    }
    const client = new Client({ connectionString: embeddedUrl(pgPort, 'finmatch') });
    await client.connect();
    const found = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM enterprise WHERE credit_code = ANY($1)', [acknowledged]);
    await client.end();
    const ready = results.map((r) => r.readyMs).sort((a, b) => a - b);
    const median = ready[Math.floor(ready.length / 2)];
    console.log(`\ntime to ready after kill -9 of the postmaster, ${trials} trials, ${writers} writers: min ${ready[0]} ms, median ${median} ms, max ${ready[ready.length - 1]} ms`);
    console.log(`acknowledged writes: ${acknowledged.length}, lost: ${acknowledged.length - found.rows[0].n}; answers other than success or 503 SERVICE_UNAVAILABLE: ${unexpected.length}`);
    for (const u of unexpected.slice(0, 5)) console.log(`  ${u}`);
    const restarts = server.logs.filter((l) => l.msg === 'embedded PostgreSQL restarted').map((l) => l.downMs);
    console.log(`supervisor's own downtime figures (exit event → ready to accept connections), ms: ${restarts.join(', ')}`);
  } finally {
    await stopServer(server);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
