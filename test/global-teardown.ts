/**
 * Ends the run: the embedded cluster is stopped and its directory removed; on TEST_DATABASE_URL's server,
 * the run's own databases (template and clones, named with its prefix) are dropped, so nothing is left.
 */
import fs from 'node:fs';
import { withAdmin } from './support/database-url';

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.__FINMATCH_PG__;
  if (pg) {
    await pg.stop();
    if (pg.dir) fs.rmSync(pg.dir, { recursive: true, force: true });
    return;
  }
  await dropRunDatabases(process.env.FINMATCH_TEST_ADMIN_URL!, process.env.FINMATCH_TEST_RUN!);
}

export async function dropRunDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1 || '_') ORDER BY 1`, [prefix]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    return rows.map((r) => r.datname);
  }, adminUrl);
}
