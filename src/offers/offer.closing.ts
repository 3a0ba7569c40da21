/**
 * Issue 15 §2 — an open offer whose match or need closes goes with it: the offer is DECLINED, with
 * MATCH_CLOSED when its match is (the bank declined it, or it lapsed) and NEED_CLOSED when its need stops
 * looking for money (withdrawn, closed unfunded, funded, expired), and OFFER_DECLINED is raised once per
 * offer (its dedup key). The writers that close a match or a need do it in their own transaction
 * (lifecycle.service.ts `applyStep`, need.moves.ts — in the statement that moves the needs); the
 * dispatcher's sweep (`closeStaleOffers`) catches what no write closed, such as a need past its
 * needed-by date before the expiry sweep. Readers see the closed status at once (offer.rules.ts
 * `offerStanding`). An offer already past its validity is left to expire (offer.expiry.ts).
 */
import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { DATABASE_NOW_SQL } from '../database/clock';
import { DEDUPED_EVENT_INSERT } from '../events/outbox';
import { activeNeedSql } from '../needs/need.lifecycle';
import { MATCH_CLOSED_STATUSES, OfferDeclineReason } from './offer.rules';

type ClosedReason = Extract<OfferDeclineReason, 'MATCH_CLOSED' | 'NEED_CLOSED'>;

/**
 * Two WITH elements (named after `name`) that decline the OPEN, still valid offers `where` picks over
 * alias o with `reason`, and raise OFFER_DECLINED for each, once: for a statement's WITH list.
 */
export function declineOffersCte(name: string, reason: ClosedReason, where: string): string {
  return `${name} AS (
    UPDATE offer o SET status = 'DECLINED', decline_reason = '${reason}', status_changed_at = now()
     WHERE o.status = 'OPEN' AND o.valid_until > ${DATABASE_NOW_SQL} AND (${where})
    RETURNING o.id, o.institution_id, o.enterprise_id, o.need_id, o.match_id, o.product_id
  ), ${name}_raised AS (
    ${DEDUPED_EVENT_INSERT}
    SELECT 'OFFER_DECLINED', x.institution_id, NULL, x.enterprise_id, x.need_id, x.match_id,
           jsonb_build_object('offerId', x.id, 'productId', x.product_id, 'declineReason', '${reason}'),
           'OFFER_DECLINED:' || x.id
      FROM ${name} x
    ON CONFLICT (dedup_key) DO NOTHING
  )`;
}

const declineSql = (reason: ClosedReason, where: string) => `WITH ${declineOffersCte('declined', reason, where)} SELECT count(*)::int AS n FROM declined`;

/** The match's open offers, in the transaction that closed it (its need and match locked, as every offer writer locks them). */
export async function closeOffersOfMatch(em: EntityManager, matchId: string): Promise<number> {
  const [{ n }]: { n: number }[] = await em.query(declineSql('MATCH_CLOSED', 'o.match_id = $1'), [matchId]);
  return n;
}

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** An offer's match is closed, in SQL over offer alias o. */
const MATCH_CLOSED_SQL = `EXISTS (SELECT 1 FROM match m WHERE m.id = o.match_id AND m.status IN (${quoted(MATCH_CLOSED_STATUSES)}))`;
/** An offer's need no longer looks for money (R11; past needed-by counts, swept or not), in SQL over offer alias o. */
const NEED_CLOSED_SQL = `EXISTS (SELECT 1 FROM financing_need n WHERE n.id = o.need_id AND NOT (${activeNeedSql('n', 'shanghai_today()')}))`;

/** The sweep (the dispatcher runs it with its reminders): open offers on a closed match or need are declined, with OFFER_DECLINED. */
export async function closeStaleOffers(pool: Pool): Promise<number> {
  const { rows: [{ n: matches }] } = await pool.query<{ n: number }>(declineSql('MATCH_CLOSED', MATCH_CLOSED_SQL));
  const { rows: [{ n: needs }] } = await pool.query<{ n: number }>(declineSql('NEED_CLOSED', NEED_CLOSED_SQL));
  return matches + needs;
}
