/**
 * A test file's own database (cloned from the migrated template) and a real HTTP server on it.
 * GraphQL goes over HTTP with real tokens, as clients send it.
 */
import { AddressInfo } from 'node:net';
import 'reflect-metadata';
import pino, { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { signToken, TokenClaims } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config';
import { createDataSource, StatementCounter } from '../../src/database/data-source';
import { createServer, Server, stopServer } from '../../src/server';
import { adminUrl, runDatabaseName, templateDatabase, withAdmin, withDatabase } from './database-url';
import { UNLIMITED_RATES } from './server-process';

export interface GqlResponse<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: string[] }[];
}

export interface TestApp {
  url: string;
  /** The test file's own database, for tools run as child processes (the import commands). */
  databaseUrl: string;
  dataSource: DataSource;
  counter: StatementCounter;
  config: ReturnType<typeof loadConfig>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { token?: string | null; lang?: string }): Promise<GqlResponse<T>>;
  token(claims: TokenClaims): string;
  /** Resolves once the match-refresh queue has no work left (changes' refreshes are done). */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template, on the test run's cluster. */
export async function cloneTemplate(): Promise<string> {
  const name = runDatabaseName('db');
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`));
  return withDatabase(adminUrl(), name);
}

export interface TestAppOptions {
  /** Reuse this database (a restart) instead of cloning a fresh one. */
  databaseUrl?: string;
  /** Environment on top of the test defaults (e.g. MATCH_WORKER: '0'). */
  env?: Record<string, string>;
  /** The server's logger (default: silent). */
  log?: Logger;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const url = options.databaseUrl ?? (await cloneTemplate());
  const counter = new StatementCounter();
  const dataSource = createDataSource({ url, logger: counter, poolSize: 20 });
  await dataSource.initialize();
  // Every document compiled on first use, so the suite runs on compiled execution (src/common/compiled-execution.ts).
  const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: '0', MATCH_REFRESH_POLL_MS: '500', GRAPHQL_COMPILE_AFTER: '1', ...UNLIMITED_RATES, ...options.env });
  const server: Server = await createServer(dataSource, config, options.log ?? pino({ level: 'silent' }));
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}/graphql`;
  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl: url,
    dataSource,
    counter,
    config,
    async gql(query, variables, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.lang) headers['accept-language'] = options.lang;
      const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data: any; errors?: GqlResponse['errors'] };
      return { status: res.status, data: body.data, errors: body.errors };
    },
    token: (claims) => signToken(claims, config.jwtSecret),
    async settled(timeoutMs = 20_000) {
      const started = Date.now();
      while ((await server.refresh.pending()) > 0) {
        if (Date.now() - started > timeoutMs) throw new Error(`match refreshes still pending after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await stopServer(server);
      await dataSource.destroy();
    },
  };
}
