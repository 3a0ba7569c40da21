/**
 * An outage is not a bug (SECURITY.md "It recovers by itself"): while PostgreSQL is down or restarting,
 * a request it broke is answered HTTP 503 with `Retry-After`, and each error it caused carries
 * `extensions { code: SERVICE_UNAVAILABLE, retryable: true }` instead of INTERNAL_SERVER_ERROR.
 *
 * Whole or partial: the answer is 503 when nothing of the request succeeded, that is `data` is null or
 * every root field is null because of an outage error. When some root field did resolve, the answer
 * stays 200 with that data and the outage errors at their paths (still `retryable`): a 503 would invite
 * the client to send again what already took effect (a mutation whose first root field committed), and
 * the retryable code already says which parts to ask for again. A mutation is one transaction, so a
 * mutation field the outage broke wrote nothing, unless the connection broke while its COMMIT was under
 * way: then the outcome is unknown, and a retry with the same `idempotencyKey` returns the first result.
 */
import { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { Request, Response } from 'express';
import { GraphQLFormattedError } from 'graphql';
import { sendErrors } from './access-log';
import { RequestContext } from './context';
import { isDatabaseUnavailable } from '../database/unavailable';
import { Lang, languageFrom, message } from './messages';

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** What `Retry-After` says: a restarted embedded PostgreSQL is ready within a few seconds. */
export const RETRY_AFTER_SECONDS = 2;

function text(lang: Lang): string {
  return message(lang, SERVICE_UNAVAILABLE);
}

/**
 * formatError's part: an error the outage caused, formatted as retryable (null for any other error).
 * `cutShortByOutage` (watchConnections) also knows transactions a broken connection cut short.
 */
export function formatOutage(formatted: GraphQLFormattedError, error: unknown, cutShortByOutage: (error: unknown) => boolean = isDatabaseUnavailable): GraphQLFormattedError | null {
  const ours = formatted.extensions?.code === SERVICE_UNAVAILABLE;
  if (!ours && !cutShortByOutage(error)) return null;
  return { message: ours ? formatted.message : text('zh'), locations: formatted.locations, path: formatted.path, extensions: { code: SERVICE_UNAVAILABLE, retryable: true } };
}

function wholeRequestFailed(data: Record<string, unknown> | null | undefined, outages: readonly GraphQLFormattedError[]): boolean {
  if (data == null) return true;
  const broken = new Set(outages.map((e) => e.path?.[0]));
  return Object.entries(data).every(([field, value]) => value === null && broken.has(field));
}

/** Localises the outage errors and, for a whole-request failure, answers 503 with Retry-After. */
export function outagePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }: GraphQLRequestContext<RequestContext>) {
          const body = response.body;
          if (body?.kind !== 'single') return;
          const result = body.singleResult;
          const outages = result.errors?.filter((e) => e.extensions?.code === SERVICE_UNAVAILABLE) ?? [];
          if (!outages.length) return;
          const message = text(contextValue.lang);
          body.singleResult = {
            ...result,
            errors: result.errors!.map((e) => (e.extensions?.code === SERVICE_UNAVAILABLE ? { ...e, message } : e)),
          };
          if (wholeRequestFailed(result.data, outages)) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
          }
        },
      };
    },
  };
}

/**
 * Wraps the context function: a database lookup there (the token's institution) that fails because of an
 * outage answers 503 before the request runs.
 */
/**
 * The same answer for a database outage met before Apollo (the request gate's institution lookup):
 * HTTP 503, `Retry-After`, and the GraphQL error body a client already handles. Any other error goes on
 * to Express's error handling.
 */
export function answerOutage(error: unknown, req: Request, res: Response): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  const accept = req.headers['accept-language'];
  const message = text(languageFrom(Array.isArray(accept) ? accept[0] : accept));
  sendErrors(res.set('Retry-After', String(RETRY_AFTER_SECONDS)), 503, [{ message, extensions: { code: SERVICE_UNAVAILABLE, retryable: true } }]);
  return true;
}
