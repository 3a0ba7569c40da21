/**
 * The verified credit-code claim of an ENTERPRISE token (issue 11 §6, "a firm is who it says it is").
 * A login service that checked the firm's business licence (电子营业执照, or 实名认证 plus 信用查询授权 as on
 * 上海信易贷) puts the firm's 统一社会信用代码 in `creditCode` and sets `creditCodeVerified: true`. Only the
 * two together, on an ENTERPRISE token, count: a `creditCode` without the marker is what the user typed.
 * Kept apart from token verification (jwt.ts) so that it reads one claim and nothing else.
 */
import { checkCreditCode } from '../enterprises/credit-code';
import type { Role } from './roles';

/** The claim names, as the identity provider writes them. */
export const CREDIT_CODE_CLAIM = 'creditCode';
export const CREDIT_CODE_VERIFIED_CLAIM = 'creditCodeVerified';

/**
 * The credit code the token vouches for (normalised, R1-valid), null when it vouches for none, or
 * `false` when it says it verified a code that is not a valid credit code (the token is refused).
 */
export function verifiedCreditCodeOf(role: Role, claims: Record<string, unknown>): string | null | false {
  if (role !== 'ENTERPRISE' || claims[CREDIT_CODE_VERIFIED_CLAIM] !== true) return null;
  const raw = claims[CREDIT_CODE_CLAIM];
  if (typeof raw !== 'string') return false;
  const check = checkCreditCode(raw);
  return check.valid ? check.code : false;
}
