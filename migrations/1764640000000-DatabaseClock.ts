import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R13 freshness over dates (docs/MATCHING.md "Staying current"): one clock for every process, the
 * database's. `shanghai_today()` is the calendar day in Asia/Shanghai at the transaction's start, moved by
 * `database_clock.shift` (zero in service; the tests move the day with it instead of waiting for midnight).
 * `match_refresh_day` holds the last day the daily refresh covered: the process that moves it forward
 * queues the refreshes of what changed with the date, in the same transaction, so a day is refreshed once
 * across processes and a midnight missed while no server ran is caught up on the next start.
 * Never edit after it landed.
 */
export class DatabaseClock1764640000000 implements MigrationInterface {
  name = 'DatabaseClock1764640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE database_clock (id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1), shift interval NOT NULL DEFAULT '0')`);
    await q.query(`INSERT INTO database_clock (id) VALUES (1)`);
    await q.query(`
      CREATE FUNCTION shanghai_today() RETURNS date LANGUAGE sql STABLE AS $$
        SELECT ((now() AT TIME ZONE 'Asia/Shanghai') + coalesce((SELECT shift FROM database_clock WHERE id = 1), interval '0'))::date
      $$`);
    await q.query(`CREATE TABLE match_refresh_day (id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1), day date NOT NULL, refreshed_at timestamptz NOT NULL DEFAULT now())`);
    // Matches stored so far were decided today: the first daily refresh covers the days after this one.
    await q.query(`INSERT INTO match_refresh_day (id, day) VALUES (1, shanghai_today())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE match_refresh_day`);
    await q.query(`DROP FUNCTION shanghai_today()`);
    await q.query(`DROP TABLE database_clock`);
  }
}
