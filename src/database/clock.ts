/**
 * One clock for every process: "today" (a calendar day in Asia/Shanghai, DOMAIN §3) is the database's
 * (`shanghai_today()`, migration DatabaseClock), not each server's. Matching decisions and the refreshes
 * that keep them (R13) take their day from here, so two processes never decide the same need on two days.
 */
import type { DataSource, EntityManager } from 'typeorm';

export const TODAY_SQL = `to_char(shanghai_today(), 'YYYY-MM-DD')`;

/** Today in Asia/Shanghai by the database's clock, as YYYY-MM-DD. */
export async function databaseToday(db: DataSource | EntityManager): Promise<string> {
  const [row] = (await db.query(`SELECT ${TODAY_SQL} AS today`)) as { today: string }[];
  return row.today;
}

/** The database's "now": the real instant moved by database_clock.shift, as shanghai_today() is (tests move it; deadlines read it). */
export const DATABASE_NOW_SQL = `(now() + coalesce((SELECT shift FROM database_clock WHERE id = 1), interval '0'))`;

/** The database's "now" as an instant. */
export async function databaseNow(db: DataSource | EntityManager): Promise<Date> {
  const [row] = (await db.query(`SELECT ${DATABASE_NOW_SQL} AS now`)) as { now: Date }[];
  return row.now;
}
