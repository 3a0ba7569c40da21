/**
 * Issue 16: Ctrl-C in a terminal signals the whole foreground process group. The server must answer the
 * requests it has accepted before the embedded PostgreSQL stops — which it can only do if PostgreSQL is
 * not in that group (it used to stop at once, fast shutdown, and 8 of 8 requests in flight failed).
 *
 * A request is held in flight deterministically: its headers and half its body are sent, the group gets
 * SIGINT, and only then the rest of the body follows. The request must be answered 200, its write done.
 */
import http from 'node:http';
import { freePort, makeDataRoot, registration, sleep, startServer, waitReady } from '../support/server-process';

it('Ctrl-C (SIGINT to the process group) drains requests in flight before the embedded PostgreSQL stops', async () => {
  const server = startServer({ dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(), detached: true });
  await waitReady(server, 90_000);
  const { creditCode, token, body } = registration();
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
    }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 40));
    // The server has the request's headers: it is in flight. Ctrl-C now, then the rest of the body.
    void sleep(1000).then(async () => {
      process.kill(-server.child.pid!, 'SIGINT');
      await sleep(1500);
      req.end(body.slice(40));
    });
  });
  const { status, text } = await answer;
  expect(status).toBe(200);
  const result = JSON.parse(text);
  expect(result.errors).toBeUndefined();
  expect(result.data.registerEnterprise).toEqual({ enterprise: { creditCode }, userErrors: [] });
  expect(await server.exited).toBe(0);
  const said = server.logs.map((l) => l.msg);
  expect(said).toContain('stopped');
  // Answered by the PostgreSQL that was running, not by one the supervisor had to start again after the signal killed it.
  expect(said.filter((m) => /exited unexpectedly/.test(String(m)))).toEqual([]);
}, 180_000);
