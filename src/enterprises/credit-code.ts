/**
 * R1 — unified social credit code, GB 32100-2015.
 * 18 characters from `0123456789ABCDEFGHJKLMNPQRTUWXY` (values 0–30; no I, O, S, V, Z). Weights for
 * positions 1–17 are 3^(i−1) mod 31; check value = (31 − Σ value·weight mod 31) mod 31, mapped back
 * through the same alphabet. Input is trimmed and upper-cased first.
 */
import { Failure, failure } from '../common/failure';
import { isRegionCode } from '../common/region';

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem =
  | { kind: 'length'; length: number }
  | { kind: 'character'; position: number; character: string }
  | { kind: 'check'; position: 18; character: string; expected: string };

export type CreditCodeCheck = { valid: true; code: string } | { valid: false; code: string; problem: CreditCodeProblem };

export function normalizeCreditCode(input: string): string {
  return input.trim().toUpperCase();
}

/** The check character for the first 17 characters (which must already be in the alphabet). */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]) * CREDIT_CODE_WEIGHTS[i];
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkCreditCode(input: string): CreditCodeCheck {
  const code = normalizeCreditCode(input);
  const chars = Array.from(code);
  if (chars.length !== 18) return { valid: false, code, problem: { kind: 'length', length: chars.length } };
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_CODE_ALPHABET.includes(chars[i])) {
      return { valid: false, code, problem: { kind: 'character', position: i + 1, character: chars[i] } };
    }
  }
  const expected = checkCharacter(code);
  if (code[17] !== expected) return { valid: false, code, problem: { kind: 'check', position: 18, character: code[17], expected } };
  return { valid: true, code };
}

/** Completes 17 characters with their check character (demo data, tests). */
export function withCheckCharacter(first17: string): string {
  return first17 + checkCharacter(first17);
}

/** R1 as a userError on `field`, naming the position that is wrong where it can. */
export function creditCodeFailure(field: string[], input: string): Failure | null {
  const check = checkCreditCode(input);
  if (check.valid) return null;
  const p = check.problem;
  if (p.kind === 'length') return failure(field, 'INVALID_CREDIT_CODE', { length: p.length }, 'length');
  if (p.kind === 'character') return failure(field, 'INVALID_CREDIT_CODE', { position: p.position, character: p.character }, 'character');
  return failure(field, 'INVALID_CREDIT_CODE', { position: 18, character: p.character, expected: p.expected }, 'check');
}


/**
 * The administrative division whose authority registered the firm (GB 32100-2015: characters 3–8 are the
 * registering authority's 登记管理机关行政区划码, a GB/T 2260 code), e.g. 370212 in 91370212…. Null when
 * the code fails R1 or those characters are not a division code.
 */
export function registeringDivision(input: string): string | null {
  const check = checkCreditCode(input);
  if (!check.valid) return null;
  const division = check.code.slice(2, 8);
  return isRegionCode(division) ? division : null;
}
