/**
 * bench:api's generic schema-to-API server: PostGraphile 4 (a dev dependency, used here only) serving
 * the same tables, with the whitelist page as a SQL function in schema `bench_pgl` (PostGraphile's way to
 * expose a filtered list; it inlines into the page's one statement) and the lookup by the enterprise's
 * unique credit code. No authentication, no audit: it answers what the tables hold.
 */
import http from 'node:http';
import Module from 'node:module';
import path from 'node:path';
import { Pool } from 'pg';

/** The filter of the bench page in SQL (finmatch's list and credit conditions: membership at as_of, tier, rating, no active dishonesty). */
export const POSTGRAPHILE_SETUP = `
  CREATE SCHEMA IF NOT EXISTS bench_pgl;
  CREATE OR REPLACE FUNCTION bench_pgl.specialised_whitelist(as_of date, tier_at_least int, min_rating int) RETURNS SETOF public.whitelist_entry
    LANGUAGE sql STABLE AS $$
      SELECT we.* FROM public.whitelist_search s JOIN public.whitelist_entry we ON we.id = s.id
       WHERE s.valid_from <= as_of AND s.valid_to >= as_of AND (s.revoked_on IS NULL OR s.revoked_on > as_of)
         AND s.tier_rank >= tier_at_least AND s.rating_rank >= min_rating AND s.active_dishonesty = false
       ORDER BY s.created_at DESC, s.id DESC
    $$;`;

/**
 * PostGraphile 4 wants graphql 15 and finmatch has 16 at the top of node_modules, so npm leaves two
 * copies of 15 (postgraphile's and graphile-build-pg's), which graphql refuses to mix. In PostGraphile's
 * own process (which loads nothing of finmatch's GraphQL), every module is given postgraphile's copy.
 */
function oneGraphqlForPostgraphile(): void {
  const resolver = Module as unknown as { _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string; _nodeModulePaths(dir: string): string[] };
  const home = path.dirname(require.resolve('postgraphile/package.json'));
  const anchor = { id: home, filename: path.join(home, 'index.js'), paths: resolver._nodeModulePaths(home) };
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function resolve(this: unknown, request, parent, ...rest) {
    const graphql = request === 'graphql' || request.startsWith('graphql/');
    if (graphql) return original.call(this, request, anchor, ...rest);
    return original.call(this, request, parent, ...rest);
  };
}

export function startPostgraphileServer(url: string, port: number, counter: { statements: number }): Promise<http.Server> {
  oneGraphqlForPostgraphile();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { postgraphile } = require('postgraphile') as typeof import('postgraphile');
  const pool = new Pool({ connectionString: url, max: 8 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text ?? '';
      // Count what answers a request: not the transaction and role bookkeeping PostGraphile wraps it in.
      if (!/^\s*(begin|commit|rollback|select set_config)/i.test(text)) counter.statements += 1;
      return query(...args);
    };
  });
  const middleware = postgraphile(pool, ['public', 'bench_pgl'], {
    disableDefaultMutations: true, graphiql: false, enhanceGraphiql: false, ignoreRBAC: true, setofFunctionsContainNulls: false,
    disableQueryLog: true, retryOnInitFail: false, dynamicJson: true,
  });
  const server = http.createServer(middleware);
  server.on('close', () => void pool.end());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
