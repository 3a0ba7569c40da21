/**
 * Tokens (API.md conventions): `Authorization: Bearer <JWT>`. Claims: `sub`, `role`, and `institutionId`
 * (the institution's API id) for BANK, GUARANTOR and INVESTOR. An ENTERPRISE token carries no enterprise
 * id: registerEnterprise binds its `sub`. An AUTHORITY token may carry `regionCode` (authority-region.ts):
 * without it the authority is national.
 *
 * Two kinds of signature (issue 11 §2): HS256 with JWT_SECRET, and RS256/ES256 from an identity provider,
 * verified against its JWKS (JWT_JWKS_URL) with its issuer and audience. Every token carries `exp`, lives
 * at most `maxTokenLifetimeSeconds` and was not issued in the future; a development token (the landing
 * page's) is refused in production.
 */
import { createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, JWTPayload } from 'jose';
import jwt from 'jsonwebtoken';
import type { AuthSettings } from '../config';
import { uuidOf } from '../common/ids';
import { regionClaimOf } from './authority-region';
import { verifiedCreditCodeOf } from './credit-code-claim';
import { INSTITUTION_ROLES, isRole, Role } from './roles';

export interface Viewer {
  sub: string;
  role: Role;
  /** The institution's uuid, for institution roles. */
  institutionId: string | null;
  /** ENTERPRISE tokens: the credit code the login service verified (`creditCode` + `creditCodeVerified`), see credit-code-claim.ts. */
  verifiedCreditCode?: string | null;
  /** AUTHORITY tokens: the region prefix of the `regionCode` claim (authority-region.ts); null or absent for a national authority. */
  regionCode?: string | null;
}

/** A verified token: who it speaks for, and who issued it (null: signed with JWT_SECRET). */
export interface Authenticated {
  viewer: Viewer;
  issuer: string | null;
}

export class TokenError extends Error {}

/** The identity provider's keys could not be had: the client is not at fault, so it is no failed authentication. */
export class KeysUnavailable extends TokenError {}

/** The audience of development tokens (the landing page's): never accepted in production. */
export const DEVELOPMENT_AUDIENCE = 'finmatch-development';

export interface TokenPolicy {
  secret: string;
  production: boolean;
  auth: AuthSettings;
}

export type TokenVerifier = (token: string) => Promise<Authenticated>;

const IDP_ALGORITHMS = ['RS256', 'ES256'];

/**
 * Builds the verifier once per server: the HS256 key object is made here, not per request (issue 14:
 * a string secret costs jsonwebtoken a failed createPublicKey() on every verify), and the identity
 * provider's key set is fetched on first use and cached by jose.
 */
export function tokenVerifier(policy: TokenPolicy): TokenVerifier {
  const secretKey: KeyObject = createSecretKey(Buffer.from(policy.secret, 'utf8'));
  const { jwksUrl, issuer, audience, clockSkewSeconds } = policy.auth;
  const jwks = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }) : null;

  return async (token) => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new TokenError('invalid token');
    }
    let payload: JWTPayload;
    const fromProvider = alg !== 'HS256';
    try {
      if (!fromProvider) {
        ({ payload } = await jwtVerify(token, secretKey, { algorithms: ['HS256'], clockTolerance: clockSkewSeconds }));
      } else if (jwks && alg && IDP_ALGORITHMS.includes(alg)) {
        ({ payload } = await jwtVerify(token, jwks, { algorithms: IDP_ALGORITHMS, issuer, audience, clockTolerance: clockSkewSeconds }));
      } else {
        throw new TokenError(`tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
      }
    } catch (error) {
      throw tokenErrorOf(error, fromProvider);
    }
    checkLifetime(payload, policy);
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : payload.aud ?? [];
    if (policy.production && audiences.includes(DEVELOPMENT_AUDIENCE)) throw new TokenError('a development token is not accepted in production');
    return { viewer: viewerOf(payload), issuer: fromProvider ? (payload.iss ?? null) : null };
  };
}

function tokenErrorOf(error: unknown, fromProvider: boolean): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof errors.JWTExpired) return new TokenError('token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new TokenError('token issuer not accepted');
    if (error.claim === 'aud') return new TokenError('token audience not accepted');
    if (error.claim === 'nbf') return new TokenError('token not yet valid');
  }
  if (error instanceof errors.JWKSNoMatchingKey) return new TokenError('no key of the identity provider matches the token');
  if (fromProvider && (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError))) {
    // Not the token's fault: a timeout, a refused connection or a malformed key set at the provider.
    return new KeysUnavailable('the identity provider\'s keys are unavailable');
  }
  return new TokenError('invalid token');
}

/** `exp` is required; neither exp − iat nor exp − now may pass the configured maximum; iat is not in the future. */
function checkLifetime(payload: JWTPayload, policy: TokenPolicy): void {
  const { maxTokenLifetimeSeconds: max, clockSkewSeconds: skew } = policy.auth;
  const now = Math.floor(Date.now() / 1000);
  const { exp, iat } = payload;
  if (typeof exp !== 'number') throw new TokenError('token has no exp');
  const limit = `token lifetime is over the ${formatSeconds(max)} allowed`;
  if (typeof iat === 'number') {
    if (iat > now + skew) throw new TokenError('token issued in the future');
    if (exp - iat > max) throw new TokenError(limit);
  }
  if (exp - now > max + skew) throw new TokenError(limit);
}

function formatSeconds(s: number): string {
  return s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

function viewerOf(claims: JWTPayload): Viewer {
  const { sub, role } = claims;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) throw new TokenError('token has no valid sub');
  if (!isRole(role)) throw new TokenError('token has no valid role');
  let institutionId: string | null = null;
  if (INSTITUTION_ROLES.includes(role)) {
    const raw = claims.institutionId;
    institutionId = typeof raw === 'string' ? uuidOf(raw, 'Institution') : null;
    if (!institutionId) throw new TokenError(`a ${role} token needs an institutionId`);
  }
  const verifiedCreditCode = verifiedCreditCodeOf(role, claims);
  if (verifiedCreditCode === false) throw new TokenError('token has an invalid verified creditCode');
  if (role !== 'AUTHORITY') return { sub, role, institutionId, verifiedCreditCode };
  // An AUTHORITY token's region (issue 17 §3): a malformed claim refuses the token rather than making it national.
  const regionCode = regionClaimOf(claims.regionCode);
  if (regionCode === false) throw new TokenError('token has an invalid regionCode (2, 4 or 6 digits of a GB/T 2260 code)');
  return { sub, role, institutionId, verifiedCreditCode, regionCode };
}

export interface TokenClaims {
  sub: string;
  role: Role;
  /** The institution's API id (opaque). */
  institutionId?: string;
  /** DEVELOPMENT_AUDIENCE marks a development token. */
  aud?: string;
  /** ENTERPRISE: the firm's credit code, as the login service verified it (with `creditCodeVerified: true`). */
  creditCode?: string;
  creditCodeVerified?: boolean;
  /** AUTHORITY: the region it speaks for (a GB/T 2260 code or prefix); none for a national authority. */
  regionCode?: string;
}

export function signToken(claims: TokenClaims, secret: string, expiresIn: jwt.SignOptions['expiresIn'] = '12h'): string {
  return jwt.sign({ ...claims }, secret, { algorithm: 'HS256', expiresIn });
}

/** The token in an Authorization header, if it is a Bearer one. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
