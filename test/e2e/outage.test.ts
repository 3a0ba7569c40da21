/**
 * SECURITY.md "It recovers by itself": an outage is answered as one. The server reaches its database
 * through a TCP relay the test can cut (connections dropped, new ones refused) and mend, so the outage
 * is exact and no real cluster has to die.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { cloneTemplate, startTestApp, TestApp } from '../support/harness';
import { newCreditCode, REGISTER, staff } from './fixtures';

/** A relay from a local port to PostgreSQL that can be cut and mended. */
class Relay {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server?.listening) return;
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every connection and refuses new ones, as a dead PostgreSQL does. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

const INSTITUTIONS = '{ institutions(first: 1) { totalCount } }';

describe('when the database is unreachable', () => {
  let app: TestApp;
  let relay: Relay;
  let analyst: string;

  beforeAll(async () => {
    const direct = new URL(await cloneTemplate());
    relay = new Relay({ host: direct.hostname, port: Number(direct.port) });
    await relay.open();
    const proxied = new URL(direct.toString());
    proxied.port = String(relay.port);
    app = await startTestApp({ databaseUrl: proxied.toString(), env: { MATCH_WORKER: '0' } });
    analyst = staff(app).analyst;
    expect((await app.gql(INSTITUTIONS, {}, { token: analyst })).status).toBe(200);
    await relay.cut();
  });

  afterAll(async () => {
    await relay.open();
    await app.close();
    await relay.cut();
  });

  async function raw(query: string, variables: Record<string, unknown>, token: string, lang?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (lang) headers['accept-language'] = lang;
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { data?: any; errors?: any[] } };
  }

  it('answers a query 503 with Retry-After and a retryable SERVICE_UNAVAILABLE, never INTERNAL_SERVER_ERROR', async () => {
    const res = await raw(INSTITUTIONS, {}, analyst, 'en');
    expect(res.status).toBe(503);
    expect(res.retryAfter).toBe('2');
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]).toMatchObject({ message: expect.stringMatching(/database is unavailable/), extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } });
    expect(res.body.errors![0].extensions.stacktrace).toBeUndefined();
  });

  it('answers in Chinese by default', async () => {
    const res = await raw(INSTITUTIONS, {}, analyst);
    expect(res.body.errors![0].message).toBe('数据库暂时不可用，请稍后重试');
  });

  it('answers a mutation 503 too', async () => {
    const input = { creditCode: newCreditCode(), name: '停机测试有限公司', sector: 'INDUSTRY', regionCode: '110108', employees: 10, revenue: '1000000.00', industryChains: [] };
    const res = await raw(REGISTER, { input }, app.token({ sub: 'outage-enterprise', role: 'ENTERPRISE' }));
    expect(res.status).toBe(503);
    expect(res.body.errors![0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) });
  });

  it('answers 503 when the token\'s institution cannot be looked up (before the request runs)', async () => {
    const res = await raw(INSTITUTIONS, {}, app.token({ sub: 'bank-user', role: 'BANK', institutionId: Buffer.from(`Institution:${randomUUID()}`).toString('base64') }));
    expect(res.status).toBe(503);
    expect(res.retryAfter).toBe('2');
    expect(res.body.errors![0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) });
  });

  it('keeps a partial answer 200 with the resolved fields and marks only the broken ones retryable', async () => {
    const res = await raw(`{ viewer { role } enterprise(creditCode: "${newCreditCode()}") { name } }`, {}, analyst);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ viewer: { role: 'ANALYST' }, enterprise: null });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['enterprise'], extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) } })]);
  });

  it('answers 503 when every root field failed, even nullable ones', async () => {
    const res = await raw(`{ a: enterprise(creditCode: "${newCreditCode()}") { name } b: enterprise(creditCode: "${newCreditCode()}") { name } }`, {}, analyst);
    expect(res.status).toBe(503);
    expect(res.body.data).toEqual({ a: null, b: null });
  });

  it('reports not ready', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(503);
  });

  describe('once it is back', () => {
    beforeAll(() => relay.open());

    it('answers again on fresh connections (the broken pooled ones were dropped), and the refused mutation wrote nothing', async () => {
      const res = await raw(INSTITUTIONS, {}, analyst);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      const rows = await app.dataSource.query(`SELECT count(*)::int AS n FROM enterprise WHERE name = $1`, ['停机测试有限公司']);
      expect(rows[0].n).toBe(0);
    });
  });
});
