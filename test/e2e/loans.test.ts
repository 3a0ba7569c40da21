/**
 * From post to claim through the API (R14 with R6–R9): DOMAIN's E4 (pool reserve and claim) and E6 (the
 * loss split under Anhui 4321 and the national-fund model) replayed, with E5's subsidies booked and its
 * yearly cap held, the guarantor's liability following disbursements and repayments, and every refusal
 * writing nothing.
 */
import { inMidJanuary } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { Decimal } from '../../src/common/decimal';
import { uuidOf } from '../../src/common/ids';
import { createInstitution, CREATE_PRODUCT, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from './fixtures';
import { payPoolClaim } from './claim-fixtures';
import { CREATE_AGREEMENT, CREATE_SHARING, Market, mutate, okPayloadOf, payloadOf, setUpMarket } from './policy-fixtures';

const LOAN_FIELDS = `id status principal outstanding annualRate termMonths riskCompensationReserve reserveHeld compensationPaid netLoss policyRuleVersions
  riskCompensationPool { id capacity reserved paid available } guarantee { guarantor { id } coverageRatio feeRate guaranteedAmount }
  lossSplit { party amount } poolClaim { status netLoss claimed approved ruleVersion regionCode } subsidies { kind payee amount ruleVersion } ledger { kind party amount ruleVersion } need { status } match { status }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { ${LOAN_FIELDS} } match { id status need { status } } ${USER_ERRORS} } }`;
const REPAY = `mutation($input: RecordRepaymentInput!) { recordRepayment(input: $input) { loan { ${LOAN_FIELDS} } ${USER_ERRORS} } }`;
const DEFAULT = `mutation($input: RecordDefaultInput!) { recordDefault(input: $input) { loan { ${LOAN_FIELDS} } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id status } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;
const GUARANTOR = `query($id: ID!) { node(id: $id) { ... on Institution { guarantee { liability remainingCapacity } } } }`;
const POOLS = `{ riskCompensationPools { id capacity reserved paid available } }`;

let app: TestApp;
let market: Market;

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app, 'LN');
});
afterAll(() => app?.close());

const run = (document: string, input: Record<string, unknown>, token: string) => payloadOf(app, token, document, input);
const ok = (document: string, input: Record<string, unknown>, token: string) => okPayloadOf(app, token, document, input);

/** A small EMERGING firm rated AA, its need posted, and its match with `productId` applied to and approved. */
async function approvedMatch(amount: string, productId: string, bankToken = market.bankToken) {
  const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' }, { attested: { sectorTags: ['EMERGING'] } });
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths: 12 });
  const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
  const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === productId)?.node.id;
  if (!matchId) throw new Error('no match for the product');
  await ok(RESPOND, { matchId, action: 'CONTACT' }, bankToken);
  await ok(APPLY, { matchId }, firm.token);
  await ok(OUTCOME, { matchId, outcome: 'APPROVED' }, bankToken);
  return { firm, need, matchId };
}

const pool = async (id: string) => (await app.gql(POOLS, {}, { token: staff(app).authority })).data.riskCompensationPools.find((p: any) => p.id === id);
const liability = async (guarantorId: string) => (await app.gql(GUARANTOR, { id: guarantorId }, { token: staff(app).authority })).data.node.guarantee.liability;
const ledgerRows = () => app.dataSource.query(`SELECT (SELECT count(*) FROM loan)::int AS loans, (SELECT count(*) FROM ledger_entry)::int AS entries, (SELECT count(*) FROM subsidy_booking)::int AS subsidies, (SELECT count(*) FROM guarantee)::int AS guarantees`);

describe('E4 — a pool reserve from disbursement to claim', () => {
  it('reserves 500,000 on a 10,000,000 credit loan to an EMERGING firm; a 3,000,000 loss pays 500,000 and leaves 299,500,000', async () => {
    const { matchId } = await approvedMatch('10000000', market.creditLoan.id);
    const { loan, match } = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '10000000' }, market.bankToken);
    expect(match).toMatchObject({ status: 'DISBURSED', need: { status: 'FUNDED' } });
    expect(loan).toMatchObject({
      status: 'ACTIVE', principal: '10000000.00', outstanding: '10000000.00', annualRate: '0.0385', termMonths: 12,
      riskCompensationReserve: '500000.00', reserveHeld: '500000.00', guarantee: null, subsidies: [], policyRuleVersions: ['QD-RC-LN@v1'],
      riskCompensationPool: { reserved: '500000.00', paid: '0.00', available: '299500000.00' },
    });
    expect(loan.ledger).toEqual([
      { kind: 'DISBURSEMENT', party: 'BANK', amount: '10000000.00', ruleVersion: null },
      { kind: 'RESERVE', party: 'POOL', amount: '500000.00', ruleVersion: 'QD-RC-LN@v1' },
    ]);

    const { loan: defaulted } = await ok(DEFAULT, { loanId: loan.id, netLoss: '3000000' }, market.bankToken);
    // The default opens the bank's claim on the pool (issue 17 §3): the pool keeps the 500,000 it owes reserved; the loss waits for the review.
    expect(defaulted).toMatchObject({
      status: 'DEFAULTED', outstanding: '0.00', netLoss: '3000000.00', compensationPaid: '0.00', reserveHeld: '500000.00', lossSplit: [],
      poolClaim: { status: 'OPEN', netLoss: '3000000.00', claimed: '500000.00', approved: null, ruleVersion: 'QD-RC-LN@v1', regionCode: '370212' },
      riskCompensationPool: { capacity: '300000000.00', reserved: '500000.00', paid: '0.00', available: '299500000.00' },
    });
    expect(defaulted.ledger.slice(2)).toEqual([]);
    const claim = await payPoolClaim(app, loan.id, market.bankToken);
    expect(claim).toMatchObject({ status: 'PAID', claimed: '500000.00', approved: '500000.00', loan: { id: loan.id } });
    const settled = (await app.gql(`query($id: ID!) { node(id: $id) { ... on Loan { ${LOAN_FIELDS} } } }`, { id: loan.id }, { token: market.bankToken })).data.node;
    expect(settled).toMatchObject({
      status: 'DEFAULTED', outstanding: '0.00', netLoss: '3000000.00', compensationPaid: '500000.00', reserveHeld: '0.00',
      // E10: the bank bears the loss less the pool's payout.
      lossSplit: [{ party: 'BANK', amount: '2500000.00' }],
      riskCompensationPool: { capacity: '300000000.00', reserved: '0.00', paid: '500000.00', available: '299500000.00' },
    });
    expect(settled.ledger.slice(2)).toEqual([
      { kind: 'CLAIM_PAYOUT', party: 'POOL', amount: '500000.00', ruleVersion: 'QD-RC-LN@v1' },
      { kind: 'LOSS_SHARE', party: 'BANK', amount: '2500000.00', ruleVersion: null },
    ]);
    // Written off: nothing more happens to it.
    expect((await run(REPAY, { loanId: loan.id, principalRepaid: '1' }, market.bankToken)).userErrors[0]).toMatchObject({ code: 'LOAN_NOT_ACTIVE' });
  });

  it('repaid in full, the reserve goes back to the pool', async () => {
    const before = await pool(market.pool.id);
    const { matchId } = await approvedMatch('2000000', market.creditLoan.id);
    const { loan } = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '2000000', annualRate: '0.04', termMonths: 24 }, market.bankToken);
    expect(loan).toMatchObject({ riskCompensationReserve: '100000.00', annualRate: '0.04', termMonths: 24 });
    const { loan: part } = await ok(REPAY, { loanId: loan.id, principalRepaid: '1500000' }, market.bankToken);
    expect(part).toMatchObject({ status: 'ACTIVE', outstanding: '500000.00', reserveHeld: '100000.00' });
    expect(await run(REPAY, { loanId: loan.id, principalRepaid: '500000.01' }, market.bankToken)).toMatchObject({ loan: null, userErrors: [expect.objectContaining({ code: 'REPAYMENT_EXCEEDS_OUTSTANDING' })] });
    const { loan: repaid } = await ok(REPAY, { loanId: loan.id, principalRepaid: '500000' }, market.bankToken);
    expect(repaid).toMatchObject({ status: 'REPAID', outstanding: '0.00', reserveHeld: '0.00' });
    expect(repaid.ledger.map((e: any) => e.kind)).toEqual(['DISBURSEMENT', 'RESERVE', 'REPAYMENT', 'REPAYMENT', 'RESERVE_RELEASE']);
    expect(await pool(market.pool.id)).toEqual(before);
  });
});

describe('E5 and E6 — a guaranteed loan: subsidies, liability, and the loss split', () => {
  it('books the fee subsidy 47,000.00 and the risk subsidy 60,000.00, and the guarantor carries 4,000,000 × 0.75', async () => {
    const liabilityBefore = await liability(market.guarantor.id);
    const { matchId } = await approvedMatch('5000000', market.guaranteedLoan.id);
    const { loan } = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '5000000' }, market.bankToken);
    expect(loan).toMatchObject({
      guarantee: { guarantor: { id: market.guarantor.id }, coverageRatio: '0.80', feeRate: '0.01', guaranteedAmount: '4000000.00' },
      policyRuleVersions: ['FEE-LN@v1', 'RISK-LN@v1'],
    });
    expect(loan.subsidies).toEqual([
      { kind: 'GUARANTEE_FEE_SUBSIDY', payee: 'GUARANTOR', amount: '47000.00', ruleVersion: 'FEE-LN@v1' },
      { kind: 'GUARANTEE_RISK_SUBSIDY', payee: 'GUARANTOR', amount: '60000.00', ruleVersion: 'RISK-LN@v1' },
    ]);
    expect(Number(await liability(market.guarantor.id)) - Number(liabilityBefore)).toBe(3_000_000);

    // Repayments release the guarantee with the principal.
    await ok(REPAY, { loanId: loan.id, principalRepaid: '2000000' }, market.bankToken);
    expect(Number(await liability(market.guarantor.id)) - Number(liabilityBefore)).toBe(1_800_000);

    // E6: a 1,000,000 loss under Anhui 4321.
    const { loan: defaulted } = await ok(DEFAULT, { loanId: loan.id, netLoss: '1000000' }, market.bankToken);
    expect(defaulted.lossSplit).toEqual([
      { party: 'GUARANTOR', amount: '400000.00' }, { party: 'RE_GUARANTOR', amount: '300000.00' },
      { party: 'BANK', amount: '200000.00' }, { party: 'LOCAL_GOVERNMENT', amount: '100000.00' },
    ]);
    expect(await liability(market.guarantor.id)).toBe(liabilityBefore);
    const [guarantee] = await app.dataSource.query(`SELECT status, outstanding::text FROM guarantee WHERE loan_id = (SELECT id FROM loan WHERE net_loss = 1000000)`);
    expect(guarantee).toEqual({ status: 'CLAIMED', outstanding: '0.00' });
  });

  it('E6 under the national-fund model: 400,000; 200,000; 200,000; 200,000', async () => {
    const { authority } = staff(app);
    const rule = await mutate(app, authority, CREATE_SHARING, {
      name: '国家融资担保基金模式 LN',
      shares: [{ party: 'GUARANTOR', share: '0.40' }, { party: 'NATIONAL_FUND', share: '0.20' }, { party: 'RE_GUARANTOR', share: '0.20' }, { party: 'BANK', share: '0.20' }],
    });
    const bank = await createInstitution(app, authority, { kind: 'BANK', name: '国担银行 LN' });
    const guarantor = await createInstitution(app, authority, { kind: 'GUARANTOR', name: '国担担保 LN', guarantee: { netAssets: '2000000000', feeRate: '0.012' } });
    await mutate(app, authority, CREATE_AGREEMENT, { bankId: bank.id, guarantorId: guarantor.id, riskSharingRuleId: rule.id });
    const product = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: bank.id, name: '国担贷 LN', kind: 'GUARANTEED_LOAN', needKind: 'LOAN', minAmount: '3000000', maxAmount: '3000000', minAnnualRate: '0.05', requiresGuarantee: true,
    });
    const bankToken = app.token({ sub: 'bank-nf', role: 'BANK', institutionId: bank.id });
    const { matchId } = await approvedMatch('3000000', product.id, bankToken);
    const { loan } = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '3000000' }, bankToken);
    const { loan: defaulted } = await ok(DEFAULT, { loanId: loan.id, netLoss: '1000000' }, bankToken);
    expect(defaulted.lossSplit).toEqual([
      { party: 'GUARANTOR', amount: '400000.00' }, { party: 'NATIONAL_FUND', amount: '200000.00' },
      { party: 'RE_GUARANTOR', amount: '200000.00' }, { party: 'BANK', amount: '200000.00' },
    ]);
  });

  it('E5: with 2,980,000.00 of fee subsidies already booked this year, the next is 20,000.00', async () => {
    // A fee subsidy counts against the calendar years its guarantee covers (DOMAIN E9): E5's 12-month loan
    // lies in one year when it starts in January, so the database's day is put there.
    await inMidJanuary(app.dataSource, async () => {
      const [{ id: ruleId }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-LN'`);
      // What counts against the cap: the fee subsidies booked (paid) this year and those earlier loans are
      // entitled to and not yet paid (issue 17 §3: booked at payment, held against the cap from disbursement).
      const [{ booked }] = await app.dataSource.query(
        `SELECT (coalesce((SELECT sum(amount) FROM subsidy_booking WHERE kind = 'GUARANTEE_FEE_SUBSIDY' AND payee_id = $1 AND year = extract(year FROM shanghai_today())), 0)
               + coalesce((SELECT amount FROM guarantor_fee_subsidy_entitled WHERE guarantor_id = $1 AND year = extract(year FROM shanghai_today())), 0))::numeric AS booked`,
        [Buffer.from(market.guarantor.id, 'base64url').toString().split(':')[1]]);
      await app.dataSource.query(
        `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year) VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, 2980000 - $3::numeric, extract(year FROM shanghai_today()))`,
        [ruleId, Buffer.from(market.guarantor.id, 'base64url').toString().split(':')[1], booked]);
      const { matchId } = await approvedMatch('4999999', market.guaranteedLoan.id);
      const { loan } = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '4999999' }, market.bankToken);
      expect(loan.subsidies[0]).toMatchObject({ kind: 'GUARANTEE_FEE_SUBSIDY', amount: '20000.00' });
    });
  });
});

describe('refusals write nothing', () => {
  it('refuses outcomes out of order, a principal above the need, another bank\'s loan, and bad input', async () => {
    const { firm, need, matchId } = await approvedMatch('1500000', market.creditLoan.id);
    const before = await ledgerRows();
    expect((await run(OUTCOME, { matchId, outcome: 'PAID' }, market.bankToken)).userErrors[0]).toMatchObject({ code: 'INVALID_OUTCOME' });
    expect((await run(OUTCOME, { matchId, outcome: 'DISBURSED' }, market.bankToken)).userErrors[0]).toMatchObject({ field: ['input', 'principal'], code: 'REQUIRED' });
    expect((await run(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '1500000.01' }, market.bankToken)).userErrors[0]).toMatchObject({ code: 'AMOUNT_EXCEEDS_NEED' });
    expect((await run(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '-5' }, market.bankToken)).userErrors[0]).toMatchObject({ field: ['input', 'principal'] });
    expect((await run(OUTCOME, { matchId, outcome: 'DECLINED' }, market.bankToken)).userErrors[0]).toMatchObject({ field: ['input', 'declineReason'], code: 'REQUIRED' });
    const other = await setUpMarket(app, 'LN2');
    expect((await run(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '100' }, other.bankToken)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect(await ledgerRows()).toEqual(before);

    // Two tranches: the need is FUNDED when they reach its amount.
    const first = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '1000000' }, market.bankToken);
    expect(first.match.need.status).toBe('IN_PROGRESS');
    const second = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '500000' }, market.bankToken);
    expect(second.match.need.status).toBe('FUNDED');
    expect((await run(REPAY, { loanId: first.loan.id, principalRepaid: '1' }, other.bankToken)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await run(DEFAULT, { loanId: first.loan.id, netLoss: '1000000.01' }, market.bankToken)).userErrors[0]).toMatchObject({ code: 'LOSS_EXCEEDS_OUTSTANDING' });
    // The enterprise sees its loans; another enterprise does not.
    const seen = await app.gql(`query($id: ID!) { node(id: $id) { ... on Loan { principal } } }`, { id: first.loan.id }, { token: firm.token });
    expect(seen.data.node).toEqual({ principal: '1000000.00' });
    const stranger = await registeredEnterprise(app);
    expect((await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: first.loan.id }, { token: stranger.token })).data.node).toBeNull();
    void need;
  });

  it('a retried disbursement or repayment (same idempotency key) records nothing twice, even when the retries race', async () => {
    const { matchId } = await approvedMatch('1700000', market.creditLoan.id);
    const input = { matchId, outcome: 'DISBURSED', principal: '1000000', idempotencyKey: 'core-banking-tx-0001' };
    const results = await Promise.all([1, 2, 3].map(() => run(OUTCOME, input, market.bankToken)));
    expect(results.map((r) => r.userErrors)).toEqual([[], [], []]);
    expect(new Set(results.map((r) => r.loan.id)).size).toBe(1);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM loan WHERE match_id = (SELECT match_id FROM loan WHERE principal = 1000000 AND need_id IN (SELECT id FROM financing_need WHERE amount = 1700000))`);
    expect(n).toBe(1);
    expect((await run(OUTCOME, { ...input, principal: '700000' }, market.bankToken)).userErrors[0]).toMatchObject({ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' });
    const loanId = results[0].loan.id;
    const repay = { loanId, principalRepaid: '100000', idempotencyKey: 'core-banking-tx-0002' };
    const repaid = await Promise.all([1, 2].map(() => run(REPAY, repay, market.bankToken)));
    expect(repaid.map((r) => r.loan.outstanding)).toEqual(['900000.00', '900000.00']);
  });

  it('an investment is approved or declined, not disbursed as a loan', async () => {
    const { authority } = staff(app);
    const investor = await createInstitution(app, authority, { kind: 'INVESTOR', name: '投资机构 LN' });
    const product = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: investor.id, name: 'A 轮 LN', kind: 'EQUITY_INVESTMENT', needKind: 'EQUITY', minAmount: '7000000', maxAmount: '7000000', equity: { stages: ['SERIES_A'] },
    });
    const investorToken = app.token({ sub: 'investor-ln', role: 'INVESTOR', institutionId: investor.id });
    const firm = await registeredEnterprise(app);
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'EQUITY', amount: '7000000', equity: { stage: 'SERIES_A' } });
    const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
    const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === product.id).node.id;
    await ok(APPLY, { matchId }, firm.token);
    await ok(OUTCOME, { matchId, outcome: 'APPROVED' }, investorToken);
    expect((await run(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '7000000' }, investorToken)).userErrors[0]).toMatchObject({ code: 'NOT_A_LOAN' });
  });

  it('approval needs the enterprise\'s application', async () => {
    const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
    await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA' }] });
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '1600000', termMonths: 12 });
    const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
    const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === market.creditLoan.id).node.id;
    const refused = await run(OUTCOME, { matchId, outcome: 'APPROVED' }, market.bankToken);
    expect(refused.userErrors[0]).toMatchObject({ field: ['input', 'outcome'], code: 'ILLEGAL_TRANSITION' });
    expect(refused.userErrors[0].message).toMatch(/申请/);
  });
});

describe('the statistics reproduce the ledger', () => {
  it('an analyst\'s stats give the ledger\'s totals: disbursed, claims, reserves, losses and subsidies', async () => {
    const STATS = `{ stats { loans { count principal netLoss compensationPaid }
      pools { pool { id } reserved paid reserveHeld compensationPaid }
      subsidies { kind payeeId amount bookings } funnel { disbursed disbursedAmount } } }`;
    const res = await app.gql(STATS, {}, { token: staff(app).analyst });
    expect(res.errors).toBeUndefined();
    const { stats } = res.data;
    const sum = async (where: string, params: unknown[] = []) =>
      (await app.dataSource.query(`SELECT coalesce(sum(amount), 0)::numeric(18,2)::text AS total FROM ledger_entry WHERE ${where}`, params))[0].total;
    expect(stats.loans.principal).toBe(await sum(`kind = 'DISBURSEMENT'`));
    // E10: the parties share the net loss less the pool's payout.
    expect(stats.loans.netLoss).toBe(new Decimal(await sum(`kind = 'LOSS_SHARE'`)).plus(await sum(`kind = 'CLAIM_PAYOUT'`)).toFixed(2));
    expect(stats.loans.compensationPaid).toBe(await sum(`kind = 'CLAIM_PAYOUT'`));
    expect(stats.funnel.disbursedAmount).toBe(stats.loans.principal);
    for (const p of stats.pools) {
      const id = Buffer.from(p.pool.id, 'base64url').toString().split(':')[1];
      const reserved = new Decimal(await sum(`kind = 'RESERVE' AND party_id = $1`, [id])).minus(await sum(`kind IN ('RESERVE_RELEASE', 'CLAIM_PAYOUT') AND party_id = $1`, [id]));
      expect([p.reserved, p.reserveHeld]).toEqual([reserved.toFixed(2), reserved.toFixed(2)]);
      expect([p.paid, p.compensationPaid]).toEqual([await sum(`kind = 'CLAIM_PAYOUT' AND party_id = $1`, [id]), await sum(`kind = 'CLAIM_PAYOUT' AND party_id = $1`, [id])]);
    }
    // Subsidies booked on loans are the ledger's SUBSIDY entries; the fee subsidies inserted as this year's earlier bookings come on top.
    const risk = stats.subsidies.filter((s: any) => s.kind === 'GUARANTEE_RISK_SUBSIDY').reduce((t: Decimal, s: any) => t.plus(s.amount), new Decimal(0));
    expect(risk.toFixed(2)).toBe(await sum(`kind = 'SUBSIDY' AND rule_version LIKE 'RISK-%'`));
    const fee = stats.subsidies.filter((s: any) => s.kind === 'GUARANTEE_FEE_SUBSIDY').reduce((t: Decimal, s: any) => t.plus(s.amount), new Decimal(0));
    const [{ earlier }] = await app.dataSource.query(`SELECT coalesce(sum(amount), 0)::numeric(18,2) AS earlier FROM subsidy_booking WHERE loan_id IS NULL`);
    expect(fee.toFixed(2)).toBe(new Decimal(await sum(`kind = 'SUBSIDY' AND rule_version LIKE 'FEE-%'`)).plus(earlier).toFixed(2));
    expect(new Decimal(stats.loans.principal).gt(0) && Number(stats.loans.count)).toBeGreaterThan(0);
    // Nothing personal: no contact detail of any firm appears.
    expect(JSON.stringify(stats)).not.toMatch(/010-12345678|example\.invalid|张三/);
  });
});

describe('matches and loans keep their policy rules by id (issue 12 §4)', () => {
  it('a disbursement quotes the rules its match stored by id, whatever the CODE@vN text says; the loan keeps the ids and shows the versions', async () => {
    const { matchId } = await approvedMatch('2000000', market.creditLoan.id);
    const id = uuidOf(matchId, 'Match');
    const [rule] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'QD-RC-LN' AND version = 1`);
    expect(await app.dataSource.query(`SELECT rule_ids::text[] AS ids, rule_versions AS versions FROM match WHERE id = $1`, [id])).toEqual([{ ids: [rule.id], versions: ['QD-RC-LN@v1'] }]);
    // The display text no longer names a rule: read back as text, the match would have quoted no rule and reserved nothing.
    await app.dataSource.query(`UPDATE match SET rule_versions = '{garbled}' WHERE id = $1`, [id]);
    const { loan } = await ok(OUTCOME, { matchId, outcome: 'DISBURSED', principal: '2000000' }, market.bankToken);
    expect(loan).toMatchObject({ riskCompensationReserve: '100000.00', policyRuleVersions: ['QD-RC-LN@v1'], ledger: [expect.anything(), { kind: 'RESERVE', party: 'POOL', amount: '100000.00', ruleVersion: 'QD-RC-LN@v1' }] });
    const loanId = uuidOf(loan.id, 'Loan');
    expect(await app.dataSource.query(`SELECT rule_ids::text[] AS ids FROM loan WHERE id = $1`, [loanId])).toEqual([{ ids: [rule.id] }]);
    expect(await app.dataSource.query(`SELECT kind, rule_id FROM ledger_entry WHERE loan_id = $1 ORDER BY id`, [loanId])).toEqual([{ kind: 'DISBURSEMENT', rule_id: null }, { kind: 'RESERVE', rule_id: rule.id }]);
  });
});

describe('the ledger derives its money state (issue 12 §5)', () => {
  const RECONCILIATION = `{ stats { ledgerReconciliation { balanced postings checked differences { figure subjectId stored recomputed } } } }`;
  const balances = (loanId: string) => app.dataSource.query(
    `SELECT account, sum(delta)::text AS balance FROM ledger_posting p CROSS JOIN LATERAL (VALUES (destination, amount), (source, -amount)) s(account, delta)
      WHERE p.loan_id = $1 GROUP BY account HAVING sum(delta) <> 0 ORDER BY account`, [loanId]);

  it('after E4, E5 and E6 (disbursements, repayments, defaults with a pool payout), the stats reconcile every figure with the postings', async () => {
    const res = await app.gql(RECONCILIATION, {}, { token: staff(app).analyst });
    expect(res.errors).toBeUndefined();
    const r = res.data.stats.ledgerReconciliation;
    expect(r).toEqual({ balanced: true, postings: expect.any(Number), checked: expect.any(Number), differences: [] });
    expect(r.postings).toBeGreaterThan(0);
    const [{ loans }] = await app.dataSource.query(`SELECT count(*)::int AS loans FROM loan`);
    expect(r.checked).toBeGreaterThanOrEqual(loans * 3);
  });

  it('E4 in accounts: the defaulted loan\'s principal and loss accounts are empty, the pool paid 500,000 and the bank bears the loss', async () => {
    const [loan] = await app.dataSource.query(`SELECT id, institution_id, pool_id FROM loan WHERE status = 'DEFAULTED' AND compensation_paid = 500000 AND guarantor_id IS NULL LIMIT 1`);
    expect(loan).toBeDefined();
    // Only the external and end accounts keep a balance: the bank lent 10,000,000 and got 7,000,000 back and the pool's 500,000
    // payout, and bears the 2,500,000 the pool did not pay (E10); the pool paid its reserve.
    expect(await balances(loan.id)).toEqual([
      { account: `banks:${loan.institution_id}`, balance: '-2500000.00' },
      { account: `banks:${loan.institution_id}:losses`, balance: '2500000.00' },
      { account: `pools:${loan.pool_id}`, balance: '-500000.00' },
      { account: `pools:${loan.pool_id}:paid:${loan.id}`, balance: '500000.00' },
    ]);
  });

  it('each movement is one posting group of one loan at one instant, and a default\'s loss account ends at zero in its own group', async () => {
    const groups = await app.dataSource.query(
      `SELECT txn_id, count(DISTINCT loan_id)::int AS loans, count(DISTINCT at)::int AS instants,
              coalesce(sum(amount) FILTER (WHERE destination ~ ':loss$'), 0)::text AS into_loss, coalesce(sum(amount) FILTER (WHERE source ~ ':loss$'), 0)::text AS out_of_loss
         FROM ledger_posting GROUP BY txn_id`);
    // A movement is a loan's entries at one instant, or a default with nothing but its write-off (a pool claim under review, no guarantee, no reserve released).
    const [{ movements }] = await app.dataSource.query(
      `SELECT count(*)::int AS movements FROM (SELECT loan_id, at FROM ledger_entry UNION SELECT loan_id, at FROM ledger_posting WHERE kind = 'WRITE_OFF') m`);
    expect(groups).toHaveLength(movements);
    for (const g of groups) expect([g.loans, g.instants, g.into_loss]).toEqual([1, 1, g.out_of_loss]);
    expect(groups.some((g: any) => g.into_loss !== '0')).toBe(true);
  });
});
