/** The receiver's check (docs/EVENTS.md "Verifying a delivery"): Stripe's t=…,v1=… over "t.body". */
import { createHmac } from 'node:crypto';
import { signWebhookBody, verifyWebhookSignature } from '../../src/events/webhook-signature';
import { webhookUrlFailure } from '../../src/events/webhook.service';
import { newWebhookSecret, secretBox } from '../../src/events/webhook-secret';
import { retryDelayMs } from '../../src/events/webhook.sender';

const secret = 'whsec_test';
const body = '{"id":"0d9b6c1e-1111-4a6b-9d55-2f2a3d4e5f60","type":"MATCH_PROPOSED"}';

describe('webhook signatures', () => {
  it('is the hex HMAC-SHA256 of "<t>.<body>" under the secret, as Stripe\'s', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhookBody(secret, body, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies a real one, and tells why a forged, altered, malformed or stale one is refused', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    expect(verifyWebhookSignature({ rawBody: body, header, secret, now: 1_700_000_100 })).toEqual({ ok: true, timestamp: 1_700_000_000 });
    expect(verifyWebhookSignature({ rawBody: Buffer.from(body), header, secret, now: 1_700_000_000 }).ok).toBe(true);
    expect(verifyWebhookSignature({ rawBody: body, header, secret: 'whsec_other', now: 1_700_000_000 })).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verifyWebhookSignature({ rawBody: `${body} `, header, secret, now: 1_700_000_000 })).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verifyWebhookSignature({ rawBody: body, header: header.replace('t=1700000000', 't=1700000001'), secret, now: 1_700_000_000 })).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verifyWebhookSignature({ rawBody: body, header: 't=1700000000', secret })).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verifyWebhookSignature({ rawBody: body, header: 'v1=abc', secret })).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verifyWebhookSignature({ rawBody: body, header, secret, now: 1_700_000_301 })).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    expect(verifyWebhookSignature({ rawBody: body, header, secret, now: 1_699_999_699 })).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    expect(verifyWebhookSignature({ rawBody: body, header, secret, now: 1_700_000_900, toleranceSeconds: 1000 }).ok).toBe(true);
  });

  it('accepts any of several v1 signatures (a secret being rotated)', () => {
    const header = `${signWebhookBody('whsec_old', body, 1_700_000_000)},v1=${signWebhookBody(secret, body, 1_700_000_000).split('v1=')[1]}`;
    expect(verifyWebhookSignature({ rawBody: body, header, secret, now: 1_700_000_000 }).ok).toBe(true);
  });
});

describe('webhook secrets at rest', () => {
  it('are sealed with AES-256-GCM under the configured key and open only under it', () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const sealed = secretBox('key-one').seal(s);
    expect(sealed.toString('utf8')).not.toContain(s);
    expect(secretBox('key-one').open(sealed)).toBe(s);
    expect(() => secretBox('key-two').open(sealed)).toThrow();
  });
});

describe('webhook URLs', () => {
  it('must be http(s), without credentials, of an origin an administrator allows; none allowed by default', () => {
    expect(webhookUrlFailure('https://hooks.bank.example/finmatch', [])).toMatchObject({ code: 'WEBHOOK_ORIGINS_NONE' });
    expect(webhookUrlFailure('https://hooks.bank.example/finmatch', ['https://hooks.bank.example'])).toBeNull();
    expect(webhookUrlFailure('https://hooks.bank.example:8443/x', ['https://hooks.bank.example'])).toMatchObject({ code: 'WEBHOOK_ORIGIN_NOT_ALLOWED', params: { origin: 'https://hooks.bank.example:8443' } });
    expect(webhookUrlFailure('http://hooks.bank.example/x', ['https://hooks.bank.example'])).toMatchObject({ code: 'WEBHOOK_ORIGIN_NOT_ALLOWED' });
    expect(webhookUrlFailure('file:///etc/passwd', ['https://hooks.bank.example'])).toMatchObject({ code: 'INVALID_WEBHOOK_URL' });
    expect(webhookUrlFailure('https://a:b@hooks.bank.example/x', ['https://hooks.bank.example'])).toMatchObject({ code: 'INVALID_WEBHOOK_URL' });
    expect(webhookUrlFailure('not a url', ['https://hooks.bank.example'])).toMatchObject({ code: 'INVALID_WEBHOOK_URL' });
  });
});

describe('retries', () => {
  it('double from the base up to the maximum', () => {
    const config = { webhookRetryBaseMs: 10_000, webhookRetryMaxMs: 3_600_000 };
    expect([1, 2, 3, 4, 9, 10, 40].map((n) => retryDelayMs(n, config))).toEqual([10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000, 3_600_000]);
  });
});
