/**
 * RS3 — a need posted for a roadshow (channel ROADSHOW with its id): the firm pitches at the roadshow and
 * posts within its window. Read by the need service when a need names `roadshowId`; plain SQL over the
 * roadshow tables, so the needs folder can call it without a cycle.
 */
import type { EntityManager } from 'typeorm';
import { failure, Failure } from '../common/failure';
import { uuidOf } from '../common/ids';
import { postingWindow } from './roadshow.rules';

export interface RoadshowPosting {
  roadshowId: string | null;
  failures: Failure[];
}

/** Checks a need's `roadshowId` and `channel` (RS3): the roadshow exists, the firm pitches there, today is in its window. */
export async function roadshowForPosting(
  em: EntityManager, input: { roadshowId?: string | null; channel?: string | null }, enterpriseId: string, today: string,
): Promise<RoadshowPosting> {
  if (input.roadshowId == null) return { roadshowId: null, failures: [] };
  const failures: Failure[] = [];
  if (input.channel != null && input.channel !== 'ROADSHOW') failures.push(failure('channel', 'ROADSHOW_CHANNEL', { channel: input.channel }));
  const id = uuidOf(input.roadshowId, 'Roadshow');
  if (!id) return { roadshowId: null, failures: [...failures, failure('roadshowId', 'INVALID_ID')] };
  const [row] = await em.query(
    `SELECT to_char(r.month, 'YYYY-MM-DD') AS month, to_char(r.held_on, 'YYYY-MM-DD') AS held_on, r.attribution_days,
            EXISTS (SELECT 1 FROM roadshow_pitch p WHERE p.roadshow_id = r.id AND p.enterprise_id = $2) AS pitching
       FROM roadshow r WHERE r.id = $1`,
    [id, enterpriseId],
  );
  if (!row) return { roadshowId: null, failures: [...failures, failure('roadshowId', 'NOT_FOUND')] };
  if (!row.pitching) failures.push(failure('roadshowId', 'NOT_PITCHING'));
  const window = postingWindow({ month: row.month, heldOn: row.held_on, attributionDays: row.attribution_days });
  if (today < window.from || today > window.to) failures.push(failure('roadshowId', 'OUTSIDE_ROADSHOW_WINDOW', { from: window.from, to: window.to }));
  return { roadshowId: id, failures };
}
