/**
 * Failures are data (STYLE.md habit 1): services and the pure rules return a result or coded failures.
 * No GraphQL here, so calculators may use it; user-error.ts turns failures into `userErrors`.
 */
import type { Params } from './messages';

/** A failure as services produce it: localised only when it reaches the payload. */
export interface Failure {
  /** Path under `input` (without the leading "input"). */
  field: string[];
  code: string;
  /** Message key when a code has several explanations (`INVALID_CREDIT_CODE.check`). */
  messageKey?: string;
  params?: Params;
}

export function failure(field: string | string[], code: string, params?: Params, variant?: string): Failure {
  return {
    field: Array.isArray(field) ? field : field.split('.'),
    code,
    params,
    messageKey: variant ? `${code}.${variant}` : undefined,
  };
}

/** DUPLICATE_VALUE for every repeat in a list (at the repeat's index under `field`). */
export function duplicates(field: string[], values: readonly string[]): Failure[] {
  const seen = new Set<string>();
  return values.flatMap((v, i) => {
    const repeat = seen.has(v);
    seen.add(v);
    return repeat ? [failure([...field, String(i)], 'DUPLICATE_VALUE', { value: v })] : [];
  });
}

/** A service outcome: a value, or the reasons it was refused. */
export type Result<T> = { ok: true; value: T } | { ok: false; failures: Failure[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refused = <T = never>(...failures: Failure[]): Result<T> => ({ ok: false, failures });

/**
 * Thrown inside a transaction to roll it back and report failures as userErrors. Services use it when
 * a rule can only be checked after writing has started (a unique constraint, a locked row).
 */
export class RefusedError extends Error {
  constructor(readonly failures: Failure[]) {
    super(failures.map((f) => f.code).join(', '));
  }
}
