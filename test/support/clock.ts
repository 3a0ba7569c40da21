/**
 * The database's day (src/database/clock.ts) moved for a test: `shanghai_today()` reads the real
 * Asia/Shanghai date plus `database_clock.shift`, so setting the shift to a whole number of days puts the
 * day where a worked example needs it, whatever day the suite runs on.
 */
import type { DataSource } from 'typeorm';

/** Moves the database's day to `day` (YYYY-MM-DD); returns it. */
export async function setDatabaseDay(db: DataSource, day: string): Promise<string> {
  await db.query(`UPDATE database_clock SET shift = ($1::date - (now() AT TIME ZONE 'Asia/Shanghai')::date) * interval '1 day' WHERE id = 1`, [day]);
  return day;
}

/** The next 15 January after the real date: a day from which a 12-month term stays in one calendar year. */
async function nextMidJanuary(db: DataSource): Promise<string> {
  const [{ day }] = await db.query(`SELECT to_char(make_date(extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int + 1, 1, 15), 'YYYY-MM-DD') AS day`);
  return day;
}

/** Back to the real day. */
export async function resetDatabaseDay(db: DataSource): Promise<void> {
  await db.query(`UPDATE database_clock SET shift = interval '0' WHERE id = 1`);
}

/**
 * Runs `fn` with the database's day on the next 15 January, where a 12-month term lies in one calendar
 * year (its fee subsidy counts against one year's cap, DOMAIN E9), and puts the real day back after it.
 */
export async function inMidJanuary<T>(db: DataSource, fn: () => Promise<T>): Promise<T> {
  await setDatabaseDay(db, await nextMidJanuary(db));
  try {
    return await fn();
  } finally {
    await resetDatabaseDay(db);
  }
}
