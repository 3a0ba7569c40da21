/**
 * GraphQL subscriptions over graphql-ws on /graphql, the path HTTP queries use (issue 15 §1). A client
 * authenticates as over HTTP, with the same token, in `connectionParams`: `{ authorization: "Bearer <jwt>" }`
 * (or `{ token: "<jwt>" }`). A missing or refused token, or one naming an institution that does not exist
 * or that its role may not speak for, is refused at connect (close code 4403) — as the HTTP gate refuses
 * it (auth/gate.ts); the connection is closed (4401) when its token expires. Only subscriptions run here: queries and mutations go over HTTP, where the rate
 * limits and query limits apply. Each operation gets its own request context (viewer, language, loaders),
 * whose loaders are emptied before each event (events.resolver.ts).
 */
import type http from 'node:http';
import { GraphQLError, GraphQLSchema, OperationDefinitionNode, parse, specifiedRules, ValidationContext, validate } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { institutionAdmission } from '../auth/gate';
import { institutionCache } from '../auth/institution-cache';
import { bearerToken, tokenVerifier, Viewer } from '../auth/jwt';
import { createContext } from '../common/context';
import { queryLimits } from '../common/limits.plugin';
import { languageFrom } from '../common/messages';
import type { RefreshQueue } from '../common/refresh';
import type { Config } from '../config';
import type { EventHub } from './event-hub';
import type { SubscriptionContext } from './events.resolver';

/** The largest message a client may send: a subscription document and its variables. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** Queries and mutations go over HTTP (rate limits, query limits); a WebSocket carries subscriptions only. */
function subscriptionsOnly(context: ValidationContext) {
  return {
    OperationDefinition(node: OperationDefinitionNode) {
      if (node.operation !== 'subscription') context.reportError(new GraphQLError(`Only subscriptions are served over WebSocket; send ${node.operation === 'query' ? 'queries' : 'mutations'} over HTTP POST /graphql`, { nodes: [node] }));
    },
  };
}

type Connected = { viewer?: Viewer; lang?: 'zh' | 'en' };

export interface SubscriptionServer {
  dispose(): Promise<void>;
}

export function startSubscriptionServer(
  httpServer: http.Server, schema: GraphQLSchema,
  parts: { dataSource: DataSource; config: Config; log: Logger; refresh: RefreshQueue; hub: EventHub },
): SubscriptionServer {
  const { dataSource, config, log, refresh, hub } = parts;
  const verify = tokenVerifier({ secret: config.jwtSecret, production: config.production, auth: config.auth });
  const institutions = institutionCache(dataSource);
  const limits = queryLimits(config.limits);
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const cleanup = useServer<Record<string, unknown> | undefined, Connected>({
    schema,
    // The HTTP path's limits on a document (tokens, depth, aliases, directives: common/limits.plugin.ts).
    parse: (source) => parse(source, limits.parseOptions),
    validate: (s, document) => validate(s, document, [...specifiedRules, ...limits.validationRules, subscriptionsOnly]),
    onConnect: async (ctx) => {
      const params = ctx.connectionParams ?? {};
      const raw = typeof params.authorization === 'string' ? bearerToken(params.authorization) : typeof params.token === 'string' ? params.token : null;
      if (!raw) return false;
      try {
        const { viewer } = await verify(raw);
        const { problem } = await institutionAdmission(institutions, viewer);
        if (problem) {
          log.info({ reason: problem }, 'subscription connection refused: its token is not accepted');
          return false;
        }
        // The connection lives no longer than its token: closed (4401) when the token expires.
        const exp = decodeJwt(raw).exp;
        if (typeof exp === 'number') {
          const timer = setTimeout(() => ctx.extra.socket.close(4401, 'token expired'), Math.max(0, exp * 1000 - Date.now()));
          timer.unref();
          ctx.extra.socket.once('close', () => clearTimeout(timer));
        }
        ctx.extra.viewer = viewer;
        ctx.extra.lang = languageFrom(typeof params['accept-language'] === 'string' ? params['accept-language'] : ctx.extra.request.headers['accept-language']);
        return true;
      } catch (error) {
        log.info({ err: error }, 'subscription connection refused: its token is not accepted');
        return false;
      }
    },
    context: (ctx: Context<Record<string, unknown> | undefined, Connected & { request: http.IncomingMessage }>): SubscriptionContext => ({
      ...createContext({ viewer: ctx.extra.viewer ?? null, tokenProblem: null, lang: ctx.extra.lang ?? 'zh', db: dataSource, config, log, refresh }),
      eventHub: hub,
    }),
  }, wss);
  wss.on('error', (error) => log.warn({ err: error }, 'subscription server error'));
  return {
    async dispose() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
