/**
 * Webhook signatures (issue 15 §1; docs/EVENTS.md "Verifying a delivery"), the Stripe convention: each
 * delivery carries `X-Finmatch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
 * and `X-Finmatch-Event-Id`. A receiver recomputes the HMAC over the raw body it received (before any
 * JSON parsing), compares in constant time, and refuses a timestamp outside its tolerance, which stops a
 * captured delivery from being replayed later. `verifyWebhookSignature` is that check, for receivers
 * written in TypeScript or JavaScript; it depends on nothing but node:crypto.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Finmatch-Signature';
export const EVENT_ID_HEADER = 'X-Finmatch-Event-Id';

/** The header's value for `body` signed at `timestamp` (unix seconds). */
export function signWebhookBody(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: 'MALFORMED' | 'SIGNATURE_MISMATCH' | 'TIMESTAMP_OUT_OF_TOLERANCE' };

/**
 * Whether `header` signs `rawBody` with `secret`. `toleranceSeconds` (default 300) bounds how old (or
 * how far in the future) the timestamp may be; `now` is unix seconds (default: this machine's clock).
 * Any `v1=` entry may match (a receiver may get several while a secret is rotated).
 */
export function verifyWebhookSignature(input: { rawBody: string | Buffer; header: string | null | undefined; secret: string; toleranceSeconds?: number; now?: number }): Verification {
  const parts = (input.header ?? '').split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => Buffer.from(v, 'hex'));
  if (!t || !/^\d{1,12}$/.test(t) || !signatures.length) return { ok: false, reason: 'MALFORMED' };
  const timestamp = Number(t);
  const body = typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8');
  const expected = Buffer.from(hmac(input.secret, timestamp, body), 'hex');
  if (!signatures.some((s) => timingSafeEqual(s, expected))) return { ok: false, reason: 'SIGNATURE_MISMATCH' };
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return { ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' };
  return { ok: true, timestamp };
}
