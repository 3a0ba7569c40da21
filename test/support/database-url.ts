/**
 * Test databases belong to one run: every name starts with the run's prefix (FINMATCH_TEST_RUN, set by
 * global-setup), so two runs on one server (TEST_DATABASE_URL) never touch each other's databases, and the
 * teardown drops exactly its own.
 */
import { Client } from 'pg';

export function runPrefix(): string {
  const run = process.env.FINMATCH_TEST_RUN;
  if (!run) throw new Error('FINMATCH_TEST_RUN is unset: run the tests with jest (test/global-setup.ts)');
  return run;
}

/** The migrated database every test file clones. */
export const templateDatabase = (): string => `${runPrefix()}_template`;

/** A new database name of this run (lowercase letters, digits and underscores). */
export const runDatabaseName = (label: string): string => `${runPrefix()}_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The run's admin connection (the cluster's superuser on its `postgres` database), set by global-setup. */
export function adminUrl(): string {
  const url = process.env.FINMATCH_TEST_ADMIN_URL;
  if (!url) throw new Error('FINMATCH_TEST_ADMIN_URL is unset: run the tests with jest (test/global-setup.ts)');
  return url;
}

/** Runs `work` on a client of `url` (the run's admin connection by default), closed after. */
export async function withAdmin<T>(work: (client: Client) => Promise<T>, url: string = adminUrl()): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
