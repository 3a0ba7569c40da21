/**
 * The access log (docs/OPERATIONS.md "Logs"): one JSON line per HTTP request, written by pino-http when
 * the response ends, with the request id, method, path, status, duration, the GraphQL operation's name and
 * type, its error codes, the viewer's role and, when tracing is on, the trace id — never a header, a query's variables, a body or a token,
 * so nothing personal reaches the log. A request slower than SLOW_REQUEST_MS is logged at `warn`.
 *
 * The request id is the caller's `X-Request-Id` when it is a plain token (letters, digits, `._:-`, at
 * most 128 characters), otherwise a new UUID; it is returned in `X-Request-Id`, bound to every log line
 * the request writes (`req.log`), and carried by each GraphQL error (`extensions.requestId`) and by the
 * JSON error bodies of requests that never reach GraphQL.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { graphqlDuration, graphqlErrors, httpDuration, operationLabel } from './metrics';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What the GraphQL layer tells the access log about a request, kept on `res.locals.graphql`. */
export interface GraphqlOutcome {
  operation: string | null;
  type: string | null;
  errorCodes: string[];
}

/** The request's id: the caller's, when it is a plain token, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID();
}

const startedAt = new WeakMap<IncomingMessage, bigint>();

const elapsedMs = (req: IncomingMessage) => {
  const start = startedAt.get(req);
  return start === undefined ? 0 : Number(process.hrtime.bigint() - start) / 1e6;
};

interface Locals { graphql?: GraphqlOutcome; admission?: { viewer?: { role?: string } | null } }
const localsOf = (res: ServerResponse): Locals => ((res as Response).locals ?? {}) as Locals;

/** The path without its query string: a GET query's text and variables stay out of the log. */
const pathOf = (req: IncomingMessage) => ((req as Request).originalUrl ?? req.url ?? '').split('?')[0].slice(0, 200);

export function accessLog(log: Logger, slowRequestMs: number): RequestHandler {
  const logger = pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      // The GraphQL layer reads the id from the request's headers (Apollo sees those, not Express's objects).
      req.headers[REQUEST_ID_HEADER] = id;
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({ method: req.method, path: pathOf(req) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
      err: (err: Error) => ({ type: err.name, message: err.message }),
    },
    wrapSerializers: false,
    quietReqLogger: true,
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (elapsedMs(req) >= slowRequestMs) return 'warn';
      return 'info';
    },
    customSuccessMessage: (req) => (elapsedMs(req) >= slowRequestMs ? 'slow request' : 'request completed'),
    customSuccessObject: (req, res, loggable: Record<string, unknown>) => withOutcome(res, loggable),
    customErrorObject: (req, res, err, loggable: Record<string, unknown>) => withOutcome(res, loggable),
    autoLogging: { ignore: (req) => pathOf(req) === '/healthz' },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    startedAt.set(req, process.hrtime.bigint());
    res.once('finish', () => httpDuration.observe({ method: req.method, route: routeOf(req), status: String(res.statusCode) }, elapsedMs(req) / 1000));
    logger(req, res, next);
  };
}

/** A GraphQL error as the JSON bodies answered outside GraphQL carry it. */
export interface HttpError { message: string; extensions: Record<string, unknown> }

/**
 * Answers `status` with a GraphQL-shaped error body, each error carrying the request id as GraphQL's own
 * errors do (accessLogPlugin): the request gate's 429 and 503 and the HTTP error pages all answer through it.
 */
export function sendErrors(res: Response, status: number, errors: readonly HttpError[]): void {
  const requestId = res.getHeader('X-Request-Id');
  res.status(status).json({ errors: errors.map((e) => ({ ...e, extensions: { ...e.extensions, ...(requestId ? { requestId } : {}) } })) });
}

/** The route as a metric label: one of the server's paths, never what a client typed. */
const ROUTES = ['/graphql', '/healthz', '/readyz', '/metrics'];
const routeOf = (req: IncomingMessage) => {
  const path = pathOf(req);
  return ROUTES.includes(path) ? path : 'other';
};

/** The id of the trace the request belongs to when tracing is on (common/tracing.ts), to find its spans from its log line. */
function currentTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? context.traceId : undefined;
}

function withOutcome(res: ServerResponse, loggable: Record<string, unknown>): Record<string, unknown> {
  const locals = localsOf(res);
  const graphql = locals.graphql;
  const traceId = currentTraceId();
  return {
    ...loggable,
    ...(graphql ? { operation: graphql.operation, operationType: graphql.type, ...(graphql.errorCodes.length ? { errorCodes: graphql.errorCodes } : {}) } : {}),
    role: locals.admission?.viewer?.role ?? null,
    ...(traceId ? { traceId } : {}),
  };
}

/**
 * Apollo's part: records the operation's name, type and error codes for the access log, and gives every
 * error in the response the request id.
 */
export function accessLogPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ request, response, contextValue, operationName, operation }) {
          const outcome = outcomeOf(contextValue);
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          graphqlDuration.observe({ operation: operationLabel(operationName), type: operation?.operation ?? 'none' }, Number(process.hrtime.bigint() - started) / 1e9);
          for (const e of errors ?? []) graphqlErrors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
          if (outcome) {
            outcome.operation = operationName ?? null;
            outcome.type = operation?.operation ?? null;
            outcome.errorCodes = [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
          }
          const requestId = request.http?.headers.get(REQUEST_ID_HEADER);
          if (!requestId || !errors?.length || body.kind !== 'single') return;
          body.singleResult = { ...body.singleResult, errors: errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId } })) };
        },
      };
    },
  };
}

/**
 * Where a GraphQL context keeps its outcome: a symbol-keyed own property, because Apollo hands plugins a
 * shallow copy of the context object (Object.assign copies it along; a WeakMap keyed by the original would not).
 */
const OUTCOME = Symbol('accessLogOutcome');

const outcomeOf = (context: object): GraphqlOutcome | undefined => (context as { [OUTCOME]?: GraphqlOutcome })[OUTCOME];

/** Gives a GraphQL context a fresh outcome, shared with the response's access-log line. */
export function attachOutcome<C extends object>(context: C, res: Response): C {
  const outcome: GraphqlOutcome = { operation: null, type: null, errorCodes: [] };
  (res.locals as Locals).graphql = outcome;
  return Object.assign(context, { [OUTCOME]: outcome });
}
