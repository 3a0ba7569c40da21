/**
 * R14 through the API: the bank's inbox, its responses, the enterprise's application (consent, R10),
 * refused steps, decline reasons with advice, and the response deadline on the durable job queue —
 * an unanswered match lapses and the next-ranked product is proposed, also across a restart.
 */
import { startTestApp, TestApp } from '../support/harness';
import { lapseOverdueMatches } from '../../src/matching/lifecycle.service';
import { CREATE_PRODUCT, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from './fixtures';
import { eventually, Market, mutate, ratedFirm, setUpMarket } from './policy-fixtures';

const MATCH_FIELDS = 'id status rank eligible respondBy respondedAt declineReason declineAdvice declineNote product { id } need { id status } history { action fromStatus toStatus declineReason note }';
const INBOX = `query($status: [MatchStatus!], $first: Int, $after: String) { inbox(status: $status, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${MATCH_FIELDS} } } } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { ${MATCH_FIELDS} } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { ${MATCH_FIELDS} } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { status matches(first: 50) { totalCount edges { node { id status product { id } } } } } } }`;
const CONTACT_OF = `query($code: String!) { enterprise(creditCode: $code) { contact { phone } } }`;

let app: TestApp;
let market: Market;

beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_DEADLINE_SWEEP_SECONDS: '1' } });
  market = await setUpMarket(app, 'IN');
});
afterAll(() => app?.close());

const gql = async (document: string, variables: Record<string, unknown>, token: string, lang?: string) => {
  const res = await app.gql(document, variables, { token, lang });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
};
const respond = async (input: Record<string, unknown>, token = market.bankToken, lang?: string) => (await gql(RESPOND, { input }, token, lang)).respondToMatch;
const apply = async (matchId: string, token: string) => (await gql(APPLY, { input: { matchId } }, token)).applyToMatch;
const matchesOf = async (needId: string, token: string) => (await gql(NEED_MATCHES, { id: needId }, token)).node;

describe('the inbox and the responses', () => {
  let firm: Awaited<ReturnType<typeof registeredEnterprise>>;
  let need: { id: string };
  let creditMatch: string;
  let guaranteedMatch: string;

  beforeAll(async () => {
    firm = await ratedFirm(app);
    need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '5000000', termMonths: 12 });
    const { matches } = await matchesOf(need.id, firm.token);
    const byProduct = Object.fromEntries(matches.edges.map((e: any) => [e.node.product.id, e.node.id]));
    creditMatch = byProduct[market.creditLoan.id];
    guaranteedMatch = byProduct[market.guaranteedLoan.id];
    expect(creditMatch && guaranteedMatch).toBeTruthy();
  });

  it('lists the bank\'s proposed matches with a deadline 48 hours after the proposal', async () => {
    const { inbox } = await gql(INBOX, { status: ['PROPOSED'] }, market.bankToken);
    const mine = inbox.edges.map((e: any) => e.node).filter((m: any) => m.need.id === need.id);
    expect(mine).toHaveLength(2);
    for (const m of mine) {
      expect(m.rank).toBeGreaterThan(0);
      expect(Date.parse(m.respondBy) - Date.now()).toBeGreaterThan(47.9 * 3600_000);
      expect(Date.parse(m.respondBy) - Date.now()).toBeLessThanOrEqual(48 * 3600_000);
    }
  });

  it('VIEW, then CONTACT: the clock stops; a repeated VIEW changes nothing', async () => {
    const viewed = await respond({ matchId: creditMatch, action: 'VIEW' });
    expect(viewed.userErrors).toEqual([]);
    expect(viewed.match).toMatchObject({ status: 'VIEWED', respondedAt: null });
    expect(viewed.match.respondBy).not.toBeNull();
    const again = await respond({ matchId: creditMatch, action: 'VIEW' });
    expect(again.match.status).toBe('VIEWED');
    const contacted = await respond({ matchId: creditMatch, action: 'CONTACT', note: '已电话联系' });
    expect(contacted.match).toMatchObject({ status: 'CONTACTED', respondBy: null });
    expect(contacted.match.respondedAt).not.toBeNull();
    expect(contacted.match.history).toEqual([
      { action: 'VIEW', fromStatus: 'PROPOSED', toStatus: 'VIEWED', declineReason: null, note: null },
      { action: 'CONTACT', fromStatus: 'VIEWED', toStatus: 'CONTACTED', declineReason: null, note: '已电话联系' },
    ]);
    const { inbox } = await gql(INBOX, { status: ['CONTACTED'] }, market.bankToken);
    expect(inbox.edges.map((e: any) => e.node.id)).toContain(creditMatch);
  });

  it('refuses what R14 does not allow, and writes nothing', async () => {
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM match_event`);
    expect((await respond({ matchId: creditMatch, action: 'DISBURSE' })).userErrors).toEqual([expect.objectContaining({ field: ['input', 'action'], code: 'INVALID_ACTION' })]);
    expect((await respond({ matchId: creditMatch, action: 'DECLINE' })).userErrors).toEqual([expect.objectContaining({ field: ['input', 'declineReason'], code: 'REQUIRED' })]);
    expect((await respond({ matchId: creditMatch, action: 'CONTACT', declineReason: 'OTHER' })).userErrors[0]).toMatchObject({ code: 'NOT_APPLICABLE' });
    expect((await respond({ matchId: 'bm90LWFuLWlk', action: 'VIEW' })).userErrors[0]).toMatchObject({ code: 'INVALID_ID' });
    // Another bank does not learn that the match exists; the guarantor sees it but does not answer it.
    const other = await setUpMarket(app, 'IN2');
    expect((await respond({ matchId: creditMatch, action: 'VIEW' }, other.bankToken)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const guarantorToken = app.token({ sub: 'guarantor-in', role: 'GUARANTOR', institutionId: market.guarantor.id });
    expect((await respond({ matchId: guaranteedMatch, action: 'CONTACT' }, guarantorToken)).userErrors[0]).toMatchObject({ code: 'NOT_RESPONSIBLE' });
    const { inbox } = await gql(INBOX, {}, guarantorToken);
    expect(inbox.edges.map((e: any) => e.node.id)).toContain(guaranteedMatch);
    expect(inbox.edges.map((e: any) => e.node.id)).not.toContain(creditMatch);
    // An enterprise cannot apply to another firm's match.
    const stranger = await registeredEnterprise(app);
    expect((await apply(creditMatch, stranger.token)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM match_event`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('the enterprise applies: APPLIED, the need IN_PROGRESS, and the bank may now see its contact (R10)', async () => {
    const code = firm.enterprise.creditCode;
    expect((await gql(CONTACT_OF, { code }, market.bankToken)).enterprise.contact).toBeNull();
    const applied = await apply(creditMatch, firm.token);
    expect(applied.userErrors).toEqual([]);
    expect(applied.match).toMatchObject({ status: 'APPLIED', need: { status: 'IN_PROGRESS' } });
    expect((await gql(CONTACT_OF, { code }, market.bankToken)).enterprise.contact).toEqual({ phone: firm.input.contact.phone });
    expect((await apply(creditMatch, firm.token)).match.status).toBe('APPLIED');
  });

  it('a decline carries its reason and what the enterprise could do, in either language; the need goes back to matching', async () => {
    const declined = await respond({ matchId: creditMatch, action: 'DECLINE', declineReason: 'COLLATERAL_INSUFFICIENT', note: '需补充担保' }, market.bankToken, 'en');
    expect(declined.userErrors).toEqual([]);
    expect(declined.match).toMatchObject({ status: 'DECLINED', declineReason: 'COLLATERAL_INSUFFICIENT', declineNote: '需补充担保', need: { status: 'MATCHED' } });
    expect(declined.match.declineAdvice).toMatch(/collateral/i);
    const seen = await gql(`query($id: ID!) { node(id: $id) { ... on Match { declineAdvice } } }`, { id: creditMatch }, firm.token);
    expect(seen.node.declineAdvice).toMatch(/担保/);
    // Over: nothing but a view.
    expect((await respond({ matchId: creditMatch, action: 'CONTACT' })).userErrors[0]).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect((await apply(creditMatch, firm.token)).userErrors[0]).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });
});

describe('the response deadline (R14)', () => {
  /** A need with more eligible products than it has slots: the eleventh waits outside. Each has its own amount, so no other need shares its products. */
  let amount = 800_000;
  async function crowdedNeed(tag: string) {
    amount += 10_000;
    const { authority } = staff(app);
    const bank = await mutate(app, authority, `mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { institution { id } ${USER_ERRORS} } }`, { kind: 'BANK', name: `期限银行 ${tag}` });
    const products: string[] = [];
    for (let i = 0; i < 11; i += 1) {
      const p = await mutate(app, authority, CREATE_PRODUCT, {
        institutionId: bank.id, name: `期限贷 ${tag} ${i}`, kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: String(amount), maxAmount: String(amount), minAnnualRate: (0.03 + i * 0.001).toFixed(3),
      });
      products.push(p.id);
    }
    const firm = await ratedFirm(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: String(amount), termMonths: 12 });
    const bankToken = app.token({ sub: `bank-${tag}`, role: 'BANK', institutionId: bank.id });
    return { firm, need, products, bankToken };
  }
  const proposedProducts = async (needId: string, token: string) =>
    (await matchesOf(needId, token)).matches.edges.filter((e: any) => e.node.status === 'PROPOSED').map((e: any) => e.node.product.id);

  it('an unanswered match lapses after 48 hours and the next-ranked product is proposed, on the job queue', async () => {
    const { need, products, firm } = await crowdedNeed('A');
    expect(await proposedProducts(need.id, firm.token)).toEqual(products.slice(0, 10));
    await app.dataSource.query(`UPDATE match SET created_at = now() - interval '49 hours' WHERE product_id = $1`, [uuid(products[0])]);
    await eventually(async () => (await proposedProducts(need.id, firm.token)).includes(products[10]), 10_000);
    const { matches } = await matchesOf(need.id, firm.token);
    const first = matches.edges.find((e: any) => e.node.product.id === products[0]).node;
    expect(first.status).toBe('OVERDUE');
    const [event] = await app.dataSource.query(`SELECT action, from_status, to_status, actor FROM match_event WHERE match_id = $1`, [uuid(first.id)]);
    expect(event).toEqual({ action: 'LAPSE', from_status: 'PROPOSED', to_status: 'OVERDUE', actor: 'system' });
  });

  it('a match answered in time does not lapse; one past the deadline lapses after a restart', async () => {
    const { need, products, firm, bankToken } = await crowdedNeed('C');
    const { matches } = await matchesOf(need.id, firm.token);
    const byProduct = Object.fromEntries(matches.edges.map((e: any) => [e.node.product.id, e.node.id]));
    expect((await respond({ matchId: byProduct[products[1]], action: 'CONTACT' }, bankToken)).userErrors).toEqual([]);
    const url = app.databaseUrl;
    await app.close();
    // While no server runs, both matches pass their deadline.
    const quiet = await startTestApp({ databaseUrl: url, env: { MATCH_WORKER: '0' } });
    await quiet.dataSource.query(`UPDATE match SET created_at = now() - interval '49 hours' WHERE product_id = ANY($1::uuid[])`, [[uuid(products[0]), uuid(products[1])]]);
    await quiet.close();
    app = await startTestApp({ databaseUrl: url, env: { MATCH_DEADLINE_SWEEP_SECONDS: '1' } });
    await eventually(async () => (await proposedProducts(need.id, firm.token)).includes(products[10]), 10_000);
    const statuses = Object.fromEntries((await matchesOf(need.id, firm.token)).matches.edges.map((e: any) => [e.node.product.id, e.node.status]));
    expect(statuses[products[0]]).toBe('OVERDUE');
    expect(statuses[products[1]]).toBe('CONTACTED');
    // The sweep is idempotent: nothing more lapses.
    expect(await lapseOverdueMatches(app.dataSource, 48)).toBe(0);
  });
});

/** The uuid behind a global id. */
function uuid(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
}
