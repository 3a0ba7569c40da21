/**
 * Issue 11 §2 — what a token must be: it carries `exp`, lives no longer than the configured maximum,
 * was not issued in the future, speaks for an institution of a kind its role may speak for, and a
 * development token (the landing page's) is refused in production.
 */
import jwt from 'jsonwebtoken';
import { DEVELOPMENT_AUDIENCE, signToken } from '../../src/auth/jwt';
import { uuidOf } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff, tokenRefusal, USER_ERRORS } from './fixtures';
import { Market, mutate, setUpMarket } from './policy-fixtures';

const VIEWER = '{ viewer { sub role } }';
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id status product { id } } } } } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
/** A token signed with the server's own secret and exactly these claims (no defaults added). */
const raw = (claims: Record<string, unknown>, secret = app.config.jwtSecret) => jwt.sign({ sub: 'analyst-t', role: 'ANALYST', ...claims }, secret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) });

const refusal = (token: string) => tokenRefusal(app, token);

describe('lifetime: every token carries exp and lives at most 12 hours', () => {
  it('refuses a token without exp', async () => {
    expect(await refusal(raw({}))).toMatch(/no exp/);
    expect(await refusal(raw({ iat: now() }))).toMatch(/no exp/);
  });

  it('refuses a token whose exp − iat is over 12 hours, even if little of it is left', async () => {
    expect(await refusal(raw({ iat: now() - 12 * HOUR, exp: now() + 2 * HOUR }))).toMatch(/lifetime is over the 12 h allowed/);
    expect(await refusal(raw({ iat: now(), exp: now() + 30 * 24 * HOUR }))).toMatch(/lifetime is over/);
  });

  it('refuses a token without iat that is valid for more than 12 hours from now', async () => {
    expect(await refusal(raw({ exp: now() + 13 * HOUR }))).toMatch(/lifetime is over/);
  });

  it('refuses a token issued in the future past the clock skew, and accepts one within it', async () => {
    expect(await refusal(raw({ iat: now() + 10 * 60, exp: now() + HOUR }))).toMatch(/issued in the future/);
    const res = await app.gql(VIEWER, {}, { token: raw({ iat: now() + 30, exp: now() + HOUR }) });
    expect(res.data.viewer).toEqual({ sub: 'analyst-t', role: 'ANALYST' });
  });

  it('accepts a 12-hour token, as npm run token and the harness sign them', async () => {
    const res = await app.gql(VIEWER, {}, { token: raw({ iat: now(), exp: now() + 12 * HOUR }) });
    expect(res.data.viewer).toEqual({ sub: 'analyst-t', role: 'ANALYST' });
  });

  it('follows JWT_MAX_LIFETIME_MINUTES', async () => {
    const strict = await startTestApp({ databaseUrl: app.databaseUrl, env: { JWT_MAX_LIFETIME_MINUTES: '60' } });
    try {
      const twoHours = signToken({ sub: 'a', role: 'ANALYST' }, strict.config.jwtSecret, '2h');
      const res = await strict.gql(VIEWER, {}, { token: twoHours, lang: 'en' });
      expect(res.errors?.[0].message).toMatch(/lifetime is over the 1 h allowed/);
      const halfHour = signToken({ sub: 'a', role: 'ANALYST' }, strict.config.jwtSecret, '30m');
      expect((await strict.gql(VIEWER, {}, { token: halfHour })).data.viewer.role).toBe('ANALYST');
    } finally {
      await strict.close();
    }
  });
});

describe('a token\'s role must match its institution\'s kind', () => {
  let market: Market;
  let matchId: string;

  beforeAll(async () => {
    market = await setUpMarket(app, 'TK');
    const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
    await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '5000000', termMonths: 12 });
    const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
    matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === market.creditLoan.id).node.id;
  });

  it('refuses an INVESTOR token naming a bank: respondToMatch records nothing on the bank\'s match', async () => {
    const investorAsBank = app.token({ sub: 'investor-x', role: 'INVESTOR', institutionId: market.bank.id });
    const res = await app.gql(RESPOND, { input: { matchId, action: 'CONTACT' } }, { token: investorAsBank, lang: 'en' });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.errors?.[0].message).toMatch(/INVESTOR tokens may not speak for BANK institutions/);
    const id = uuidOf(matchId, 'Match');
    const [event] = await app.dataSource.query('SELECT count(*)::int AS n FROM match_event WHERE match_id = $1', [id]);
    expect(event.n).toBe(0);
    const [match] = await app.dataSource.query('SELECT status FROM match WHERE id = $1', [id]);
    expect(match.status).toBe('PROPOSED');
  });

  it.each([
    ['GUARANTOR', 'BANK'],
    ['BANK', 'GUARANTOR'],
    ['BANK', 'INVESTOR'],
  ] as const)('refuses a %s token naming a %s institution', async (role, kind) => {
    const institution = kind === 'BANK' ? market.bank : kind === 'GUARANTOR' ? market.guarantor : await createInstitution(app, staff(app).authority, { kind, name: `投资 ${role}` });
    expect(await refusal(app.token({ sub: `${role}-on-${kind}`, role, institutionId: institution.id }))).toMatch(new RegExp(`${role} tokens may not speak for ${kind} institutions`));
  });

  it.each([
    ['BANK', 'MICROLOAN'], ['BANK', 'LEASING'], ['BANK', 'INSURER'], ['GUARANTOR', 'RE_GUARANTOR'], ['INVESTOR', 'GOVERNMENT_FUND'],
  ] as const)('accepts a %s token naming a %s institution', async (role, kind) => {
    const guarantee = kind === 'RE_GUARANTOR' ? { netAssets: '1000000000', feeRate: '0.01' } : undefined;
    const institution = await createInstitution(app, staff(app).authority, { kind, name: `${kind} 机构`, guarantee });
    const res = await app.gql(VIEWER, {}, { token: app.token({ sub: `${role}-${kind}`, role, institutionId: institution.id }) });
    expect(res.data.viewer.role).toBe(role);
  });

  it('still lets the bank\'s own BANK token respond', async () => {
    const res = await app.gql(RESPOND, { input: { matchId, action: 'CONTACT' } }, { token: market.bankToken });
    expect(res.data.respondToMatch).toMatchObject({ match: { status: 'CONTACTED' }, userErrors: [] });
  });
});

describe('development tokens', () => {
  const productionSecret = 'q8Jm2yV0tN4rX7cL1bZ5hK9wE3uA6sD0fG2jP8oT4iY=';

  it('are accepted in development and refused in production, even signed with the production secret', async () => {
    const dev = await startTestApp({ databaseUrl: app.databaseUrl, env: { JWT_SECRET: productionSecret } });
    const prod = await startTestApp({ databaseUrl: app.databaseUrl, env: { NODE_ENV: 'production', JWT_SECRET: productionSecret } });
    try {
      const devToken = signToken({ sub: 'landing-page-analyst', role: 'ANALYST', aud: DEVELOPMENT_AUDIENCE }, productionSecret, '1h');
      expect((await dev.gql(VIEWER, {}, { token: devToken })).data.viewer.role).toBe('ANALYST');
      const res = await prod.gql(VIEWER, {}, { token: devToken, lang: 'en' });
      expect(res.status).toBe(401);
      expect(res.errors?.[0].message).toMatch(/development token is not accepted in production/);
      // An ordinary token with the same secret is fine in production.
      expect((await prod.gql(VIEWER, {}, { token: prod.token({ sub: 'a', role: 'ANALYST' }) })).data.viewer.role).toBe('ANALYST');
    } finally {
      await dev.close();
      await prod.close();
    }
  });
});
