/**
 * Issue 16: one access-log line per request with its request id, operation, status, duration and role —
 * never a token, a header or a variable; the request id comes back in X-Request-Id and in every error;
 * requests that never reach GraphQL get JSON, not Express's HTML.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

beforeAll(async () => {
  // SLOW_REQUEST_MS=1: every GraphQL request (a database round trip at least) counts as slow.
  app = await startTestApp({ log: pino({ level: 'info' }, sink), env: { SLOW_REQUEST_MS: '1' } });
});
afterAll(async () => {
  await app?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

async function logOf(requestId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 50; i += 1) {
    const line = lines.find((l) => l.requestId === requestId && l.res);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no access-log line for ${requestId}`);
}

it('logs the request id, operation, status, duration and role, and nothing personal', async () => {
  const token = app.token({ sub: 'analyst-7', role: 'ANALYST' });
  const marker = '张三-13800138000';
  const res = await post(JSON.stringify({ query: 'query WhoAmI($id: ID!) { viewer { role } node(id: $id) { id } }', variables: { id: marker }, operationName: 'WhoAmI' }),
    { authorization: `Bearer ${token}`, 'x-request-id': 'front-42.a' });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-request-id')).toBe('front-42.a');
  const line = await logOf('front-42.a');
  expect(line).toMatchObject({ operation: 'WhoAmI', operationType: 'query', role: 'ANALYST', req: { method: 'POST', path: '/graphql' }, res: { status: 200 } });
  expect(typeof line.durationMs).toBe('number');
  expect(line.level).toBe(40);
  expect(line.msg).toBe('slow request');
  const text = JSON.stringify(lines);
  expect(text).not.toContain(marker);
  expect(text).not.toContain(token);
  expect(text).not.toContain('authorization');
});

it('replaces a request id that is not a plain token, and puts the id on every GraphQL error', async () => {
  const res = await post(JSON.stringify({ query: '{ noSuchField }' }), { 'x-request-id': 'bad id; drop table' });
  const id = res.headers.get('x-request-id')!;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await res.json()) as any;
  expect(body.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', requestId: id });
  expect(await logOf(id)).toMatchObject({ errorCodes: ['GRAPHQL_VALIDATION_FAILED'], role: null });
});

it('puts the request id on the errors the request gate answers itself (401 before GraphQL runs)', async () => {
  const res = await post(JSON.stringify({ query: '{ viewer { role } }' }), { authorization: 'Bearer not-a-token', 'x-request-id': 'gate-1' });
  expect(res.status).toBe(401);
  const body = (await res.json()) as any;
  expect(body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'gate-1' });
});

it('answers a body over the limit with JSON 413', async () => {
  const res = await post(JSON.stringify({ query: `{ viewer { role } } #${'x'.repeat(3 * 1024 * 1024)}` }));
  expect(res.status).toBe(413);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as any;
  expect(body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', requestId: res.headers.get('x-request-id') });
});

it('answers malformed JSON with JSON 400, and an unknown path with JSON 404', async () => {
  const bad = await post('{"query": "{ viewer { role } }"', { 'accept-language': 'en' });
  expect(bad.status).toBe(400);
  const body = (await bad.json()) as any;
  expect(body.errors[0]).toMatchObject({ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.js|<html/i);
  const missing = await fetch(`${app.url}/nowhere`);
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
});
