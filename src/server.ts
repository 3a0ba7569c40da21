/**
 * The HTTP server: Express 5 with Apollo Server 5 on /graphql, /healthz and /readyz. Built from a
 * DataSource, so main.ts and the tests run the same server.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import express from 'express';
import { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createContext, RequestContext } from './auth/context';
import { institutionById } from './institutions/institution.service';
import { bearerToken, signToken, TokenError, Viewer, verifyToken } from './auth/jwt';
import { limitsPlugin } from './common/limits.plugin';
import { inputErrorsPlugin } from './common/input-errors.plugin';
import { languageFrom } from './common/messages';
import { Config } from './config';
import { migrationsApplied } from './database/data-source';
import { finmatchSchema } from './schema';
import { RefreshQueue, startRefreshQueue } from './matching/refresh.queue';

export interface Server {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  refresh: RefreshQueue;
}

/** Codes a client may see with their message; anything else is an internal fault. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED',
]);

const EXAMPLE_DOCUMENT = `# finmatch: a development token for an ANALYST is in the Headers tab.
# Get others with: npm run token -- --role BANK --institution <id>
query Explore {
  viewer { role }
  institutions(first: 5) {
    totalCount
    edges { node { id kind name guarantee { amplificationMultiple status remainingCapacity } } }
  }
  financingNeeds(first: 5, filter: { status: [OPEN] }) {
    totalCount
    edges { node { kind amount termMonths channel enterprise { name sizeClass regionCode industryChains } } }
  }
}
`;

export async function createServer(dataSource: DataSource, config: Config, log: Logger): Promise<Server> {
  const schema = await finmatchSchema();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  // Cache control is off: nothing sets cache hints, and the plugin halves throughput on large responses.
  const plugins = [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), limitsPlugin(), inputErrorsPlugin()];
  if (config.production) {
    plugins.push(ApolloServerPluginLandingPageProductionDefault({ footer: false }));
  } else {
    const devToken = signToken({ sub: 'landing-page-analyst', role: 'ANALYST' }, config.jwtSecret, '30d');
    plugins.push(ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true, document: EXAMPLE_DOCUMENT, headers: { Authorization: `Bearer ${devToken}` } }));
  }

  const apollo = new ApolloServer<RequestContext>({
    schema,
    plugins,
    includeStacktraceInErrorResponses: !config.production,
    csrfPrevention: { requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      const code = formatted.extensions?.code as string | undefined;
      if (code && CLIENT_CODES.has(code)) return formatted;
      log.error({ err: error, path: formatted.path }, 'internal error');
      if (!config.production) return formatted;
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
  // The job queue first: if it cannot start, nothing else is left running; if Apollo cannot, the queue stops.
  const refresh = await startRefreshQueue(dataSource, {
    worker: config.matchWorker, pollSeconds: config.matchRefreshPollSeconds, log,
    deadlines: { responseHours: config.matchResponseHours, sweepSeconds: config.matchDeadlineSweepSeconds },
  });
  try {
    await apollo.start();
  } catch (error) {
    await refresh.stop();
    throw error;
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      const migrated = await migrationsApplied(dataSource);
      res.status(migrated ? 200 : 503).json({ status: migrated ? 'ready' : 'migrations pending', database: 'ok' });
    } catch (error) {
      res.status(503).json({ status: 'database unreachable', error: config.production ? undefined : String(error) });
    }
  });

  app.use(
    '/graphql',
    express.json({ limit: config.limits.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        let viewer: Viewer | null = null;
        let tokenProblem: string | null = null;
        const token = bearerToken(req.headers.authorization);
        if (token) {
          try {
            viewer = verifyToken(token, config.jwtSecret);
          } catch (error) {
            tokenProblem = error instanceof TokenError ? error.message : 'invalid token';
          }
        } else if (req.headers.authorization) {
          tokenProblem = 'Authorization is not a Bearer token';
        }
        const ctx = createContext({ viewer, tokenProblem, lang: languageFrom(req.headers['accept-language']), db: dataSource, config, log, refresh });
        // A BANK, GUARANTOR or INVESTOR token speaks for an institution: one that does not exist makes it
        // no credential at all (its reads could not even be audited). The lookup primes the request's loader.
        if (viewer?.institutionId && !(await institutionById(ctx).load(viewer.institutionId))) {
          ctx.viewer = null;
          ctx.tokenProblem = 'the token names an institution that does not exist';
        }
        return ctx;
      },
    }),
  );

  return { app, httpServer, apollo, refresh };
}

/** Stops accepting requests and lets running ones finish (Apollo's drain plugin closes the HTTP server), then the job queue. */
export async function stopServer(server: Server): Promise<void> {
  await server.apollo.stop();
  if (server.httpServer.listening) await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  // Then the job queue: a refresh under way finishes (or, cut short, is retried by the next start).
  await server.refresh.stop();
}
