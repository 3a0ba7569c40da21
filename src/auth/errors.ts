/** The GraphQL errors of API.md that are not userErrors: authentication and permission. */
import { GraphQLError } from 'graphql';
import { Lang } from '../common/messages';

export function unauthenticated(lang: Lang, reason?: string): GraphQLError {
  const text = lang === 'en' ? 'Authentication required: send Authorization: Bearer <token>' : '需要登录：请在请求头中携带 Authorization: Bearer <token>';
  return new GraphQLError(reason ? `${text} (${reason})` : text, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

export function forbidden(lang: Lang, what?: string): GraphQLError {
  const text = lang === 'en' ? 'Your role may not do this' : '当前角色无权执行此操作';
  return new GraphQLError(what ? `${text}: ${what}` : text, { extensions: { code: 'FORBIDDEN' } });
}

/** The body of an HTTP 429 (API.md: rate limits answer `RATE_LIMITED` with `Retry-After`). */
export function rateLimitedBody(lang: Lang, retryAfterSeconds: number, scope: string) {
  const message = lang === 'en'
    ? `Too many requests: try again in ${retryAfterSeconds} s`
    : `请求过于频繁：请在 ${retryAfterSeconds} 秒后重试`;
  return { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds, limit: scope } }] };
}
