/**
 * Issue 11 §2 — the development landing page at /graphql hands out no credential unless asked
 * (LANDING_PAGE_TOKEN=1, listening on loopback only); the token it then embeds lives at most the
 * configured maximum and is refused by a production server using the same secret.
 */
import { AddressInfo } from 'node:net';
import pino from 'pino';
import { decodeJwt } from 'jose';
import { loadConfig } from '../../src/config';
import { createDataSource } from '../../src/database/data-source';
import { createServer, stopServer } from '../../src/server';
import { startTestApp, TestApp } from '../support/harness';

const SECRET = 'q8Jm2yV0tN4rX7cL1bZ5hK9wE3uA6sD0fG2jP8oT4iY=';

/** The landing page a browser gets, and the bearer token embedded in it, if any. */
async function landingPage(baseUrl: string): Promise<{ html: string; token: string | null }> {
  const res = await fetch(`${baseUrl}/graphql`, { headers: { accept: 'text/html' } });
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toMatch(/<html/);
  const token = /Bearer(?:%20|\s)+([\w-]+\.[\w-]+\.[\w-]+)/.exec(html)?.[1] ?? null;
  return { html, token };
}

describe('the development landing page', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await startTestApp({ env: { JWT_SECRET: SECRET } });
  });
  afterAll(async () => {
    await plain?.close();
  });

  it('is served by finmatch itself: no external host, scripts from this server only (works offline)', async () => {
    const res = await fetch(`${plain.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    // Apollo's page loaded Sandbox from its CDN: offline it showed "Apollo Sandbox cannot be loaded".
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/[^/]/);
      const file = await fetch(`${plain.url}${asset}`);
      expect({ asset, status: file.status }).toEqual({ asset, status: 200 });
      expect(file.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    // No inline script: every <script> loads a file or is a JSON data block, which is never run.
    for (const [tag] of html.matchAll(/<script[^>]*>/g)) expect(tag).toMatch(/ src="\/|type="application\/json"/);
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).toMatch(/style-src 'self'/);
    expect(policy).toMatch(/connect-src 'self'/);
    expect(policy).not.toMatch(/unsafe-eval|\*/);
  });

  it("lets the explorer's requests through CSRF prevention: POST application/json, as GraphiQL sends them", async () => {
    const token = plain.token({ sub: 'analyst-csrf', role: 'ANALYST' });
    const asExplorer = await fetch(`${plain.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json, multipart/mixed', authorization: `Bearer ${token}`, origin: plain.url },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(asExplorer.status).toBe(200);
    expect(((await asExplorer.json()) as any).data.viewer.role).toBe('ANALYST');
    // A "simple" request a foreign page could send without preflight is still refused.
    const simple = await fetch(`${plain.url}/graphql?query=${encodeURIComponent('{ viewer { role } }')}`, { headers: { accept: 'application/json' } });
    expect(simple.status).toBe(400);
  });

  it('embeds no token by default', async () => {
    const { html, token } = await landingPage(plain.url);
    expect(token).toBeNull();
    expect(html).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(html).toMatch(/npm(%20| )run(%20| )token/);
  });

  it('embeds a short-lived development ANALYST token when asked, on loopback', async () => {
    const asked = await startTestApp({ databaseUrl: plain.databaseUrl, env: { JWT_SECRET: SECRET, LANDING_PAGE_TOKEN: '1', HOST: '127.0.0.1' } });
    const production = await startTestApp({ databaseUrl: plain.databaseUrl, env: { JWT_SECRET: SECRET, NODE_ENV: 'production' } });
    try {
      const { token } = await landingPage(asked.url);
      expect(token).not.toBeNull();
      const claims = decodeJwt(token!);
      expect(claims).toMatchObject({ role: 'ANALYST', aud: 'finmatch-development' });
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(12 * 3600);
      // It works where it was handed out…
      expect((await asked.gql('{ viewer { role } }', {}, { token })).data.viewer.role).toBe('ANALYST');
      // …and not in production, though signed with the same secret.
      const refused = await production.gql('{ viewer { role } }', {}, { token, lang: 'en' });
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0].message).toMatch(/development token/);
      // The production landing page embeds nothing.
      const prodPage = await fetch(`${production.url}/graphql`, { headers: { accept: 'text/html' } });
      const prodHtml = await prodPage.text();
      expect(prodHtml).not.toMatch(/Bearer/);
      // …loads nothing, from anywhere: no script, no CDN, and the explorer's files are not served.
      expect(prodHtml).not.toMatch(/<script|<link|https?:\/\//);
      expect(prodPage.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect((await fetch(`${production.url}/explorer/graphiql.js`)).status).toBe(404);
    } finally {
      await asked.close();
      await production.close();
    }
  });

  it('embeds no token, even when asked, while the server listens beyond loopback', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: '0', MATCH_WORKER: '0', JWT_SECRET: SECRET, LANDING_PAGE_TOKEN: '1', HOST: '127.0.0.1' });
    const dataSource = createDataSource({ url: plain.databaseUrl, poolSize: 2 });
    await dataSource.initialize();
    const server = await createServer(dataSource, config, pino({ level: 'silent' }));
    // Listening on every interface (HOST ignored by whoever started it): the page must notice.
    await new Promise<void>((resolve) => server.httpServer.listen(0, '0.0.0.0', resolve));
    try {
      const { port } = server.httpServer.address() as AddressInfo;
      const { token } = await landingPage(`http://127.0.0.1:${port}`);
      expect(token).toBeNull();
    } finally {
      await stopServer(server);
      await dataSource.destroy();
    }
  });
});
