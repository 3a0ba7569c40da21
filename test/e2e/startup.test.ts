/**
 * A start that fails ends the process with a non-zero status, so a supervisor or CI sees the failure
 * (it exited 0 before: the shutdown after the failure ended the process first, with 0).
 */
import { freePort, makeDataRoot, startServer } from '../support/server-process';

it('a server whose database cannot be reached exits 1 after saying why', async () => {
  const dead = await freePort();
  const server = startServer({
    dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(),
    env: { DATABASE_URL: `postgres://finmatch:wrong@127.0.0.1:${dead}/finmatch` },
  });
  expect(await server.exited).toBe(1);
  expect(server.logs.map((l) => l.msg)).toContain('failed to start');
}, 120_000);
