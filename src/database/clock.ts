/**
 * One clock for every process: "today" (a calendar day in Asia/Shanghai, DOMAIN §3) is the database's
 * (`shanghai_today()`, migration DatabaseClock), not each server's. Matching decisions and the refreshes
 * that keep them (R13) take their day from here, so two processes never decide the same need on two days;
 * so do requests (`requestToday`), validations of dates and the match and offer lifecycles.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from '../common/context';
import { todayInShanghai } from '../common/dates';

export const TODAY_SQL = `to_char(shanghai_today(), 'YYYY-MM-DD')`;

/** Today in Asia/Shanghai by the database's clock, as YYYY-MM-DD. */
export async function databaseToday(db: DataSource | EntityManager): Promise<string> {
  const [row] = (await db.query(`SELECT ${TODAY_SQL} AS today`)) as { today: string }[];
  return row.today;
}

const REQUEST_NOW = {};

/**
 * The database's now for one request: the one the rate limits' count read before Apollo (server.ts primes
 * it), else read with the first statement that asks (one round trip); shared by the request's resolvers, so that one answer never shows two instants or two days — an offer's
 * validity, a need's status, a whitelist entry's membership, a list's filters — and every server shows the
 * database's, not its own. A failed read is not kept: the next reader asks again.
 */
export function requestNow(ctx: Pick<RequestContext, 'db' | 'loaders'>): Promise<Date> {
  let now = ctx.loaders.get(REQUEST_NOW) as Promise<Date> | undefined;
  if (!now) {
    ctx.loaders.set(REQUEST_NOW, (now = databaseNow(ctx.db)));
    now.catch(() => ctx.loaders.delete(REQUEST_NOW));
  }
  return now;
}

/** Primes `requestNow` with the database's now that a statement of the request read anyway (`DATABASE_NOW_SQL`), saving the round trip. */
export function primeRequestNow(ctx: Pick<RequestContext, 'loaders'>, now: Date): void {
  if (!ctx.loaders.has(REQUEST_NOW)) ctx.loaders.set(REQUEST_NOW, Promise.resolve(now));
}

/** Today in Asia/Shanghai for one request: the day of `requestNow`, as `shanghai_today()` has it. */
export async function requestToday(ctx: Pick<RequestContext, 'db' | 'loaders'>): Promise<string> {
  return todayInShanghai(await requestNow(ctx));
}

/** The database's "now": the real instant moved by database_clock.shift, as shanghai_today() is (tests move it; deadlines read it). */
export const DATABASE_NOW_SQL = `(now() + coalesce((SELECT shift FROM database_clock WHERE id = 1), interval '0'))`;

/** The database's "now" as an instant. */
export async function databaseNow(db: DataSource | EntityManager): Promise<Date> {
  const [row] = (await db.query(`SELECT ${DATABASE_NOW_SQL} AS now`)) as { now: Date }[];
  return row.now;
}
