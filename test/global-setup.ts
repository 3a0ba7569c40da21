/**
 * One PostgreSQL cluster for the whole run (DEVELOPERS.md): the embedded one, or TEST_DATABASE_URL's
 * server when given. Migrations run once into a template database; every test file clones it
 * (CREATE DATABASE … TEMPLATE), so each file has a database of its own in milliseconds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import pino from 'pino';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { migrate } from '../src/database/migrate';
import { templateDatabase, withAdmin, withDatabase } from './support/database-url';

declare global {
  // eslint-disable-next-line no-var
  var __FINMATCH_PG__: { stop(): Promise<void>; dir?: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const log = pino({ level: 'silent' });
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const port = 55000 + Math.floor(Math.random() * 5000);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port, database: 'postgres', log });
    globalThis.__FINMATCH_PG__ = { stop: pg.stop, dir };
    adminUrl = pg.url;
  }
  process.env.FINMATCH_TEST_ADMIN_URL = adminUrl;
  // This run's databases: its template and every clone start with the prefix; the teardown drops them.
  process.env.FINMATCH_TEST_RUN = `finmatch_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const TEMPLATE_DATABASE = templateDatabase();

  await withAdmin((admin) => admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
  const ds = createDataSource({ url: withDatabase(adminUrl, TEMPLATE_DATABASE), poolSize: 1 });
  await ds.initialize();
  // The migration path a starting server takes (one transaction under the migration lock).
  await migrate(ds);
  await ds.destroy();
}
