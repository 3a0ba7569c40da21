import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters (issue 11 §1), shared by every API process on this database. The layout is the one
 * rate-limiter-flexible's PostgreSQL store reads and writes (it is told `tableCreated: true`): a key, the
 * points consumed in its window, and when the window ends (epoch milliseconds). UNLOGGED: counters need
 * no WAL and may be lost in a crash; the store deletes rows an hour past their window every 5 minutes.
 */
export class RateLimits1764520000000 implements MigrationInterface {
  name = 'RateLimits1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await q.query(`CREATE INDEX ix_rate_limit_expire ON rate_limit (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rate_limit`);
  }
}
