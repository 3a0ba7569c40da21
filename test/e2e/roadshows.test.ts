/**
 * Issue 17 §4 — roadshows (seed 003 二.(三).1: 千亿畅融 一月一链 融资路演; docs/AUTHORITIES.md RS1–RS4), through
 * the API: an authority schedules one for a chain and a month (RS1), invites institutions who accept or
 * decline (RS2), picks pitching firms from the whitelist and open needs (RS4); a pitching firm posts a need
 * for it (RS3); the matches with attending institutions and the loan that follows carry the roadshow, and
 * `stats { roadshows }` shows its funnel. Every refusal writes nothing.
 *
 *   firm  chain      whitelist  open need                      at roadshow R (HYDROGEN, this month, held today)
 *   W     HYDROGEN   yes        —                              pitches on the whitelist; posts 2,000,000 for R
 *   O     AI         no         3,000,000 (MINI_PROGRAM)       pitches that need
 *   N     HYDROGEN   no         —                              refused: neither
 *   L     AI         yes        —                              refused: on a whitelist, not in the chain
 *   P     HYDROGEN   no         1,000,000                      refused without naming the need
 *
 * Banks S and X each offer one credit loan; S and the investor are invited (S accepts, the investor
 * declines), X is invited and never answers; Y is not invited. S contacts W and O, W applies, S approves and
 * disburses 2,000,000; X contacts W too — not the roadshow's (X did not attend).
 */
import { resetDatabaseDay, setDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import {
  createInstitution, CREATE_PRODUCT, daysFromToday, IMPORT_CREDIT, institutionWithToken, POST_NEED, publishBatch, registeredEnterprise, rowCount, staff, USER_ERRORS,
  WITHDRAW_NEED,
} from './fixtures';
import { mutate } from './policy-fixtures';

const ROADSHOW_FIELDS = `id industryChain month heldOn title regionPrefix attributionDays needsFrom needsUntil
  invitations { status respondedAt institution { id name } }
  pitches { basis enterprise { creditCode } need { id amount } }`;
const CREATE = `mutation($input: CreateRoadshowInput!) { createRoadshow(input: $input) { roadshow { ${ROADSHOW_FIELDS} } ${USER_ERRORS} } }`;
const INVITE = `mutation($input: InviteToRoadshowInput!) { inviteToRoadshow(input: $input) { roadshow { ${ROADSHOW_FIELDS} } ${USER_ERRORS} } }`;
const PITCH = `mutation($input: AddRoadshowPitchesInput!) { addRoadshowPitches(input: $input) { roadshow { ${ROADSHOW_FIELDS} } ${USER_ERRORS} } }`;
const RESPOND = `mutation($input: RespondToRoadshowInvitationInput!) { respondToRoadshowInvitation(input: $input) { invitation { status respondedAt roadshow { id } institution { id } } ${USER_ERRORS} } }`;
const ROADSHOWS = `query($filter: RoadshowFilter) { roadshows(first: 20, filter: $filter) { totalCount edges { node { ${ROADSHOW_FIELDS} } } } }`;
const NEED = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { id channel roadshow { id }
  matches(first: 20) { edges { node { id status roadshow { id } product { institution { id } } } } } } } }`;
const MATCH_STEP = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id principal roadshow { id } } ${USER_ERRORS} } }`;
const FUNNEL = `query($filter: StatsFilter) { stats(filter: $filter) { roadshows {
  roadshow { id title } invited attending pitchingFirms needs needsAmount matches contacted applied loans loansAmount } } }`;

let app: TestApp;
let today: string;
let month: string;
const bank: Record<'S' | 'X' | 'Y', { id: string; token: string }> = {} as never;
let investor: { id: string; token: string };
let authorityInstitution: { id: string };
type Firm = Awaited<ReturnType<typeof registeredEnterprise>>;
const firms: Record<'W' | 'O' | 'N' | 'L' | 'P', Firm> = {} as never;
let openNeedO: string;
let openNeedP: string;
let roadshowId: string;

const authority = () => staff(app).authority;

/** The payload of a mutation (its result field and userErrors); throws on GraphQL errors. */
async function run(document: string, input: Record<string, unknown>, token: string): Promise<any> {
  const res = await app.gql(document, { input }, { token, lang: 'en' });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data)[0];
}

const codes = (payload: { userErrors: { code: string; field: string[] }[] }) => payload.userErrors.map((e) => [e.field.join('.'), e.code]);

async function institution(kind: 'BANK' | 'INVESTOR', name: string) {
  const { institution: created, token } = await institutionWithToken(app, kind, name, kind, { regionCode: '370200' });
  return { id: created.id as string, token };
}

beforeAll(async () => {
  app = await startTestApp();
  [{ today }] = await app.dataSource.query(`SELECT to_char(shanghai_today(), 'YYYY-MM-DD') AS today`);
  month = today.slice(0, 7);
  bank.S = await institution('BANK', '银行 S');
  bank.X = await institution('BANK', '银行 X');
  bank.Y = await institution('BANK', '银行 Y');
  investor = await institution('INVESTOR', '投资 I');
  authorityInstitution = await createInstitution(app, authority(), { kind: 'AUTHORITY', name: '经信局' });
  for (const [b, rate] of [[bank.S, '0.04'], [bank.X, '0.05']] as const) {
    await mutate(app, authority(), CREATE_PRODUCT, {
      institutionId: b.id, name: `信用贷 ${rate}`, kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '500000', maxAmount: '10000000', minTermMonths: 1, maxTermMonths: 36, minAnnualRate: rate,
    });
  }
  const firm = (chains: string[]) => registeredEnterprise(app, { regionCode: '370212', industryChains: chains, employees: 50, revenue: '10000000.00' });
  firms.W = await firm(['HYDROGEN']);
  firms.O = await firm(['AI']);
  firms.N = await firm(['HYDROGEN']);
  firms.L = await firm(['AI']);
  firms.P = await firm(['HYDROGEN']);
  await publishBatch(app, authority(), '专精特新 RS', '2026-1', [firms.W, firms.L].map((f) => ({
    creditCode: f.enterprise.creditCode, name: f.enterprise.name, tier: 'SPECIALIZED_SME' as const, validFrom: daysFromToday(-100), validTo: daysFromToday(600),
  })));
  await mutate(app, authority(), IMPORT_CREDIT, {
    source: 'PBOC', asOf: daysFromToday(-10), records: Object.values(firms).map((f) => ({ creditCode: f.enterprise.creditCode, rating: 'AA', taxGrade: 'A' })),
  });
  openNeedO = (await mutate(app, firms.O.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 })).id;
  openNeedP = (await mutate(app, firms.P.token, POST_NEED, { kind: 'LOAN', amount: '1000000', termMonths: 12 })).id;
});
afterAll(() => app?.close());

describe('RS1 — scheduling', () => {
  it('schedules a roadshow for a known chain and this month, with its posting window', async () => {
    const p = await run(CREATE, { industryChain: 'HYDROGEN', month, heldOn: today, title: '千亿畅融·氢能产业链融资路演', regionPrefix: '1101', attributionDays: 30 }, authority());
    expect(p.userErrors).toEqual([]);
    roadshowId = p.roadshow.id;
    expect(p.roadshow).toMatchObject({
      industryChain: 'HYDROGEN', month, heldOn: today, regionPrefix: '1101', attributionDays: 30, needsFrom: `${month}-01`, needsUntil: daysFromToday(30), invitations: [], pitches: [],
    });
  });

  it.each([
    ['an unknown chain', { industryChain: 'STEEL' }, [['industryChain', 'UNKNOWN_INDUSTRY_CHAIN']]],
    ['a month that is not YYYY-MM', { month: '2026-13' }, [['month', 'INVALID_MONTH']]],
    ['a past month', { month: '2020-01' }, [['month', 'MONTH_IN_PAST']]],
    ['a day outside the month', { heldOn: '2099-01-01' }, [['heldOn', 'DAY_NOT_IN_MONTH']]],
    ['a second roadshow for the chain, month and region', {}, [['month', 'ROADSHOW_EXISTS']]],
    ['a region prefix of 3 digits', { regionPrefix: '110' }, [['regionPrefix', 'INVALID_REGION_PREFIX']]],
    ['a window over a year', { attributionDays: 366 }, [['attributionDays', 'OUT_OF_RANGE']]],
    ['a blank title', { title: '   ', industryChain: 'AI' }, [['title', 'REQUIRED']]],
  ])('refuses %s and writes nothing', async (_what, change, expected) => {
    const before = await rowCount(app, 'roadshow');
    const p = await run(CREATE, { industryChain: 'HYDROGEN', month, title: '重复', regionPrefix: '1101', ...change }, authority());
    expect(codes(p).map(([f, c]) => [f.replace(/^input\./, ''), c])).toEqual(expected);
    expect(p.roadshow).toBeNull();
    expect(await rowCount(app, 'roadshow')).toBe(before);
  });

  it('lets only authorities and admins schedule', async () => {
    const res = await app.gql(CREATE, { input: { industryChain: 'AI', month, title: 'x' } }, { token: bank.S.token });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('RS2 — invitations and attendance', () => {
  it('invites institutions, not authorities, all or nothing; inviting one twice changes nothing', async () => {
    const refused = await run(INVITE, { roadshowId, institutionIds: [bank.S.id, authorityInstitution.id] }, authority());
    expect(codes(refused)).toEqual([['input.institutionIds.1', 'NOT_INVITABLE']]);
    expect(codes(await run(INVITE, { roadshowId, institutionIds: [] }, authority()))).toEqual([['input.institutionIds', 'REQUIRED']]);
    expect(await rowCount(app, 'roadshow_invitation')).toBe(0);
    await run(INVITE, { roadshowId, institutionIds: [bank.S.id, investor.id] }, authority());
    const p = await run(INVITE, { roadshowId, institutionIds: [bank.X.id, bank.S.id] }, authority());
    expect(p.roadshow.invitations.map((i: any) => [i.institution.id, i.status])).toEqual([[investor.id, 'INVITED'], [bank.S.id, 'INVITED'], [bank.X.id, 'INVITED']]);
  });

  it('lets an invited institution accept or decline, and refuses one not invited', async () => {
    const accepted = await run(RESPOND, { roadshowId, answer: 'ACCEPT' }, bank.S.token);
    expect(accepted.invitation).toMatchObject({ status: 'ACCEPTED', roadshow: { id: roadshowId }, institution: { id: bank.S.id } });
    expect((await run(RESPOND, { roadshowId, answer: 'DECLINE' }, investor.token)).invitation.status).toBe('DECLINED');
    expect(codes(await run(RESPOND, { roadshowId, answer: 'ACCEPT' }, bank.Y.token))).toEqual([['input.roadshowId', 'NOT_INVITED']]);
  });

  it('shows an institution the roadshows it is invited to, with its own invitation only', async () => {
    const seen = async (token: string) => (await app.gql(ROADSHOWS, {}, { token })).data.roadshows;
    const s = await seen(bank.S.token);
    expect(s.totalCount).toBe(1);
    expect(s.edges[0].node.invitations.map((i: any) => [i.institution.id, i.status])).toEqual([[bank.S.id, 'ACCEPTED']]);
    expect((await seen(bank.Y.token)).totalCount).toBe(0);
    const byAuthority = await seen(authority());
    expect(byAuthority.edges[0].node.invitations.map((i: any) => i.status)).toEqual(['DECLINED', 'ACCEPTED', 'INVITED']);
    expect((await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: roadshowId }, { token: bank.Y.token })).data.node).toBeNull();
  });
});

describe('RS4 — pitching firms', () => {
  it('refuses, all or nothing, firms that are neither whitelisted in the chain nor pitching an open need, naming which', async () => {
    // W would do; N, L and P may not pitch; O names P's need.
    const mixed = [
      { creditCode: firms.W.enterprise.creditCode },
      { creditCode: firms.N.enterprise.creditCode },
      { creditCode: firms.L.enterprise.creditCode },
      { creditCode: firms.P.enterprise.creditCode },
      { creditCode: firms.O.enterprise.creditCode, needId: openNeedP },
    ];
    const p = await run(PITCH, { roadshowId, pitches: [...mixed, { creditCode: '91350100M000100Y44' }, { creditCode: firms.W.enterprise.creditCode }] }, authority());
    expect(codes(await run(PITCH, { roadshowId, pitches: [] }, authority()))).toEqual([['input.pitches', 'REQUIRED']]);
    expect(codes(p)).toEqual([
      ['input.pitches.5.creditCode', 'INVALID_CREDIT_CODE'],
      ['input.pitches.6.creditCode', 'DUPLICATE_VALUE'],
    ]);
    const q = await run(PITCH, { roadshowId, pitches: mixed }, authority());
    expect(q.userErrors.map((e: any) => [e.field.join('.'), e.code, e.message])).toEqual([
      ['input.pitches.1.creditCode', 'NOT_ELIGIBLE_TO_PITCH', 'This firm is neither on a whitelist nor has an open need, so it cannot pitch'],
      ['input.pitches.2.creditCode', 'NOT_ELIGIBLE_TO_PITCH', 'This firm is on a whitelist but not in the HYDROGEN chain, and has no open need'],
      ['input.pitches.3.creditCode', 'NOT_ELIGIBLE_TO_PITCH', 'This firm is not on the whitelist for the HYDROGEN chain; it has 1 open need(s): name the one it pitches (needId)'],
      ['input.pitches.4.needId', 'NOT_FOUND', 'No such record'],
    ]);
    expect(await rowCount(app, 'roadshow_pitch')).toBe(0);
  });

  it('picks a whitelisted firm of the chain, and a firm pitching its open need', async () => {
    const p = await run(PITCH, { roadshowId, pitches: [{ creditCode: firms.W.enterprise.creditCode }, { creditCode: firms.O.enterprise.creditCode, needId: openNeedO }] }, authority());
    expect(p.userErrors).toEqual([]);
    expect(p.roadshow.pitches).toEqual([
      { basis: 'WHITELIST', enterprise: { creditCode: firms.W.enterprise.creditCode }, need: null },
      { basis: 'OPEN_NEED', enterprise: { creditCode: firms.O.enterprise.creditCode }, need: { id: openNeedO, amount: '3000000.00' } },
    ]);
  });

  it('refuses a firm twice, a need already at another roadshow and a need no longer open', async () => {
    expect(codes(await run(PITCH, { roadshowId, pitches: [{ creditCode: firms.W.enterprise.creditCode }] }, authority()))).toEqual([['input.pitches.0.creditCode', 'ALREADY_PITCHING']]);
    // Without a month, this month's.
    const scheduled = (await run(CREATE, { industryChain: 'AI', title: '人工智能产业链融资路演' }, authority())).roadshow;
    expect(scheduled.month).toBe(month);
    const other = scheduled.id;
    expect(codes(await run(PITCH, { roadshowId: other, pitches: [{ creditCode: firms.O.enterprise.creditCode, needId: openNeedO }] }, authority())))
      .toEqual([['input.pitches.0.needId', 'NEED_AT_OTHER_ROADSHOW']]);
    await mutate(app, firms.P.token, WITHDRAW_NEED, { needId: openNeedP });
    expect(codes(await run(PITCH, { roadshowId: other, pitches: [{ creditCode: firms.P.enterprise.creditCode, needId: openNeedP }] }, authority())))
      .toEqual([['input.pitches.0.needId', 'NEED_NOT_OPEN']]);
  });

  it('shows a firm its own pitch and no invitations', async () => {
    const node = (await app.gql(ROADSHOWS, { filter: { industryChain: 'HYDROGEN' } }, { token: firms.W.token })).data.roadshows.edges[0].node;
    expect(node.invitations).toEqual([]);
    expect(node.pitches.map((p: any) => p.enterprise.creditCode)).toEqual([firms.W.enterprise.creditCode]);
  });
});

describe('RS3 — attribution: needs posted for it, matches with attending institutions, loans', () => {
  let needW: string;

  it('refuses a need for a roadshow from a firm not pitching there, or on another channel, and writes nothing', async () => {
    const before = await rowCount(app, 'financing_need');
    expect(codes(await run(POST_NEED, { kind: 'LOAN', amount: '2000000', termMonths: 12, roadshowId }, firms.N.token))).toEqual([['input.roadshowId', 'NOT_PITCHING']]);
    expect(codes(await run(POST_NEED, { kind: 'LOAN', amount: '2000000', termMonths: 12, roadshowId, channel: 'WEB' }, firms.W.token))).toEqual([['input.channel', 'ROADSHOW_CHANNEL']]);
    expect(await rowCount(app, 'financing_need')).toBe(before);
  });

  it('refuses a need for it after its window (the database\'s day 31 days after the roadshow)', async () => {
    await setDatabaseDay(app.dataSource, daysFromToday(31));
    try {
      const p = await run(POST_NEED, { kind: 'LOAN', amount: '2000000', termMonths: 12, roadshowId }, firms.W.token);
      expect(p.userErrors).toEqual([expect.objectContaining({ field: ['input', 'roadshowId'], code: 'OUTSIDE_ROADSHOW_WINDOW', params: { from: `${month}-01`, to: daysFromToday(30) } })]);
      // Past its day, the answers and the pitches are fixed.
      expect(codes(await run(RESPOND, { roadshowId, answer: 'DECLINE' }, bank.S.token))).toEqual([['input.roadshowId', 'ROADSHOW_OVER']]);
    } finally {
      await resetDatabaseDay(app.dataSource);
    }
  });

  it('posts a pitching firm\'s need for the roadshow on channel ROADSHOW, and marks its match with the attending bank', async () => {
    const need = await mutate(app, firms.W.token, POST_NEED, { kind: 'LOAN', amount: '2000000', termMonths: 12, roadshowId });
    needW = need.id;
    expect(need.channel).toBe('ROADSHOW');
    const node = (await app.gql(NEED, { id: needW }, { token: authority() })).data.node;
    expect(node.roadshow).toEqual({ id: roadshowId });
    const byBank = Object.fromEntries(node.matches.edges.map((e: any) => [e.node.product.institution.id, e.node.roadshow]));
    expect(byBank).toEqual({ [bank.S.id]: { id: roadshowId }, [bank.X.id]: null });
    const pitched = (await app.gql(NEED, { id: openNeedO }, { token: authority() })).data.node;
    expect(pitched).toMatchObject({ channel: 'MINI_PROGRAM', roadshow: { id: roadshowId } });
  });

  it('attributes the loan on the attending bank\'s match, and counts the funnel', async () => {
    const matchOf = async (needId: string, bankId: string) =>
      (await app.gql(NEED, { id: needId }, { token: authority() })).data.node.matches.edges.map((e: any) => e.node).find((m: any) => m.product.institution.id === bankId).id;
    const wS = await matchOf(needW, bank.S.id);
    const wX = await matchOf(needW, bank.X.id);
    const oS = await matchOf(openNeedO, bank.S.id);
    await mutate(app, bank.S.token, MATCH_STEP, { matchId: wS, action: 'CONTACT' });
    await mutate(app, bank.S.token, MATCH_STEP, { matchId: oS, action: 'CONTACT' });
    await mutate(app, bank.X.token, MATCH_STEP, { matchId: wX, action: 'CONTACT' });
    await mutate(app, firms.W.token, APPLY, { matchId: wS });
    await mutate(app, bank.S.token, OUTCOME, { matchId: wS, outcome: 'APPROVED' });
    const { loan } = await run(OUTCOME, { matchId: wS, outcome: 'DISBURSED', principal: '2000000', annualRate: '0.045', termMonths: 12 }, bank.S.token);
    expect(loan).toMatchObject({ principal: '2000000.00', roadshow: { id: roadshowId } });

    const funnel = async (filter: Record<string, unknown>) => {
      const res = await app.gql(FUNNEL, { filter }, { token: staff(app).analyst });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data.stats.roadshows;
    };
    // By month, then chain: AI before HYDROGEN.
    const [ai, hydrogen] = await funnel({ from: `${month}-01`, to: daysFromToday(0) });
    // W and O pitch; W's need posted for it and O's pitched need; their matches with S (attending);
    // S contacted both, W applied, one loan of 2,000,000. X's contact on W is not the roadshow's.
    expect(hydrogen).toEqual({
      roadshow: { id: roadshowId, title: '千亿畅融·氢能产业链融资路演' }, invited: 3, attending: 1, pitchingFirms: 2,
      needs: 2, needsAmount: '5000000.00', matches: 2, contacted: 2, applied: 1, loans: 1, loansAmount: '2000000.00',
    });
    expect(ai).toMatchObject({ invited: 0, attending: 0, pitchingFirms: 0, needs: 0, needsAmount: '0.00', matches: 0, loans: 0 });
    // The region applies to the firms: none of them is in Beijing.
    expect((await funnel({ regionPrefix: '11' }))[1]).toMatchObject({ invited: 3, pitchingFirms: 0, needs: 0, matches: 0, loans: 0, loansAmount: '0.00' });
    expect(await funnel({ from: '2020-01-01', to: '2020-12-31' })).toEqual([]);
  });
});
