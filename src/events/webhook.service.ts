/**
 * Issue 15 §1 — an institution's webhooks: registering one (its signing secret shown once, kept
 * encrypted: webhook-secret.ts), disabling, enabling and deleting it, the deliveries page, and sending an
 * event again. Only BANK, GUARANTOR and INVESTOR staff, for their own institution; a webhook hears only
 * the events of its institution's matches and loans (and, for a guarantor, those routed to it) — what it
 * could read through the API (R10). Only http(s) URLs whose origin an administrator allows.
 */
import DataLoader from 'dataloader';
import { AuthedContext, defineLoader } from '../common/context';
import { Page, PageArgs } from '../common/connection';
import { isUuid } from '../common/ids';
import { distinct, groupBy } from '../common/collections';
import { failure, Failure, ok, refused, Result } from '../common/user-error';
import { sqlKeysetPage } from '../database/pages';
import { EVENT_COLUMNS, EventRow } from './event.read';
import { EventType, INSTITUTION_EVENTS } from './event-types';
import type { Webhook, WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus } from './event.type';
import { newWebhookSecret, secretBox } from './webhook-secret';


interface WebhookRow { id: string; url: string; events: EventType[]; description: string | null; enabled: boolean; created_at: Date }

const toWebhook = (r: WebhookRow): Webhook => ({ id: r.id, url: r.url, events: r.events, description: r.description, enabled: r.enabled, createdAt: r.created_at });

const WEBHOOK_COLUMNS = 'id, url, events, description, enabled, created_at';

export interface RegisterWebhookInput {
  url: string;
  events: EventType[];
  description?: string | null;
}

/** Whether `raw` may be a webhook's URL under the allowed origins; the failure when not. */
export function webhookUrlFailure(raw: string, allowed: readonly string[]): Failure | null {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) return failure('url', 'INVALID_WEBHOOK_URL');
  if (!allowed.length) return failure('url', 'WEBHOOK_ORIGINS_NONE');
  if (!allowed.includes(url.origin)) return failure('url', 'WEBHOOK_ORIGIN_NOT_ALLOWED', { origin: url.origin, allowed: allowed.join(', ') });
  return null;
}

const institutionOf = (ctx: AuthedContext): string => {
  if (!ctx.viewer.institutionId) throw new Error('webhooks belong to an institution: the token names none');
  return ctx.viewer.institutionId;
};

/** registerWebhook: the webhook and its signing secret, which is never shown again. */
export async function registerWebhook(ctx: AuthedContext, input: RegisterWebhookInput): Promise<Result<{ webhook: Webhook; secret: string }>> {
  const failures: Failure[] = [];
  const urlFailure = webhookUrlFailure(input.url, ctx.config.events.webhookAllowedOrigins);
  if (urlFailure) failures.push(urlFailure);
  if (!input.events.length) failures.push(failure('events', 'REQUIRED'));
  input.events.forEach((type, i) => {
    if (!INSTITUTION_EVENTS.includes(type)) failures.push(failure(['events', String(i)], 'EVENT_NOT_FOR_INSTITUTIONS', { type }));
  });
  if (failures.length) return refused(...failures);
  const secret = newWebhookSecret();
  const sealed = secretBox(ctx.config.events.webhookSecretKey).seal(secret);
  const [row]: WebhookRow[] = await ctx.primary.query(
    `INSERT INTO webhook (institution_id, url, events, description, secret, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WEBHOOK_COLUMNS}`,
    [institutionOf(ctx), input.url, distinct(input.events), input.description?.trim() || null, sealed, ctx.viewer.sub],
  );
  return ok({ webhook: toWebhook(row), secret });
}

/** Enables or disables one of the institution's webhooks; `deleted` removes it for good (its deliveries stay on record). */
export async function changeWebhook(ctx: AuthedContext, webhookId: string, change: { enabled: boolean } | { deleted: true }): Promise<Result<Webhook>> {
  if (!isUuid(webhookId)) return refused(failure('webhookId', 'INVALID_ID'));
  const [row]: WebhookRow[] = await ctx.primary.query(
    `WITH changed AS (
       UPDATE webhook SET enabled = CASE WHEN $3::boolean IS NULL THEN enabled ELSE $3 END,
                          deleted_at = CASE WHEN $4 THEN now() ELSE deleted_at END, updated_at = now()
        WHERE id = $1 AND institution_id = $2 AND deleted_at IS NULL RETURNING ${WEBHOOK_COLUMNS}
     )
     SELECT * FROM changed`,
    [webhookId, institutionOf(ctx), 'enabled' in change ? change.enabled : null, 'deleted' in change],
  );
  return row ? ok(toWebhook(row)) : refused(failure('webhookId', 'NOT_FOUND'));
}

/** The institution's webhooks, newest first. */
export async function listWebhooks(ctx: AuthedContext): Promise<Webhook[]> {
  const rows: WebhookRow[] = await ctx.db.query(
    `SELECT ${WEBHOOK_COLUMNS} FROM webhook WHERE institution_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC`, [institutionOf(ctx)]);
  return rows.map(toWebhook);
}

interface DeliveryRow { id: string; webhook_id: string; event_id: string; status: WebhookDeliveryStatus; attempts: number; next_attempt_at: Date; created_at: Date }

export type DeliveryView = WebhookDelivery & { webhookId: string; eventId: string };

const toDelivery = (r: DeliveryRow): DeliveryView => ({
  id: r.id, webhookId: r.webhook_id, eventId: r.event_id, status: r.status, attemptCount: r.attempts,
  nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at : null, createdAt: r.created_at,
});

/** webhookDeliveries: the institution's deliveries, newest first, optionally of one status. */
export async function webhookDeliveries(ctx: AuthedContext, status: WebhookDeliveryStatus | null, args: PageArgs): Promise<Page<DeliveryView>> {
  const page = await sqlKeysetPage<DeliveryRow & { createdAt: Date }>(ctx, {
    select: 'd.id, d.webhook_id, d.event_id, d.status, d.attempts, d.next_attempt_at, d.created_at, d.created_at AS "createdAt"',
    from: 'webhook_delivery d', alias: 'd',
    where: 'd.institution_id = $1 AND ($2::text IS NULL OR d.status = $2)', params: [institutionOf(ctx), status],
  }, args);
  return { ...page, edges: page.edges.map((edge) => ({ ...edge, node: toDelivery(edge.node) })) };
}

/** A delivery's webhook, event and attempts, one statement each per page. */
export const webhookById = defineLoader((ctx) => new DataLoader<string, Webhook | null>(async (ids) => {
  const rows: WebhookRow[] = await ctx.db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhook WHERE id = ANY($1::uuid[])`, [[...ids]]);
  const byId = new Map(rows.map((r) => [r.id, toWebhook(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}));

export const eventById = defineLoader((ctx) => new DataLoader<string, EventRow | null>(async (ids) => {
  const rows: EventRow[] = await ctx.db.query(`SELECT ${EVENT_COLUMNS} FROM event e WHERE e.id = ANY($1::uuid[])`, [[...ids]]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}));

export const attemptsOf = defineLoader((ctx) => new DataLoader<string, WebhookAttempt[]>(async (ids) => {
  const rows: (WebhookAttempt & { delivery_id: string })[] = await ctx.db.query(
    `SELECT delivery_id, attempted_at AS at, response_status AS "responseStatus", response_body AS "responseBody", error, duration_ms AS "durationMs"
       FROM webhook_attempt WHERE delivery_id = ANY($1::uuid[]) ORDER BY attempted_at, id`, [[...ids]]);
  const groups = groupBy(rows, (r) => r.delivery_id);
  return ids.map((id) => groups.get(id) ?? []);
}));

/**
 * redeliverWebhookEvent: the event again to each of the institution's enabled webhooks that subscribe to
 * it — a delivery already made is PENDING again with a fresh 24-hour window (its attempts stay on record).
 * The dispatchers are woken in the same statement.
 */
export async function redeliverEvent(ctx: AuthedContext, eventId: string): Promise<Result<DeliveryView[]>> {
  const institutionId = institutionOf(ctx);
  if (!isUuid(eventId)) return refused(failure('eventId', 'INVALID_ID'));
  const [seen] = await ctx.primary.query(
    `SELECT 1 FROM event WHERE id = $1 AND $2::uuid IN (institution_id, guarantor_id) AND type = ANY($3::text[])`, [eventId, institutionId, INSTITUTION_EVENTS]);
  if (!seen) return refused(failure('eventId', 'NOT_FOUND'));
  const rows: DeliveryRow[] = await ctx.primary.query(
    `WITH up AS (
       INSERT INTO webhook_delivery (webhook_id, event_id, institution_id)
       SELECT w.id, e.id, w.institution_id FROM event e JOIN webhook w ON w.institution_id = $2 AND w.enabled AND w.deleted_at IS NULL AND e.type = ANY(w.events)
        WHERE e.id = $1
       ON CONFLICT (webhook_id, event_id) DO UPDATE SET status = 'PENDING', next_attempt_at = now(), first_attempt_at = NULL, updated_at = now()
       RETURNING id, webhook_id, event_id, status, attempts, next_attempt_at, created_at
     )
     SELECT up.*, pg_notify('finmatch_dispatch', '') IS NULL AS woken FROM up`,
    [eventId, institutionId],
  );
  if (!rows.length) return refused(failure('eventId', 'NO_WEBHOOK_FOR_EVENT'));
  return ok(rows.map(toDelivery));
}

