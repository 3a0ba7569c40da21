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
