/**
 * Issue 15 §2 through the API, a local webhook receiver and the document endpoints: banks make offers
 * after contacting the firm, the firm compares them side by side (all-in costs exact, fees included) and
 * accepts one — the other is declined OFFER_ACCEPTED_ELSEWHERE; an expired offer cannot be accepted and
 * the sweep expires it; bad offers are refused with nothing written; OFFER_* events reach the banks'
 * webhooks. Documents are uploaded once (type, size, sha256), shared with an offer's bank, downloaded by
 * that bank only, and every download is on record; a wrong type or an oversize file stores nothing.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromGlobalId } from '../../src/common/ids';
import { resetDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { freePort } from '../support/server-process';
import { Receiver, webhookReceiver } from '../support/webhook-receiver';
import { createInstitution, CREATE_PRODUCT, POST_NEED, staff, USER_ERRORS, WITHDRAW_NEED } from './fixtures';
import { CREATE_RULE, eventually, Market, mutate, payloadOf, ratedFirm, setUpMarket } from './policy-fixtures';

const REGISTER_WEBHOOK = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id } secret ${USER_ERRORS} } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id status product { id } } } } } } }`;
const OFFER_FIELDS = `id status amount annualRate termMonths feeTotal feesAnnualRate guaranteeFeeRate interestSubsidyRate allInAnnualCostRate requiredDocuments validUntil declineReason
  fees { kind amount rate charged } institution { id } product { id } match { id status } sharedDocuments { id kind } missingDocuments`;
const MAKE_OFFER = `mutation($input: MakeOfferInput!) { makeOffer(input: $input) { offer { ${OFFER_FIELDS} } ${USER_ERRORS} } }`;
const ACCEPT_OFFER = `mutation($input: AcceptOfferInput!) { acceptOffer(input: $input) { offer { ${OFFER_FIELDS} } ${USER_ERRORS} } }`;
const NEED_OFFERS = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { status offers(first: 10) { totalCount edges { node { ${OFFER_FIELDS} } } } } } }`;
const SHARE = `mutation($input: ShareDocumentInput!) { shareDocument(input: $input) { share { sharedAt document { id kind } offer { id missingDocuments } } ${USER_ERRORS} } }`;
const DOCUMENT = `query($id: ID!) { node(id: $id) { ... on Document { id kind fileName contentType sizeBytes sha256 downloadPath downloads { at sub role institution { id name } } } } }`;
const NOTIFICATIONS = `query { notifications(first: 50) { edges { node { type title body } } } }`;
const CONSENTS = `query { viewer { enterprise { consents { institution { id } via active } } } }`;

const OFFER_EVENTS = ['OFFER_MADE', 'OFFER_ACCEPTED', 'OFFER_DECLINED', 'OFFER_EXPIRED'];

let app: TestApp;
let receiver: Receiver;
let market: Market;
let bank2: { id: string };
let bank2Token: string;
let bank2Product: { id: string };
let documentsDir: string;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const received = (type: string, offerId: string) => receiver.received.filter((r) => r.body.type === type && r.body.data.offerId === offerId);

beforeAll(async () => {
  receiver = webhookReceiver(await freePort());
  await receiver.start();
  documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-documents-'));
  app = await startTestApp({
    env: {
      WEBHOOK_ALLOWED_ORIGINS: receiver.url, WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000', EVENT_POLL_MS: '200',
      MATCH_DEADLINE_SWEEP_SECONDS: '1', DOCUMENTS_DIR: documentsDir, DOCUMENT_MAX_BYTES: '65536',
    },
  });
  market = await setUpMarket(app, 'OF');
  const { authority } = staff(app);
  // 贴息: 30 % of the interest on credit loans, which both banks' offers are made under.
  await mutate(app, authority, CREATE_RULE, { code: 'INT-OF', kind: 'INTEREST_SUBSIDY', params: { ratio: '0.3' }, eligibility: { productKinds: ['CREDIT_LOAN'], national: true } });
  bank2 = await createInstitution(app, authority, { kind: 'BANK', name: '银行 OF2', regionCode: '370200' });
  bank2Product = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: bank2.id, name: '信用贷 OF2', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '20000000',
    minTermMonths: 6, maxTermMonths: 36, minAnnualRate: '0.0400', maxAnnualRate: '0.07', eligibility: { minRating: 'A' },
  });
  bank2Token = app.token({ sub: 'bank-OF2', role: 'BANK', institutionId: bank2.id });
  for (const token of [market.bankToken, bank2Token]) {
    const res = await app.gql(REGISTER_WEBHOOK, { input: { url: `${receiver.url}/finmatch`, events: OFFER_EVENTS, description: '信贷系统' } }, { token });
    expect(res.data.registerWebhook.userErrors).toEqual([]);
  }
}, 60_000);

afterAll(async () => {
  await resetDatabaseDay(app.dataSource).catch(() => undefined);
  await app?.close();
  await receiver?.stop();
  fs.rmSync(documentsDir, { recursive: true, force: true });
});

async function matchOf(needId: string, productId: string, token: string): Promise<string> {
  const res = await app.gql(NEED_MATCHES, { id: needId }, { token });
  const edge = res.data.node.matches.edges.find((e: any) => e.node.product.id === productId);
  if (!edge) throw new Error(`no match of ${productId}`);
  return edge.node.id;
}

async function contacted(needId: string, productId: string, token: string, firmToken: string): Promise<string> {
  const matchId = await matchOf(needId, productId, firmToken);
  await mutate(app, token, RESPOND, { matchId, action: 'CONTACT' });
  return matchId;
}

/** A fresh rated firm and its 12-month loan need of `amount`. */
async function firmNeed(amount: string) {
  const firm = await ratedFirm(app);
  return { firm, need: await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths: 12 }) };
}

/** `amount` offered at 0.05 for 12 months by bank 1 (the market's) or bank 2, after it contacted the firm about its product's match. */
async function plainOffer(bank: 1 | 2, needId: string, firmToken: string, amount: string, validUntil = inDays(5)) {
  const [token, productId] = bank === 1 ? [market.bankToken, market.creditLoan.id] : [bank2Token, bank2Product.id];
  return mutate(app, token, MAKE_OFFER, { matchId: await contacted(needId, productId, token, firmToken), amount, annualRate: '0.05', termMonths: 12, validUntil });
}

const offerCount = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM offer`))[0].n as number;

let firm: Awaited<ReturnType<typeof ratedFirm>>;
let need: { id: string };
let offer1: any;
let offer2: any;

describe('offers compared side by side and accepted (issue 15 §2)', () => {
  beforeAll(async () => {
    firm = await ratedFirm(app);
    need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });
  });

  it('refuses an offer before CONTACT, on another bank\'s match, or with bad figures — writing nothing', async () => {
    const matchId = await matchOf(need.id, market.creditLoan.id, firm.token);
    const valid = { matchId, amount: '3000000', annualRate: '0.045', termMonths: 12, validUntil: inDays(7) };
    const before = await offerCount();
    let p = await payloadOf(app, market.bankToken, MAKE_OFFER, valid);
    expect(p.userErrors).toEqual([expect.objectContaining({ field: ['input', 'matchId'], code: 'OFFER_BEFORE_CONTACT' })]);

    await mutate(app, market.bankToken, RESPOND, { matchId, action: 'CONTACT' });
    p = await payloadOf(app, bank2Token, MAKE_OFFER, valid);
    expect(p.userErrors.map((e: any) => e.code)).toEqual(['NOT_FOUND']);

    p = await payloadOf(app, market.bankToken, MAKE_OFFER, {
      ...valid, amount: '3000000.01', annualRate: '0.065', validUntil: new Date(Date.now() - 60_000).toISOString(),
      fees: [{ kind: 'ARRANGEMENT', amount: '100', rate: '0.001' }, { kind: 'APPRAISAL', amount: '200' }, { kind: 'APPRAISAL', rate: '0.002' }, { kind: 'NOTARIZATION' }],
      requiredDocuments: ['BUSINESS_LICENCE', 'BANK_STATEMENTS', 'BUSINESS_LICENCE'],
    });
    expect(p.offer).toBeNull();
    expect(p.userErrors.map((e: any) => [e.field.slice(1).join('.'), e.code]).sort()).toEqual([
      ['amount', 'OFFER_EXCEEDS_NEED'],
      ['annualRate', 'RATE_OUTSIDE_PRODUCT'],
      ['fees.0', 'FEE_AMOUNT_OR_RATE'],
      ['fees.2.kind', 'DUPLICATE_VALUE'],
      ['fees.3', 'FEE_AMOUNT_OR_RATE'],
      ['requiredDocuments.1', 'UNKNOWN_DOCUMENT_KIND'],
      ['requiredDocuments.2', 'DUPLICATE_VALUE'],
      ['validUntil', 'VALID_UNTIL_NOT_FUTURE'],
    ].sort());
    // zh by default, en on request.
    expect(p.userErrors.find((e: any) => e.code === 'OFFER_EXCEEDS_NEED').message).toContain('3000000.00');
    const en = await app.gql(MAKE_OFFER, { input: { ...valid, annualRate: '0.13' } }, { token: market.bankToken, lang: 'en' });
    expect(en.data.makeOffer.userErrors).toEqual([expect.objectContaining({ code: 'RATE_ABOVE_CEILING', message: 'The annual rate cannot exceed 0.12 (4 × the one-year LPR)' })]);
    const far = await payloadOf(app, market.bankToken, MAKE_OFFER, { ...valid, validUntil: inDays(91) });
    expect(far.userErrors.map((e: any) => e.code)).toEqual(['VALID_UNTIL_TOO_FAR']);
    const negativeFee = await payloadOf(app, market.bankToken, MAKE_OFFER, { ...valid, fees: [{ kind: 'ARRANGEMENT', amount: '-1' }] });
    expect(negativeFee.userErrors.map((e: any) => [e.field.slice(1).join('.'), e.code])).toEqual([['fees.0.amount', 'OUT_OF_RANGE']]);
    const unknownKind = await app.gql(MAKE_OFFER, { input: { ...valid, fees: [{ kind: 'CONSULTING', amount: '1000' }] } }, { token: market.bankToken });
    // Seed 004 (23): no consulting fees — the kind does not exist.
    expect(unknownKind.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await offerCount()).toBe(before);
  });

  it('two banks\' offers side by side, all-in costs exact with the fees, each bank seeing its own', async () => {
    const match1 = await matchOf(need.id, market.creditLoan.id, firm.token);
    offer1 = await mutate(app, market.bankToken, MAKE_OFFER, {
      matchId: match1, amount: '3000000', annualRate: '0.045', termMonths: 12, validUntil: inDays(7),
      fees: [{ kind: 'ARRANGEMENT', amount: '6000' }, { kind: 'APPRAISAL', rate: '0.001235' }], requiredDocuments: ['BUSINESS_LICENCE', 'FINANCIAL_STATEMENTS'],
    });
    // Fees 6,000.00 + 0.001235 × 3,000,000 = 9,705.00; spread over 12 months: 0.003235 a year;
    // 贴息 0.3 × 0.045 = 0.0135; all-in 0.045 + 0.003235 − 0.0135 = 0.034735.
    expect(offer1).toMatchObject({
      status: 'OPEN', amount: '3000000.00', annualRate: '0.045', termMonths: 12, feeTotal: '9705.00', feesAnnualRate: '0.003235',
      guaranteeFeeRate: null, interestSubsidyRate: '0.0135', allInAnnualCostRate: '0.034735',
      fees: [{ kind: 'ARRANGEMENT', amount: '6000.00', rate: null, charged: '6000.00' }, { kind: 'APPRAISAL', amount: null, rate: '0.001235', charged: '3705.00' }],
      requiredDocuments: ['BUSINESS_LICENCE', 'FINANCIAL_STATEMENTS'], missingDocuments: ['BUSINESS_LICENCE', 'FINANCIAL_STATEMENTS'], match: { id: match1, status: 'CONTACTED' },
    });
    const again = await payloadOf(app, market.bankToken, MAKE_OFFER, { matchId: match1, amount: '1000000', annualRate: '0.045', termMonths: 12, validUntil: inDays(7) });
    expect(again.userErrors.map((e: any) => e.code)).toEqual(['OFFER_ALREADY_OPEN']);

    const match2 = await contacted(need.id, bank2Product.id, bank2Token, firm.token);
    offer2 = await mutate(app, bank2Token, MAKE_OFFER, {
      matchId: match2, amount: '2500000', annualRate: '0.042', termMonths: 24, validUntil: inDays(7), fees: [{ kind: 'ARRANGEMENT', amount: '12345.67' }],
    });
    // 12,345.67 ÷ 2,500,000 × 12 ÷ 24 = 0.002469134 a year; 贴息 0.3 × 0.042 = 0.0126; all-in 0.042 + 0.002469134 − 0.0126 = 0.031869134 → 0.031869.
    expect(offer2).toMatchObject({ feeTotal: '12345.67', feesAnnualRate: '0.002469', interestSubsidyRate: '0.0126', allInAnnualCostRate: '0.031869' });

    const seen = await app.gql(NEED_OFFERS, { id: need.id }, { token: firm.token });
    const offers = seen.data.node.offers.edges.map((e: any) => e.node);
    expect(seen.data.node.offers.totalCount).toBe(2);
    expect(offers.map((o: any) => [o.id, o.allInAnnualCostRate, o.feeTotal])).toEqual([[offer2.id, '0.031869', '12345.67'], [offer1.id, '0.034735', '9705.00']]);
    const bankSees = await app.gql(NEED_OFFERS, { id: need.id }, { token: market.bankToken });
    expect(bankSees.data.node.offers.edges.map((e: any) => e.node.id)).toEqual([offer1.id]);

    await eventually(async () => received('OFFER_MADE', offer1.id).length === 1 && received('OFFER_MADE', offer2.id).length === 1, 15_000);
    const made = received('OFFER_MADE', offer1.id)[0].body;
    expect(made).toMatchObject({ institutionId: market.bank.id, needId: need.id, matchId: match1, data: { offerId: offer1.id, allInAnnualCostRate: '0.034735', feeTotal: '9705.00' } });
    expect(made).not.toHaveProperty('enterpriseId');
  });

  it('accepting one moves its match on (APPLIED, consent to the bank) and declines the other OFFER_ACCEPTED_ELSEWHERE', async () => {
    const p = await payloadOf(app, firm.token, ACCEPT_OFFER, { offerId: offer2.id });
    expect(p.userErrors).toEqual([]);
    expect(p.offer).toMatchObject({ id: offer2.id, status: 'ACCEPTED', match: { status: 'APPLIED' } });

    const seen = await app.gql(NEED_OFFERS, { id: need.id }, { token: firm.token });
    expect(seen.data.node.status).toBe('IN_PROGRESS');
    const byId = new Map(seen.data.node.offers.edges.map((e: any) => [e.node.id, e.node]));
    expect(byId.get(offer1.id)).toMatchObject({ status: 'DECLINED', declineReason: 'OFFER_ACCEPTED_ELSEWHERE', match: { status: 'CONTACTED' } });
    const consents = await app.gql(CONSENTS, {}, { token: firm.token });
    expect(consents.data.viewer.enterprise.consents).toContainEqual({ institution: { id: bank2.id }, via: 'APPLICATION', active: true });

    // Accepting again returns the accepted offer; the declined one cannot be accepted.
    expect((await payloadOf(app, firm.token, ACCEPT_OFFER, { offerId: offer2.id })).offer.status).toBe('ACCEPTED');
    const declined = await payloadOf(app, firm.token, ACCEPT_OFFER, { offerId: offer1.id });
    expect(declined.userErrors.map((e: any) => e.code)).toEqual(['OFFER_NOT_OPEN']);
    // Another firm cannot see or accept it.
    const other = await ratedFirm(app);
    expect((await payloadOf(app, other.token, ACCEPT_OFFER, { offerId: offer2.id })).userErrors.map((e: any) => e.code)).toEqual(['NOT_FOUND']);

    await eventually(async () => received('OFFER_ACCEPTED', offer2.id).length === 1 && received('OFFER_DECLINED', offer1.id).length === 1, 15_000);
    expect(received('OFFER_ACCEPTED', offer2.id)[0].body.institutionId).toBe(bank2.id);
    expect(received('OFFER_DECLINED', offer1.id)[0].body).toMatchObject({ institutionId: market.bank.id, data: { declineReason: 'OFFER_ACCEPTED_ELSEWHERE' } });
    await eventually(async () => {
      const notes = await app.gql(NOTIFICATIONS, {}, { token: firm.token });
      const types = notes.data.notifications.edges.map((e: any) => e.node.type);
      return types.filter((t: string) => t === 'OFFER_MADE').length === 2 && types.includes('OFFER_ACCEPTED');
    }, 15_000);
    const notes = await app.gql(NOTIFICATIONS, {}, { token: firm.token, lang: 'en' });
    expect(notes.data.notifications.edges.map((e: any) => e.node)).toContainEqual({ type: 'OFFER_ACCEPTED', title: 'Offer accepted', body: 'You accepted the offer of 银行 OF2' });
  });
});

describe('two accepts at once', () => {
  it('one offer wins; the other is declined, never both accepted', async () => {
    const { firm: firm3, need: need3 } = await firmNeed('2200000');
    const a = await plainOffer(1, need3.id, firm3.token, '2200000', inDays(3));
    const b = await plainOffer(2, need3.id, firm3.token, '2200000', inDays(3));
    const results = await Promise.all([a, b].map((o) => payloadOf(app, firm3.token, ACCEPT_OFFER, { offerId: o.id })));
    const accepted = results.filter((r) => r.offer?.status === 'ACCEPTED');
    expect(accepted).toHaveLength(1);
    expect(results.filter((r) => r.userErrors.length).map((r) => r.userErrors.map((e: any) => e.code))).toEqual([['OFFER_NOT_OPEN']]);
    const rows = await app.dataSource.query(`SELECT status, decline_reason FROM offer WHERE need_id = $1 ORDER BY status`, [fromGlobalId(need3.id)!.uuid]);
    expect(rows).toEqual([{ status: 'ACCEPTED', decline_reason: null }, { status: 'DECLINED', decline_reason: 'OFFER_ACCEPTED_ELSEWHERE' }]);
  });
});

describe('an offer past validUntil (by the database\'s clock)', () => {
  afterAll(() => resetDatabaseDay(app.dataSource));

  it('cannot be accepted, and the sweep expires it with OFFER_EXPIRED', async () => {
    const { firm: firm2, need: need2 } = await firmNeed('2000000');
    const offer = await plainOffer(1, need2.id, firm2.token, '2000000', new Date(Date.now() + 3_600_000).toISOString());
    await app.dataSource.query(`UPDATE database_clock SET shift = '2 hours'`);
    const p = await payloadOf(app, firm2.token, ACCEPT_OFFER, { offerId: offer.id });
    expect(p.userErrors.map((e: any) => e.code)).toEqual(['OFFER_EXPIRED']);
    await eventually(async () => received('OFFER_EXPIRED', offer.id).length === 1, 15_000);
    const seen = await app.gql(NEED_OFFERS, { id: need2.id }, { token: firm2.token });
    expect(seen.data.node.offers.edges[0].node).toMatchObject({ id: offer.id, status: 'EXPIRED', match: { status: 'CONTACTED' } });
    // The refusal wrote nothing (the match is still CONTACTED, above; no consent); the event exists once however often the sweep runs.
    expect((await app.dataSource.query(`SELECT 1 FROM consent WHERE enterprise_id = $1`, [fromGlobalId(firm2.enterprise.id)!.uuid])).length).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM event WHERE type = 'OFFER_EXPIRED' AND payload->>'offerId' = $1`, [fromGlobalId(offer.id)!.uuid]);
    expect(n).toBe(1);
  });
});

describe('an open offer whose match or need closes is declined with it', () => {
  const offerRow = async (offerId: string) =>
    (await app.dataSource.query(`SELECT status, decline_reason FROM offer WHERE id = $1`, [fromGlobalId(offerId)!.uuid]))[0];
  const declinedEvents = async (offerId: string) =>
    (await app.dataSource.query(`SELECT payload->>'declineReason' AS reason FROM event WHERE type = 'OFFER_DECLINED' AND payload->>'offerId' = $1`, [fromGlobalId(offerId)!.uuid]))
      .map((r: any) => r.reason);
  const offerOf = async (needId: string, offerId: string, token: string) =>
    (await app.gql(NEED_OFFERS, { id: needId }, { token })).data.node.offers.edges.map((e: any) => e.node).find((o: any) => o.id === offerId);
  /** Two sweeps' time: the event stays single however often the sweep comes by. */
  const sweepsPass = () => new Promise((r) => setTimeout(r, 2500));

  it('the bank declines the match after its offer: the offer is DECLINED MATCH_CLOSED at once, OFFER_DECLINED once, accepting refused', async () => {
    const { firm: firm4, need: need4 } = await firmNeed('1500000');
    const offer = await plainOffer(1, need4.id, firm4.token, '1500000');
    const matchId = offer.match.id;
    const declined = await payloadOf(app, market.bankToken, RESPOND, { matchId, action: 'DECLINE', declineReason: 'WEAK_CASH_FLOW' });
    expect(declined.userErrors).toEqual([]);
    // Written in the decline's own transaction, not left to a sweep.
    expect(await offerRow(offer.id)).toEqual({ status: 'DECLINED', decline_reason: 'MATCH_CLOSED' });
    for (const token of [firm4.token, market.bankToken]) {
      expect(await offerOf(need4.id, offer.id, token)).toMatchObject({ status: 'DECLINED', declineReason: 'MATCH_CLOSED', match: { status: 'DECLINED' } });
    }
    const p = await payloadOf(app, firm4.token, ACCEPT_OFFER, { offerId: offer.id });
    expect(p.offer).toBeNull();
    expect(p.userErrors).toEqual([expect.objectContaining({ field: ['input', 'offerId'], code: 'OFFER_NOT_OPEN' })]);
    expect((await app.gql(ACCEPT_OFFER, { input: { offerId: offer.id } }, { token: firm4.token, lang: 'en' })).data.acceptOffer.userErrors[0].message)
      .toBe('This offer\'s match was closed (the bank declined it, or it lapsed), so the offer was declined and cannot be accepted');

    await eventually(async () => received('OFFER_DECLINED', offer.id).length === 1, 15_000);
    expect(received('OFFER_DECLINED', offer.id)[0].body).toMatchObject({ institutionId: market.bank.id, matchId, data: { offerId: offer.id, declineReason: 'MATCH_CLOSED' } });
    await sweepsPass();
    expect(await declinedEvents(offer.id)).toEqual(['MATCH_CLOSED']);
    expect(received('OFFER_DECLINED', offer.id)).toHaveLength(1);
  });

  it('the enterprise withdraws its need: every open offer on it is DECLINED NEED_CLOSED, each bank told once, accepting refused', async () => {
    const { firm: firm5, need: need5 } = await firmNeed('1800000');
    const a = await plainOffer(1, need5.id, firm5.token, '1800000');
    const b = await plainOffer(2, need5.id, firm5.token, '1800000');
    const withdrawn = await payloadOf(app, firm5.token, WITHDRAW_NEED, { needId: need5.id, reason: '已通过其他渠道解决' });
    expect(withdrawn.userErrors).toEqual([]);
    for (const offer of [a, b]) {
      expect(await offerRow(offer.id)).toEqual({ status: 'DECLINED', decline_reason: 'NEED_CLOSED' });
      expect(await offerOf(need5.id, offer.id, firm5.token)).toMatchObject({ status: 'DECLINED', declineReason: 'NEED_CLOSED' });
      const p = await app.gql(ACCEPT_OFFER, { input: { offerId: offer.id } }, { token: firm5.token, lang: 'en' });
      expect(p.data.acceptOffer.userErrors).toEqual([expect.objectContaining({
        code: 'OFFER_NOT_OPEN', message: 'This offer\'s need is over (withdrawn, closed, funded or expired), so the offer was declined and cannot be accepted',
      })]);
    }
    expect(await offerOf(need5.id, b.id, bank2Token)).toMatchObject({ status: 'DECLINED', declineReason: 'NEED_CLOSED' });

    await eventually(async () => received('OFFER_DECLINED', a.id).length === 1 && received('OFFER_DECLINED', b.id).length === 1, 15_000);
    expect(received('OFFER_DECLINED', a.id)[0].body).toMatchObject({ institutionId: market.bank.id, data: { declineReason: 'NEED_CLOSED' } });
    expect(received('OFFER_DECLINED', b.id)[0].body).toMatchObject({ institutionId: bank2.id, data: { declineReason: 'NEED_CLOSED' } });
    await sweepsPass();
    expect(await declinedEvents(a.id)).toEqual(['NEED_CLOSED']);
    expect(await declinedEvents(b.id)).toEqual(['NEED_CLOSED']);
  });

  it('a need past its needed-by date reads its open offer DECLINED NEED_CLOSED before any sweep, and the sweep stores it once', async () => {
    const { firm: firm6, need: need6 } = await firmNeed('1600000');
    const offer = await plainOffer(1, need6.id, firm6.token, '1600000');
    // The needed-by date passes (no write moves the need: it reads EXPIRED until the needs' sweep).
    await app.dataSource.query(`UPDATE financing_need SET needed_by = shanghai_today() - 1 WHERE id = $1`, [fromGlobalId(need6.id)!.uuid]);
    expect(await offerOf(need6.id, offer.id, firm6.token)).toMatchObject({ status: 'DECLINED', declineReason: 'NEED_CLOSED' });
    const p = await payloadOf(app, firm6.token, ACCEPT_OFFER, { offerId: offer.id });
    // Refused by the standing readers see, swept or not.
    expect(p.userErrors.map((e: any) => e.code)).toEqual(['OFFER_NOT_OPEN']);
    await eventually(async () => (await offerRow(offer.id)).status === 'DECLINED', 15_000);
    expect(await offerRow(offer.id)).toEqual({ status: 'DECLINED', decline_reason: 'NEED_CLOSED' });
    await sweepsPass();
    expect(await declinedEvents(offer.id)).toEqual(['NEED_CLOSED']);
  });
});

describe('documents: uploaded once, shared with an offer\'s bank, downloads on record', () => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n% 财务报表 2026\n'), Buffer.alloc(3000, 0x41), Buffer.from('\n%%EOF\n')]);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);
  let documentId: string;

  const upload = (token: string | null, body: NonNullable<RequestInit['body']>, query: string, headers: Record<string, string> = {}, init: Record<string, unknown> = {}) =>
    fetch(`${app.url}/documents?${query}`, { method: 'POST', body, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, ...init } as RequestInit);
  const download = (token: string | null, id: string) => fetch(`${app.url}/documents/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  /** Every file under the store, the in-progress uploads included. */
  const storedFiles = (dir = documentsDir): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? storedFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];
  const documentRows = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM document`))[0].n as number;

  it('the enterprise uploads a PDF once: sha256 computed and kept, the same content again is the same document', async () => {
    const res = await upload(firm.token, pdf, 'kind=FINANCIAL_STATEMENTS&fileName=' + encodeURIComponent('2026年财务报表.pdf'), { 'content-type': 'application/pdf' });
    expect(res.status).toBe(201);
    const { document } = (await res.json()) as any;
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(document).toMatchObject({ kind: 'FINANCIAL_STATEMENTS', fileName: '2026年财务报表.pdf', contentType: 'application/pdf', sizeBytes: pdf.length, sha256 });
    documentId = document.id;
    expect(res.headers.get('location')).toBe(`/documents/${documentId}`);
    expect(storedFiles()).toHaveLength(1);

    const again = await upload(firm.token, pdf, 'kind=FINANCIAL_STATEMENTS&fileName=copy.pdf', { 'content-type': 'application/pdf' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as any).document.id).toBe(documentId);
    expect(storedFiles()).toHaveLength(1);
    expect(await documentRows()).toBe(1);
    const mine = await app.gql(`query { myDocuments(first: 5) { totalCount edges { node { id sha256 sizeBytes downloadPath } } } }`, {}, { token: firm.token });
    expect(mine.data.myDocuments).toEqual({ totalCount: 1, edges: [{ node: { id: documentId, sha256, sizeBytes: pdf.length, downloadPath: `/documents/${documentId}` } }] });
  });

  it('a wrong type, a content that is not its type, an oversize or empty file, a bank or no token: a clear JSON error and nothing stored', async () => {
    const refusals: [Response, number, string][] = [
      [await upload(firm.token, 'hello', 'kind=FINANCIAL_STATEMENTS', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_DOCUMENT_TYPE'],
      [await upload(firm.token, png, 'kind=BUSINESS_LICENCE', { 'content-type': 'application/pdf' }), 415, 'DOCUMENT_CONTENT_MISMATCH'],
      [await upload(firm.token, Buffer.concat([pdf, Buffer.alloc(70_000, 0x42)]), 'kind=BUSINESS_LICENCE', { 'content-type': 'application/pdf' }), 413, 'DOCUMENT_TOO_LARGE'],
      [await upload(firm.token, Buffer.alloc(0), 'kind=BUSINESS_LICENCE', { 'content-type': 'application/pdf' }), 400, 'DOCUMENT_EMPTY'],
      [await upload(firm.token, pdf, 'kind=PASSPORT', { 'content-type': 'application/pdf' }), 400, 'INVALID_DOCUMENT_KIND'],
      [await upload(market.bankToken, pdf, 'kind=BUSINESS_LICENCE', { 'content-type': 'application/pdf' }), 403, 'FORBIDDEN'],
      [await upload(null, pdf, 'kind=BUSINESS_LICENCE', { 'content-type': 'application/pdf' }), 401, 'UNAUTHENTICATED'],
    ];
    for (const [res, status, code] of refusals) {
      expect([res.status, ((await res.json()) as any).errors[0].extensions.code]).toEqual([status, code]);
    }
    // Oversize without a declared length: refused while streaming, the partial file removed.
    const chunks = [pdf, Buffer.alloc(40_000, 0x43), Buffer.alloc(40_000, 0x44)];
    const stream = new ReadableStream({ pull(controller) { const next = chunks.shift(); if (next) controller.enqueue(next); else controller.close(); } });
    const streamed = await upload(firm.token, stream as unknown as NonNullable<RequestInit['body']>, 'kind=BUSINESS_LICENCE', { 'content-type': 'application/pdf', 'accept-language': 'en' }, { duplex: 'half' });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as any).errors[0]).toMatchObject({ message: 'The file is larger than the 65536-byte limit', extensions: { code: 'DOCUMENT_TOO_LARGE' } });
    expect(await documentRows()).toBe(1);
    expect(storedFiles()).toHaveLength(1);
  });

  it('a form (multipart/form-data, as wx.uploadFile sends) uploads the same way: the part\'s type checked, or found from the first bytes', async () => {
    const form = (blob: Blob | null, name = 'file.bin') => {
      const f = new FormData();
      f.append('note', '营业执照');
      if (blob) f.append('file', blob, name);
      return f;
    };
    const res = await upload(firm.token, form(new Blob([png], { type: 'image/png' }), '营业执照.png'), 'kind=BUSINESS_LICENCE');
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).document).toMatchObject({ kind: 'BUSINESS_LICENCE', fileName: '营业执照.png', contentType: 'image/png', sizeBytes: png.length, sha256: createHash('sha256').update(png).digest('hex') });
    const tax = Buffer.concat([Buffer.from('%PDF-1.4\n完税证明\n'), Buffer.alloc(200, 0x20)]);
    const untyped = await upload(firm.token, form(new Blob([tax], { type: 'application/octet-stream' }), 'tax.pdf'), 'kind=TAX_CERTIFICATE');
    expect(untyped.status).toBe(201);
    expect(((await untyped.json()) as any).document).toMatchObject({ kind: 'TAX_CERTIFICATE', contentType: 'application/pdf', sizeBytes: tax.length });

    const refusals: [Response, number, string][] = [
      [await upload(firm.token, form(null), 'kind=BUSINESS_LICENCE'), 400, 'DOCUMENT_NO_FILE'],
      [await upload(firm.token, form(new Blob(['plain text'], { type: 'text/plain' })), 'kind=BUSINESS_LICENCE'), 415, 'UNSUPPORTED_DOCUMENT_TYPE'],
      [await upload(firm.token, form(new Blob([Buffer.from('MZ executable')], { type: 'application/octet-stream' })), 'kind=BUSINESS_LICENCE'), 415, 'DOCUMENT_CONTENT_MISMATCH'],
      [await upload(firm.token, form(new Blob([pdf, Buffer.alloc(70_000, 0x45)], { type: 'application/pdf' })), 'kind=BUSINESS_LICENCE'), 413, 'DOCUMENT_TOO_LARGE'],
    ];
    for (const [r, status, code] of refusals) {
      expect([r.status, ((await r.json()) as any).errors[0].extensions.code]).toEqual([status, code]);
    }
    expect(await documentRows()).toBe(3);
    expect(storedFiles()).toHaveLength(3);
  });

  it('a bank downloads only what was shared with it under an offer; each download is recorded', async () => {
    // Not shared yet: the bank of the accepted offer cannot download it, nor can the other bank.
    expect((await download(bank2Token, documentId)).status).toBe(404);
    const share = await mutate(app, firm.token, SHARE, { documentId, offerId: offer2.id });
    expect(share).toMatchObject({ document: { id: documentId, kind: 'FINANCIAL_STATEMENTS' }, offer: { id: offer2.id } });
    const other = await ratedFirm(app);
    expect((await payloadOf(app, other.token, SHARE, { documentId, offerId: offer2.id })).userErrors.map((e: any) => e.code).sort()).toEqual(['NOT_FOUND', 'NOT_FOUND']);

    const res = await download(bank2Token, documentId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-sha256')).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('2026年财务报表.pdf')}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await download(market.bankToken, documentId)).status).toBe(404);
    expect((await download(bank2Token, 'RG9jdW1lbnQ6bm90LWFuLWlk')).status).toBe(404);
    // The enterprise downloads its own (not recorded: it reads its own data).
    expect((await download(firm.token, documentId)).status).toBe(200);

    const rows = await app.dataSource.query(`SELECT institution_id, offer_id, sub, role FROM document_download`);
    expect(rows).toEqual([{ institution_id: fromGlobalId(bank2.id)!.uuid, offer_id: fromGlobalId(offer2.id)!.uuid, sub: 'bank-OF2', role: 'BANK' }]);
    await expect(app.dataSource.query(`DELETE FROM document_download`)).rejects.toThrow(/append-only/);

    const seen = await app.gql(DOCUMENT, { id: documentId }, { token: firm.token });
    expect(seen.data.node.downloads).toEqual([{ at: expect.any(String), sub: 'bank-OF2', role: 'BANK', institution: { id: bank2.id, name: '银行 OF2' } }]);
    const bankSees = await app.gql(DOCUMENT, { id: documentId }, { token: bank2Token });
    expect(bankSees.data.node).toMatchObject({ id: documentId, downloads: null });
    expect((await app.gql(DOCUMENT, { id: documentId }, { token: market.bankToken })).data.node).toBeNull();
    const offers = await app.gql(NEED_OFFERS, { id: need.id }, { token: bank2Token });
    expect(offers.data.node.offers.edges[0].node.sharedDocuments).toEqual([{ id: documentId, kind: 'FINANCIAL_STATEMENTS' }]);
  });
});
