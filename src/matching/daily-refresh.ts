/**
 * R13 freshness over dates: at 00:00 Asia/Shanghai by the database's clock (database/clock.ts), what
 * decides a match on the date alone may have changed with no row changing — a rule version or a benchmark
 * rate taking effect, a product's active window, a whitelist entry's or a qualification's validity, a
 * credit profile growing older than a product accepts, a firm's founding anniversary, the year the fee
 * subsidies are counted in. The worker that first sees the database's day pass `match_refresh_day` moves
 * that row forward and queues the refreshes of what changed between the two days, in one transaction: the
 * row lock makes it once per day across processes, and a day missed while no server ran is caught up, from
 * the last day covered, on the next start.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { RefreshScope } from '../common/refresh';
import { TODAY_SQL } from '../database/clock';
import { distinctReaches, reachOf, rulesInForce } from '../policy/policy.reach';

/** Firms per `enterprises` scope the daily refresh queues. */
const FIRMS_PER_SCOPE = 500;

/** Products whose active window opened in (from, to] or closed in [from, to): $1 from, $2 to. */
const PRODUCTS_SQL = `
  SELECT id FROM product
   WHERE (active_from > $1::date AND active_from <= $2::date) OR (active_to >= $1::date AND active_to < $2::date)
   ORDER BY id`;

/** Firms whose date-bound facts differ between the two days (each test as the criteria write it, on day $1 and on day $2). */
const FIRMS_SQL = `
  SELECT enterprise_id AS id FROM whitelist_entry
   WHERE (valid_from > $1::date AND valid_from <= $2::date) OR (valid_to >= $1::date AND valid_to < $2::date) OR (revoked_on > $1::date AND revoked_on <= $2::date)
  UNION
  SELECT enterprise_id FROM authority_qualification
   WHERE ((valid_from > $1::date AND valid_from <= $2::date) OR (valid_to >= $1::date AND valid_to < $2::date))
  UNION
  SELECT cp.enterprise_id FROM credit_profile cp
   WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT max_credit_data_age_days AS days FROM product WHERE max_credit_data_age_days IS NOT NULL) p
                  WHERE cp.as_of + p.days >= $1::date AND cp.as_of + p.days < $2::date)
  UNION
  SELECT e.id FROM enterprise e
   WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT min_years_in_business AS years FROM product WHERE min_years_in_business IS NOT NULL) p
                  WHERE e.founded_on > $1::date - make_interval(years => p.years) AND e.founded_on <= $2::date - make_interval(years => p.years))
  ORDER BY 1`;

/** Rule codes with a version, and benchmark codes with a rate, taking effect in (from, to]. */
const TAKING_EFFECT_SQL = `
  SELECT (SELECT array_agg(DISTINCT code) FROM policy_rule WHERE effective_from > $1::date AND effective_from <= $2::date) AS rules,
         (SELECT array_agg(DISTINCT code) FROM benchmark_rate WHERE effective_from > $1::date AND effective_from <= $2::date) AS benchmarks`;

/** What changed with the date between day `from` and day `to` (from < to), as refresh scopes. */
export async function dateScopes(em: EntityManager, from: string, to: string): Promise<RefreshScope[]> {
  const ids = async (sql: string) => ((await em.query(sql, [from, to])) as { id: string }[]).map((r) => r.id);
  const scopes: RefreshScope[] = (await ids(PRODUCTS_SQL)).map((id) => ({ kind: 'product', id }));
  const firms = await ids(FIRMS_SQL);
  for (let i = 0; i < firms.length; i += FIRMS_PER_SCOPE) scopes.push({ kind: 'enterprises', ids: firms.slice(i, i + FIRMS_PER_SCOPE) });

  const [taking]: { rules: string[] | null; benchmarks: string[] | null }[] = await em.query(TAKING_EFFECT_SQL, [from, to]);
  const rules = [];
  // A new year starts the fee subsidies' yearly count again (facts.service.ts): every rule in force is re-read.
  if (from.slice(0, 4) !== to.slice(0, 4)) rules.push(...(await rulesInForce(em, from)), ...(await rulesInForce(em, to)));
  else if (taking.rules) rules.push(...(await rulesInForce(em, from, { codes: taking.rules })), ...(await rulesInForce(em, to, { codes: taking.rules })));
  for (const code of taking.benchmarks ?? []) rules.push(...(await rulesInForce(em, to, { benchmarkCode: code })));
  const reach = distinctReaches(rules.map(reachOf));
  if (reach.length) scopes.push({ kind: 'policy', reach });
  return scopes;
}

export interface DayRefresh {
  from: string;
  to: string;
  scopes: number;
}

/**
 * Moves `match_refresh_day` to the database's today and queues, through `enqueue` in the same
 * transaction, the refreshes of what changed since the day it held. Null when the day has not passed
 * (or on the first run ever, which only records today).
 */
export async function refreshPassedDays(db: DataSource, enqueue: (em: EntityManager, scope: RefreshScope) => Promise<void>): Promise<DayRefresh | null> {
  return db.transaction(async (em) => {
    const [row]: { day: string; today: string }[] = await em.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${TODAY_SQL} AS today FROM match_refresh_day WHERE id = 1 FOR UPDATE`,
    );
    if (!row) {
      await em.query(`INSERT INTO match_refresh_day (id, day) VALUES (1, shanghai_today()) ON CONFLICT (id) DO NOTHING`);
      return null;
    }
    if (row.day >= row.today) return null;
    const scopes = await dateScopes(em, row.day, row.today);
    for (const scope of scopes) await enqueue(em, scope);
    await em.query(`UPDATE match_refresh_day SET day = $1::date, refreshed_at = now() WHERE id = 1`, [row.today]);
    return { from: row.day, to: row.today, scopes: scopes.length };
  });
}
