/**
 * Issue 16: any number of processes can start together on an empty database — the migrations (and the
 * demo data) are applied once, under an advisory lock, while the others wait (one used to exit with a
 * duplicate-key error). `npm run migration:run` creates a database that does not exist yet.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { adminUrl, runDatabaseName, withAdmin, withDatabase } from '../support/database-url';
import { freePort, makeDataRoot, ServerProcess, startServer, stopServer, waitReady } from '../support/server-process';

const ROOT = path.resolve(__dirname, '../..');
/** Three in CI; `CONCURRENT_START_PROCESSES=5 npx jest test/e2e/concurrent-start.test.ts` tries more. */
const PROCESSES = Number(process.env.CONCURRENT_START_PROCESSES ?? 3);

it(`${PROCESSES} servers started together on an empty database all become ready, and apply migrations and demo data once`, async () => {
  const name = runDatabaseName('concurrent');
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(adminUrl(), name);
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < PROCESSES; i += 1) {
      servers.push(startServer({ dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(), env: { DATABASE_URL: url, DEMO_DATA: '1' } }));
    }
    await Promise.all(servers.map((s) => waitReady(s, 150_000)));
    const applied = servers.flatMap((s) => s.logs.filter((l) => l.msg === 'migrations applied'));
    expect(applied).toHaveLength(1);
    await withAdmin(async (client) => {
      const { rows } = await client.query(`SELECT name, count(*)::int AS n FROM typeorm_migrations GROUP BY name HAVING count(*) > 1`);
      expect(rows).toEqual([]);
      const firms = await client.query(`SELECT count(*)::int AS n, count(DISTINCT credit_code)::int AS distinct FROM enterprise`);
      expect(firms.rows[0].n).toBeGreaterThan(0);
      expect(firms.rows[0].n).toBe(firms.rows[0].distinct);
    }, url);
  } finally {
    const codes = await Promise.all(servers.map((s) => stopServer(s)));
    // Each stopped cleanly; a failure shows what the process said at error level.
    const errors = servers.map((s) => s.logs.filter((l) => Number(l.level) >= 50).map((l) => JSON.stringify(l).slice(0, 400)));
    expect({ codes, errors }).toEqual({ codes: servers.map(() => 0), errors: servers.map(() => []) });
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}, 300_000);

it('npm run migration:run creates the database when it is missing, then finds nothing left to apply', async () => {
  const name = runDatabaseName('missing');
  const url = withDatabase(adminUrl(), name);
  const run = () => promisify(execFile)('npx', ['ts-node', '--transpile-only', 'src/cli/migrate.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: url, NODE_ENV: 'test' } });
  try {
    const first = await run();
    expect(first.stdout).toContain(`created database ${name}`);
    expect(first.stdout).toMatch(/applied \d+ migration\(s\)/);
    const second = await run();
    expect(second.stdout).toBe('no pending migrations\n');
  } finally {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}, 180_000);
