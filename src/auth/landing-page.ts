/**
 * The page a browser gets at /graphql (issue 11 §2, issue 16). Outside production it is GraphiQL, served
 * by finmatch itself from node_modules (`/explorer/…`): no CDN, so it works offline and on a closed
 * network, and its Content-Security-Policy lets scripts and styles come from this server only.
 * In production it is a short page with no script and no token.
 *
 * It hands out no credential unless asked: only with LANDING_PAGE_TOKEN=1, outside production, and while
 * the server listens on a loopback address does it fill in an ANALYST token, signed when the page is
 * served, living the configured maximum (12 h by default) and marked for development, so production
 * refuses it even if the secret is reused.
 */
import type http from 'node:http';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type RequestHandler, type Router } from 'express';
import type { Config } from '../config';
import { DEVELOPMENT_AUDIENCE, signToken } from './jwt';

const QUERY = `query Explore {
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

const WITH_TOKEN = `# finmatch: a development token for an ANALYST is in the Headers tab (LANDING_PAGE_TOKEN=1).
# Get others with: npm run token -- --role BANK --institution <id>
${QUERY}`;

const WITHOUT_TOKEN = `# finmatch: nothing is public. Add a header  Authorization: Bearer <token>
# with a token from: npm run token -- --role ANALYST   (or --role BANK --institution <id>)
${QUERY}`;

/** Where the explorer's files are served (outside /graphql, so they skip the token gate and its rate limits). */
export const EXPLORER_PATH = '/explorer';

/**
 * GraphiQL 4's UMD build, the last that runs without a bundler, on React 18's UMD builds (React 19 has none).
 * Only these files are served, each from its package in node_modules.
 */
const VENDOR_FILES: Record<string, [pkg: string, file: string]> = {
  'react.js': ['react', 'umd/react.production.min.js'],
  'react-dom.js': ['react-dom', 'umd/react-dom.production.min.js'],
  'graphiql.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.css': ['graphiql', 'graphiql.min.css'],
};

/** The page's own script: no inline script, so the policy needs no 'unsafe-inline' for scripts. */
const START_SCRIPT = `'use strict';
(function () {
  var config = JSON.parse(document.getElementById('finmatch-explorer-config').textContent);
  var props = {
    // The page is served at the endpoint: POST application/json there, which CSRF prevention lets through.
    // The token goes in the fetcher too: GraphiQL fetches the schema before its Headers tab is read, and
    // nothing is public, introspection included. What the Headers tab says wins over it.
    fetcher: GraphiQL.createFetcher({ url: window.location.pathname, headers: config.headers || {} }),
    query: config.document,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: config.headers ? 'headers' : false,
  };
  if (config.headers) props.headers = JSON.stringify(config.headers, null, 2);
  ReactDOM.createRoot(document.getElementById('explorer')).render(React.createElement(GraphiQL, props));
})();
`;

const START_STYLE = 'html, body, #explorer { height: 100%; margin: 0; }\n';

/**
 * Scripts and styles from this server only; no eval. Styles also 'unsafe-inline': CodeMirror and the
 * popovers set style attributes, and GraphiQL's dialogs add a <style> element (react-remove-scroll).
 * Its requests go to this server (connect-src 'self'); test/e2e/browser.test.ts records any violation.
 */
export const EXPLORER_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** The production page: nothing to load, nothing to run. */
export const PRODUCTION_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** True when the server accepts connections from this machine only. */
export function listensOnLoopback(server: http.Server): boolean {
  const address = server.address();
  if (!address || typeof address === 'string') return false;
  return address.address === '::1' || address.address.startsWith('127.') || address.address === '::ffff:127.0.0.1';
}

/** The explorer's files: GraphiQL and React from node_modules, and the page's start script and style. */
export function explorerAssets(): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  for (const [name, [pkg, file]] of Object.entries(VENDOR_FILES)) {
    const absolute = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
    // Revalidated on each load (ETag): an upgrade is seen at once, an unchanged file costs a 304.
    router.get(`/${name}`, (_req, res, next) => res.sendFile(absolute, { maxAge: 0 }, (error) => error && next(error)));
  }
  router.get('/start.js', (_req, res) => {
    res.type('text/javascript').send(START_SCRIPT);
  });
  router.get('/start.css', (_req, res) => {
    res.type('text/css').send(START_STYLE);
  });
  return router;
}

/** The landing page's Content-Security-Policy, on every GET of /graphql (a JSON answer ignores it). */
export function landingPagePolicy(config: Config): RequestHandler {
  const policy = config.production ? PRODUCTION_POLICY : EXPLORER_POLICY;
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') res.set('Content-Security-Policy', policy);
    next();
  };
}

/** The explorer's HTML: its settings travel as JSON data, read by start.js (a data block, never run). */
export function explorerHtml(settings: { document: string; headers?: Record<string, string> }): string {
  const json = JSON.stringify(settings).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>finmatch GraphQL explorer</title>
<link rel="stylesheet" href="${EXPLORER_PATH}/graphiql.css">
<link rel="stylesheet" href="${EXPLORER_PATH}/start.css">
</head>
<body>
<div id="explorer">Loading the GraphQL explorer…</div>
<script id="finmatch-explorer-config" type="application/json">${json}</script>
<script src="${EXPLORER_PATH}/react.js"></script>
<script src="${EXPLORER_PATH}/react-dom.js"></script>
<script src="${EXPLORER_PATH}/graphiql.js"></script>
<script src="${EXPLORER_PATH}/start.js"></script>
</body>
</html>
`;
}

const PRODUCTION_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>finmatch GraphQL API</title></head>
<body>
<h1>finmatch GraphQL API</h1>
<p>Nothing is public: POST GraphQL requests (content-type application/json) to this URL with a token in the Authorization header.</p>
</body>
</html>
`;

export function landingPagePlugin(config: Config, httpServer: http.Server): ApolloServerPlugin {
  const html = (): string => {
    if (config.production) return PRODUCTION_HTML;
    // Apollo asks for the page's HTML on each visit: sign then, and only while listening on loopback.
    if (!config.auth.landingPageToken || !listensOnLoopback(httpServer)) return explorerHtml({ document: WITHOUT_TOKEN });
    const token = signToken({ sub: 'landing-page-analyst', role: 'ANALYST', aud: DEVELOPMENT_AUDIENCE }, config.jwtSecret, config.auth.maxTokenLifetimeSeconds);
    return explorerHtml({ document: WITH_TOKEN, headers: { Authorization: `Bearer ${token}` } });
  };
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: async () => html() };
        },
      };
    },
  };
}
