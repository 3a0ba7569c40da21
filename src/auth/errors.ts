/** The GraphQL errors of API.md that are not userErrors: authentication and permission. */
import { GraphQLError } from 'graphql';
import type { ForbiddenReason } from '../common/error-messages';
import { Lang, message } from '../common/messages';

export function unauthenticated(lang: Lang, reason?: string): GraphQLError {
  const text = message(lang, 'UNAUTHENTICATED');
  return new GraphQLError(reason ? `${text} (${reason})` : text, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

export function forbidden(lang: Lang, what?: string): GraphQLError {
  const text = message(lang, 'FORBIDDEN');
  return new GraphQLError(what ? `${text}: ${what}` : text, { extensions: { code: 'FORBIDDEN' } });
}

/** FORBIDDEN with the reason in the viewer's language (`FORBIDDEN.<reason>` in common/error-messages.ts). */
export function forbiddenBecause(lang: Lang, reason: ForbiddenReason): GraphQLError {
  return forbidden(lang, message(lang, `FORBIDDEN.${reason}`));
}

/** The body of an HTTP 429 (API.md: rate limits answer `RATE_LIMITED` with `Retry-After`). */
export function rateLimitedBody(lang: Lang, retryAfterSeconds: number, scope: string) {
  return { errors: [{ message: message(lang, 'RATE_LIMITED', { seconds: retryAfterSeconds }), extensions: { code: 'RATE_LIMITED', retryAfterSeconds, limit: scope } }] };
}
