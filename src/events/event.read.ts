/**
 * Events as they leave finmatch: a row of the outbox, and its JSON for a webhook, a subscription or a
 * notification. Subjects and references become the API's opaque ids, so a receiver can fetch them with
 * `node(id:)`; the JSON for institutions leaves the enterprise out and the enterprise's leaves the
 * guarantor out (R10: each sees only what it could read through the API).
 */
import type { Pool } from 'pg';
import { NodeTypeName, toGlobalId } from '../common/ids';
import type { EventType } from './event-types';

export interface EventRow {
  id: string;
  seq: string;
  type: EventType;
  institution_id: string | null;
  guarantor_id: string | null;
  enterprise_id: string | null;
  need_id: string | null;
  match_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

export const EVENT_COLUMNS = 'e.id, e.seq, e.type, e.institution_id, e.guarantor_id, e.enterprise_id, e.need_id, e.match_id, e.payload, e.created_at';

/** Events by id, in outbox order. */
export async function loadEvents(pool: Pool, ids: readonly string[]): Promise<EventRow[]> {
  if (!ids.length) return [];
  const { rows } = await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM event e WHERE e.id = ANY($1::uuid[]) ORDER BY e.seq`, [ids]);
  return rows;
}

/** Payload fields that hold a uuid of a node type: sent as that type's opaque id. */
const PAYLOAD_IDS: Record<string, NodeTypeName> = {
  productId: 'FinancialProduct', loanId: 'Loan', renewalId: 'LoanRenewal', warningId: 'PostLoanWarning', fallbackNeedId: 'FinancingNeed', offerId: 'Offer',
};

const globalId = (type: NodeTypeName, uuid: string | null) => (uuid ? toGlobalId(type, uuid) : null);

export type Audience = 'institution' | 'enterprise';

/** The event's data with references as opaque ids. */
export function eventData(row: Pick<EventRow, 'payload'>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row.payload).map(([k, v]) => [k, PAYLOAD_IDS[k] && typeof v === 'string' ? toGlobalId(PAYLOAD_IDS[k], v) : v]));
}

/** The JSON a receiver of `audience` gets: the body of a webhook delivery. */
export function eventJson(row: EventRow, audience: Audience): Record<string, unknown> {
  return {
    id: row.id,
    type: row.type,
    createdAt: row.created_at.toISOString(),
    institutionId: globalId('Institution', row.institution_id),
    ...(audience === 'institution' ? { guarantorId: globalId('Institution', row.guarantor_id) } : { enterpriseId: globalId('Enterprise', row.enterprise_id) }),
    needId: globalId('FinancingNeed', row.need_id),
    matchId: globalId('Match', row.match_id),
    data: eventData(row),
  };
}
