/**
 * The region a unified social credit code carries (GB 32100-2015): characters 3–8 are the administrative
 * division code (登记管理机关行政区划码, GB/T 2260) of the authority that registered the firm. Used where a
 * firm is not registered yet, so its own `region_code` is not known (a regional authority's credit import,
 * issue 17 §3). Pure: common/ imports no domain, so the caller passes the code already checked against R1
 * by `checkCreditCode` (src/enterprises/credit-code.ts), whose result this takes as it is.
 */
import { isRegionCode } from './region';

/** The six-digit division code in characters 3–8 of a valid credit code; null for an invalid code or one whose characters 3–8 name no region (e.g. 100000, registered nationally). */
export function creditCodeRegion(check: { valid: boolean; code: string }): string | null {
  if (!check.valid) return null;
  const division = check.code.slice(2, 8);
  return isRegionCode(division) ? division : null;
}
