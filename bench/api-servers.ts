/**
 * One server of bench:api in a process of its own (forked by bench/api.ts), so its CPU time and RSS are
 * its own: `finmatch`, `postgraphile` or `raw`, on `url`, listening on `port`. bench/api.ts runs it compiled
 * (tsconfig.bench.json, into dist/), as `npm start` runs finmatch: no TypeScript compiler in its memory. It counts the SQL
 * statements it sends — for finmatch as the tests count them (the DataSource's logger: what the request
 * asks, not the rate limiter's counters, which go to the pool directly) and every round trip on pg's
 * clients — and answers the parent's `stats` message with them, its CPU time and RSS.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import type http from 'node:http';
import { Session } from 'node:inspector';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createDataSource, StatementCounter } from '../src/database/data-source';
import { createServer } from '../src/server';

const [kind, url, portText] = process.argv.slice(2);
const port = Number(portText);
const counter = { statements: 0 };
let roundTrips = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  roundTrips += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

/** The finmatch server as bench:privacy starts it, with rate limits on (counting in PostgreSQL) but far above the load. */
async function startFinmatch(): Promise<http.Server> {
  const logger = new StatementCounter();
  const db = createDataSource({ url, poolSize: 8, logger });
  Object.defineProperty(counter, 'statements', { get: () => logger.count, set: (v: number) => { logger.count = v; } });
  await db.initialize();
  const config = loadConfig({
    NODE_ENV: 'production', DEMO_DATA: '0', MATCH_WORKER: '0', JWT_SECRET: process.env.BENCH_JWT_SECRET!, LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SUBJECT: '10000000', RATE_LIMIT_PER_INSTITUTION: '10000000', RATE_LIMIT_PER_ADDRESS: '10000000',
  });
  const server = await createServer(db, config, pino({ level: 'silent' }));
  await new Promise<void>((resolve) => server.httpServer.listen(port, '127.0.0.1', resolve));
  return server.httpServer;
}

async function main(): Promise<void> {
  if (kind === 'finmatch') await startFinmatch();
  // Each process loads only its own server.
  /* eslint-disable @typescript-eslint/no-require-imports */
  else if (kind === 'postgraphile') await (require('./api-postgraphile') as typeof import('./api-postgraphile.js')).startPostgraphileServer(url, port, counter);
  else if (kind === 'raw') await (require('./api-raw') as typeof import('./api-raw.js')).startRawServer(url, port, counter);
  /* eslint-enable @typescript-eslint/no-require-imports */
  else throw new Error(`unknown server ${kind}`);
  // CPU profiles of the measured rounds only (`profile:start`, then `profile:stop:<file>`), through the inspector.
  const profiler = new Session();
  profiler.connect();
  const inspect = (method: string) => new Promise<unknown>((resolve, reject) => profiler.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  process.on('message', (message: string) => {
    if (message === 'profile:start') void inspect('Profiler.enable').then(() => inspect('Profiler.start')).then(() => process.send!('profiling'));
    if (message.startsWith('profile:stop:')) {
      void inspect('Profiler.stop').then((result) => {
        fs.writeFileSync(message.slice('profile:stop:'.length), JSON.stringify((result as { profile: unknown }).profile));
        process.send!('profiled');
      });
    }
    if (message === 'reset') {
      counter.statements = 0;
      roundTrips = 0;
    }
    if (message === 'stats' || message === 'reset') {
      const cpu = process.cpuUsage();
      process.send!({ statements: counter.statements, roundTrips, cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage().rss });
    }
  });
  process.on('SIGINT', () => process.exit(0));
  process.send!('ready');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
