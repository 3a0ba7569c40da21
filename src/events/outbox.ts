/**
 * Issue 15 §1 — the transactional outbox. A change raises its events in its own transaction: they exist
 * exactly when the change commits, and the dispatcher (dispatcher.ts) delivers them afterwards, at least
 * once, also after a crash between the commit and the delivery. Each event has a stable uuid (receivers
 * de-duplicate by it) and names its subjects — the institution (and guarantor), the enterprise, the need
 * and the match — which decide who hears it (event-types.ts AUDIENCE, R10).
 *
 * `raiseEvent` is the one call a new source makes (OFFER_MADE, OFFER_ACCEPTED… when offers land). The hot
 * writers (the refresh, the lapse sweep, a step of a match, a disbursement) raise theirs inside the
 * statement they already run, with `EVENT_INSERT` below: an event costs them no statement of its own.
 */
import type { EntityManager } from 'typeorm';
import type { EventType } from './event-types';

export interface RaisedEvent {
  type: EventType;
  institutionId?: string | null;
  guarantorId?: string | null;
  enterpriseId?: string | null;
  needId?: string | null;
  matchId?: string | null;
  /** What the event says beyond its subjects: only what every audience may read through the API (R10). */
  payload?: Record<string, unknown>;
  /** An event a sweep raises: at most one per key, however many processes sweep. */
  dedupKey?: string | null;
}

const OUTBOX_COLUMNS = 'type, institution_id, guarantor_id, enterprise_id, need_id, match_id, payload';

/** The outbox's columns in the order EVENT_INSERT's SELECT lists them. */
export const EVENT_INSERT = `INSERT INTO event (${OUTBOX_COLUMNS})`;

/** EVENT_INSERT with `dedup_key` last: an event raised at most once per key (a sweep's, `raiseEvent`'s); add ON CONFLICT (dedup_key) DO NOTHING. */
export const DEDUPED_EVENT_INSERT = `INSERT INTO event (${OUTBOX_COLUMNS}, dedup_key)`;

/** Raises one event in `em`'s transaction; returns its id ('' when an event of the same `dedupKey` exists). */
export async function raiseEvent(em: EntityManager, event: RaisedEvent): Promise<string> {
  const rows: { id: string }[] = await em.query(
    `${DEDUPED_EVENT_INSERT}
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
    [event.type, event.institutionId ?? null, event.guarantorId ?? null, event.enterpriseId ?? null, event.needId ?? null, event.matchId ?? null,
      JSON.stringify(event.payload ?? {}), event.dedupKey ?? null],
  );
  return rows[0]?.id ?? '';
}
