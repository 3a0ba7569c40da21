/**
 * Issue 16: `npm test` with TEST_DATABASE_URL leaves nothing behind on that server (one run used to leave
 * 24 finmatch_test_* databases, 257 MB). A nested jest run on this run's cluster must drop all of its own.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { adminUrl, runPrefix, withAdmin } from '../support/database-url';

const ROOT = path.resolve(__dirname, '../..');

it('a run on TEST_DATABASE_URL drops its template and every database its test files cloned', async () => {
  const { FINMATCH_TEST_RUN: _run, FINMATCH_TEST_ADMIN_URL: _admin, JEST_WORKER_ID: _worker, ...env } = process.env;
  await promisify(execFile)('npx', ['jest', '--ci', 'test/e2e/smoke.test.ts'], { cwd: ROOT, env: { ...env, TEST_DATABASE_URL: adminUrl() } });
  const { rows } = await withAdmin((admin) => admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE starts_with(datname, 'finmatch_test_') AND NOT starts_with(datname, $1)`, [runPrefix()]));
  expect(rows).toEqual([]);
}, 240_000);
