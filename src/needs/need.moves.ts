/**
 * R11 — the one way another domain moves a need: `moveNeeds` locks the needs (in id order, as the refresh
 * writers do) and writes each status the table (need.lifecycle.ts) allows, with the condition inside
 * the statement, so a change committed meanwhile cannot slip past it; it reports what it refused.
 * API paths turn a refusal into a userError; internal paths call `mustMoveNeeds`, which throws.
 */
import { DataSource, EntityManager } from 'typeorm';
import { failure, Failure } from '../common/failure';
import { preparedQuery } from '../database/prepared';
import { closeOffersCte } from '../offers/offer.closing';
import { isActive, NeedStatus } from './need.rules';
import { activeNeedSql, activeStatusSql, effectiveStatusSql, NeedEvent, statusAfterSql } from './need.lifecycle';

export interface NeedMoves {
  /** Needs whose status changed. */
  moved: string[];
  /** Needs already where the event leaves them. */
  unchanged: string[];
  /** Needs the table does not let the event move, with the status a reader sees (null: no such need). */
  refused: { id: string; status: NeedStatus | null }[];
}

export interface MoveOptions {
  /** The reason stored with the new status (`statusReason`); left as it was when undefined. */
  reason?: string | null;
  /** The day the move is decided on; the database's day when undefined. */
  today?: string;
}

/** A move the table refused, on a path where the caller had checked it could not happen. */
export class NeedTransitionError extends Error {
  constructor(readonly event: NeedEvent, readonly refused: NeedMoves['refused']) {
    super(`R11 refuses ${event} for ${refused.map((r) => `need ${r.id} (${r.status ?? 'missing'})`).join(', ')}`);
    this.name = 'NeedTransitionError';
  }
}

/** A refused move as a userError: NEED_NOT_ACTIVE for a need that is over, else ILLEGAL_NEED_TRANSITION. */
export function moveFailure(field: string, event: NeedEvent, refused: NeedMoves['refused'][number]): Failure {
  if (refused.status && !isActive(refused.status)) return failure(field, 'NEED_NOT_ACTIVE', { status: refused.status });
  return failure(field, 'ILLEGAL_NEED_TRANSITION', { status: refused.status ?? '?', event });
}

/**
 * The day a move is decided on: the caller's ($1), else the database's (database/clock.ts), read in the
 * statement itself — no round trip for it.
 */
const DAY = `coalesce($1::date, shanghai_today())`;

/**
 * $1 today (null: the database's day), $2 whether a reason is given, $3 the reason; the rows to move
 * come from `target` (id, status, needed_by), which locks them (FOR UPDATE): a change committed
 * meanwhile is waited for and read, so the next status computed from `t` is the table's answer for the
 * row as it is written. A need that stops looking for money (WITHDRAWN, CLOSED_UNFUNDED, FUNDED, EXPIRED)
 * takes its open offers with it in the same statement: DECLINED NEED_CLOSED (offers/offer.closing.ts).
 */
function moveSql(event: NeedEvent, target: string): string {
  const next = statusAfterSql(event, 't', DAY);
  return `
    WITH t AS MATERIALIZED (${target}),
    moved AS (
      UPDATE financing_need n
         SET status = x.next, status_changed_at = now(), updated_at = now(),
             status_reason = CASE WHEN $2::boolean THEN $3::text ELSE n.status_reason END,
             first_matched_at = CASE WHEN x.next = 'MATCHED' THEN coalesce(n.first_matched_at, now()) ELSE n.first_matched_at END
        FROM (SELECT t.id, ${next} AS next FROM t) x
       WHERE n.id = x.id AND x.next IS NOT NULL AND x.next <> n.status
      RETURNING n.id, n.status
    ),
    ${closeOffersCte('offers_closed', 'NEED_CLOSED', `o.need_id IN (SELECT moved.id FROM moved WHERE NOT (${activeStatusSql('moved')}))`)}
    SELECT t.id, t.status, ${effectiveStatusSql('t', DAY)} AS shown, ${next} AS next, EXISTS (SELECT 1 FROM moved WHERE moved.id = t.id) AS moved FROM t`;
}

const params = (today: string | undefined, options: MoveOptions) => [today ?? null, options.reason !== undefined, options.reason ?? null];

/** A target row, with the status a reader sees (`shown`: past needed-by reads EXPIRED) and the one `event` leads to. */
interface MoveRow { id: string; status: NeedStatus; shown: NeedStatus; next: NeedStatus | null; moved: boolean }

function report(ids: readonly string[], rows: MoveRow[]): NeedMoves {
  const result: NeedMoves = { moved: [], unchanged: [], refused: [] };
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const id of new Set(ids)) {
    const r = found.get(id);
    if (r?.moved) result.moved.push(id);
    else if (r && r.next === r.status) result.unchanged.push(id);
    else result.refused.push({ id, status: r ? r.shown : null });
  }
  return result;
}

const BY_IDS = `SELECT n.id, n.status, n.needed_by FROM financing_need n WHERE n.id = ANY($4::uuid[]) ORDER BY n.id FOR UPDATE`;

/**
 * Moves needs by `event` where R11 allows it, in the caller's transaction; returns which moved, which
 * already were there, and which the table refused (nothing is written for those).
 */
export async function moveNeeds(em: EntityManager, ids: readonly string[], event: NeedEvent, options: MoveOptions = {}): Promise<NeedMoves> {
  if (!ids.length) return { moved: [], unchanged: [], refused: [] };
  const rows = await preparedQuery<MoveRow>(em, moveSql(event, BY_IDS), [...params(options.today, options), ids]);
  return report(ids, rows);
}

/** `moveNeeds` for internal callers, whose moves the table must allow: a refused one throws (and fails the transaction). */
export async function mustMoveNeeds(em: EntityManager, ids: readonly string[], event: NeedEvent, options: MoveOptions = {}): Promise<NeedMoves> {
  const moves = await moveNeeds(em, ids, event, options);
  if (moves.refused.length) throw new NeedTransitionError(event, moves.refused);
  return moves;
}

/**
 * The expiry sweep: every need past its needed-by date that the table lets EXPIRE move (of one
 * enterprise, when given) is marked EXPIRED. Returns how many changed. "Past" is by the database's day
 * (database/clock.ts), as the refreshes decide it: every process sweeps by the same clock. A caller
 * that has read that day already passes it.
 */
export async function expireOverdueNeeds(db: DataSource | EntityManager, enterpriseId?: string, today?: string): Promise<number> {
  const target = `SELECT n.id, n.status, n.needed_by FROM financing_need n
                   WHERE ${activeStatusSql('n')} AND n.needed_by < ${DAY} AND ($4::uuid IS NULL OR n.enterprise_id = $4::uuid)
                   ORDER BY n.id FOR UPDATE`;
  const rows: MoveRow[] = await db.query(moveSql('EXPIRE', target), [...params(today, { reason: 'needed-by date passed' }), enterpriseId ?? null]);
  return rows.filter((r) => r.moved).length;
}

/** WITHDRAW every need still looking for money that `sub` posted for the enterprise (a holder who lost the firm); returns their ids. */
export async function withdrawNeedsPostedBy(em: EntityManager, enterpriseId: string, sub: string, reason: string): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `SELECT n.id FROM financing_need n WHERE n.enterprise_id = $1 AND n.posted_by = $2 AND ${activeNeedSql('n', 'shanghai_today()')} ORDER BY n.id FOR UPDATE`,
    [enterpriseId, sub],
  );
  const ids = rows.map((r) => r.id);
  await mustMoveNeeds(em, ids, 'WITHDRAW', { reason });
  return ids;
}
