/**
 * Issue 17 §5 — what an authority reports on (docs/AUTHORITIES.md ST1–ST7), through the API, with every
 * figure worked out by hand below. The market, the firms, their needs and every step up to the loans and a
 * repayment go through the API (the engine proposes the matches, the loan service writes the ledger); then
 * the needs' posting times, the loans' disbursement times and their ledger entries' times are moved to
 * fixed instants in 2025 (Asia/Shanghai), so ranges and months are exact.
 *
 * Bank S: P1 credit loan (CREDIT_LOAN, no collateral), P2 mortgage loan (MORTGAGE_LOAN, REAL_ESTATE),
 * P3 guaranteed loan (GUARANTEED_LOAN, 0.5–5M) guaranteed by G under Anhui 4321 (coverage 0.8).
 * G: net assets 100,000,000 as of 2025-01-01, 80,000,000 as of 2025-03-15; opening liability 10,000,000.
 * Credit data as of 2025-01-01: A never had a bank loan (首贷户), B had one; C has none.
 *
 *   need firm (region, chain, size)      posted      amount     channel        what happened            loan (disbursed, rate)
 *   n0   D (110101, WIND_EQUIPMENT)      2024-12-20    800,000  MINI_PROGRAM   nothing
 *   n1   A (370212, HYDROGEN, SMALL)     2025-01-10  2,000,000  MINI_PROGRAM   P1 contact→disbursed     L1 2025-01-20 0.045  credit, first
 *   n2   A                               2025-02-01  5,000,000  WEB (+house)   P2 contact→disbursed     L2 2025-02-26 0.04   mortgage
 *   n7   D                               2025-02-10    900,000  MINI_PROGRAM   nothing
 *   n3   B (370202, AI, MEDIUM)          2025-02-05  4,000,000  MINI_PROGRAM   P3 contact→disbursed     L3 2025-03-10 0.05   guaranteed 3,200,000;
 *                                                                                                              2,000,000 repaid 2025-04-20
 *   n4   C (110108, no chain, SMALL)     2025-03-01  1,000,000  BANK_REFERRAL  P1 contact→disbursed     L4 2025-03-04 0.06   credit (C: no data)
 *   n5   B                               2025-03-15  3,000,000  MINI_PROGRAM   P1 contacted
 *   n6   A                               2025-04-01  5,000,000  WEB            P3 contact→disbursed     L6 2025-04-10 0.05   guaranteed 4,000,000
 */
import { toGlobalId, uuidOf } from '../../src/common/ids';
import { resetDatabaseDay, setDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, CREATE_PRODUCT, IMPORT_CREDIT, POST_NEED, registeredEnterprise, rowCount, staff, USER_ERRORS } from './fixtures';
import { CREATE_AGREEMENT, CREATE_SHARING, mutate, UPDATE_GUARANTOR } from './policy-fixtures';

const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id } ${USER_ERRORS} } }`;
const REPAY = `mutation($input: RecordRepaymentInput!) { recordRepayment(input: $input) { loan { id outstanding } ${USER_ERRORS} } }`;
const MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 20) { edges { node { id product { id } } } } } } }`;
const SET_TARGET = `mutation($input: SetTargetInput!) { setTarget(input: $input) { target { id name metric value startsOn deadline regionPrefix channel source } ${USER_ERRORS} } }`;

const LENDING = `query($filter: StatsFilter) { stats(filter: $filter) { lending {
  loans principal creditLoans creditLoanPrincipal creditLoanCountShare creditLoanAmountShare firstLoanBorrowers firstLoanPrincipal averageAnnualRate medianDaysToDisbursement } } }`;
const FUNNELS = `query($filter: StatsFilter) { stats(filter: $filter) {
  chains: funnelBy(dimension: INDUSTRY_CHAIN) { key needs amount matched contacted applied approved disbursed disbursedAmount }
  kinds: funnelBy(dimension: PRODUCT_KIND) { key needs amount matched contacted applied approved disbursed disbursedAmount } } }`;
const HISTORY = `query($filter: StatsFilter) { stats(filter: $filter) {
  amplificationHistory { guarantor { id } months { month liability netAssets amplificationMultiple } }
  guarantors { guarantor { id } liability } } }`;
const TARGETS = `{ stats { targets { target { name metric value } asOf achieved ratio remaining met closed } } }`;

let app: TestApp;
let today: string;
let bankToken: string;
let guarantorId: string;
const product: Record<'P1' | 'P2' | 'P3', string> = {} as never;
type Firm = Awaited<ReturnType<typeof registeredEnterprise>>;
const firms: Record<'A' | 'B' | 'C' | 'D', Firm> = {} as never;
const needs: Record<string, string> = {};
const loans: Record<string, string> = {};

const sh = (text: string) => `${text.replace(' ', 'T')}:00+08:00`;

async function query(document: string, variables: Record<string, unknown> = {}, token = staff(app).analyst) {
  const res = await app.gql(document, variables, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.stats;
}

async function post(name: string, firm: Firm, input: Record<string, unknown>, postedAt: string) {
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', termMonths: 12, ...input });
  needs[name] = need.id;
  await app.dataSource.query('UPDATE financing_need SET created_at = $2 WHERE id = $1', [uuidOf(need.id, 'FinancingNeed'), sh(postedAt)]);
}

async function matchOf(need: string, productId: string): Promise<string> {
  const res = await app.gql(MATCHES, { id: needs[need] }, { token: staff(app).authority });
  const match = res.data.node.matches.edges.map((e: any) => e.node).find((m: any) => m.product.id === productId);
  if (!match) throw new Error(`${need} has no match with ${productId}`);
  return match.id;
}

/** Contact, application, approval and disbursement through the API; the loan and its ledger entries then dated `at`. */
async function disburse(name: string, need: string, firm: Firm, productId: string, principal: string, annualRate: string, termMonths: number, at: string) {
  const matchId = await matchOf(need, productId);
  await mutate(app, bankToken, RESPOND, { matchId, action: 'CONTACT' });
  await mutate(app, firm.token, APPLY, { matchId });
  await mutate(app, bankToken, OUTCOME, { matchId, outcome: 'APPROVED' });
  const loan = await mutate(app, bankToken, OUTCOME, { matchId, outcome: 'DISBURSED', principal, annualRate, termMonths });
  const id = uuidOf(loan.id, 'Loan')!;
  loans[name] = id;
  await app.dataSource.query('UPDATE loan SET disbursed_at = $2, created_at = $2 WHERE id = $1', [id, sh(at)]);
  await app.dataSource.query('UPDATE ledger_entry SET at = $2 WHERE loan_id = $1', [id, sh(at)]);
}

beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_WORKER: '0' } });
  [{ today }] = await app.dataSource.query(`SELECT to_char(shanghai_today(), 'YYYY-MM-DD') AS today`);
  const { authority } = staff(app);
  const bank = await createInstitution(app, authority, { kind: 'BANK', name: '银行 S', regionCode: '370200' });
  bankToken = app.token({ sub: 'bank-S', role: 'BANK', institutionId: bank.id });
  const guarantor = await createInstitution(app, authority, {
    kind: 'GUARANTOR', name: '担保 G', guarantee: { netAssets: '100000000', netAssetsAsOf: '2025-01-01', feeRate: '0.01', openingLiability: '10000000' },
  });
  guarantorId = guarantor.id;
  const rule = await mutate(app, authority, CREATE_SHARING, {
    name: '安徽4321', shares: [{ party: 'GUARANTOR', share: '0.40' }, { party: 'RE_GUARANTOR', share: '0.30' }, { party: 'BANK', share: '0.20' }, { party: 'LOCAL_GOVERNMENT', share: '0.10' }],
  });
  await mutate(app, authority, CREATE_AGREEMENT, { bankId: bank.id, guarantorId, riskSharingRuleId: rule.id });
  const loanProduct = (input: Record<string, unknown>) => mutate(app, authority, CREATE_PRODUCT, {
    institutionId: bank.id, needKind: 'LOAN', minAmount: '500000', maxAmount: '20000000', minTermMonths: 1, maxTermMonths: 36, ...input,
  });
  product.P1 = (await loanProduct({ name: '信用贷', kind: 'CREDIT_LOAN', minAnnualRate: '0.04' })).id;
  product.P2 = (await loanProduct({ name: '抵押贷', kind: 'MORTGAGE_LOAN', minAnnualRate: '0.035', collateralAccepted: ['REAL_ESTATE'] })).id;
  product.P3 = (await loanProduct({ name: '担保贷', kind: 'GUARANTEED_LOAN', minAnnualRate: '0.045', maxAmount: '5000000', requiresGuarantee: true })).id;

  firms.A = await registeredEnterprise(app, { regionCode: '370212', industryChains: ['HYDROGEN'], employees: 50, revenue: '10000000.00' });
  firms.B = await registeredEnterprise(app, { regionCode: '370202', industryChains: ['AI'], employees: 500, revenue: '50000000.00' });
  firms.C = await registeredEnterprise(app, { regionCode: '110108', industryChains: [], employees: 50, revenue: '10000000.00' });
  firms.D = await registeredEnterprise(app, { regionCode: '110101', industryChains: ['WIND_EQUIPMENT'], employees: 50, revenue: '10000000.00' });
  expect([firms.A, firms.B, firms.C].map((f) => f.enterprise.sizeClass)).toEqual(['SMALL', 'MEDIUM', 'SMALL']);
  await mutate(app, authority, IMPORT_CREDIT, {
    source: 'PBOC', asOf: '2025-01-01', records: [{ creditCode: firms.A.enterprise.creditCode, hadBankLoan: false }, { creditCode: firms.B.enterprise.creditCode, hadBankLoan: true }],
  });

  await post('n0', firms.D, { amount: '800000', channel: 'MINI_PROGRAM' }, '2024-12-20 10:00');
  await post('n7', firms.D, { amount: '900000', channel: 'MINI_PROGRAM' }, '2025-02-10 10:00');
  await post('n1', firms.A, { amount: '2000000', channel: 'MINI_PROGRAM' }, '2025-01-10 10:00');
  await post('n2', firms.A, { amount: '5000000', channel: 'WEB', collateralOffered: ['REAL_ESTATE'] }, '2025-02-01 10:00');
  await post('n3', firms.B, { amount: '4000000', termMonths: 24, channel: 'MINI_PROGRAM' }, '2025-02-05 10:00');
  await post('n4', firms.C, { amount: '1000000', channel: 'BANK_REFERRAL' }, '2025-03-01 10:00');
  await post('n5', firms.B, { amount: '3000000', channel: 'MINI_PROGRAM' }, '2025-03-15 10:00');
  // What the engine proposed before anything happened: P1 and P3 to every need, P2 to the one offering a house.
  const [{ pairs }] = await app.dataSource.query(
    `SELECT string_agg(p.kind, ',' ORDER BY p.kind) FILTER (WHERE m.need_id = $1) AS pairs FROM match m JOIN product p ON p.id = m.product_id`, [uuidOf(needs.n2, 'FinancingNeed')]);
  expect(pairs).toBe('CREDIT_LOAN,GUARANTEED_LOAN,MORTGAGE_LOAN');

  await disburse('L1', 'n1', firms.A, product.P1, '2000000', '0.045', 12, '2025-01-20 10:00');
  await disburse('L2', 'n2', firms.A, product.P2, '5000000', '0.04', 12, '2025-02-26 10:00');
  await disburse('L3', 'n3', firms.B, product.P3, '4000000', '0.05', 24, '2025-03-10 10:00');
  await disburse('L4', 'n4', firms.C, product.P1, '1000000', '0.06', 12, '2025-03-04 10:00');
  await mutate(app, bankToken, RESPOND, { matchId: await matchOf('n5', product.P1), action: 'CONTACT' });
  await post('n6', firms.A, { amount: '5000000', channel: 'WEB' }, '2025-04-01 10:00');
  await disburse('L6', 'n6', firms.A, product.P3, '5000000', '0.05', 12, '2025-04-10 10:00');
  // L3: 2,000,000 repaid on 2025-04-20 releases 1,600,000 of G's guarantee (0.8 of it).
  const repaid = await mutate(app, bankToken, REPAY, { loanId: toGlobalId('Loan', loans.L3), principalRepaid: '2000000' });
  expect(repaid.outstanding).toBe('2000000.00');
  await app.dataSource.query(`UPDATE ledger_entry SET at = $2 WHERE loan_id = $1 AND kind IN ('REPAYMENT', 'GUARANTEE_RELEASE')`, [loans.L3, sh('2025-04-20 10:00')]);
  await mutate(app, authority, UPDATE_GUARANTOR, { institutionId: guarantorId, netAssets: '80000000', netAssetsAsOf: '2025-03-15' });
});
afterAll(() => app?.close());

describe('ST1–ST4 — lending: credit-loan share, first loans, average rate, days to money', () => {
  it('over the first quarter: L1–L4', async () => {
    // Credit loans L1 and L4 (L2 is a mortgage, L3 guaranteed): 2 of 4, 3,000,000 of 12,000,000.
    // First loan: L1 only (A never had one; B had; C has no data). Rate: (2M×0.045 + 5M×0.04 + 4M×0.05 + 1M×0.06) / 12M
    // = 550,000 / 12,000,000 = 0.0458333… Days: n1 10, n2 25, n3 33, n4 3 → median (10 + 25) / 2.
    expect((await query(LENDING, { filter: { from: '2025-01-01', to: '2025-03-31' } })).lending).toEqual({
      loans: 4, principal: '12000000.00', creditLoans: 2, creditLoanPrincipal: '3000000.00', creditLoanCountShare: '0.50', creditLoanAmountShare: '0.25',
      firstLoanBorrowers: 1, firstLoanPrincipal: '2000000.00', averageAnnualRate: '0.045833', medianDaysToDisbursement: '17.50',
    });
  });

  it('in Qingdao (3702): L1–L3', async () => {
    // 1 of 3 → 0.333333; 2,000,000 of 11,000,000 → 0.181818; 490,000 / 11,000,000 = 0.0445454…; days 10, 25, 33.
    expect((await query(LENDING, { filter: { from: '2025-01-01', to: '2025-03-31', regionPrefix: '3702' } })).lending).toEqual({
      loans: 3, principal: '11000000.00', creditLoans: 1, creditLoanPrincipal: '2000000.00', creditLoanCountShare: '0.333333', creditLoanAmountShare: '0.181818',
      firstLoanBorrowers: 1, firstLoanPrincipal: '2000000.00', averageAnnualRate: '0.044545', medianDaysToDisbursement: '25.00',
    });
  });

  it('over everything: L6 is A\'s third loan, guaranteed, 9 days after its posting', async () => {
    // 3,000,000 / 17,000,000 = 0.17647058…; 800,000 / 17,000,000 = 0.04705882…; days 3, 9, 10, 25, 33.
    expect((await query(LENDING)).lending).toEqual({
      loans: 5, principal: '17000000.00', creditLoans: 2, creditLoanPrincipal: '3000000.00', creditLoanCountShare: '0.40', creditLoanAmountShare: '0.176471',
      firstLoanBorrowers: 1, firstLoanPrincipal: '2000000.00', averageAnnualRate: '0.047059', medianDaysToDisbursement: '10.00',
    });
  });

  it('has no shares, rate or median without loans', async () => {
    expect((await query(LENDING, { filter: { from: '2024-01-01', to: '2024-12-31' } })).lending).toEqual({
      loans: 0, principal: '0.00', creditLoans: 0, creditLoanPrincipal: '0.00', creditLoanCountShare: null, creditLoanAmountShare: null,
      firstLoanBorrowers: 0, firstLoanPrincipal: '0.00', averageAnnualRate: null, medianDaysToDisbursement: null,
    });
  });
});

describe('ST5 — the funnel per industry chain and per product kind', () => {
  it('over the needs posted in the first quarter (n1–n5, n7)', async () => {
    const s = await query(FUNNELS, { filter: { from: '2025-01-01', to: '2025-03-31' } });
    const rows = (groups: any[]) => groups.map((g) => [g.key, g.needs, g.amount, g.matched, g.contacted, g.applied, g.approved, g.disbursed, g.disbursedAmount]);
    expect(rows(s.chains)).toEqual([
      ['AI', 2, '7000000.00', 2, 2, 1, 1, 1, '4000000.00'],
      ['HYDROGEN', 2, '7000000.00', 2, 2, 2, 2, 2, '7000000.00'],
      ['NONE', 1, '1000000.00', 1, 1, 1, 1, 1, '1000000.00'],
      ['WIND_EQUIPMENT', 1, '900000.00', 1, 0, 0, 0, 0, '0.00'],
    ]);
    // By the kind of the matched product: P1 and P3 were matched to all six needs, P2 to n2 only.
    expect(rows(s.kinds)).toEqual([
      ['CREDIT_LOAN', 6, '15900000.00', 6, 3, 2, 2, 2, '3000000.00'],
      ['GUARANTEED_LOAN', 6, '15900000.00', 6, 1, 1, 1, 1, '4000000.00'],
      ['MORTGAGE_LOAN', 1, '5000000.00', 1, 1, 1, 1, 1, '5000000.00'],
    ]);
  });
});

describe('ST6 — each guarantor\'s amplification by month, from the ledger', () => {
  it('states G\'s liability and multiple at each month\'s end, and ends on today\'s figure', async () => {
    const s = await query(HISTORY, { filter: { from: '2024-12-01', to: '2025-05-31' } });
    const g = s.amplificationHistory.find((h: any) => h.guarantor.id === guarantorId);
    // Opening 10,000,000; March: + L3's 3,200,000 (B medium, weight 1.0); April: − 1,600,000 released,
    // + L6's 4,000,000 × 0.75 (A small, ≤ 5,000,000) = 3,000,000. Net assets 100M from 2025-01-01, 80M from 2025-03-15.
    expect(g.months).toEqual([
      { month: '2024-12', liability: '10000000.00', netAssets: null, amplificationMultiple: null },
      { month: '2025-01', liability: '10000000.00', netAssets: '100000000.00', amplificationMultiple: '0.10' },
      { month: '2025-02', liability: '10000000.00', netAssets: '100000000.00', amplificationMultiple: '0.10' },
      { month: '2025-03', liability: '13200000.00', netAssets: '80000000.00', amplificationMultiple: '0.165' },
      { month: '2025-04', liability: '14600000.00', netAssets: '80000000.00', amplificationMultiple: '0.1825' },
      { month: '2025-05', liability: '14600000.00', netAssets: '80000000.00', amplificationMultiple: '0.1825' },
    ]);
    expect(s.guarantors.find((x: any) => x.guarantor.id === guarantorId).liability).toBe('14600000.00');
  });

  it('defaults to the 12 months up to the current one, and refuses more than 120', async () => {
    const months = (await query(HISTORY)).amplificationHistory[0].months.map((m: any) => m.month);
    expect(months).toHaveLength(12);
    expect(months[11]).toBe(today.slice(0, 7));
    const res = await app.gql(HISTORY, { filter: { from: '2010-01-01', to: '2025-01-31' } }, { token: staff(app).analyst });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('ST7 — targets an authority sets, and progress from the data', () => {
  const seed003 = { startsOn: '2025-01-01', deadline: '2027-12-31', source: '北京市中小企业公共服务体系提质增效工作方案 二.(三).1' };

  it('refuses a deadline before the start or in the past, a fraction of a firm, a bad region or channel, and one set twice; analysts cannot set one', async () => {
    const { authority } = staff(app);
    const refusal = async (input: Record<string, unknown>) => {
      const res = await app.gql(SET_TARGET, { input: { name: 'x', metric: 'NEW_FIRMS_POSTING_NEEDS', value: '10', ...seed003, ...input } }, { token: authority });
      return res.data.setTarget.userErrors.map((e: any) => [e.field.join('.'), e.code]);
    };
    expect(await refusal({ deadline: '2024-12-31' })).toEqual([['input.deadline', 'DEADLINE_BEFORE_START']]);
    expect(await refusal({ deadline: '2025-12-31' })).toEqual([['input.deadline', 'DATE_IN_PAST']]);
    expect(await refusal({ value: '10.5' })).toEqual([['input.value', 'NOT_A_COUNT']]);
    expect(await refusal({ value: '0' })).toEqual([['input.value', 'OUT_OF_RANGE']]);
    expect(await refusal({ regionPrefix: '370', channel: 'FAX' })).toEqual([['input.regionPrefix', 'INVALID_REGION_PREFIX'], ['input.channel', 'INVALID_CHANNEL']]);
    expect(await rowCount(app, 'authority_target')).toBe(0);
    expect(await refusal({ regionPrefix: '32' })).toEqual([]);
    expect(await refusal({ regionPrefix: '32' })).toEqual([['input.metric', 'TARGET_EXISTS']]);
    const res = await app.gql(SET_TARGET, { input: { name: 'x', metric: 'NEW_FIRMS_POSTING_NEEDS', value: '10', ...seed003 } }, { token: staff(app).analyst });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await app.dataSource.query('DELETE FROM authority_target');
  });

  it('counts seed 003\'s targets and three more from the data', async () => {
    const { authority } = staff(app);
    const set = (input: Record<string, unknown>) => mutate(app, authority, SET_TARGET, { ...seed003, ...input });
    await set({ name: '新增1000家中小企业通过小程序发布融资需求', metric: 'NEW_FIRMS_POSTING_NEEDS', value: '1000', channel: 'MINI_PROGRAM' });
    await set({ name: '意向融资额超10亿', metric: 'INTENDED_FINANCING_AMOUNT', value: '1000000000', channel: 'MINI_PROGRAM' });
    await set({ name: '青岛新增发布需求企业', metric: 'NEW_FIRMS_POSTING_NEEDS', value: '10', regionPrefix: '3702' });
    await set({ name: '青岛放款', metric: 'LOANS_DISBURSED_AMOUNT', value: '20000000', regionPrefix: '3702' });
    await set({ name: '首贷户', metric: 'FIRST_LOAN_BORROWERS', value: '1' });
    const progress = (await query(TARGETS)).targets.map((t: any) => [t.target.name, t.asOf, t.achieved, t.ratio, t.remaining, t.met, t.closed]);
    expect(progress).toEqual([
      // A (n1) and B (n3) posted their first mini-program need in the window; D's first was n0, in 2024.
      ['新增1000家中小企业通过小程序发布融资需求', today, '2.00', '0.002', '998.00', false, false],
      // n1 2,000,000 + n3 4,000,000 + n5 3,000,000 + n7 900,000 = 9,900,000.
      ['意向融资额超10亿', today, '9900000.00', '0.0099', '990100000.00', false, false],
      // A and B: in Qingdao, their first needs in the window on any channel.
      ['青岛新增发布需求企业', today, '2.00', '0.20', '8.00', false, false],
      // L1 2,000,000 + L2 5,000,000 + L3 4,000,000 + L6 5,000,000 (C's L4 is in Beijing).
      ['青岛放款', today, '16000000.00', '0.80', '4000000.00', false, false],
      ['首贷户', today, '1.00', '1.00', '0.00', true, false],
    ]);
  });

  it('shows a target by id to analysts and authorities only', async () => {
    const [{ id }] = await app.dataSource.query('SELECT id FROM authority_target LIMIT 1');
    const seen = async (token: string) => (await app.gql('query($id: ID!) { node(id: $id) { __typename } }', { id: toGlobalId('AuthorityTarget', id) }, { token })).data.node;
    for (const token of [staff(app).analyst, staff(app).authority]) expect(await seen(token)).toEqual({ __typename: 'AuthorityTarget' });
    for (const token of [bankToken, firms.A.token]) expect(await seen(token)).toBeNull();
  });

  it('counts to the deadline once it has passed, and only then says the target is closed', async () => {
    await mutate(app, staff(app).authority, SET_TARGET, { name: '到今天放款', metric: 'LOANS_DISBURSED_AMOUNT', value: '10000000', startsOn: '2025-01-01', deadline: today });
    const progress = async () => {
      const t = (await query(TARGETS)).targets.find((x: any) => x.target.name === '到今天放款');
      return [t.asOf, t.achieved, t.met, t.closed];
    };
    // L1 + L2 + L3 + L4 + L6, every loan, all disbursed before today.
    expect(await progress()).toEqual([today, '17000000.00', true, false]);
    const [{ tomorrow }] = await app.dataSource.query(`SELECT to_char($1::date + 1, 'YYYY-MM-DD') AS tomorrow`, [today]);
    await setDatabaseDay(app.dataSource, tomorrow);
    try {
      expect(await progress()).toEqual([today, '17000000.00', true, true]);
    } finally {
      await resetDatabaseDay(app.dataSource);
    }
  });
});
