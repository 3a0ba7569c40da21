/**
 * Migrations that any number of processes can start together (docs/DEPLOY.md): the pending migrations
 * run in one transaction that first takes a transaction-level advisory lock, so one process applies them
 * while the others wait, then find nothing left to do (without it, two processes on an empty database
 * both ran the first migration and one failed on a duplicate key). A transaction-level lock, not a
 * session's, because behind PgBouncer in transaction mode a session is not one server connection; the
 * whole transaction is. All pending migrations commit together or not at all.
 *
 * `ensureDatabase` creates the database a URL names when the server has none by that name yet (the
 * migration command and a first start on a fresh server).
 */
import { Client } from 'pg';
import { DataSource, Migration, MigrationExecutor } from 'typeorm';

/** The lock's two keys: a namespace for finmatch's advisory locks and this lock within it. */
const LOCK_NAMESPACE = 0x66_6d; // 'fm'
const MIGRATION_LOCK = 1;

/** Runs the pending migrations under the migration lock, all in one transaction; returns those it applied. */
export async function migrate(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, MIGRATION_LOCK]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'none';
    const applied = await executor.executePendingMigrations();
    await runner.commitTransaction();
    return applied;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

const DUPLICATE_DATABASE = '42P04';

/** Creates the URL's database when it does not exist (through the server's `postgres` database). Returns whether it did. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('the database URL names no database');
  const exists = async (client: Client) => ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    if (await exists(client)) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    // Another process created it at the same moment: it exists, which is all that was asked.
    if ((error as { code?: string }).code === DUPLICATE_DATABASE) return false;
    throw error;
  } finally {
    await client.end();
  }
}
