/**
 * Issue 5 item 5 — `stats` for analysts and authorities: needs by chain, region, size class, month and
 * channel; the funnel; institutions' activity with their median response time; guarantors' amplification
 * (R6); pools (R8); subsidies (R9); loans — over a date range (Asia/Shanghai days) and a region, with
 * nothing personal in any of it.
 *
 * The market, the firms and their needs go through the API, and the engine proposes the matches when
 * each need is posted. What happens afterwards (match steps, loans, guarantees, pool figures, the ledger,
 * subsidy bookings) is written with SQL as the lifecycle and loan services write it, at fixed times in
 * 2025, so every figure below is exact. The match worker is off: no background refresh or deadline sweep
 * touches those rows.
 *
 *   need  firm (region, chains, size)        posted (+08:00)    amount      channel        matches → what happened
 *   n1    A (370212, HYDROGEN+AI, SMALL)     2025-01-10 10:00   2,000,000   MINI_PROGRAM   S declined (4 h); T contacted (2 h), approved, disbursed L1 (pool; defaulted)
 *   n2    A                                  2025-01-31 23:30   5,000,000   WEB            S contacted (10.25 h), approved, disbursed L2 (guaranteed; repaid)
 *   n3    B (370202, no chain, MICRO)        2025-02-01 00:10   1,000,000   BANK_REFERRAL  S lapsed; T contacted (30 h)
 *   n4    C (110108, AI, MEDIUM)             2025-02-15 09:00   30,000,000  ROADSHOW       none
 *   n5    D (370211, WIND_EQUIPMENT, ?)      2025-03-05 09:00   10,000,000  WEB            none (equity; D's profile unknown)
 *   n6    A                                  2025-03-10 09:00   3,000,000   MINI_PROGRAM   S viewed; T contacted (1 h), approved, disbursed L4 (pool; active)
 *   n7    C                                  2025-03-15 09:00   4,000,000   WEB            S proposed
 *   n8    B                                  2025-03-20 09:00   1,500,000   WEB            S proposed; T contacted (6.5 h), approved
 */
import { toGlobalId, uuidOf } from '../../src/common/ids';
import { transition, type MatchAction } from '../../src/matching/lifecycle.rules';
import type { MatchStatus } from '../../src/matching/match.rules';
import { startTestApp, TestApp } from '../support/harness';
import { CREATE_PRODUCT, createInstitution, POST_NEED, registeredEnterprise, staff } from './fixtures';
import { CREATE_POOL, CREATE_RULE, Market, mutate, setUpMarket } from './policy-fixtures';

let app: TestApp;
let market: Market;
let bankT: { id: string; name: string };
let guarantorU: { id: string; name: string };
let spare: { id: string; name: string };
type Firm = Awaited<ReturnType<typeof registeredEnterprise>>;
const firms: Record<'A' | 'B' | 'C' | 'D', Firm> = {} as never;

const STATS = `query($filter: StatsFilter) { stats(filter: $filter) {
  needs { count amount }
  chains: needsBy(dimension: INDUSTRY_CHAIN) { key count amount }
  regions: needsBy(dimension: REGION) { key count amount }
  sizes: needsBy(dimension: SIZE_CLASS) { key count amount }
  months: needsBy(dimension: MONTH) { key count amount }
  channels: needsBy(dimension: CHANNEL) { key count amount }
  funnel { posted matched contacted approved disbursed disbursedAmount }
  institutions { institution { id name } proposed viewed contacted declined overdue approved disbursed medianResponseHours }
  guarantors { guarantor { id name } netAssets liability amplificationMultiple capMultiple targetMultiple remainingCapacity singleBorrowerLimit status liveGuarantees guaranteedOutstanding }
  pools { pool { id name } capacity reserved paid available loans reserveHeld compensationPaid }
  subsidies { kind payee payeeId payeeName bookings amount }
  loans { count principal outstanding repaid defaulted netLoss compensationPaid }
} }`;

/** A Shanghai wall-clock time as an instant. */
const sh = (text: string) => `${text.replace(' ', 'T')}:00+08:00`;
const hoursAfter = (text: string, hours: number) => new Date(new Date(sh(text)).getTime() + hours * 3_600_000).toISOString();

async function stats(filter?: Record<string, unknown>, token = staff(app).analyst) {
  const res = await app.gql(STATS, { filter }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.stats;
}

const groups = (rows: { key: string; count: number; amount: string }[]) => rows.map((r) => [r.key, r.count, r.amount]);

beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_WORKER: '0' } });
  const { authority } = staff(app);
  market = await setUpMarket(app, 'S');
  bankT = await createInstitution(app, authority, { kind: 'BANK', name: '银行 T', regionCode: '370200' });
  await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: bankT.id, name: '小微贷 T', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '500000', maxAmount: '3000000',
    minTermMonths: 1, maxTermMonths: 36, minAnnualRate: '0.04',
  });
  // E3's second guarantor: net assets 100,000,000 and liability 998,000,000 leave 2,000,000.
  guarantorU = await createInstitution(app, authority, { kind: 'GUARANTOR', name: '担保 U', guarantee: { netAssets: '100000000', feeRate: '0.02', openingLiability: '998000000' } });
  spare = await mutate(app, authority, CREATE_POOL, { name: '备用池', capacity: '50000000' });
  await mutate(app, authority, CREATE_RULE, { code: 'INT-S', kind: 'INTEREST_SUBSIDY', params: { ratio: '0.3' }, eligibility: { national: true } });
  await mutate(app, authority, CREATE_RULE, { code: 'LEASE-S', kind: 'LEASING_SUBSIDY', params: { ratio: '0.02' }, eligibility: { national: true } });

  firms.A = await registeredEnterprise(app, {
    regionCode: '370212', industryChains: ['HYDROGEN', 'AI'], employees: 500, revenue: '10000000.00',
    contact: { person: '王甲', phone: '0532-11110001', email: 'a@firm-a.invalid' },
  }, { attested: { sectorTags: ['EMERGING'] } });
  firms.B = await registeredEnterprise(app, { regionCode: '370202', industryChains: [], employees: 5, revenue: '1000000.00', contact: { person: '李乙', phone: '0532-11110002', email: 'b@firm-b.invalid' } });
  firms.C = await registeredEnterprise(app, { regionCode: '110108', industryChains: ['AI'], employees: 500, revenue: '50000000.00', contact: { person: '赵丙', phone: '010-11110003', email: 'c@firm-c.invalid' } });
  firms.D = await registeredEnterprise(app, { regionCode: '370211', industryChains: ['WIND_EQUIPMENT'], contact: { person: '钱丁', phone: '0532-11110004', email: 'd@firm-d.invalid' } });
  expect([firms.A, firms.B, firms.C].map((f) => f.enterprise.sizeClass)).toEqual(['SMALL', 'MICRO', 'MEDIUM']);

  const loan = (amount: string, channel: string) => ({ kind: 'LOAN', amount, termMonths: 12, channel });
  const posts: [string, Firm, Record<string, unknown>, string][] = [
    ['n1', firms.A, loan('2000000', 'MINI_PROGRAM'), '2025-01-10 10:00'],
    ['n2', firms.A, loan('5000000', 'WEB'), '2025-01-31 23:30'],
    ['n3', firms.B, loan('1000000', 'BANK_REFERRAL'), '2025-02-01 00:10'],
    ['n4', firms.C, loan('30000000', 'ROADSHOW'), '2025-02-15 09:00'],
    ['n5', firms.D, { kind: 'EQUITY', amount: '10000000', channel: 'WEB', equity: { stage: 'SERIES_A', preMoneyValuation: '50000000', maxShareOffered: '0.2' } }, '2025-03-05 09:00'],
    ['n6', firms.A, loan('3000000', 'MINI_PROGRAM'), '2025-03-10 09:00'],
    ['n7', firms.C, loan('4000000', 'WEB'), '2025-03-15 09:00'],
    ['n8', firms.B, loan('1500000', 'WEB'), '2025-03-20 09:00'],
  ];
  const needs: Record<string, string> = {};
  const db = app.dataSource;
  for (const [name, firm, input, posted] of posts) {
    const need = await mutate(app, firm.token, POST_NEED, input);
    const id = uuidOf(need.id, 'FinancingNeed')!;
    needs[name] = id;
    // Posted at its 2025 time; the engine's proposals (and the need's first match) an hour later.
    await db.query(
      `UPDATE financing_need SET created_at = $2, first_matched_at = CASE WHEN first_matched_at IS NULL THEN NULL ELSE $3::timestamptz END WHERE id = $1`,
      [id, sh(posted), hoursAfter(posted, 1)],
    );
    await db.query(`UPDATE match SET created_at = $2 WHERE need_id = $1`, [id, hoursAfter(posted, 1)]);
  }
  await db.query(`UPDATE enterprise SET profile_known = false WHERE id = $1`, [uuidOf(firms.D.enterprise.id, 'Enterprise')]);

  const S = uuidOf(market.bank.id, 'Institution')!;
  const T = uuidOf(bankT.id, 'Institution')!;
  const rows: { id: string; need_id: string; institution_id: string; product_id: string }[] = await db.query('SELECT id, need_id, institution_id, product_id FROM match');
  const matchOf = (need: string, institution: string) => rows.find((r) => r.need_id === needs[need] && r.institution_id === institution)!;
  // What the engine proposed: the guaranteed loan (1–5M) of bank S and T's 0.5–3M credit loan; S's credit loan wants a rating.
  expect(rows.map((r) => `${Object.keys(needs).find((k) => needs[k] === r.need_id)}${r.institution_id === S ? 'S' : 'T'}`).sort()).toEqual(
    ['n1S', 'n1T', 'n2S', 'n3S', 'n3T', 'n6S', 'n6T', 'n7S', 'n8S', 'n8T'],
  );

  /** Records a match's steps as the lifecycle does: events, the final status, and the first contact or decline. */
  async function steps(need: string, institution: string, ...actions: [MatchAction, string][]) {
    const m = matchOf(need, institution);
    let status: MatchStatus = 'PROPOSED';
    let responded: string | null = null;
    for (const [action, at] of actions) {
      const t = transition(action, status);
      if (t.kind !== 'step') throw new Error(`${action} from ${status}`);
      await db.query(
        `INSERT INTO match_event (match_id, need_id, institution_id, action, from_status, to_status, decline_reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'test', $8)`,
        [m.id, m.need_id, m.institution_id, action, status, t.to, action === 'DECLINE' ? 'OTHER' : null, sh(at)],
      );
      if ((action === 'CONTACT' || action === 'DECLINE') && !responded) responded = sh(at);
      status = t.to;
    }
    await db.query(`UPDATE match SET status = $2, responded_at = $3, status_changed_at = $4 WHERE id = $1`, [m.id, status, responded, sh(actions[actions.length - 1][1])]);
    return m;
  }
  await steps('n1', S, ['VIEW', '2025-01-10 11:30'], ['DECLINE', '2025-01-10 15:00']);
  const m1T = await steps('n1', T, ['VIEW', '2025-01-10 11:30'], ['CONTACT', '2025-01-10 13:00'], ['APPLY', '2025-01-11 13:00'], ['APPROVE', '2025-01-12 13:00'], ['DISBURSE', '2025-01-20 10:00']);
  const m2S = await steps('n2', S, ['VIEW', '2025-02-01 01:00'], ['CONTACT', '2025-02-01 10:45'], ['APPLY', '2025-02-02 10:00'], ['APPROVE', '2025-02-03 10:00'], ['DISBURSE', '2025-02-10 10:00']);
  await steps('n3', S, ['LAPSE', '2025-02-03 01:10']);
  await steps('n3', T, ['VIEW', '2025-02-01 01:40'], ['CONTACT', '2025-02-02 07:10']);
  await steps('n6', S, ['VIEW', '2025-03-10 10:30']);
  const m6T = await steps('n6', T, ['CONTACT', '2025-03-10 11:00'], ['APPLY', '2025-03-11 10:00'], ['APPROVE', '2025-03-12 10:00'], ['DISBURSE', '2025-03-20 10:00']);
  await steps('n8', T, ['VIEW', '2025-03-20 10:30'], ['CONTACT', '2025-03-20 16:30'], ['APPLY', '2025-03-21 10:00'], ['APPROVE', '2025-03-22 10:00']);

  const A = uuidOf(firms.A.enterprise.id, 'Enterprise')!;
  const B = uuidOf(firms.B.enterprise.id, 'Enterprise')!;
  const C = uuidOf(firms.C.enterprise.id, 'Enterprise')!;
  const guarantorS = uuidOf(market.guarantor.id, 'Institution')!;
  const U = uuidOf(guarantorU.id, 'Institution')!;
  const poolS = uuidOf(market.pool.id, 'RiskCompensationPool')!;
  const rule = async (code: string): Promise<string> => (await db.query('SELECT id FROM policy_rule WHERE code = $1 AND latest', [code]))[0].id;
  const [{ id: sharing }] = await db.query('SELECT id FROM risk_sharing_rule');

  const insertLoan = async (m: typeof m1T, fields: Record<string, unknown>): Promise<string> => {
    const all: Record<string, unknown> = { match_id: m.id, need_id: m.need_id, enterprise_id: A, institution_id: m.institution_id, product_id: m.product_id, annual_rate: '0.045', term_months: 12, recorded_by: 'test', ...fields };
    // A loan stores its first day and maturity (issue 17 §2), as a disbursement would: the Shanghai day it was disbursed, plus the term.
    [{ starts_on: all.starts_on, maturity: all.maturity }] = await db.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS starts_on, to_char(d + make_interval(months => $2), 'YYYY-MM-DD') AS maturity
         FROM (SELECT ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS d) x`, [all.disbursed_at, all.term_months]);
    const columns = Object.keys(all);
    const [{ id }] = await db.query(
      `INSERT INTO loan (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(all),
    );
    return id;
  };
  // L1: T's credit loan to A (EMERGING), Qingdao pool reserve 5 % (E4); defaulted with a net loss of 1,000,000: payout = the reserve.
  const L1 = await insertLoan(m1T, {
    principal: '2000000', outstanding: '1200000', status: 'DEFAULTED', pool_id: poolS, pool_rule_id: await rule('QD-RC-S'), reserve: '100000', reserve_held: '0',
    compensation_paid: '100000', net_loss: '1000000', loss_split: JSON.stringify([{ party: 'BANK', amount: '900000.00' }, { party: 'POOL', amount: '100000.00' }]),
    disbursed_at: sh('2025-01-20 10:00'), closed_at: sh('2025-06-30 10:00'),
  });
  // L2: S's guaranteed loan to A, 80 % guaranteed by 担保 S under Anhui 4321 (E5); repaid.
  const L2 = await insertLoan(m2S, {
    principal: '5000000', outstanding: '0', status: 'REPAID', guarantor_id: guarantorS, coverage_ratio: '0.8', guarantee_fee_rate: '0.01', guaranteed_amount: '4000000',
    risk_sharing_rule_id: sharing, disbursed_at: sh('2025-02-10 10:00'), closed_at: sh('2025-12-31 10:00'),
  });
  // L4: T's credit loan to A, pool reserve 150,000 still held.
  const L4 = await insertLoan(m6T, {
    principal: '3000000', outstanding: '3000000', status: 'ACTIVE', pool_id: poolS, pool_rule_id: await rule('QD-RC-S'), reserve: '150000', reserve_held: '150000',
    disbursed_at: sh('2025-03-20 10:00'),
  });
  const ledger: [string, string, string, string | null, string, string][] = [
    [L1, 'DISBURSEMENT', 'BANK', T, '2000000', '2025-01-20 10:00'],
    [L1, 'RESERVE', 'POOL', poolS, '100000', '2025-01-20 10:00'],
    [L1, 'REPAYMENT', 'ENTERPRISE', A, '800000', '2025-04-20 10:00'],
    [L1, 'CLAIM_PAYOUT', 'POOL', poolS, '100000', '2025-06-30 10:00'],
    [L2, 'DISBURSEMENT', 'BANK', S, '5000000', '2025-02-10 10:00'],
    [L2, 'GUARANTEE', 'GUARANTOR', guarantorS, '4000000', '2025-02-10 10:00'],
    [L2, 'REPAYMENT', 'ENTERPRISE', A, '5000000', '2025-12-31 10:00'],
    [L2, 'GUARANTEE_RELEASE', 'GUARANTOR', guarantorS, '4000000', '2025-12-31 10:00'],
    [L4, 'DISBURSEMENT', 'BANK', T, '3000000', '2025-03-20 10:00'],
    [L4, 'RESERVE', 'POOL', poolS, '150000', '2025-03-20 10:00'],
  ];
  for (const [loanId, kind, party, partyId, amount, at] of ledger) {
    await db.query('INSERT INTO ledger_entry (loan_id, kind, party, party_id, amount, at) VALUES ($1, $2, $3, $4, $5, $6)', [loanId, kind, party, partyId, amount, sh(at)]);
  }
  await db.query('UPDATE risk_compensation_pool SET reserved = 150000, paid = 100000 WHERE id = $1', [poolS]);

  // 担保 S's guarantees: L2's (released) and two carried in; its liability is their weighted outstanding (R6: C MEDIUM 1.0, B MICRO 0.75).
  const guarantees: [string, string, string, string, string, string | null, string][] = [
    [guarantorS, A, '4000000', '0', 'RELEASED', L2, '2025-02-10 10:00'],
    [guarantorS, C, '2000000', '2000000', 'LIVE', null, '2025-03-01 10:00'],
    [guarantorS, B, '1000000', '800000', 'LIVE', null, '2025-02-05 10:00'],
  ];
  for (const [guarantor, enterprise, guaranteed, outstanding, status, loanId, at] of guarantees) {
    await db.query(
      'INSERT INTO guarantee (guarantor_id, enterprise_id, guaranteed_amount, outstanding, status, loan_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [guarantor, enterprise, guaranteed, outstanding, status, loanId, sh(at)],
    );
  }
  await db.query('UPDATE guarantor_profile SET liability = 2600000 WHERE institution_id = $1', [guarantorS]);

  const bookings: [string, string, string, string, string, string | null, string][] = [
    ['GUARANTEE_FEE_SUBSIDY', 'FEE-S', 'GUARANTOR', guarantorS, '47000', L2, '2025-02-10 10:00'],
    ['GUARANTEE_RISK_SUBSIDY', 'RISK-S', 'GUARANTOR', guarantorS, '60000', L2, '2025-02-10 10:00'],
    ['INTEREST_SUBSIDY', 'INT-S', 'ENTERPRISE', A, '12000', L1, '2025-01-20 10:00'],
    ['INTEREST_SUBSIDY', 'INT-S', 'ENTERPRISE', A, '18000', L4, '2025-03-20 10:00'],
    ['LEASING_SUBSIDY', 'LEASE-S', 'ENTERPRISE', C, '200000', null, '2025-03-01 10:00'],
    ['GUARANTEE_FEE_SUBSIDY', 'FEE-S', 'GUARANTOR', U, '80000', null, '2025-03-05 10:00'],
  ];
  for (const [kind, code, payee, payeeId, amount, loanId, at] of bookings) {
    await db.query(
      `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year, booked_at, loan_id, rule_version) VALUES ($1, $2, $3, $4, $5, 2025, $6, $7, $8)`,
      [kind, await rule(code), payee, payeeId, amount, sh(at), loanId, `${code}@v1`],
    );
  }
});
afterAll(() => app?.close());

describe('needs — by chain, region, size class, month and channel', () => {
  it('counts every need posted, with its amount, and groups them by each dimension sorted by key', async () => {
    const s = await stats();
    expect(s.needs).toEqual({ count: 8, amount: '56500000.00' });
    // A need counts once per chain of its firm: A's three needs are under HYDROGEN and AI.
    expect(groups(s.chains)).toEqual([['AI', 5, '44000000.00'], ['HYDROGEN', 3, '10000000.00'], ['NONE', 2, '2500000.00'], ['WIND_EQUIPMENT', 1, '10000000.00']]);
    expect(groups(s.regions)).toEqual([['110000', 2, '34000000.00'], ['370000', 6, '22500000.00']]);
    expect(groups(s.sizes)).toEqual([['MEDIUM', 2, '34000000.00'], ['MICRO', 2, '2500000.00'], ['SMALL', 3, '10000000.00'], ['UNKNOWN', 1, '10000000.00']]);
    // n2 at 23:30 on 31 January and n3 at 00:10 on 1 February (Shanghai) fall in their own months, not UTC's.
    expect(groups(s.months)).toEqual([['2025-01', 2, '7000000.00'], ['2025-02', 2, '31000000.00'], ['2025-03', 4, '18500000.00']]);
    expect(groups(s.channels)).toEqual([['BANK_REFERRAL', 1, '1000000.00'], ['MINI_PROGRAM', 2, '5000000.00'], ['ROADSHOW', 1, '30000000.00'], ['WEB', 4, '20500000.00']]);
  });

  it.each([
    ['January (inclusive of 23:30 on the 31st, Shanghai time)', { from: '2025-01-01', to: '2025-01-31' }, 2, '7000000.00'],
    ['one day', { from: '2025-01-31', to: '2025-01-31' }, 1, '5000000.00'],
    ['from 1 February on', { from: '2025-02-01' }, 6, '49500000.00'],
    ['up to 31 January', { to: '2025-01-31' }, 2, '7000000.00'],
    ['Qingdao (3702)', { regionPrefix: '3702' }, 6, '22500000.00'],
    ['Shandong (37) from 1 February', { from: '2025-02-01', regionPrefix: '37' }, 4, '15500000.00'],
    ['a range with nothing in it', { from: '2024-01-01', to: '2024-12-31' }, 0, '0.00'],
  ])('filters by %s', async (_what, filter, count, amount) => {
    expect((await stats(filter)).needs).toEqual({ count, amount });
  });

  it('groups regions one level below the prefix: cities under a province, districts under a city', async () => {
    expect(groups((await stats({ regionPrefix: '37' })).regions)).toEqual([['370200', 6, '22500000.00']]);
    expect(groups((await stats({ regionPrefix: '3702' })).regions)).toEqual([['370202', 2, '2500000.00'], ['370211', 1, '10000000.00'], ['370212', 3, '10000000.00']]);
    expect(groups((await stats({ regionPrefix: '370212' })).regions)).toEqual([['370212', 3, '10000000.00']]);
  });
});

describe('the funnel — posted → matched → contacted → approved → disbursed', () => {
  it.each([
    ['everything', undefined, { posted: 8, matched: 6, contacted: 5, approved: 4, disbursed: 3, disbursedAmount: '10000000.00' }],
    // n3 and n4: n3's contact (2 February) counts, its lapse and S's January steps do not concern it.
    ['needs posted in February', { from: '2025-02-01', to: '2025-02-28' }, { posted: 2, matched: 1, contacted: 1, approved: 0, disbursed: 0, disbursedAmount: '0.00' }],
    ['needs of Shandong firms', { regionPrefix: '37' }, { posted: 6, matched: 5, contacted: 5, approved: 4, disbursed: 3, disbursedAmount: '10000000.00' }],
    ['needs of Beijing firms', { regionPrefix: '11' }, { posted: 2, matched: 1, contacted: 0, approved: 0, disbursed: 0, disbursedAmount: '0.00' }],
  ])('over %s', async (_what, filter, expected) => {
    expect((await stats(filter)).funnel).toEqual(expected);
  });
});

describe('institutions — stages reached and median response time', () => {
  it('counts each institution\'s matches by stage, with the median hours to its first contact or decline', async () => {
    const s = await stats();
    expect(s.institutions).toEqual([
      // S answered in 4 h and 10.25 h: median 7.125, rounded half-up.
      { institution: { id: market.bank.id, name: '银行 S' }, proposed: 6, viewed: 3, contacted: 1, declined: 1, overdue: 1, approved: 1, disbursed: 1, medianResponseHours: '7.13' },
      // T in 2, 30, 1 and 6.5 h: median (2 + 6.5) / 2. One contact came without a view.
      { institution: { id: bankT.id, name: '银行 T' }, proposed: 4, viewed: 3, contacted: 4, declined: 0, overdue: 0, approved: 3, disbursed: 2, medianResponseHours: '4.25' },
    ]);
  });

  it('counts matches proposed in the range and steps taken in it; the median is over matches proposed in it', async () => {
    const s = await stats({ from: '2025-02-01', to: '2025-02-28' });
    expect(s.institutions).toEqual([
      // n2's match was proposed at 00:30 on 1 February (its need in January); n3's lapsed on 3 February.
      { institution: { id: market.bank.id, name: '银行 S' }, proposed: 2, viewed: 1, contacted: 1, declined: 0, overdue: 1, approved: 1, disbursed: 1, medianResponseHours: '10.25' },
      { institution: { id: bankT.id, name: '银行 T' }, proposed: 1, viewed: 1, contacted: 1, declined: 0, overdue: 0, approved: 0, disbursed: 0, medianResponseHours: '30.00' },
    ]);
  });

  it('leaves out institutions with nothing in the region; no answer yet is a null median', async () => {
    expect((await stats({ regionPrefix: '110108' })).institutions).toEqual([
      { institution: { id: market.bank.id, name: '银行 S' }, proposed: 1, viewed: 0, contacted: 0, declined: 0, overdue: 0, approved: 0, disbursed: 0, medianResponseHours: null },
    ]);
    expect((await stats({ from: '2026-01-01' })).institutions).toEqual([]);
  });
});

describe('R6 — guarantors: current amplification, live guarantees in scope', () => {
  const S = { netAssets: '2000000000.00', liability: '2600000.00', amplificationMultiple: '0.0013', capMultiple: '10.00', targetMultiple: '5.00', remainingCapacity: '19997400000.00', singleBorrowerLimit: '200000000.00', status: 'UNDER_TARGET' };
  // E3: net assets 100,000,000, liability 998,000,000 → 2,000,000 left.
  const U = { netAssets: '100000000.00', liability: '998000000.00', amplificationMultiple: '9.98', capMultiple: '10.00', targetMultiple: null, remainingCapacity: '2000000.00', singleBorrowerLimit: '10000000.00', status: 'WITHIN', liveGuarantees: 0, guaranteedOutstanding: '0.00' };

  it.each([
    ['everything', undefined, 2, '2800000.00'],
    ['guarantees started in February', { from: '2025-02-01', to: '2025-02-28' }, 1, '800000.00'],
    ['Shandong borrowers', { regionPrefix: '37' }, 1, '800000.00'],
    ['Beijing borrowers from March', { from: '2025-03-01', regionPrefix: '11' }, 1, '2000000.00'],
  ])('over %s: the figures stay current, the live guarantees are filtered', async (_what, filter, liveGuarantees, guaranteedOutstanding) => {
    const { guarantors } = await stats(filter);
    expect(guarantors).toEqual([
      { guarantor: { id: market.guarantor.id, name: '担保 S' }, ...S, liveGuarantees, guaranteedOutstanding },
      { guarantor: { id: guarantorU.id, name: '担保 U' }, ...U },
    ]);
  });
});

describe('R8 — pools: current figures and their loans in scope', () => {
  const qingdao = { capacity: '300000000.00', reserved: '150000.00', paid: '100000.00', available: '299750000.00' };
  const idle = { capacity: '50000000.00', reserved: '0.00', paid: '0.00', available: '50000000.00', loans: 0, reserveHeld: '0.00', compensationPaid: '0.00' };

  it('without a filter, what the loans hold and were paid adds up to the pool\'s reserved and paid, as the ledger has them', async () => {
    const { pools } = await stats();
    expect(pools).toEqual([
      { pool: { id: market.pool.id, name: '青岛风险补偿 S' }, ...qingdao, loans: 2, reserveHeld: '150000.00', compensationPaid: '100000.00' },
      { ...idle, pool: { id: spare.id, name: '备用池' } },
    ]);
    const [ledger] = await app.dataSource.query(
      `SELECT sum(amount) FILTER (WHERE kind = 'RESERVE') - coalesce(sum(amount) FILTER (WHERE kind IN ('RESERVE_RELEASE', 'CLAIM_PAYOUT')), 0) AS reserved,
              sum(amount) FILTER (WHERE kind = 'CLAIM_PAYOUT') AS paid
         FROM ledger_entry WHERE party = 'POOL' AND party_id = $1`,
      [uuidOf(market.pool.id, 'RiskCompensationPool')],
    );
    expect([pools[0].reserved, pools[0].paid]).toEqual([ledger.reserved, ledger.paid]);
  });

  it.each([
    ['in January (L1, defaulted)', { from: '2025-01-01', to: '2025-01-31' }, 1, '0.00', '100000.00'],
    ['in February (none pooled)', { from: '2025-02-01', to: '2025-02-28' }, 0, '0.00', '0.00'],
    ['from March on (L4, active)', { from: '2025-03-01' }, 1, '150000.00', '0.00'],
    ['to Beijing firms', { regionPrefix: '11' }, 0, '0.00', '0.00'],
  ])('loans disbursed %s; the pool\'s own figures stay current', async (_what, filter, loans, reserveHeld, compensationPaid) => {
    const { pools } = await stats(filter);
    expect(pools[0]).toEqual({ pool: { id: market.pool.id, name: '青岛风险补偿 S' }, ...qingdao, loans, reserveHeld, compensationPaid });
    expect(pools[1]).toEqual({ ...idle, pool: { id: spare.id, name: '备用池' } });
  });
});

describe('R9 — subsidies by kind and payee', () => {
  const row = (kind: string, payee: string, who: { id: string; name: string }, bookings: number, amount: string) => ({ kind, payee, payeeId: who.id, payeeName: who.name, bookings, amount });
  const guarantorS = () => market.guarantor;
  const firm = (f: Firm) => ({ id: f.enterprise.id, name: f.enterprise.name });

  it('sums the bookings per kind and payee: by kind, payee, then the largest amount', async () => {
    expect((await stats()).subsidies).toEqual([
      row('GUARANTEE_FEE_SUBSIDY', 'GUARANTOR', guarantorU, 1, '80000.00'),
      row('GUARANTEE_FEE_SUBSIDY', 'GUARANTOR', guarantorS(), 1, '47000.00'),
      row('GUARANTEE_RISK_SUBSIDY', 'GUARANTOR', guarantorS(), 1, '60000.00'),
      row('INTEREST_SUBSIDY', 'ENTERPRISE', firm(firms.A), 2, '30000.00'),
      row('LEASING_SUBSIDY', 'ENTERPRISE', firm(firms.C), 1, '200000.00'),
    ]);
  });

  it('counts bookings made in the range; in a region, those of its borrowers (a guarantor\'s booking without a loan has none)', async () => {
    expect((await stats({ from: '2025-03-01' })).subsidies).toEqual([
      row('GUARANTEE_FEE_SUBSIDY', 'GUARANTOR', guarantorU, 1, '80000.00'),
      row('INTEREST_SUBSIDY', 'ENTERPRISE', firm(firms.A), 1, '18000.00'),
      row('LEASING_SUBSIDY', 'ENTERPRISE', firm(firms.C), 1, '200000.00'),
    ]);
    expect((await stats({ regionPrefix: '37' })).subsidies).toEqual([
      row('GUARANTEE_FEE_SUBSIDY', 'GUARANTOR', guarantorS(), 1, '47000.00'),
      row('GUARANTEE_RISK_SUBSIDY', 'GUARANTOR', guarantorS(), 1, '60000.00'),
      row('INTEREST_SUBSIDY', 'ENTERPRISE', firm(firms.A), 2, '30000.00'),
    ]);
  });
});

describe('loans — disbursed in scope and what became of them', () => {
  it.each([
    ['everything', undefined, { count: 3, principal: '10000000.00', outstanding: '4200000.00', repaid: 1, defaulted: 1, netLoss: '1000000.00', compensationPaid: '100000.00' }],
    ['February', { from: '2025-02-01', to: '2025-02-28' }, { count: 1, principal: '5000000.00', outstanding: '0.00', repaid: 1, defaulted: 0, netLoss: '0.00', compensationPaid: '0.00' }],
    ['Beijing', { regionPrefix: '11' }, { count: 0, principal: '0.00', outstanding: '0.00', repaid: 0, defaulted: 0, netLoss: '0.00', compensationPaid: '0.00' }],
  ])('%s', async (_what, filter, expected) => {
    expect((await stats(filter)).loans).toEqual(expected);
  });
});

describe('R10 — who may ask, and nothing personal in the answer', () => {
  it('answers analysts, authorities and admins alike', async () => {
    const { analyst, authority, admin } = staff(app);
    const answers = await Promise.all([analyst, authority, admin].map((token) => stats(undefined, token)));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it.each([
    ['an enterprise', () => firms.A.token],
    ['a bank', () => market.bankToken],
    ['a guarantor', () => app.token({ sub: 'guarantor-S', role: 'GUARANTOR', institutionId: market.guarantor.id })],
  ])('refuses %s: FORBIDDEN', async (_who, token) => {
    const res = await app.gql('{ stats { needs { count } } }', {}, { token: token() });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.data).toBeNull();
  });

  it('refuses a request without a token: UNAUTHENTICATED', async () => {
    const res = await app.gql('{ stats { needs { count } } }', {}, { token: null });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('carries no contact details, person names or credit codes, whatever the filter', async () => {
    const text = JSON.stringify([await stats(), await stats({ regionPrefix: '37' }), await stats({ from: '2025-03-01' })]);
    for (const firm of Object.values(firms)) {
      for (const value of [firm.input.contact.person, firm.input.contact.phone, firm.input.contact.email, firm.enterprise.creditCode]) expect(text).not.toContain(value);
    }
  });
});

describe('the filter — refused when unusable', () => {
  it.each([
    ['from after to', { from: '2025-03-01', to: '2025-02-28' }, 'filter.from'],
    ['a malformed date', { from: '2025-02-30' }, 'filter.from'],
    ['a date that is not one', { to: 'last week' }, 'filter.to'],
    ['a one-digit region prefix', { regionPrefix: '3' }, 'filter.regionPrefix'],
    ['an odd-length region prefix', { regionPrefix: '370' }, 'filter.regionPrefix'],
    ['a region prefix with letters', { regionPrefix: '37ab' }, 'filter.regionPrefix'],
    ['a region prefix longer than a code', { regionPrefix: '3702120' }, 'filter.regionPrefix'],
  ])('%s: BAD_USER_INPUT naming the field, nothing computed', async (_what, filter, argument) => {
    app.counter.reset();
    const res = await app.gql(STATS, { filter }, { token: staff(app).analyst });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(res.data).toBeNull();
    expect(app.counter.count).toBe(0);
  });

  it('reads a literal date range in the document as well as variables', async () => {
    const res = await app.gql('{ stats(filter: { from: "2025-01-01", to: "2025-01-31", regionPrefix: "37" }) { needs { count amount } } }', {}, { token: staff(app).analyst });
    expect(res.data.stats.needs).toEqual({ count: 2, amount: '7000000.00' });
  });
});

describe('each section is computed only when selected', () => {
  it('a query for the need totals alone runs one statement', async () => {
    app.counter.reset();
    const res = await app.gql('{ stats { needs { count } } }', {}, { token: staff(app).analyst });
    expect(res.data.stats.needs.count).toBe(8);
    expect(app.counter.count).toBe(1);
  });

  it('the whole document runs one statement per section and one per loader', async () => {
    app.counter.reset();
    await stats();
    // needs + 5 × needsBy + funnel + institutions + guarantors + pools + subsidies + loans = 12; then each list's
    // institutions or pools in one batch of their loader (the two lists of institutions may share one).
    expect(app.counter.count).toBeLessThanOrEqual(15);
  });
});

describe('the ledger reconciled — the stored figures against the postings', () => {
  const RECONCILIATION = `{ stats(filter: { from: "2025-03-01" }) { ledgerReconciliation { balanced postings checked differences { figure subjectId stored recomputed } } } }`;

  it('this file\'s loans, guarantees and pool figures were written with SQL and no postings: each stored money figure is reported, whatever the filter', async () => {
    const res = await app.gql(RECONCILIATION, {}, { token: staff(app).analyst });
    expect(res.errors).toBeUndefined();
    const r = res.data.stats.ledgerReconciliation;
    expect([r.balanced, r.postings]).toEqual([false, 0]);
    const loans: { id: string; principal: string }[] = await app.dataSource.query(`SELECT id, principal::text FROM loan`);
    const loan = (principal: string) => toGlobalId('Loan', loans.find((l) => l.principal === principal)!.id);
    const [L1, L4] = [loan('2000000.00'), loan('3000000.00')];
    const pool = market.pool.id;
    const shown = r.differences.map((d: any) => [d.figure, d.subjectId, d.stored, d.recomputed]);
    // Only figures that are not zero differ: L2 is repaid (0 outstanding, its guarantee 0); the spare pool and 担保 U (opening liability only) agree.
    expect(shown).toEqual(expect.arrayContaining([
      ['LOAN_OUTSTANDING', L1, '1200000.00', '0.00'],
      ['LOAN_OUTSTANDING', L4, '3000000.00', '0.00'],
      ['LOAN_RESERVE_HELD', L4, '150000.00', '0.00'],
      ['LOAN_COMPENSATION_PAID', L1, '100000.00', '0.00'],
      ['POOL_RESERVED', pool, '150000.00', '0.00'],
      ['POOL_PAID', pool, '100000.00', '0.00'],
      ['GUARANTOR_LIABILITY', market.guarantor.id, '2600000.00', '0.00'],
    ]));
    expect(shown).toHaveLength(7);
    expect(r.checked).toBe(3 * 3 + 1 + 2 * 2 + 2);
  });
});
