/** The ENTERPRISE token's verified credit-code claim (issue 11 §6): only `creditCode` with `creditCodeVerified: true` counts. */
import { signToken, tokenVerifier } from '../../src/auth/jwt';
import { verifiedCreditCodeOf } from '../../src/auth/credit-code-claim';

const SECRET = 'test-secret';

describe('verifiedCreditCodeOf', () => {
  it('reads a verified, valid code (normalised), and nothing without the marker or on other roles', () => {
    expect(verifiedCreditCodeOf('ENTERPRISE', { creditCode: ' 91350100m000100y43 ', creditCodeVerified: true })).toBe('91350100M000100Y43');
    expect(verifiedCreditCodeOf('ENTERPRISE', { creditCode: '91350100M000100Y43' })).toBeNull();
    expect(verifiedCreditCodeOf('ENTERPRISE', { creditCode: '91350100M000100Y43', creditCodeVerified: 'true' })).toBeNull();
    expect(verifiedCreditCodeOf('BANK', { creditCode: '91350100M000100Y43', creditCodeVerified: true })).toBeNull();
  });

  it('marks a verified claim that is not a valid credit code (E1: wrong check character)', () => {
    expect(verifiedCreditCodeOf('ENTERPRISE', { creditCode: '91350100M000100Y44', creditCodeVerified: true })).toBe(false);
    expect(verifiedCreditCodeOf('ENTERPRISE', { creditCodeVerified: true })).toBe(false);
  });
});

describe('tokenVerifier', () => {
  const verify = tokenVerifier({ secret: SECRET, production: false, auth: { jwksUrl: undefined, issuer: undefined, audience: undefined, maxTokenLifetimeSeconds: 12 * 3600, clockSkewSeconds: 60, landingPageToken: false } });
  const verifyToken = async (token: string) => (await verify(token)).viewer;

  it('puts the verified code on the viewer and refuses a token whose verified code is invalid', async () => {
    const ok = signToken({ sub: 'u1', role: 'ENTERPRISE', creditCode: '91350100M000100Y43', creditCodeVerified: true }, SECRET);
    await expect(verifyToken(ok)).resolves.toMatchObject({ sub: 'u1', role: 'ENTERPRISE', verifiedCreditCode: '91350100M000100Y43' });
    expect((await verifyToken(signToken({ sub: 'u2', role: 'ENTERPRISE' }, SECRET))).verifiedCreditCode).toBeNull();
    const bad = signToken({ sub: 'u3', role: 'ENTERPRISE', creditCode: '91350100M000100Y44', creditCodeVerified: true }, SECRET);
    await expect(verifyToken(bad)).rejects.toThrow('invalid verified creditCode');
  });
});
