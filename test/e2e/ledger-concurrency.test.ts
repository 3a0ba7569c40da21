/**
 * The ledger under simultaneous disbursements (R6, R8, R9; issue 5 item 4): 50 at once against a
 * guarantor with room for 10 — exactly 10 succeed, its liability is their sum, and nothing else is
 * written; 50 against a pool near its end — it is never overdrawn, and what it reserved is what the
 * loans hold; 50 against a guarantor's fee subsidies near the yearly cap — the year's total stops at it.
 */
import { reconcileLedger } from '../../src/loans/reconciliation';
import { inMidJanuary } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, CREATE_PRODUCT, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from './fixtures';
import { CREATE_AGREEMENT, CREATE_POOL, CREATE_RULE, CREATE_SHARING, eventually, mutate, SET_BENCHMARK } from './policy-fixtures';

const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id riskCompensationReserve subsidies { kind amount } } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;

const N = 50;
let app: TestApp;
let firms: Awaited<ReturnType<typeof registeredEnterprise>>[];
let sharingRuleId: string;

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

const uuid = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

beforeAll(async () => {
  app = await startTestApp();
  const { authority } = staff(app);
  await mutate(app, authority, SET_BENCHMARK, { code: 'PBOC_1Y', rate: '0.0435', effectiveFrom: '2015-10-24' });
  sharingRuleId = (await mutate(app, authority, CREATE_SHARING, {
    name: '安徽4321 并发', shares: [{ party: 'GUARANTOR', share: '0.40' }, { party: 'RE_GUARANTOR', share: '0.30' }, { party: 'BANK', share: '0.20' }, { party: 'LOCAL_GOVERNMENT', share: '0.10' }],
  })).id;
  // Small firms (500 employees, 1,000 万元 revenue: R2 SMALL), so a guarantee weighs 0.75.
  firms = await inBatches(Array.from({ length: N }, (_, i) => i), 10, () => registeredEnterprise(app));
}, 60_000);
afterAll(() => app?.close());

/** Each firm posts a need of `amount` for the one product that takes it, applies, and the bank approves; returns the matches. */
async function approvedMatches(amount: string, productId: string, bankToken: string): Promise<string[]> {
  return inBatches(firms, 10, async (firm) => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths: 12 });
    const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
    const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === productId)?.node.id;
    if (!matchId) throw new Error('no match');
    await mutate(app, firm.token, APPLY, { matchId });
    await mutate(app, bankToken, OUTCOME, { matchId, outcome: 'APPROVED' });
    return matchId;
  });
}

/** All disbursements at once, each on its own connection. */
async function disburseAll(matchIds: string[], bankToken: string, principal: string) {
  return Promise.all(matchIds.map(async (matchId) => {
    const res = await app.gql(OUTCOME, { input: { matchId, outcome: 'DISBURSED', principal } }, { token: bankToken });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.recordLoanOutcome;
  }));
}

async function bank(name: string) {
  const b = await createInstitution(app, staff(app).authority, { kind: 'BANK', name });
  return { ...b, token: app.token({ sub: `bank-${name}`, role: 'BANK', institutionId: b.id }) };
}

it('50 disbursements at once against a guarantor with room for 10: exactly 10 succeed and its liability is their sum', async () => {
  const { authority } = staff(app);
  const lender = await bank('并发银行 担保');
  // Net assets 10,000,000 × cap 10 = 100,000,000; 93,700,000 carried in leaves 6,300,000: ten guarantees of 800,000 × 0.75 = 600,000.
  const guarantor = await createInstitution(app, authority, { kind: 'GUARANTOR', name: '并发担保 额度', guarantee: { netAssets: '10000000', feeRate: '0.03', openingLiability: '93700000' } });
  await mutate(app, authority, CREATE_AGREEMENT, { bankId: lender.id, guarantorId: guarantor.id, riskSharingRuleId: sharingRuleId });
  const product = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: lender.id, name: '并发担保贷', kind: 'GUARANTEED_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '1000000', minAnnualRate: '0.05', requiresGuarantee: true,
  });
  const matchIds = await approvedMatches('1000000', product.id, lender.token);
  // One more firm's need, proposed but not acted on: once the guarantor is full it no longer qualifies.
  const bystander = await registeredEnterprise(app);
  const waiting = await mutate(app, bystander.token, POST_NEED, { kind: 'LOAN', amount: '1000000', termMonths: 12 });
  const proposals = async () => (await app.gql(NEED_MATCHES, { id: waiting.id }, { token: bystander.token })).data.node.matches.edges.length;
  expect(await proposals()).toBe(1);
  const [before] = await app.dataSource.query(`SELECT (SELECT count(*) FROM loan)::int AS loans, (SELECT count(*) FROM ledger_entry)::int AS entries, (SELECT count(*) FROM guarantee)::int AS guarantees`);

  const results = await disburseAll(matchIds, lender.token, '1000000');
  const succeeded = results.filter((r) => r.loan);
  const refused = results.filter((r) => !r.loan);
  expect(succeeded).toHaveLength(10);
  expect(refused).toHaveLength(40);
  for (const r of refused) expect(r.userErrors).toEqual([expect.objectContaining({ field: ['input', 'principal'], code: 'CAPACITY_EXCEEDED' })]);

  const g = uuid(guarantor.id);
  const [figures] = await app.dataSource.query(
    `SELECT p.liability::text, (SELECT sum(outstanding)::text FROM guarantee WHERE guarantor_id = $1 AND status = 'LIVE') AS live, (SELECT count(*)::int FROM guarantee WHERE guarantor_id = $1) AS guarantees
       FROM guarantor_profile p WHERE p.institution_id = $1`, [g]);
  expect(figures).toEqual({ liability: '99700000.00', live: '8000000.00', guarantees: 10 });
  const [after] = await app.dataSource.query(`SELECT (SELECT count(*) FROM loan)::int AS loans, (SELECT count(*) FROM ledger_entry)::int AS entries, (SELECT count(*) FROM guarantee)::int AS guarantees`);
  // Each success wrote one loan, one guarantee and two entries (disbursement, guarantee); the refusals nothing.
  expect(after).toEqual({ loans: before.loans + 10, entries: before.entries + 20, guarantees: before.guarantees + 10 });
  const statuses = await app.dataSource.query(`SELECT status, count(*)::int AS n FROM match WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status`, [matchIds.map(uuid)]);
  expect(statuses).toEqual([{ status: 'APPROVED', n: 40 }, { status: 'DISBURSED', n: 10 }]);
  const events = await app.dataSource.query(`SELECT count(*)::int AS n FROM match_event WHERE action = 'DISBURSE' AND match_id = ANY($1::uuid[])`, [matchIds.map(uuid)]);
  expect(events[0].n).toBe(10);
  // R13 freshness: the guarantor's refresh, queued by the disbursements, withdraws the proposal that no longer fits.
  await eventually(async () => (await proposals()) === 0);
}, 120_000);

it('50 disbursements at once against a pool near its end: it is never overdrawn and reserves what the loans hold', async () => {
  const { authority } = staff(app);
  const lender = await bank('并发银行 资金池');
  const pool = await mutate(app, authority, CREATE_POOL, { name: '并发资金池', capacity: '120000' });
  await mutate(app, authority, CREATE_RULE, { code: 'RC-CONCURRENT', kind: 'RISK_COMPENSATION', poolId: pool.id, params: { commitmentRatio: '0.05', lossShare: '1' }, eligibility: { productKinds: ['CREDIT_LOAN'], national: true } });
  const product = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: lender.id, name: '并发信用贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000001', maxAmount: '1000001', minAnnualRate: '0.05',
  });
  const matchIds = await approvedMatches('1000001', product.id, lender.token);
  const results = await disburseAll(matchIds, lender.token, '1000000');
  expect(results.every((r) => r.loan && !r.userErrors.length)).toBe(true);
  const reserves = results.map((r) => Number(r.loan.riskCompensationReserve)).sort((a, b) => b - a);
  // 50,000 each while it lasts, then what is left, then nothing.
  expect(reserves.slice(0, 3)).toEqual([50000, 50000, 20000]);
  expect(reserves.slice(3).every((r) => r === 0)).toBe(true);
  const [figures] = await app.dataSource.query(
    `SELECT p.reserved::text, p.paid::text, (p.capacity - p.reserved - p.paid)::text AS available,
            (SELECT sum(reserve_held)::text FROM loan WHERE pool_id = p.id) AS held,
            (SELECT sum(amount)::text FROM ledger_entry WHERE kind = 'RESERVE' AND party_id = p.id) AS entered
       FROM risk_compensation_pool p WHERE p.id = $1`, [uuid(pool.id)]);
  expect(figures).toEqual({ reserved: '120000.00', paid: '0.00', available: '0.00', held: '120000.00', entered: '120000.00' });
}, 120_000);

it('50 disbursements at once against fee subsidies near the yearly cap: the year\'s total stops at the cap', async () => {
  const { authority } = staff(app);
  const lender = await bank('并发银行 保费');
  const guarantor = await createInstitution(app, authority, { kind: 'GUARANTOR', name: '并发担保 保费', guarantee: { netAssets: '2000000000', feeRate: '0.010' } });
  await mutate(app, authority, CREATE_AGREEMENT, { bankId: lender.id, guarantorId: guarantor.id, riskSharingRuleId: sharingRuleId });
  const rule = await mutate(app, authority, CREATE_RULE, { code: 'FEE-CONCURRENT', kind: 'GUARANTEE_FEE_SUBSIDY', params: { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }, eligibility: { national: true } });
  const product = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: lender.id, name: '并发保费贷', kind: 'GUARANTEED_LOAN', needKind: 'LOAN', minAmount: '1000002', maxAmount: '1000002', minAnnualRate: '0.05', requiresGuarantee: true,
  });
  // A fee subsidy counts against the calendar years its guarantee covers (DOMAIN E9): these 12-month loans
  // lie in one year when they start in January, so the database's day is put there.
  await inMidJanuary(app.dataSource, async () => {
    const matchIds = await approvedMatches('1000002', product.id, lender.token);
    // 2,980,000 already booked this year: 20,000 left, and each loan's fee subsidy is (0.02175 − 0.010) × 800,000 = 9,400.
    const g = uuid(guarantor.id);
    await app.dataSource.query(
      `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year)
       VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, 2980000, extract(year FROM shanghai_today()))`, [uuid(rule.id), g]);
    const results = await disburseAll(matchIds, lender.token, '1000000');
    expect(results.every((r) => r.loan)).toBe(true);
    const fees = results.map((r) => Number(r.loan.subsidies.find((s: any) => s.kind === 'GUARANTEE_FEE_SUBSIDY')?.amount ?? 0)).sort((a, b) => b - a);
    expect(fees.slice(0, 3)).toEqual([9400, 9400, 1200]);
    expect(fees.slice(3).every((f) => f === 0)).toBe(true);
    // Issue 17 §3: the loans are entitled to their fee subsidies (booked when an authority pays the claims);
    // what was booked and what is entitled together stop at the cap.
    const [{ total }] = await app.dataSource.query(
      `SELECT ((SELECT sum(amount) FROM subsidy_booking WHERE kind = 'GUARANTEE_FEE_SUBSIDY' AND payee_id = $1 AND year = extract(year FROM shanghai_today()))
             + (SELECT sum(amount) FROM subsidy_entitlement WHERE kind = 'GUARANTEE_FEE_SUBSIDY' AND payee_id = $1 AND year = extract(year FROM shanghai_today())))::text AS total`, [g]);
    expect(total).toBe('3000000.00');
    const [{ entitled }] = await app.dataSource.query(
      `SELECT amount::text AS entitled FROM guarantor_fee_subsidy_entitled WHERE guarantor_id = $1 AND year = extract(year FROM shanghai_today())`, [g]);
    expect(entitled).toBe('20000.00');
  });
}, 120_000);

const RECONCILIATION = `{ stats { ledgerReconciliation { balanced postings checked differences { figure subjectId stored recomputed } } } }`;

it('after the concurrent disbursements above, every stored figure is what the postings give, and each posting group balances', async () => {
  const direct = await reconcileLedger(app.dataSource);
  expect(direct.differences).toEqual([]);
  expect(direct.balanced).toBe(true);
  // 10 guaranteed loans (disbursement, guarantee), 50 pooled ones (disbursement; 3 reserves), 50 with a guarantee (their fee
  // subsidies are entitlements, posted when paid: issue 17 §3).
  expect(direct.postings).toBe(10 * 2 + 50 + 3 + 50 * 2);
  const res = await app.gql(RECONCILIATION, {}, { token: staff(app).analyst });
  expect(res.errors).toBeUndefined();
  expect(res.data.stats.ledgerReconciliation).toEqual({ balanced: true, postings: direct.postings, checked: direct.checked, differences: [] });
  // One posting group per disbursement, one posting per entry that moved money, each a positive CNY amount between two accounts.
  const [shape] = await app.dataSource.query(
    `SELECT count(DISTINCT txn_id)::int AS txns, count(*) FILTER (WHERE amount <= 0 OR source = destination OR asset <> 'CNY')::int AS bad,
            (SELECT count(*) FROM ledger_entry WHERE amount > 0)::int AS entries, count(*)::int AS postings FROM ledger_posting`);
  expect(shape).toEqual({ txns: (await app.dataSource.query(`SELECT count(*)::int AS n FROM loan`))[0].n, bad: 0, entries: shape.postings, postings: direct.postings });
}, 120_000);
