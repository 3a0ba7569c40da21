/**
 * Issue 11 §2 — banks and platforms bring their own identity provider: besides HS256 with JWT_SECRET,
 * RS256 and ES256 tokens are verified against a JWKS (here served by the test itself on loopback), with
 * the issuer and audience checked, and the same claims and lifetime rules as every token.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';
import jwt from 'jsonwebtoken';
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, staff, tokenRefusal } from './fixtures';

const ISSUER = 'https://idp.bank.example/';
const AUDIENCE = 'finmatch-api';
const VIEWER = '{ viewer { sub role institution { name } } }';

let jwks: http.Server;
let jwksRequests = 0;
let app: TestApp;
const keys: Record<'RS256' | 'ES256', { privateKey: KeyLike; publicKey: KeyLike; kid: string }> = {} as never;
let stranger: KeyLike;

beforeAll(async () => {
  for (const alg of ['RS256', 'ES256'] as const) {
    const pair = await generateKeyPair(alg);
    keys[alg] = { ...pair, kid: `${alg.toLowerCase()}-1` };
  }
  stranger = (await generateKeyPair('RS256')).privateKey;
  const body = JSON.stringify({
    keys: await Promise.all((['RS256', 'ES256'] as const).map(async (alg) => ({ ...(await exportJWK(keys[alg].publicKey)), kid: keys[alg].kid, alg, use: 'sig' }))),
  });
  jwks = http.createServer((_req, res) => {
    jwksRequests += 1;
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  app = await startTestApp({ env: { JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE } });
});
afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => jwks?.close(resolve));
});

async function idpToken(alg: 'RS256' | 'ES256', claims: JWTPayload, options: { issuer?: string; audience?: string; key?: KeyLike; kid?: string; lifetime?: string } = {}) {
  return new SignJWT({ role: 'ANALYST', ...claims })
    .setProtectedHeader({ alg, kid: options.kid ?? keys[alg].kid })
    .setSubject((claims.sub as string | undefined) ?? 'idp-user-1')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.lifetime ?? '1h')
    .sign(options.key ?? keys[alg].privateKey);
}

const refusal = (token: string) => tokenRefusal(app, token);

describe('tokens from an identity provider', () => {
  it.each(['RS256', 'ES256'] as const)('accepts %s tokens signed with a key of the JWKS', async (alg) => {
    const res = await app.gql(VIEWER, {}, { token: await idpToken(alg, { sub: `idp-${alg}` }) });
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer).toEqual({ sub: `idp-${alg}`, role: 'ANALYST', institution: null });
  });

  it('speaks for a bank, with the same institution rules as HS256 tokens', async () => {
    const bank = await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '自带身份的银行' });
    const res = await app.gql(VIEWER, {}, { token: await idpToken('ES256', { sub: 'banker-7', role: 'BANK', institutionId: bank.id }) });
    expect(res.data.viewer).toEqual({ sub: 'banker-7', role: 'BANK', institution: { name: '自带身份的银行' } });
    expect(await refusal(await idpToken('ES256', { sub: 'banker-8', role: 'INVESTOR', institutionId: bank.id }))).toMatch(/INVESTOR tokens may not speak for BANK institutions/);
  });

  it('refuses another issuer or another audience', async () => {
    expect(await refusal(await idpToken('RS256', {}, { issuer: 'https://idp.elsewhere.example/' }))).toMatch(/issuer not accepted/);
    expect(await refusal(await idpToken('RS256', {}, { audience: 'another-api' }))).toMatch(/audience not accepted/);
  });

  it('refuses a token signed with a key the JWKS does not hold', async () => {
    expect(await refusal(await idpToken('RS256', {}, { key: stranger, kid: 'unknown-kid' }))).toMatch(/no key of the identity provider matches/);
    expect(await refusal(await idpToken('RS256', {}, { key: stranger }))).toMatch(/invalid token/);
  });

  it('holds identity-provider tokens to the same lifetime limit', async () => {
    expect(await refusal(await idpToken('ES256', {}, { lifetime: '2d' }))).toMatch(/lifetime is over the 12 h allowed/);
  });

  it('refuses an HS256 token made with the provider\'s public key as its secret (algorithm confusion)', async () => {
    const pem = await exportSPKI(keys.RS256.publicKey);
    const forged = jwt.sign({ sub: 'x', role: 'ADMIN', iss: ISSUER, aud: AUDIENCE }, pem, { algorithm: 'HS256', expiresIn: '1h', allowInsecureKeySizes: true } as jwt.SignOptions);
    expect(await refusal(forged)).toMatch(/invalid token/);
  });

  it('still accepts HS256 tokens signed with JWT_SECRET', async () => {
    expect((await app.gql(VIEWER, {}, { token: staff(app).analyst })).data.viewer.role).toBe('ANALYST');
  });

  it('fetches the key set once and keeps it', () => {
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
    expect(jwksRequests).toBeLessThanOrEqual(2);
  });
});

describe('without JWT_JWKS_URL', () => {
  it('refuses RS256 and ES256 tokens', async () => {
    const plain = await startTestApp({ databaseUrl: app.databaseUrl });
    try {
      const res = await plain.gql(VIEWER, {}, { token: await idpToken('RS256', {}), lang: 'en' });
      expect(res.status).toBe(401);
      expect(res.errors?.[0].message).toMatch(/tokens signed with RS256 are not accepted/);
    } finally {
      await plain.close();
    }
  });
});
