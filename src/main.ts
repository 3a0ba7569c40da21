/**
 * Start: database (embedded PostgreSQL in DATA_DIR, or DATABASE_URL), pending migrations, demo data once,
 * then the HTTP server. Ctrl-C (SIGINT) or SIGTERM stops Apollo, then the DataSource, then PostgreSQL.
 * The embedded PostgreSQL is supervised: when it dies it is started again, and /readyz says so meanwhile;
 * the DataSource's pool drops the broken connections and opens new ones once it is back.
 * With READ_DATABASE_URL the process is a reader (docs/DEPLOY.md): queries read that replica, writes go
 * to DATABASE_URL, and it neither migrates, nor loads demo data, nor sweeps.
 */
import { tracing } from './tracing-boot';
import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './common/log';
import { checkSessionTimeZone, createDataSource } from './database/data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded';
import { ensureDemoData } from './demo/ensure-demo';
import { expireOverdueNeeds } from './needs/need.service';
import { createServer, stopServer, Server } from './server';
import { migrate } from './database/migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | undefined;
  let server: Server | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let stopping = false;

  const dataSource = await (async () => {
    let url = config.databaseUrl;
    if (!url) {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'finmatch', log, supervise: true, ownProcessGroup: true });
      url = embedded.url;
    }
    return createDataSource({ url, pooler: config.pooler, namedStatements: config.namedStatements });
  })().catch(async (error) => {
    await embedded?.stop();
    throw error;
  });

  // Read-replica mode: queries read from the replica; this process neither migrates nor sweeps nor works the queue.
  const reads = config.readDatabaseUrl ? createDataSource({ url: config.readDatabaseUrl, pooler: config.pooler, namedStatements: config.namedStatements }) : undefined;

  /** Stops in order, then exits with `code` (1 when the stop itself fails): a failed start must not look like success. */
  const shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    if (sweeper) clearInterval(sweeper);
    try {
      if (server) await stopServer(server);
      if (dataSource.isInitialized) await dataSource.destroy();
      if (reads?.isInitialized) await reads.destroy();
      if (embedded) await embedded.stop();
      await tracing?.shutdown();
      log.info('stopped');
      process.exit(code);
    } catch (error) {
      log.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await dataSource.initialize();
    if (config.pooler) await checkSessionTimeZone(dataSource, log);
    if (reads) {
      await reads.initialize();
      if (config.pooler) await checkSessionTimeZone(reads, log);
      log.info('reader: queries read the replica (READ_DATABASE_URL), writes go to the primary; no migrations, sweeps or refresh worker in this process');
    } else {
      // Under the migration lock: processes started together apply the migrations once (the demo data has its own marker row).
      const applied = await migrate(dataSource);
      if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
      if (config.demoData) await ensureDemoData(dataSource, log, { config });
      await expireOverdueNeeds(dataSource);
      sweeper = setInterval(() => {
        expireOverdueNeeds(dataSource).then(
          (n) => n && log.info({ expired: n }, 'needs past needed-by marked EXPIRED'),
          (error) => log.warn({ err: error }, 'expiry sweep failed'),
        );
      }, config.needExpirySweepSeconds * 1000);
      sweeper.unref();
    }

    server = await createServer(dataSource, config, log, {
      reads,
      databaseStatus: () => (embedded && embedded.state() !== 'running' ? `database ${embedded.state()}` : undefined),
    });
    const listen = (http: import('node:http').Server, port: number) => new Promise<number>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, config.host, () => resolve((http.address() as AddressInfo).port));
    });
    const port = await listen(server.httpServer, config.port);
    const metricsPort = server.metricsServer ? await listen(server.metricsServer, config.metricsPort!) : port;
    log.info({ url: `http://localhost:${port}/graphql`, health: `http://localhost:${port}/healthz`, metrics: `http://localhost:${metricsPort}/metrics`, database: embedded ? `embedded (${config.dataDir})` : 'DATABASE_URL', ...(reads ? { reads: 'READ_DATABASE_URL' } : {}) }, `finmatch listening on http://localhost:${port}/graphql`);
  } catch (error) {
    log.error({ err: error }, 'failed to start');
    await shutdown('startup failure', 1);
    process.exit(1);
  }
}

main().catch((error) => {
  // A configuration problem is the operator's to fix, not a bug: its list, without a stack trace.
  if (error instanceof ConfigError) process.stderr.write(`finmatch cannot start: ${error.message}\n`);
  else console.error(error);
  process.exit(1);
});
