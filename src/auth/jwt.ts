/**
 * Tokens (API.md conventions): `Authorization: Bearer <JWT>`, HS256 with JWT_SECRET. Claims: `sub`,
 * `role`, and `institutionId` (the institution's API id) for BANK, GUARANTOR and INVESTOR. An ENTERPRISE
 * token carries no enterprise id: registerEnterprise binds its `sub`.
 */
import jwt from 'jsonwebtoken';
import { uuidOf } from '../common/ids';
import { verifiedCreditCodeOf } from './credit-code-claim';
import { INSTITUTION_ROLES, isRole, Role } from './roles';

export interface Viewer {
  sub: string;
  role: Role;
  /** The institution's uuid, for institution roles. */
  institutionId: string | null;
  /** ENTERPRISE tokens: the credit code the login service verified (`creditCode` + `creditCodeVerified`), see credit-code-claim.ts. */
  verifiedCreditCode?: string | null;
}

export class TokenError extends Error {}

export function verifyToken(token: string, secret: string): Viewer {
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
  } catch (error) {
    throw new TokenError(error instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token');
  }
  if (typeof claims === 'string') throw new TokenError('invalid token');
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
  return { sub, role, institutionId, verifiedCreditCode };
}

export interface TokenClaims {
  sub: string;
  role: Role;
  /** The institution's API id (opaque). */
  institutionId?: string;
  /** ENTERPRISE: the firm's credit code, as the login service verified it (with `creditCodeVerified: true`). */
  creditCode?: string;
  creditCodeVerified?: boolean;
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
