/**
 * Requests that never reach GraphQL still get a GraphQL-shaped JSON answer, never Express's HTML page or
 * a stack trace: a body over the limit (413 PAYLOAD_TOO_LARGE), a body that is not JSON (400
 * BAD_REQUEST), an encoding or charset the server does not read (415), an unknown path (404 NOT_FOUND),
 * and any other fault (500 INTERNAL_SERVER_ERROR, logged with its request id). Each carries the request id
 * (access-log.ts `sendErrors`).
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { sendErrors } from './access-log';
import { languageFrom, message } from './messages';

/** The HTTP status and code of each failure, and its message key (error-messages.ts). */
interface HttpFailure { status: number; code: string; key: string }

const FAILURES: Record<string, HttpFailure> = {
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', key: 'PAYLOAD_TOO_LARGE.body' },
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', key: 'BAD_REQUEST.json' },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', key: 'UNSUPPORTED_MEDIA_TYPE.encoding' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', key: 'UNSUPPORTED_MEDIA_TYPE.charset' },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', key: 'BAD_REQUEST.aborted' },
  'request.size.invalid': { status: 400, code: 'BAD_REQUEST', key: 'BAD_REQUEST.size' },
};
const NOT_FOUND: HttpFailure = { status: 404, code: 'NOT_FOUND', key: 'NOT_FOUND.path' };
const INTERNAL: HttpFailure = { status: 500, code: 'INTERNAL_SERVER_ERROR', key: 'INTERNAL_SERVER_ERROR.http' };

function answer(req: Request, res: Response, failure: HttpFailure, params: Record<string, string | number> = {}): void {
  const text = message(languageFrom(req.headers['accept-language']), failure.key, params);
  sendErrors(res, failure.status, [{ message: text, extensions: { code: failure.code } }]);
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
