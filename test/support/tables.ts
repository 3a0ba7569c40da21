/** What every table of the public schema holds, to show that a refused request wrote nothing. */
import { TestApp } from './harness';

export type TableDigest = Record<string, string>;

/**
 * A function that reads each table's row count and a digest of its rows in one query (updates count
 * too, not only inserts and deletes): the sum of the rows' 64-bit hashes, which needs no sort. The job queue's own schema (`pgboss`) is not in `public`;
 * `rate_limit` holds the request counters every request moves (SECURITY.md), not data a request writes.
 */
export async function tableDigests(app: TestApp): Promise<() => Promise<TableDigest>> {
  const tables: { name: string }[] = await app.dataSource.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'rate_limit' ORDER BY tablename`);
  const sql = `SELECT ${tables
    .map(({ name }) => `(SELECT count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM public."${name}" t) AS "${name}"`)
    .join(', ')}`;
  return async () => (await app.dataSource.query(sql))[0];
}

/** The tables whose digest differs. */
export const changedTables = (before: TableDigest, after: TableDigest): string[] => Object.keys(after).filter((t) => before[t] !== after[t]);
