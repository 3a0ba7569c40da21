/**
 * Requests that never reach GraphQL still get a GraphQL-shaped JSON answer, never Express's HTML page or
 * a stack trace: a body over the limit (413 PAYLOAD_TOO_LARGE), a body that is not JSON (400
 * BAD_REQUEST), an encoding or charset the server does not read (415), an unknown path (404 NOT_FOUND),
 * and any other fault (500 INTERNAL_SERVER_ERROR, logged with its request id). Each carries the request id.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { Lang, languageFrom } from './messages';

interface HttpFailure { status: number; code: string; zh: string; en: string }

const FAILURES: Record<string, HttpFailure> = {
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', zh: '请求体超过 {limit} 字节上限', en: 'The request body is larger than the {limit}-byte limit' },
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', zh: '不支持该内容编码', en: 'The content encoding is not supported' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', zh: '不支持该字符集，请使用 UTF-8', en: 'The charset is not supported; send UTF-8' },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', zh: '请求在读完之前被中止', en: 'The request was aborted before it was read' },
  'request.size.invalid': { status: 400, code: 'BAD_REQUEST', zh: '请求体长度与 Content-Length 不符', en: 'The request body does not match its Content-Length' },
};
const NOT_FOUND: HttpFailure = { status: 404, code: 'NOT_FOUND', zh: '没有这个地址：GraphQL 接口在 /graphql', en: 'Nothing here: the GraphQL API is at /graphql' };
const INTERNAL: HttpFailure = { status: 500, code: 'INTERNAL_SERVER_ERROR', zh: '服务器内部错误', en: 'Internal server error' };

function answer(req: Request, res: Response, failure: HttpFailure, params: Record<string, string | number> = {}): void {
  const lang: Lang = languageFrom(req.headers['accept-language']);
  const message = Object.entries(params).reduce((m, [k, v]) => m.replace(`{${k}}`, String(v)), failure[lang]);
  const requestId = res.getHeader('X-Request-Id');
  res.status(failure.status).json({ errors: [{ message, extensions: { code: failure.code, ...(requestId ? { requestId } : {}) } }] });
}

export const notFound: RequestHandler = (req, res) => answer(req, res, NOT_FOUND);

export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const type = (error as { type?: unknown })?.type;
    const failure = typeof type === 'string' ? FAILURES[type] : undefined;
    if (failure) {
      answer(req, res, failure, { limit: Number((error as { limit?: number }).limit ?? 0) });
      return;
    }
    log.error({ err: error, requestId: res.getHeader('X-Request-Id') }, 'request failed before GraphQL');
    answer(req, res, INTERNAL);
  };
}
