/**
 * The HTTP server: Express 5 with Apollo Server 5 on /graphql, /healthz and /readyz. Built from a
 * DataSource, so main.ts and the tests run the same server.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createContext, RequestContext } from './common/context';
import { institutionById } from './institutions/institution.service';
import { primeRequestNow } from './database/clock';
import { admissionOf, requestGate } from './auth/gate';
import { EXPLORER_PATH, explorerAssets, landingPagePlugin, landingPagePolicy } from './auth/landing-page';
import { compiledExecution } from './common/compiled-execution';
import { limitsPlugin, queryLimits } from './common/limits.plugin';
import { formatOutage, outagePlugin } from './common/outage.plugin';
import { inputErrorsPlugin } from './common/input-errors.plugin';
import { accessLog, accessLogPlugin, attachOutcome } from './common/access-log';
import { jsonErrors, notFound } from './common/http-errors';
import { registry, reportDatabase } from './common/metrics';
import { languageFrom } from './common/messages';
import { readReplicaPlugin } from './common/read-replica.plugin';
import { Config } from './config';
import { migrationsApplied } from './database/data-source';
import { watchConnections } from './database/unavailable';
import { finmatchSchema } from './schema';
import type { RefreshQueue } from './common/refresh';
import { startRefreshQueue } from './matching/refresh.queue';
import { EventsRuntime, startEvents } from './events/events.runtime';
import { startSubscriptionServer, SubscriptionServer } from './events/ws.server';
import { DOCUMENTS_PATH, documentRoutes } from './documents/document.routes';

export interface Server {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  refresh: RefreshQueue;
  /** Issue 15 §1: the outbox's dispatcher (writers only), the LISTEN connection and the subscriptions' hub. */
  events: EventsRuntime;
  /** The metrics listener when METRICS_PORT is set (not listening yet: main.ts starts it); else /metrics is on `httpServer`. */
  metricsServer: http.Server | null;
}

/** Codes a client may see with their message; anything else is an internal fault. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED',
]);

export interface ServerOptions {
  /** Why the database is not ready although the process runs (the embedded PostgreSQL restarting), or undefined. */
  databaseStatus?: () => string | undefined;
  /**
   * A read replica (READ_DATABASE_URL): queries read from it, and this process is a reader — no refresh
   * worker and no deadline sweeps here (the processes on the primary run those).
   */
  reads?: DataSource;
}

export async function createServer(dataSource: DataSource, config: Config, log: Logger, options: ServerOptions = {}): Promise<Server> {
  const schema = await finmatchSchema();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const httpServer = http.createServer(app);
  const connections = watchConnections(dataSource);
  // The access log first, so every answer (the gate's refusals and the JSON error pages too) has its line and request id.
  app.use(accessLog(log, config.slowRequestMs));

  // Cache control is off: nothing sets cache hints, and the plugin halves throughput on large responses.
  const plugins = [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), limitsPlugin(), landingPagePlugin(config, httpServer), outagePlugin(), inputErrorsPlugin(),
    accessLogPlugin<RequestContext>(), ...(options.reads ? [readReplicaPlugin(options.reads)] : [])];
  // Subscriptions (graphql-ws on /graphql) close with the HTTP server when Apollo drains.
  let subscriptions: SubscriptionServer | null = null;
  plugins.push({ serverWillStart: async () => ({ drainServer: async () => { await subscriptions?.dispose(); } }) });

  const apollo = new ApolloServer<RequestContext>({
    // Compiled execution (common/compiled-execution.ts); graphql-js's own with tracing on, which hooks it.
    ...(config.tracing || !config.graphqlCompileAfter ? { schema } : { gateway: compiledExecution(schema, config.graphqlCompileAfter) }),
    plugins,
    ...queryLimits(config.limits),
    includeStacktraceInErrorResponses: !config.production,
    csrfPrevention: { requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      const code = formatted.extensions?.code as string | undefined;
      if (code && CLIENT_CODES.has(code)) return formatted;
      const outage = formatOutage(formatted, error, connections.cutShortByOutage);
      if (outage) return outage;
      log.error({ err: error, path: formatted.path }, 'internal error');
      if (!config.production) return formatted;
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
  // The job queue first: if it cannot start, nothing else is left running; if Apollo cannot, the queue stops.
  const reader = options.reads !== undefined;
  const refresh = await startRefreshQueue(dataSource, {
    worker: config.matchWorker && !reader, pollSeconds: config.matchRefreshPollSeconds, log, pooler: config.pooler,
    deadlines: reader ? undefined : { responseHours: config.matchResponseHours, sweepSeconds: config.matchDeadlineSweepSeconds },
  });
  // Events on every process (a reader LISTENs and serves subscriptions; only writers dispatch).
  const events = startEvents(dataSource, config, log, { writer: !reader && config.events.dispatcher });
  subscriptions = startSubscriptionServer(httpServer, schema, { dataSource, config, log, refresh, hub: events.hub });
  try {
    await apollo.start();
  } catch (error) {
    await subscriptions.dispose();
    await events.stop();
    await refresh.stop();
    throw error;
  }

  reportDatabase(dataSource);
  const metrics: express.RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  let metricsServer: http.Server | null = null;
  if (config.metricsPort === undefined) app.get('/metrics', metrics);
  else metricsServer = http.createServer(express().disable('x-powered-by').get('/metrics', metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const down = options.databaseStatus?.();
    if (down) {
      res.status(503).json({ status: down });
      return;
    }
    try {
      await dataSource.query('SELECT 1');
      // A reader answers from the replica: ready once the replica has every migration this build knows.
      const migrated = await migrationsApplied(options.reads ?? dataSource);
      res.status(migrated ? 200 : 503).json({ status: migrated ? 'ready' : 'migrations pending', database: 'ok', ...(options.reads ? { replica: 'ok' } : {}) });
    } catch (error) {
      res.status(503).json({ status: 'database unreachable', error: config.production ? undefined : String(error) });
    }
  });

  // The explorer's files come from finmatch itself (no CDN); production's landing page loads none.
  if (!config.production) app.use(EXPLORER_PATH, explorerAssets());
  app.use(
    '/graphql',
    landingPagePolicy(config),
    requestGate(dataSource, config, log),
    express.json({ limit: config.limits.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const { viewer, tokenProblem, institution, databaseNow } = admissionOf(res);
        const ctx = createContext({ viewer, tokenProblem, lang: languageFrom(req.headers['accept-language']), db: dataSource, primary: dataSource, config, log, refresh });
        if (institution) institutionById(ctx).prime(institution.id, institution);
        if (databaseNow) primeRequestNow(ctx, databaseNow);
        return attachOutcome(ctx, res);
      },
    }),
  );
  // Issue 15 §2: documents up and down, beside /graphql, behind the same gate.
  app.use(DOCUMENTS_PATH, documentRoutes(dataSource, config, log, refresh));
  app.use(notFound);
  app.use(jsonErrors(log));

  return { app, httpServer, apollo, refresh, events, metricsServer };
}

/** Stops accepting requests and lets running ones finish (Apollo's drain plugin closes the HTTP server), then the job queue. */
export async function stopServer(server: Server): Promise<void> {
  await server.apollo.stop();
  if (server.httpServer.listening) await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  if (server.metricsServer?.listening) await new Promise<void>((resolve) => server.metricsServer!.close(() => resolve()));
  // Then the job queue: a refresh under way finishes (or, cut short, is retried by the next start).
  await server.refresh.stop();
  // Then events: a delivery cut short is retried when its lease ends, by this process's successor or another.
  await server.events.stop();
}
