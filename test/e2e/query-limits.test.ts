/**
 * Issue 11 §1: query cost can't be abused. Every limit answers HTTP 400 with QUERY_TOO_COMPLEX (a list
 * too long: BAD_USER_INPUT), before anything runs, and the analysis is linear in the document's size:
 * a document whose fragments multiply to 10^8 spreads is refused like any other (before the fix it held
 * the event loop for minutes). No assertion here is about time: `npm run bench:abuse` measures it.
 */
import { aliasFlood, fragmentBomb } from '../../bench/abuse-documents';
import { startTestApp, TestApp } from '../support/harness';
import { staff } from './fixtures';

let app: TestApp;
/** Production, with the token, alias and list limits lifted so the limits behind them can be seen. */
let lifted: TestApp;
let enterprise: string;
beforeAll(async () => {
  app = await startTestApp();
  lifted = await startTestApp({
    env: { NODE_ENV: 'production', JWT_SECRET: 'query-limits-test-secret-of-at-least-32-characters', MAX_QUERY_TOKENS: '1000000', MAX_QUERY_ALIASES: '100000', MAX_LIST_ITEMS: '100000' },
  });
  // Any valid token is enough: an ENTERPRISE that never registered.
  enterprise = app.token({ sub: 'never-registered', role: 'ENTERPRISE' });
});
afterAll(async () => {
  await app?.close();
  await lifted?.close();
});

const refused = (res: { status: number; errors?: { message?: string; extensions?: Record<string, unknown> }[]; data?: unknown }, limit: string) => {
  expect(res.status).toBe(400);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
};

describe('fragments that spread fragments', () => {
  it.each([7, 8])('refuses 10^%i spreads in under 1 KB by their cost', async (levels) => {
    const document = fragmentBomb(levels);
    expect(document.length).toBeLessThan(1024);
    const res = await app.gql(document, {}, { token: enterprise });
    refused(res, 'cost');
    expect(res.errors?.[0].extensions?.found).toBeGreaterThan(10 ** levels);
  });

  it('still answers a document that spreads a fragment a few times', async () => {
    const res = await app.gql(fragmentBomb(2, 3), {}, { token: staff(app).analyst });
    expect(res.errors).toBeUndefined();
    expect(res.data.financingNeeds.edges).toEqual([]);
  });
});

describe('aliases and tokens', () => {
  it('refuses 10,000 aliases of a page with its totalCount: the document is past the token limit', async () => {
    refused(await app.gql(aliasFlood(10_000), {}, { token: enterprise }), 'tokens');
  });

  it('refuses more aliases than the limit, counted through fragments', async () => {
    const limit = app.config.limits.maxQueryAliases;
    const viewer = await app.gql(aliasFlood(limit, 'viewer { role }'), {}, { token: enterprise });
    expect(viewer.errors).toBeUndefined();
    refused(await app.gql(aliasFlood(limit + 1, 'viewer { role }'), {}, { token: enterprise }), 'aliases');
    const half = Math.ceil((limit + 1) / 2);
    const spread = `query Spread { viewer { ...Twice } other: viewer { ...Twice } }
      fragment Twice on Viewer { ${Array.from({ length: half }, (_, i) => `r${i}: role`).join(' ')} }`;
    refused(await app.gql(spread, {}, { token: enterprise }), 'aliases');
  });

  it('counts each totalCount as a count over the whole list, not as one field', async () => {
    // Tokens and aliases lifted: the cost alone refuses the flood.
    const res = await lifted.gql(aliasFlood(10_000), {}, { token: lifted.token({ sub: 'never-registered', role: 'ENTERPRISE' }) });
    refused(res, 'cost');
    expect(res.errors?.[0].extensions?.found).toBeGreaterThan(10_000 * 500);
  });

  it('refuses more directives than the limit', async () => {
    const inline = (n: number) => `{ viewer { ${Array.from({ length: n }, () => '... @include(if: true) { role }').join(' ')} } }`;
    const limit = app.config.limits.maxQueryDirectives;
    expect((await app.gql(inline(limit), {}, { token: enterprise })).errors).toBeUndefined();
    refused(await app.gql(inline(limit + 1), {}, { token: enterprise }), 'directives');
  });

  it('refuses a field repeated thousands of times: graphql-js stops comparing them, and that is a limit too', async () => {
    refused(await app.gql(`{ viewer { ${Array(2_990).fill('role').join(' ')} } }`, {}, { token: enterprise }), 'validation');
  });

  it('refuses nesting past the depth limit with HTTP 400', async () => {
    let selection = 'id';
    for (let i = 0; i < 4; i++) selection = `products(first: 1) { edges { node { institution { ${selection} } } } }`;
    refused(await app.gql(`{ institutions(first: 1) { edges { node { ${selection} } } } }`, {}, { token: staff(app).analyst }), 'depth');
  });
});

describe('list arguments', () => {
  const LISTS: [string, string, string, string][] = [
    ['financingNeeds(filter: { status })', 'query ($list: [NeedStatus!]) { financingNeeds(first: 1, filter: { status: $list }) { totalCount } }', 'OPEN', 'financingNeeds'],
    ['institutions(filter: { kind })', 'query ($list: [InstitutionKind!]) { institutions(first: 1, filter: { kind: $list }) { totalCount } }', 'BANK', 'institutions'],
    ['products(filter: { kind })', 'query ($list: [ProductKind!]) { products(first: 1, filter: { kind: $list }) { totalCount } }', 'CREDIT_LOAN', 'products'],
    ['whitelist(filter: { sizeClass })', 'query ($list: [SizeClass!]) { whitelist(first: 1, filter: { sizeClass: $list }) { totalCount } }', 'SMALL', 'whitelist'],
  ];

  it.each(LISTS)('refuses 100,000 values in %s with BAD_USER_INPUT (400)', async (_what, query, value) => {
    const res = await app.gql(query, { list: Array(100_000).fill(value) }, { token: staff(app).analyst, lang: 'en' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', length: 100_000, limit: app.config.limits.maxListItems });
    expect(res.errors?.[0].message).toMatch(/100000 values/);
  });

  it.each(LISTS)('reads a list of 70,000 repeated values in %s as its one value (more than PostgreSQL has bind parameters)', async (_what, query, value, field) => {
    const token = lifted.token({ sub: 'analyst-1', role: 'ANALYST' });
    const once = await lifted.gql(query, { list: [value] }, { token });
    const repeated = await lifted.gql(query, { list: Array(70_000).fill(value) }, { token });
    expect(repeated.errors).toBeUndefined();
    expect(repeated.data[field].totalCount).toBe(once.data[field].totalCount);
  });

  it('refuses a literal list of 100,000 values at the token limit', async () => {
    const res = await app.gql(`{ financingNeeds(first: 1, filter: { status: [${Array(100_000).fill('OPEN').join(',')}] }) { totalCount } }`, {}, { token: staff(app).analyst });
    refused(res, 'tokens');
  });
});

describe('"Did you mean" suggestions', () => {
  const TYPO = '{ viewr { role } }';

  it('are kept for a signed-in developer', async () => {
    const res = await app.gql(TYPO, {}, { token: enterprise });
    expect(res.errors?.[0].message).toMatch(/Did you mean "viewer"\?/);
  });

  it('are removed for a request without a valid token', async () => {
    const res = await app.gql(TYPO, {}, { token: null });
    expect(res.status).toBe(400);
    expect(res.errors?.[0].message).toBe('Cannot query field "viewr" on type "Query".');
  });

  it('are removed in production, for validation and for variable values', async () => {
    const token = lifted.token({ sub: 'analyst-1', role: 'ANALYST' });
    const field = await lifted.gql(TYPO, {}, { token });
    expect(field.errors?.[0].message).toBe('Cannot query field "viewr" on type "Query".');
    const value = await lifted.gql('query ($s: [NeedStatus!]) { financingNeeds(filter: { status: $s }) { totalCount } }', { s: ['OPNE'] }, { token });
    expect(value.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(value.errors?.[0].message).not.toMatch(/Did you mean/);
  });
});
