/**
 * Issue 15 §1 — the enterprise's notifications for the mini-program: what happened to its needs, newest
 * first, title and body in the reader's language (notification.text.ts), and marking them read. The
 * dispatcher writes them (dispatcher.ts); only the enterprise's own are ever read or marked (R10).
 */
import { AuthedContext } from '../common/context';
import { Page, PageArgs, pageWindow, toPage } from '../common/connection';
import { isUuid } from '../common/ids';
import { distinct } from '../common/collections';
import { failure, ok, refused, Result } from '../common/user-error';
import { keyOf, sqlKeysetPage } from '../database/pages';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import type { EventType } from './event-types';

export interface NotificationRow {
  id: string;
  type: EventType;
  eventId: string;
  matchId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

const COLUMNS = `n.id, n.type, n.event_id AS "eventId", e.match_id AS "matchId", n.payload, n.created_at AS "createdAt", n.read_at AS "readAt"`;

/** notifications: the viewer's enterprise's, newest first (only the unread ones with `unreadOnly`). */
export async function notifications(ctx: AuthedContext, unreadOnly: boolean, args: PageArgs): Promise<Page<NotificationRow>> {
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return toPage<NotificationRow>([], pageWindow(args, ctx.config.limits).limit, keyOf, async () => 0);
  return sqlKeysetPage<NotificationRow>(ctx, {
    select: COLUMNS, from: 'notification n JOIN event e ON e.id = n.event_id', alias: 'n',
    where: 'n.enterprise_id = $1 AND (NOT $2 OR n.read_at IS NULL)', params: [enterpriseId, unreadOnly],
  }, args);
}

/** markNotificationsRead: marks the enterprise's notifications read (again is a no-op); an id not its own refuses the whole call. */
export async function markNotificationsRead(ctx: AuthedContext, ids: readonly string[]): Promise<Result<NotificationRow[]>> {
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return refused(failure([], 'NOT_REGISTERED'));
  if (!ids.length) return refused(failure('ids', 'REQUIRED'));
  const bad = ids.map((id, i) => (isUuid(id) ? null : failure(['ids', String(i)], 'INVALID_ID'))).filter((f) => f !== null);
  if (bad.length) return refused(...bad);
  const wanted = distinct(ids.map((id) => id.toLowerCase()));
  const rows: NotificationRow[] = await ctx.primary.query(
    `WITH mine AS (SELECT id FROM notification WHERE id = ANY($1::uuid[]) AND enterprise_id = $2),
          marked AS (UPDATE notification n SET read_at = coalesce(n.read_at, now()) FROM mine WHERE n.id = mine.id AND (SELECT count(*) FROM mine) = $3
                     RETURNING n.*)
     SELECT ${COLUMNS}
       FROM marked n JOIN event e ON e.id = n.event_id ORDER BY n.created_at DESC, n.id DESC`,
    [wanted, enterpriseId, wanted.length]);
  if (rows.length !== wanted.length) {
    const found = new Set((await ctx.primary.query(`SELECT id FROM notification WHERE id = ANY($1::uuid[]) AND enterprise_id = $2`, [wanted, enterpriseId])).map((r: { id: string }) => r.id));
    return refused(...ids.map((id, i) => (found.has(id.toLowerCase()) ? null : failure(['ids', String(i)], 'NOT_FOUND'))).filter((f) => f !== null));
  }
  return ok(rows);
}
