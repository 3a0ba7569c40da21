/**
 * Issue 15 §1 through the API and a local HTTP receiver: the outbox's events reach an institution's
 * webhook signed (Stripe's convention) and soon after the change; a receiver that was down gets them
 * when it is back, once per event id; every attempt is on record; an event can be sent again; the
 * deadline reminders fire by the database's clock; the enterprise reads its notifications in zh and en;
 * and the subscriptions over graphql-ws deliver to the right viewers only.
 */
import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import pino from 'pino';
import { signToken } from '../../src/auth/jwt';
import { fromGlobalId } from '../../src/common/ids';
import { createServer, stopServer } from '../../src/server';
import { verifyWebhookSignature } from '../../src/events/webhook-signature';
import { resetDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { freePort } from '../support/server-process';
import { Receiver, webhookReceiver } from '../support/webhook-receiver';
import { CREATE_PRODUCT, institutionWithToken, POST_NEED, rowCount, staff, USER_ERRORS } from './fixtures';
import { eventually, Market, mutate, ratedFirm, setUpMarket } from './policy-fixtures';

const REGISTER_WEBHOOK = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id url events description enabled } secret ${USER_ERRORS} } }`;
const SET_ENABLED = `mutation($input: SetWebhookEnabledInput!) { setWebhookEnabled(input: $input) { webhook { id enabled } ${USER_ERRORS} } }`;
const DELETE_WEBHOOK = `mutation($input: WebhookIdInput!) { deleteWebhook(input: $input) { webhook { id } ${USER_ERRORS} } }`;
const REDELIVER = `mutation($input: RedeliverWebhookEventInput!) { redeliverWebhookEvent(input: $input) { deliveries { id status } ${USER_ERRORS} } }`;
const DELIVERIES = `query($status: WebhookDeliveryStatus, $first: Int, $after: String) { webhookDeliveries(status: $status, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id status attemptCount nextAttemptAt event { id type data match { id } } webhook { id } attempts { at responseStatus responseBody error durationMs } } } } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id status product { id } } } } } } }`;
const NOTIFICATIONS = `query($unreadOnly: Boolean, $first: Int) { notifications(unreadOnly: $unreadOnly, first: $first) { totalCount edges { node { id type eventId title body read readAt data match { id } } } } }`;
const MARK_READ = `mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { notifications { id read } ${USER_ERRORS} } }`;

const INSTITUTION_TYPES = ['MATCH_PROPOSED', 'MATCH_DEADLINE_APPROACHING', 'MATCH_LAPSED', 'MATCH_CONTACTED', 'MATCH_DECLINED', 'LOAN_DISBURSED', 'REPAYMENT_DUE'];

let app: TestApp;
let market: Market;
let receiver: Receiver;
let secret: string;
let webhookId: string;

beforeAll(async () => {
  receiver = webhookReceiver(await freePort());
  await receiver.start();
  app = await startTestApp({
    env: { WEBHOOK_ALLOWED_ORIGINS: receiver.url, WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000', EVENT_POLL_MS: '200', MATCH_DEADLINE_SWEEP_SECONDS: '1' },
  });
  market = await setUpMarket(app, 'EV');
  const res = await app.gql(REGISTER_WEBHOOK, { input: { url: `${receiver.url}/finmatch`, events: INSTITUTION_TYPES, description: '信贷系统' } }, { token: market.bankToken });
  expect(res.data.registerWebhook.userErrors).toEqual([]);
  secret = res.data.registerWebhook.secret;
  webhookId = res.data.registerWebhook.webhook.id;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await receiver?.stop();
});

const uuidOf = (globalId: string) => fromGlobalId(globalId)!.uuid;
const receivedFor = (type: string, needId: string) => receiver.received.filter((r) => r.body.type === type && r.body.needId === needId);
const matchesOf = async (needId: string, token: string) =>
  (await app.gql(NEED_MATCHES, { id: needId }, { token })).data.node.matches.edges.map((e: any) => e.node) as { id: string; status: string; product: { id: string } }[];

describe('webhooks', () => {
  it('a signed MATCH_PROPOSED reaches the bank\'s receiver soon after postFinancingNeed, with the event id', async () => {
    const firm = await ratedFirm(app);
    const sent = Date.now();
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });
    await eventually(async () => receivedFor('MATCH_PROPOSED', need.id).length >= 2, 15_000);
    const [first] = receivedFor('MATCH_PROPOSED', need.id);
    // The issue asks for 2 s; CI machines vary, so the assertion is generous and the figure is logged.
    console.log(`MATCH_PROPOSED delivered ${first.at - sent} ms after postFinancingNeed was sent`);
    expect(first.at - sent).toBeLessThan(15_000);

    const deliveries = receivedFor('MATCH_PROPOSED', need.id);
    const matches = await matchesOf(need.id, firm.token);
    expect(deliveries.map((d) => d.body.matchId).sort()).toEqual(matches.map((m) => m.id).sort());
    for (const d of deliveries) {
      expect(verifyWebhookSignature({ rawBody: d.rawBody, header: d.headers['x-finmatch-signature'] as string, secret })).toMatchObject({ ok: true });
      expect(d.headers['x-finmatch-event-id']).toBe(d.body.id);
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.body).toMatchObject({ type: 'MATCH_PROPOSED', institutionId: market.bank.id, needId: need.id });
      // R10: an institution's event does not name the enterprise.
      expect(d.body).not.toHaveProperty('enterpriseId');
      expect(typeof d.body.data.score).toBe('number');
      expect([market.creditLoan.id, market.guaranteedLoan.id]).toContain(d.body.data.productId);
    }
  });

  it('a receiver tells a forged or replayed delivery from a real one', async () => {
    const real = receiver.received.find((r) => r.body.type === 'MATCH_PROPOSED')!;
    const header = real.headers['x-finmatch-signature'] as string;
    expect(verifyWebhookSignature({ rawBody: real.rawBody, header, secret: 'whsec_not-the-secret' })).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verifyWebhookSignature({ rawBody: real.rawBody.replace('MATCH_PROPOSED', 'MATCH_DECLINED'), header, secret })).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
    expect(verifyWebhookSignature({ rawBody: real.rawBody, header: 'sha256=abc', secret })).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verifyWebhookSignature({ rawBody: real.rawBody, header: undefined, secret })).toEqual({ ok: false, reason: 'MALFORMED' });
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(verifyWebhookSignature({ rawBody: real.rawBody, header, secret, now: t + 301 })).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
  });

  it('a receiver that is down gets the event when it is back, once per event id, and every attempt is on record', async () => {
    await receiver.stop();
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3100000', termMonths: 12 });
    const needUuid = uuidOf(need.id);
    const failedTwice = async () => {
      const [r] = await app.dataSource.query(
        `SELECT min(d.attempts)::int AS attempts, count(*)::int AS n FROM webhook_delivery d JOIN event e ON e.id = d.event_id WHERE e.need_id = $1 AND e.type = 'MATCH_PROPOSED'`, [needUuid]);
      return r.n >= 2 && r.attempts >= 2;
    };
    await eventually(failedTwice, 15_000);
    expect(receivedFor('MATCH_PROPOSED', need.id)).toHaveLength(0);
    await receiver.start();
    await eventually(async () => receivedFor('MATCH_PROPOSED', need.id).length >= 2, 15_000);
    // Nothing arrives twice: wait past several retry intervals and count per event id.
    await new Promise((r) => setTimeout(r, 2500));
    const ids = receivedFor('MATCH_PROPOSED', need.id).map((r) => r.body.id);
    expect(new Set(ids).size).toBe(ids.length);

    const res = await app.gql(DELIVERIES, { status: 'SUCCEEDED', first: 100 }, { token: market.bankToken });
    const mine = res.data.webhookDeliveries.edges.map((e: any) => e.node).filter((d: any) => ids.includes(d.event.id));
    expect(mine).toHaveLength(ids.length);
    for (const d of mine) {
      expect(d.webhook.id).toBe(webhookId);
      expect(d.attemptCount).toBe(d.attempts.length);
      const last = d.attempts[d.attempts.length - 1];
      expect(last).toMatchObject({ responseStatus: 200, responseBody: 'ok', error: null });
      const earlier = d.attempts.slice(0, -1);
      expect(earlier.length).toBeGreaterThanOrEqual(2);
      for (const a of earlier) expect(a).toMatchObject({ responseStatus: null, responseBody: null, error: expect.stringMatching(/ECONNREFUSED|fetch failed/) });
    }
  });

  it('a receiver answering 500 is retried, its answer truncated on record; redeliverWebhookEvent sends an event again', async () => {
    receiver.status = 500;
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3200000', termMonths: 12 });
    await eventually(async () => receivedFor('MATCH_PROPOSED', need.id).length >= 4, 15_000);
    receiver.status = 200;
    const eventId = receivedFor('MATCH_PROPOSED', need.id)[0].body.id;
    await eventually(async () => {
      const res = await app.gql(DELIVERIES, { first: 100 }, { token: market.bankToken });
      const d = res.data.webhookDeliveries.edges.map((e: any) => e.node).find((x: any) => x.event.id === eventId);
      return d?.status === 'SUCCEEDED';
    }, 15_000);
    const res = await app.gql(DELIVERIES, { first: 100 }, { token: market.bankToken });
    const d = res.data.webhookDeliveries.edges.map((e: any) => e.node).find((x: any) => x.event.id === eventId);
    expect(d.attempts[0]).toMatchObject({ responseStatus: 500, error: null });
    expect(d.attempts[0].responseBody).toHaveLength(2048);

    const before = receiver.received.filter((r) => r.body.id === eventId).length;
    const again = await app.gql(REDELIVER, { input: { eventId } }, { token: market.bankToken });
    expect(again.data.redeliverWebhookEvent.userErrors).toEqual([]);
    expect(again.data.redeliverWebhookEvent.deliveries).toHaveLength(1);
    await eventually(async () => receiver.received.filter((r) => r.body.id === eventId).length === before + 1, 10_000);
    const redelivered = receiver.received.filter((r) => r.body.id === eventId).at(-1)!;
    expect(verifyWebhookSignature({ rawBody: redelivered.rawBody, header: redelivered.headers['x-finmatch-signature'] as string, secret }).ok).toBe(true);

    // Another bank's view: the event is not its own.
    const { token: strangerToken } = await institutionWithToken(app, 'BANK', '别家银行');
    expect((await app.gql(REDELIVER, { input: { eventId } }, { token: strangerToken })).data.redeliverWebhookEvent.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'eventId'] });
    const theirs = await app.gql(DELIVERIES, { first: 10 }, { token: strangerToken });
    expect(theirs.data.webhookDeliveries.totalCount).toBe(0);
  });

  it('refuses a URL outside the allowed origins, a scheme other than http(s), an enterprise-only event, and non-institutions; nothing is written', async () => {
    const before = await rowCount(app, 'webhook');
    const register = (input: Record<string, unknown>, token = market.bankToken, lang?: string) => app.gql(REGISTER_WEBHOOK, { input }, { token, lang });
    const other = await register({ url: 'https://bank.example.com/hooks', events: ['MATCH_PROPOSED'] }, market.bankToken, 'en');
    expect(other.data.registerWebhook).toMatchObject({ webhook: null, secret: null });
    expect(other.data.registerWebhook.userErrors[0]).toMatchObject({ field: ['input', 'url'], code: 'WEBHOOK_ORIGIN_NOT_ALLOWED', params: { origin: 'https://bank.example.com', allowed: receiver.url } });
    expect(other.data.registerWebhook.userErrors[0].message).toContain('https://bank.example.com');
    expect((await register({ url: 'ftp://127.0.0.1/x', events: ['MATCH_PROPOSED'] })).data.registerWebhook.userErrors[0]).toMatchObject({ code: 'INVALID_WEBHOOK_URL' });
    expect((await register({ url: `${receiver.url.replace('http://', 'http://u:p@')}/x`, events: ['MATCH_PROPOSED'] })).data.registerWebhook.userErrors[0]).toMatchObject({ code: 'INVALID_WEBHOOK_URL' });
    expect((await register({ url: `${receiver.url}/x`, events: ['MATCH_PROPOSED', 'NEW_ELIGIBLE_PRODUCT'] })).data.registerWebhook.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'events', '1'], code: 'EVENT_NOT_FOR_INSTITUTIONS' }),
    ]);
    expect((await register({ url: `${receiver.url}/x`, events: [] })).data.registerWebhook.userErrors[0]).toMatchObject({ code: 'REQUIRED', field: ['input', 'events'] });
    const firm = await ratedFirm(app);
    const asFirm = await register({ url: `${receiver.url}/x`, events: ['MATCH_PROPOSED'] }, firm.token);
    expect(asFirm.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const after = await rowCount(app, 'webhook');
    expect(after).toBe(before);
    // The secret is kept encrypted, not as registered.
    const [row] = await app.dataSource.query(`SELECT secret FROM webhook WHERE id = $1`, [webhookId]);
    expect(Buffer.from(row.secret).toString('utf8')).not.toContain(secret);
  });

  it('a disabled webhook receives nothing new; enabled again it does; deleted it is gone', async () => {
    const setEnabled = async (enabled: boolean) => (await app.gql(SET_ENABLED, { input: { webhookId, enabled } }, { token: market.bankToken })).data.setWebhookEnabled;
    expect(await setEnabled(false)).toMatchObject({ webhook: { id: webhookId, enabled: false }, userErrors: [] });
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3300000', termMonths: 12 });
    const needUuid = uuidOf(need.id);
    await eventually(async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM event WHERE need_id = $1 AND dispatched_at IS NOT NULL`, [needUuid]))[0].n >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(receivedFor('MATCH_PROPOSED', need.id)).toHaveLength(0);
    expect(await setEnabled(true)).toMatchObject({ webhook: { enabled: true }, userErrors: [] });

    const second = await app.gql(REGISTER_WEBHOOK, { input: { url: `${receiver.url}/second`, events: ['LOAN_DISBURSED'] } }, { token: market.bankToken });
    const secondId = second.data.registerWebhook.webhook.id;
    expect((await app.gql(DELETE_WEBHOOK, { input: { webhookId: secondId } }, { token: market.bankToken })).data.deleteWebhook.userErrors).toEqual([]);
    expect((await app.gql(DELETE_WEBHOOK, { input: { webhookId: secondId } }, { token: market.bankToken })).data.deleteWebhook.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const list = await app.gql(`{ webhooks { id } }`, {}, { token: market.bankToken });
    expect(list.data.webhooks.map((w: any) => w.id)).toEqual([webhookId]);
  });
});

describe('the steps of a match, and the enterprise\'s notifications', () => {
  let firm: Awaited<ReturnType<typeof ratedFirm>>;
  let need: { id: string };
  let credit: string;
  let guaranteed: string;

  beforeAll(async () => {
    firm = await ratedFirm(app);
    need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3400000', termMonths: 12 });
    const matches = await matchesOf(need.id, firm.token);
    credit = matches.find((m) => m.product.id === market.creditLoan.id)!.id;
    guaranteed = matches.find((m) => m.product.id === market.guaranteedLoan.id)!.id;
  });

  it('CONTACT and DECLINE raise MATCH_CONTACTED and MATCH_DECLINED, the decline with its reason and advice in both languages', async () => {
    expect((await app.gql(RESPOND, { input: { matchId: credit, action: 'CONTACT' } }, { token: market.bankToken })).data.respondToMatch.userErrors).toEqual([]);
    expect((await app.gql(RESPOND, { input: { matchId: guaranteed, action: 'DECLINE', declineReason: 'WEAK_CASH_FLOW' } }, { token: market.bankToken })).data.respondToMatch.userErrors).toEqual([]);
    await eventually(async () => receivedFor('MATCH_DECLINED', need.id).length === 1 && receivedFor('MATCH_CONTACTED', need.id).length === 1, 10_000);
    expect(receivedFor('MATCH_CONTACTED', need.id)[0].body).toMatchObject({ matchId: credit, data: { productId: market.creditLoan.id } });
    expect(receivedFor('MATCH_DECLINED', need.id)[0].body).toMatchObject({
      matchId: guaranteed,
      data: { declineReason: 'WEAK_CASH_FLOW', declineAdvice: { zh: expect.stringContaining('现金流'), en: expect.stringContaining('Cash flow') } },
    });
  });

  it('the enterprise reads them as notifications in Chinese and English, and marks them read; only its own', async () => {
    const read = async (lang?: string, unreadOnly?: boolean) => (await app.gql(NOTIFICATIONS, { unreadOnly, first: 50 }, { token: firm.token, lang })).data.notifications;
    await eventually(async () => (await read()).edges.some((e: any) => e.node.type === 'MATCH_DECLINED'), 10_000);
    const zh = (await read()).edges.map((e: any) => e.node);
    const declined = zh.find((n: any) => n.type === 'MATCH_DECLINED');
    expect(declined).toMatchObject({ title: '匹配未通过', read: false, readAt: null, match: { id: guaranteed } });
    expect(declined.body).toContain(`担保贷 EV`);
    expect(declined.body).toContain('现金流偏弱');
    const en = (await read('en')).edges.map((e: any) => e.node);
    expect(en.find((n: any) => n.type === 'MATCH_CONTACTED')).toMatchObject({ title: 'An institution made contact', body: `银行 EV contacted you about 信用贷 EV` });
    // The proposals of the posting are there too; the bank's deadline reminders are not the firm's.
    expect(zh.filter((n: any) => n.type === 'MATCH_PROPOSED').length).toBeGreaterThanOrEqual(2);
    expect(zh.some((n: any) => n.type === 'MATCH_DEADLINE_APPROACHING')).toBe(false);
    // The WeChat adapter is off by default: nothing is queued for it.
    expect(await rowCount(app, 'wechat_message')).toBe(0);

    const other = await ratedFirm(app);
    const theirs = await mutate(app, other.token, POST_NEED, { kind: 'LOAN', amount: '3500000', termMonths: 12 });
    await eventually(async () => (await app.gql(NOTIFICATIONS, { first: 5 }, { token: other.token })).data.notifications.totalCount > 0, 10_000);
    const foreign = (await app.gql(NOTIFICATIONS, { first: 5 }, { token: other.token })).data.notifications.edges[0].node;
    expect(zh.map((n: any) => n.id)).not.toContain(foreign.id);
    expect(theirs.id).toBeTruthy();

    const refusedMark = await app.gql(MARK_READ, { input: { ids: [declined.id, foreign.id] } }, { token: firm.token });
    expect(refusedMark.data.markNotificationsRead.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'ids', '1'] })]);
    expect((await read(undefined, true)).totalCount).toBe(zh.length);

    const marked = await app.gql(MARK_READ, { input: { ids: [declined.id] } }, { token: firm.token });
    expect(marked.data.markNotificationsRead).toMatchObject({ notifications: [{ id: declined.id, read: true }], userErrors: [] });
    const unread = await read(undefined, true);
    expect(unread.totalCount).toBe(zh.length - 1);
    expect(unread.edges.map((e: any) => e.node.id)).not.toContain(declined.id);
  });

  it('a disbursement raises LOAN_DISBURSED; a loan 30 days from maturity raises REPAYMENT_DUE once', async () => {
    expect((await app.gql(APPLY, { input: { matchId: credit } }, { token: firm.token })).data.applyToMatch.userErrors).toEqual([]);
    await mutate(app, market.bankToken, OUTCOME, { matchId: credit, outcome: 'APPROVED' });
    const loan = await mutate(app, market.bankToken, OUTCOME, { matchId: credit, outcome: 'DISBURSED', principal: '1000000', annualRate: '0.04', termMonths: 12 });
    await eventually(async () => receivedFor('LOAN_DISBURSED', need.id).length === 1, 10_000);
    expect(receivedFor('LOAN_DISBURSED', need.id)[0].body).toMatchObject({ matchId: credit, data: { loanId: loan.id, principal: '1000000.00', annualRate: '0.04', termMonths: 12 } });

    // It matures in 20 days (issue 17 §2: the maturity is stored, with its schedule's last instalment).
    await app.dataSource.query(`UPDATE loan SET maturity = shanghai_today() + 20 WHERE id = $1`, [uuidOf(loan.id)]);
    await app.dataSource.query(`UPDATE loan_instalment SET due_on = shanghai_today() + 20 WHERE loan_id = $1`, [uuidOf(loan.id)]);
    await eventually(async () => receivedFor('REPAYMENT_DUE', need.id).length === 1, 10_000);
    expect(receivedFor('REPAYMENT_DUE', need.id)[0].body.data).toMatchObject({ loanId: loan.id, outstanding: '1000000.00', maturity: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    await new Promise((r) => setTimeout(r, 2500));
    expect(receivedFor('REPAYMENT_DUE', need.id)).toHaveLength(1);
  });
});

describe('the response deadline\'s reminders (by the database\'s clock)', () => {
  afterAll(() => resetDatabaseDay(app.dataSource));

  it('24 hours and 4 hours before respondBy, once each, to the institution only', async () => {
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3600000', termMonths: 12 });
    const matches = await matchesOf(need.id, firm.token);
    const reminders = () => receivedFor('MATCH_DEADLINE_APPROACHING', need.id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(reminders()).toHaveLength(0);

    await app.dataSource.query(`UPDATE database_clock SET shift = '25 hours'`);
    await eventually(async () => reminders().length === matches.length, 10_000);
    expect(reminders().map((r) => r.body.data.hoursLeft)).toEqual(matches.map(() => 24));
    expect(reminders().map((r) => r.body.matchId).sort()).toEqual(matches.map((m) => m.id).sort());
    expect(Date.parse(reminders()[0].body.data.respondBy)).toBeGreaterThan(Date.now() + 47 * 3_600_000);

    await app.dataSource.query(`UPDATE database_clock SET shift = '45 hours'`);
    await eventually(async () => reminders().length === 2 * matches.length, 10_000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminders().map((r) => r.body.data.hoursLeft).sort()).toEqual([...matches.map(() => 24), ...matches.map(() => 4)].sort());
    // Not lapsed: the deadline itself has not passed.
    expect((await matchesOf(need.id, firm.token)).every((m) => m.status === 'PROPOSED')).toBe(true);
    const notes = await app.gql(NOTIFICATIONS, { first: 50 }, { token: firm.token });
    expect(notes.data.notifications.edges.some((e: any) => e.node.type === 'MATCH_DEADLINE_APPROACHING')).toBe(false);
  });

  it('a match first seen 3 hours before respondBy gets the 4-hour reminder alone (the nearest one only)', async () => {
    await resetDatabaseDay(app.dataSource);
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3650000', termMonths: 12 });
    const matches = await matchesOf(need.id, firm.token);
    const reminders = () => receivedFor('MATCH_DEADLINE_APPROACHING', need.id);
    // The sweep next sees the matches 45 hours old: 3 hours left, past the 24-hour mark and the 4-hour one.
    await app.dataSource.query(`UPDATE database_clock SET shift = '45 hours'`);
    await eventually(async () => reminders().length === matches.length, 10_000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminders().map((r) => r.body.data.hoursLeft)).toEqual(matches.map(() => 4));
    expect(reminders().map((r) => r.body.matchId).sort()).toEqual(matches.map((m) => m.id).sort());
  });
});

describe('the response deadline itself', () => {
  it('a match no one answered in time raises MATCH_LAPSED, and the next proposal MATCH_PROPOSED', async () => {
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3800000', termMonths: 12 });
    const [first] = await matchesOf(need.id, firm.token);
    await app.dataSource.query(`UPDATE match SET created_at = now() - interval '49 hours' WHERE id = $1`, [uuidOf(first.id)]);
    await eventually(async () => receivedFor('MATCH_LAPSED', need.id).length === 1, 10_000);
    expect(receivedFor('MATCH_LAPSED', need.id)[0].body).toMatchObject({ matchId: first.id, data: { productId: first.product.id } });
    const notes = await app.gql(NOTIFICATIONS, { first: 10 }, { token: firm.token });
    await eventually(async () => (await app.gql(NOTIFICATIONS, { first: 10 }, { token: firm.token })).data.notifications.edges.some((e: any) => e.node.type === 'MATCH_LAPSED'), 10_000);
    expect(notes.data.notifications.totalCount).toBeGreaterThan(0);
  });
});

describe('a product change that makes a product eligible', () => {
  it('raises MATCH_PROPOSED for the bank and NEW_ELIGIBLE_PRODUCT for the enterprise', async () => {
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '25000000', termMonths: 12 });
    expect(await matchesOf(need.id, firm.token)).toHaveLength(0);
    // The need's own queued refresh is done: what proposes the new product is the product's refresh.
    await app.settled();
    const product = await mutate(app, staff(app).authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '大额贷 EV', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '20000000', maxAmount: '30000000', minAnnualRate: '0.04',
    });
    await eventually(async () => receivedFor('MATCH_PROPOSED', need.id).length === 1, 15_000);
    expect(receivedFor('MATCH_PROPOSED', need.id)[0].body.data.productId).toBe(product.id);
    const read = async () => (await app.gql(NOTIFICATIONS, { first: 10 }, { token: firm.token, lang: 'en' })).data.notifications.edges.map((e: any) => e.node);
    await eventually(async () => (await read()).some((n: any) => n.type === 'NEW_ELIGIBLE_PRODUCT'), 10_000);
    expect((await read()).find((n: any) => n.type === 'NEW_ELIGIBLE_PRODUCT')).toMatchObject({
      title: 'A new product fits', body: 'After a product or policy change, 大额贷 EV of 银行 EV now fits your financing need', data: { productId: product.id },
    });
  });
});

describe('subscriptions over graphql-ws on /graphql', () => {
  const clients: Client[] = [];
  afterAll(async () => {
    for (const c of clients) await c.dispose();
  });
  const wsUrl = () => `${app.url.replace('http', 'ws')}/graphql`;
  const client = (token: string | null) => {
    const c = createClient({ url: wsUrl(), webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0, lazy: true });
    clients.push(c);
    return c;
  };
  /** Subscribes and collects what arrives; resolves once the subscription is live. */
  function collect(c: Client, query: string) {
    const got: any[] = [];
    const errors: unknown[] = [];
    c.subscribe({ query }, { next: (v) => got.push(v), error: (e) => errors.push(e), complete: () => undefined });
    return { got, errors };
  }
  const live = (c: Client) => new Promise<void>((resolve) => c.on('connected', () => resolve()));

  it('refuses a connection without a valid token, and operations other than subscriptions', async () => {
    for (const token of [null, 'not-a-jwt', app.token({ sub: 'ghost', role: 'BANK', institutionId: market.guarantor.id })]) {
      const c = client(token);
      const closed = new Promise<any>((resolve) => c.on('closed', resolve));
      const { errors } = collect(c, 'subscription { inboxUpdates { id } }');
      const event = await closed;
      expect(event.code).toBe(4403);
      await eventually(async () => errors.length > 0, 2000);
    }
    const c = client(market.bankToken);
    const { got, errors } = collect(c, '{ viewer { role } }');
    await eventually(async () => errors.length > 0 || got.length > 0, 5000);
    expect(got).toEqual([]);
    expect(JSON.stringify(errors)).toContain('Only subscriptions');
    // The HTTP path's query limits hold here too.
    const deep = collect(client(market.bankToken), `subscription { inboxUpdates { match { need { enterprise { needs { edges { node { matches { edges { node { need { enterprise { name } } } } } } } } } } } } }`);
    await eventually(async () => deep.errors.length > 0, 5000);
    expect(JSON.stringify(deep.errors)).toContain('depth');
  });

  it('closes a connection when its token expires', async () => {
    const c = client(signToken({ sub: 'bank-short', role: 'BANK', institutionId: market.bank.id }, app.config.jwtSecret, '2s'));
    const closed = new Promise<any>((resolve) => c.on('closed', resolve));
    const connected = live(c);
    collect(c, 'subscription { inboxUpdates { id } }');
    await connected;
    const event = await closed;
    expect(event.code).toBe(4401);
  });

  it('inboxUpdates reaches the bank, myMatchUpdates the enterprise, and nobody else', async () => {
    const firm = await ratedFirm(app);
    const bank = client(market.bankToken);
    const enterprise = client(firm.token);
    const stranger = client((await institutionWithToken(app, 'BANK', '旁观银行')).token);
    const connected = Promise.all([live(bank), live(enterprise), live(stranger)]);
    const inbox = collect(bank, 'subscription { inboxUpdates(types: [MATCH_PROPOSED]) { id type createdAt data match { id status need { id } } } }');
    const mine = collect(enterprise, 'subscription { myMatchUpdates { id type data match { id product { name } } } }');
    const theirs = collect(stranger, 'subscription { inboxUpdates { id type } }');
    await connected;
    await new Promise((r) => setTimeout(r, 300));

    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3700000', termMonths: 12 });
    await eventually(async () => inbox.got.filter((v) => v.data.inboxUpdates.match?.need.id === need.id).length === 2, 10_000);
    await eventually(async () => mine.got.filter((v) => v.data.myMatchUpdates.type === 'MATCH_PROPOSED').length === 2, 10_000);
    expect(inbox.errors).toEqual([]);
    expect(inbox.got[0].data.inboxUpdates).toMatchObject({ type: 'MATCH_PROPOSED', match: { status: 'PROPOSED' } });
    expect(mine.got.map((v) => v.data.myMatchUpdates.match.product.name).sort()).toEqual(['信用贷 EV', '担保贷 EV']);
    await new Promise((r) => setTimeout(r, 500));
    expect(theirs.got).toEqual([]);
  });
});

describe('a reader process (READ_DATABASE_URL)', () => {
  it('LISTENs and serves subscriptions, but dispatches nothing: the writers do', async () => {
    const reader = await createServer(app.dataSource, app.config, pino({ level: 'silent' }), { reads: app.dataSource });
    try {
      expect(reader.events.dispatcher).toBeNull();
      expect(reader.events.hub.size()).toBe(0);
    } finally {
      await stopServer(reader);
    }
  });
});
