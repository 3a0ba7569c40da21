/**
 * Failures are data (STYLE.md habit 1): services return a result or a list of coded failures; the
 * payload carries them as `userErrors` with the field path into `input`, a stable code and a message
 * in the request's language.
 */
import { Field, ObjectType } from 'type-graphql';
import { JSONScalar } from './scalars';
import type { Failure } from './failure';
import { Lang, message } from './messages';

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

export { duplicates, failure, ok, refused, RefusedError } from './failure';
export type { Failure, Result } from './failure';

export function localize(lang: Lang, f: Failure): UserError {
  const error = new UserError();
  error.field = ['input', ...f.field];
  error.code = f.code;
  error.message = message(lang, f.messageKey ?? f.code, f.params);
  const params = Object.entries(f.params ?? {}).filter(([, v]) => v !== undefined) as [string, string | number][];
  error.params = params.length ? Object.fromEntries(params) : null;
  return error;
}

