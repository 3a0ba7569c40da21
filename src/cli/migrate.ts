/**
 * npm run migration:run
 *
 * Applies the pending migrations to the database the server would use: DATABASE_URL's (created first
 * when the server has no database by that name), or the embedded PostgreSQL in DATA_DIR. Takes the same
 * advisory lock as a starting server, so it can run while servers start. Exit status: 0 done, 1 failed.
 */
import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../config';
import { createDataSource } from '../database/data-source';
import { ensureDatabase, migrate } from '../database/migrate';
import { openCliDatabase } from './cli-database';
import { runCommand } from './run-command';

async function main(): Promise<number> {
  const config = loadConfig();
  const log = pino({ level: 'warn' });
  if (!config.databaseUrl) {
    // The embedded cluster: opening it applies the migrations (under the lock).
    const db = await openCliDatabase(config, log);
    process.stdout.write(`migrations applied to ${db.description}\n`);
    await db.close();
    return 0;
  }
  if (await ensureDatabase(config.databaseUrl)) process.stdout.write(`created database ${new URL(config.databaseUrl).pathname.slice(1)}\n`);
  const dataSource = createDataSource({ url: config.databaseUrl, poolSize: 2, pooler: config.pooler });
  await dataSource.initialize();
  try {
    const applied = await migrate(dataSource);
    process.stdout.write(applied.length ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}\n` : 'no pending migrations\n');
  } finally {
    await dataSource.destroy();
  }
  return 0;
}

runCommand(() => main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}));
