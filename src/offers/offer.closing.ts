/**
 * Issue 15 §2 — the one place an open offer's stored status changes without the enterprise accepting it,
 * each change raising its event once per offer (its dedup key):
 *
 * - past its validUntil, by the database's clock, it EXPIRES (OFFER_EXPIRED): the dispatcher's sweep
 *   marks every such offer, makeOffer a match's stale one before it stores the next;
 * - still valid, it is DECLINED (OFFER_DECLINED) with its reason: OFFER_ACCEPTED_ELSEWHERE when the
 *   enterprise accepts another offer for the need (acceptOffer); MATCH_CLOSED when its match closes (the
 *   bank declined it, or it lapsed: lifecycle.service.ts `applyStep`, in the closing transaction);
 *   NEED_CLOSED when its need stops looking for money (withdrawn, closed unfunded, funded, expired:
 *   need.moves.ts, in the statement that moves the needs).
 *
 * The dispatcher's sweep (`sweepOffers`) catches what no write closed, such as a need past its needed-by
 * date before the needs' sweep, in offer.rules.ts `offerStanding`'s order — past validity first, then the
 * match, then the need — which readers apply before any sweep has come by.
 */
import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { DATABASE_NOW_SQL } from '../database/clock';
import { DEDUPED_EVENT_INSERT } from '../events/outbox';
import { activeNeedSql } from '../needs/need.lifecycle';
import { MATCH_CLOSED_STATUSES, OfferDeclineReason } from './offer.rules';
import { sqlList } from '../common/sql-list';

/** What an open offer becomes: EXPIRED (past its validity), or DECLINED with this reason (still valid). */
export type OfferClosing = 'EXPIRED' | OfferDeclineReason;

/**
 * Two WITH elements (named after `name`) that close the OPEN offers `where` picks over alias o — those
 * past their validity when `to` is EXPIRED, the still valid ones with a decline reason — and raise each
 * one's event once: for a statement's WITH list.
 */
export function closeOffersCte(name: string, to: OfferClosing, where: string): string {
  const expiring = to === 'EXPIRED';
  const event = expiring ? 'OFFER_EXPIRED' : 'OFFER_DECLINED';
  const said = expiring
    ? `'validUntil', to_char(x.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : `'declineReason', '${to}'`;
  return `${name} AS (
    UPDATE offer o SET status = '${expiring ? 'EXPIRED' : 'DECLINED'}', decline_reason = ${expiring ? 'NULL' : `'${to}'`}, status_changed_at = now()
     WHERE o.status = 'OPEN' AND o.valid_until ${expiring ? '<=' : '>'} ${DATABASE_NOW_SQL} AND (${where})
    RETURNING o.id, o.institution_id, o.enterprise_id, o.need_id, o.match_id, o.product_id, o.valid_until
  ), ${name}_raised AS (
    ${DEDUPED_EVENT_INSERT}
    SELECT '${event}', x.institution_id, NULL, x.enterprise_id, x.need_id, x.match_id,
           jsonb_build_object('offerId', x.id, 'productId', x.product_id, ${said}),
           '${event}:' || x.id
      FROM ${name} x
    ON CONFLICT (dedup_key) DO NOTHING
  )`;
}

const closeSql = (to: OfferClosing, where: string) => `WITH ${closeOffersCte('closed', to, where)} SELECT count(*)::int AS n FROM closed`;

/** Closes the open offers `where` picks over alias o (with positional `params`) in `em`'s transaction; returns how many. */
export async function closeOffersIn(em: EntityManager, to: OfferClosing, where: string, params: unknown[]): Promise<number> {
  const [{ n }]: { n: number }[] = await em.query(closeSql(to, where), params);
  return n;
}

/** The match's open offers, in the transaction that closed it (its need and match locked, as every offer writer locks them). */
export const closeOffersOfMatch = (em: EntityManager, matchId: string): Promise<number> => closeOffersIn(em, 'MATCH_CLOSED', 'o.match_id = $1', [matchId]);


/** An offer's match is closed, in SQL over offer alias o. */
const MATCH_CLOSED_SQL = `EXISTS (SELECT 1 FROM match m WHERE m.id = o.match_id AND m.status IN (${sqlList(MATCH_CLOSED_STATUSES)}))`;
/** An offer's need no longer looks for money (R11; past needed-by counts, swept or not), in SQL over offer alias o. */
const NEED_CLOSED_SQL = `EXISTS (SELECT 1 FROM financing_need n WHERE n.id = o.need_id AND NOT (${activeNeedSql('n', 'shanghai_today()')}))`;

/**
 * The sweep (the dispatcher runs it with its reminders), in `offerStanding`'s order: open offers past
 * their validity expire, then open offers on a closed match or need are declined, each with its event.
 */
export async function sweepOffers(pool: Pool): Promise<{ expired: number; closed: number }> {
  const count = async (to: OfferClosing, where: string) => (await pool.query<{ n: number }>(closeSql(to, where))).rows[0].n;
  const expired = await count('EXPIRED', 'true');
  const closed = (await count('MATCH_CLOSED', MATCH_CLOSED_SQL)) + (await count('NEED_CLOSED', NEED_CLOSED_SQL));
  return { expired, closed };
}
