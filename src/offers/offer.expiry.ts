/**
 * Issue 15 §2 — an offer past its validUntil, by the database's clock, expires: the sweep (run with the
 * dispatcher's reminders, dispatcher.ts) marks every such OPEN offer EXPIRED and raises OFFER_EXPIRED in
 * the same statement, once per offer (its dedup key); makeOffer does the same for a match's stale offer
 * before it stores the next. acceptOffer refuses an expired offer even before the sweep came by.
 */
import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { DATABASE_NOW_SQL } from '../database/clock';
import { DEDUPED_EVENT_INSERT } from '../events/outbox';

/** The statement that expires OPEN offers past their validity (those `where` picks over alias o) and raises OFFER_EXPIRED for each, once. */
const expireSql = (where: string) => `
  WITH expired AS (
    UPDATE offer o SET status = 'EXPIRED', status_changed_at = now()
     WHERE o.status = 'OPEN' AND o.valid_until <= ${DATABASE_NOW_SQL} AND (${where})
    RETURNING o.id, o.institution_id, o.enterprise_id, o.need_id, o.match_id, o.product_id, o.valid_until
  ), raised AS (
    ${DEDUPED_EVENT_INSERT}
    SELECT 'OFFER_EXPIRED', x.institution_id, NULL, x.enterprise_id, x.need_id, x.match_id,
           jsonb_build_object('offerId', x.id, 'productId', x.product_id, 'validUntil', to_char(x.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
           'OFFER_EXPIRED:' || x.id
      FROM expired x
    ON CONFLICT (dedup_key) DO NOTHING
  )
  SELECT count(*)::int AS n FROM expired`;

export async function expireOffersIn(em: EntityManager, where: string, params: unknown[]): Promise<number> {
  const [{ n }]: { n: number }[] = await em.query(expireSql(where), params);
  return n;
}

/** The sweep (the dispatcher runs it with its reminders): every OPEN offer past its validity by the database's clock expires, with OFFER_EXPIRED. */
export async function expireOffers(pool: Pool): Promise<number> {
  const { rows: [{ n }] } = await pool.query<{ n: number }>(expireSql('true'));
  return n;
}

