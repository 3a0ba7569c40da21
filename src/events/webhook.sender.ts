/**
 * Webhook deliveries (issue 15 §1; docs/EVENTS.md): POSTs the event's JSON, signed, to each due delivery
 * and records every attempt. A delivery is claimed with a lease (its next attempt moved past the timeout)
 * under SKIP LOCKED, so processes share the work and one killed mid-POST leaves the delivery to be tried
 * again when the lease ends: at least once. A 2xx answer succeeds; anything else — an error, a timeout,
 * a redirect (never followed) — is retried with exponential backoff until `webhookRetryHours` after the
 * first attempt, then FAILED. Receivers de-duplicate by `X-Finmatch-Event-Id`.
 */
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { EventsConfig } from '../config';
import { EVENT_COLUMNS, EventRow, eventJson } from './event.read';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhookBody } from './webhook-signature';
import type { SecretBox } from './webhook-secret';
import { webhookUrlFailure } from './webhook.service';

/** Deliveries one pass claims. */
const BATCH = 20;
/** Bytes of a receiver's answer kept with the attempt. */
export const RESPONSE_BODY_LIMIT = 2048;

interface Claimed extends EventRow {
  delivery_id: string;
  attempts: number;
  url: string;
  secret: Buffer;
  live: boolean;
}

const CLAIM_SQL = `
  WITH due AS (
    SELECT id FROM webhook_delivery WHERE status = 'PENDING' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE webhook_delivery d
       SET next_attempt_at = now() + make_interval(secs => $2), attempts = d.attempts + 1,
           first_attempt_at = coalesce(d.first_attempt_at, now()), last_attempt_at = now(), updated_at = now()
      FROM due WHERE d.id = due.id
    RETURNING d.id, d.attempts, d.webhook_id, d.event_id
  )
  SELECT c.id AS delivery_id, c.attempts, w.url, w.secret, (w.enabled AND w.deleted_at IS NULL) AS live, ${EVENT_COLUMNS}
    FROM claimed c JOIN webhook w ON w.id = c.webhook_id JOIN event e ON e.id = c.event_id`;

/**
 * The attempt and the delivery's next state. $4 ok: SUCCEEDED; $5 final: FAILED; else PENDING again after
 * $6 ms, unless that is past the retry window, which makes it FAILED.
 */
const RECORD_SQL = `
  WITH a AS (
    INSERT INTO webhook_attempt (delivery_id, response_status, response_body, error, duration_ms) VALUES ($1, $2, $3, $7, $8)
  )
  UPDATE webhook_delivery
     SET status = CASE WHEN $4 THEN 'SUCCEEDED'
                       WHEN $5 OR now() + make_interval(secs => $6 / 1000.0) > first_attempt_at + make_interval(hours => $9) THEN 'FAILED'
                       ELSE 'PENDING' END,
         next_attempt_at = now() + make_interval(secs => $6 / 1000.0), updated_at = now()
   WHERE id = $1`;

export interface AttemptOutcome {
  status: number | null;
  body: string | null;
  error: string | null;
  ms: number;
  /** Not worth retrying: the webhook is gone, its origin no longer allowed, its secret unreadable. */
  final?: boolean;
}

/** Reads at most `limit` bytes of a response body, then lets the rest go. */
async function truncatedBody(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** One POST: no redirect followed, a timeout, the answer's body truncated. */
export async function postEvent(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<AttemptOutcome> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
      headers: { 'content-type': 'application/json', 'user-agent': 'finmatch-webhooks/1', ...headers },
    });
    const text = await truncatedBody(res, RESPONSE_BODY_LIMIT);
    const redirect = res.status >= 300 && res.status < 400 ? `redirect to ${res.headers.get('location') ?? '(no Location)'} not followed` : null;
    return { status: res.status, body: text, error: redirect, ms: Date.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
    return { status: null, body: null, error: message, ms: Date.now() - started };
  }
}

/** The delay before attempt n + 1: base × 2^(n − 1), at most `max`. */
export const retryDelayMs = (attempts: number, config: Pick<EventsConfig, 'webhookRetryBaseMs' | 'webhookRetryMaxMs'>): number =>
  Math.min(config.webhookRetryBaseMs * 2 ** Math.min(attempts - 1, 30), config.webhookRetryMaxMs);

/** Sends the due deliveries, a batch at a time, until none is due; returns how many were attempted. */
export async function sendDueDeliveries(pool: Pool, config: EventsConfig, box: SecretBox, log: Logger): Promise<number> {
  let sent = 0;
  const lease = Math.ceil(config.webhookTimeoutMs / 1000) + 30;
  for (;;) {
    const { rows } = await pool.query<Claimed>(CLAIM_SQL, [BATCH, lease]);
    if (!rows.length) return sent;
    sent += rows.length;
    await Promise.all(rows.map(async (d) => {
      const outcome = await attempt(d, config, box);
      const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
      await pool.query(RECORD_SQL, [d.delivery_id, outcome.status, outcome.body, ok, outcome.final === true, retryDelayMs(d.attempts, config), outcome.error, outcome.ms, config.webhookRetryHours]);
      log[ok ? 'debug' : 'info']({ delivery: d.delivery_id, event: d.id, type: d.type, attempt: d.attempts, status: outcome.status, error: outcome.error, ms: outcome.ms }, ok ? 'webhook delivered' : 'webhook delivery failed');
    }));
  }
}

async function attempt(d: Claimed, config: EventsConfig, box: SecretBox): Promise<AttemptOutcome> {
  const refused = (error: string): AttemptOutcome => ({ status: null, body: null, error, ms: 0, final: true });
  if (!d.live) return refused('the webhook was disabled or deleted');
  // The rule registerWebhook applied, again: an administrator may have taken the origin off the list since.
  if (webhookUrlFailure(d.url, config.webhookAllowedOrigins)) return refused('the webhook\'s origin is no longer in WEBHOOK_ALLOWED_ORIGINS');
  let secret: string;
  try {
    secret = box.open(d.secret);
  } catch {
    return refused('the signing secret cannot be read: WEBHOOK_SECRET_KEY (or JWT_SECRET) changed since it was registered');
  }
  const body = JSON.stringify(eventJson(d, 'institution'));
  const signature = signWebhookBody(secret, body, Math.floor(Date.now() / 1000));
  return postEvent(d.url, body, { [SIGNATURE_HEADER]: signature, [EVENT_ID_HEADER]: d.id, 'X-Finmatch-Event-Type': d.type }, config.webhookTimeoutMs);
}
