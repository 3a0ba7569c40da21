/**
 * Failures are data (STYLE.md habit 1): services return a result or a list of coded failures; the
 * payload carries them as `userErrors` with the field path into `input`, a stable code and a message
 * in the request's language.
 */
import { Field, ObjectType } from 'type-graphql';
import { JSONScalar } from './scalars';
import { Lang, message, Params } from './messages';

@ObjectType({ description: 'Why a mutation refused its input. Nothing was written when any of these is present.', simpleResolvers: true })
export class UserError {
  @Field(() => [String], { description: 'Path into the mutation\'s `input` of the offending value, e.g. ["input", "contact", "email"] or ["input", "entries", "3", "creditCode"].' })
  field: string[];

  @Field({ description: 'Stable machine-readable code, e.g. INVALID_CREDIT_CODE, DUPLICATE_NEED.' })
  code: string;

  @Field({ description: 'What is wrong and what to do about it, in Simplified Chinese or, with `Accept-Language: en`, English.' })
  message: string;

  @Field(() => JSONScalar, { nullable: true, description: 'The figures the message names (e.g. {"position": 18, "expected": "3"}), for clients that word their own messages.' })
  params: Record<string, string | number> | null;
}

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

export function localize(lang: Lang, f: Failure): UserError {
  const error = new UserError();
  error.field = ['input', ...f.field];
  error.code = f.code;
  error.message = message(lang, f.messageKey ?? f.code, f.params);
  const params = Object.entries(f.params ?? {}).filter(([, v]) => v !== undefined) as [string, string | number][];
  error.params = params.length ? Object.fromEntries(params) : null;
  return error;
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
