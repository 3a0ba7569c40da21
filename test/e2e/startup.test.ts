/**
 * A start that fails ends the process with a non-zero status, so a supervisor or CI sees the failure
 * (it exited 0 before: the shutdown after the failure ended the process first, with 0).
 */
import { cloneTemplate } from '../support/harness';
import { freePort, makeDataRoot, processToken, startServer, stopServer, waitReady } from '../support/server-process';

it('a server whose database cannot be reached exits 1 after saying why', async () => {
  const dead = await freePort();
  const server = startServer({
    dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(),
    env: { DATABASE_URL: `postgres://finmatch:wrong@127.0.0.1:${dead}/finmatch` },
  });
  expect(await server.exited).toBe(1);
  expect(server.logs.map((l) => l.msg)).toContain('failed to start');
}, 120_000);

it('a server with METRICS_PORT serves /metrics there, and logs one line per request with its id', async () => {
  const port = await freePort();
  const metricsPort = await freePort();
  const server = startServer({
    dataDir: makeDataRoot(), port, pgPort: await freePort(),
    env: { DATABASE_URL: await cloneTemplate(), METRICS_PORT: String(metricsPort) },
  });
  try {
    await waitReady(server, 60_000);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'startup-probe-1', authorization: `Bearer ${processToken({ sub: 'ops-1', role: 'ANALYST' })}` },
      body: JSON.stringify({ query: 'query Probe { __typename }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('startup-probe-1');
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/finmatch_graphql_operation_duration_seconds_count\{operation="Probe",type="query"\} 1/);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect(server.logs).toContainEqual(expect.objectContaining({ requestId: 'startup-probe-1', operation: 'Probe', role: 'ANALYST', res: { status: 200 } }));
  } finally {
    expect(await stopServer(server)).toBe(0);
  }
}, 120_000);

it('a server with bad configuration exits 1 and lists every problem, without a stack trace', async () => {
  const server = startServer({ dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(), env: { PORT: 'eighty', DEMO_DATA: 'maybe' } });
  expect(await server.exited).toBe(1);
  const said = server.logs.map((l) => String(l.msg)).join('\n');
  expect(said).toContain('finmatch cannot start: 2 configuration problems');
  expect(said).toContain('PORT must be a whole number');
  expect(said).toContain('DEMO_DATA must be 0 or 1');
  expect(said).not.toMatch(/\n\s+at /);
}, 60_000);
