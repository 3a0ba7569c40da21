/**
 * Issue 16: behind PgBouncer in transaction mode the API starts (no `options` startup parameter) and its
 * hot paths work (no named prepared statement meets a server connection that has it already): the demo
 * data is loaded and matched through the pooler, then the analyst's and the bank's reads answer.
 * Without DATABASE_POOLER=transaction the same start fails, as it did before.
 */
import { cloneTemplate } from '../support/harness';
import { PGBOUNCER, startPgBouncer } from '../support/pgbouncer';
import { freePort, makeDataRoot, processToken, startServer, stopServer, waitReady } from '../support/server-process';

// Where CI runs, pgbouncer must be there (.ci/run installs it); a developer's machine without it skips.
const maybe = PGBOUNCER || process.env.CI ? it : it.skip;

maybe('starts, loads and matches the demo data, and answers through PgBouncer in transaction mode', async () => {
  const direct = await cloneTemplate();
  const bouncer = await startPgBouncer(direct);
  const database = new URL(direct).pathname.slice(1);
  try {
    const refused = startServer({ dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(), env: { DATABASE_URL: bouncer.url(database) } });
    expect(await refused.exited).toBe(1);
    expect(JSON.stringify(refused.logs)).toContain('unsupported startup parameter');

    const server = startServer({
      dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(),
      env: { DATABASE_URL: bouncer.url(database), DATABASE_POOLER: 'transaction', DEMO_DATA: '1' },
    });
    try {
      await waitReady(server, 240_000);
      expect(server.logs.map((l) => l.msg)).toContain('demo needs matched');
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${processToken({ sub: 'analyst-pool', role: 'ANALYST' })}` },
        body: JSON.stringify({ query: '{ stats { funnel { posted matched } } }' }),
      });
      const body = (await res.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.stats.funnel.posted).toBeGreaterThan(0);
      expect(body.data.stats.funnel.matched).toBeGreaterThan(0);
      expect(server.logs.filter((l) => /prepared statement/.test(JSON.stringify(l)))).toEqual([]);
    } finally {
      expect(await stopServer(server)).toBe(0);
    }
  } finally {
    await bouncer.stop();
  }
}, 400_000);
