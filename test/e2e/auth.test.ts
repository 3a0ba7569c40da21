import jwt from 'jsonwebtoken';
import { startTestApp, TestApp } from '../support/harness';
import { staff } from './fixtures';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const VIEWER = '{ viewer { sub role } }';

describe('authentication: nothing is public', () => {
  it.each([
    ['no token', null],
    ['a token signed with another secret', jwt.sign({ sub: 'x', role: 'ADMIN' }, 'another-secret', { algorithm: 'HS256', expiresIn: '1h' })],
    ['an expired token', jwt.sign({ sub: 'x', role: 'ADMIN', exp: Math.floor(Date.now() / 1000) - 60 }, 'finmatch-development-secret-do-not-use-in-production')],
    ['a token without a role', jwt.sign({ sub: 'x' }, 'finmatch-development-secret-do-not-use-in-production', { expiresIn: '1h' })],
    ['an unknown role', jwt.sign({ sub: 'x', role: 'ROOT' }, 'finmatch-development-secret-do-not-use-in-production', { expiresIn: '1h' })],
    ['a BANK token without an institution', jwt.sign({ sub: 'x', role: 'BANK' }, 'finmatch-development-secret-do-not-use-in-production', { expiresIn: '1h' })],
    ['an unsigned token (alg none)', jwt.sign({ sub: 'x', role: 'ADMIN' }, '', { algorithm: 'none', expiresIn: '1h' })],
    ['a BANK token naming an institution that does not exist', jwt.sign({ sub: 'x', role: 'BANK', institutionId: 'SW5zdGl0dXRpb246MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAx' }, 'finmatch-development-secret-do-not-use-in-production', { expiresIn: '1h' })],
  ])('refuses %s with UNAUTHENTICATED (401)', async (_what, token) => {
    const res = await app.gql(VIEWER, {}, { token });
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeUndefined();
  });

  it('refuses introspection without a token too', async () => {
    const res = await app.gql('{ __schema { queryType { name } } }', {}, { token: null });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers in English when asked', async () => {
    const res = await app.gql(VIEWER, {}, { token: null, lang: 'en' });
    expect(res.errors?.[0].message).toMatch(/^Authentication required/);
    const zh = await app.gql(VIEWER, {}, { token: null });
    expect(zh.errors?.[0].message).toMatch(/^需要登录/);
  });

  it('serves GET for queries with a token', async () => {
    const url = `${app.url}/graphql?query=${encodeURIComponent(VIEWER)}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${staff(app).analyst}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { viewer: { sub: 'analyst-1', role: 'ANALYST' } } });
  });
});

describe('limits', () => {
  it('refuses a document nested past the depth limit with QUERY_TOO_COMPLEX', async () => {
    let selection = 'id';
    for (let i = 0; i < 4; i++) selection = `products(first: 1) { edges { node { institution { ${selection} } } } }`;
    const res = await app.gql(`{ institutions(first: 1) { edges { node { ${selection} } } } }`, {}, { token: staff(app).analyst });
    expect(res.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses a document whose pages multiply past the cost limit', async () => {
    const res = await app.gql(
      '{ institutions(first: 100) { edges { node { products(first: 100) { edges { node { institution { products(first: 100) { totalCount } } } } } } } } }',
      {},
      { token: staff(app).analyst },
    );
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
  });
});

describe('health and readiness', () => {
  it('reports the process up and the database migrated', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
  });
});
