/**
 * Issue 17 §3 — pool claims applied for, reviewed and paid, through the API: a default opens the bank's
 * claim on the risk-compensation pool (R8) and the pool keeps what it owes reserved; the bank applies with
 * the documents the pool rule asks for; an authority of the borrower's region approves (all or part) or
 * rejects (final) and pays; the payment settles the default — the loss net of the payout is split (DOMAIN
 * E10) — and every refusal writes nothing.
 */
import { uuidOf } from '../../src/common/ids';
import { reconcileLedger } from '../../src/loans/reconciliation';
import { startTestApp, TestApp } from '../support/harness';
import { APPLY_FOR_POOL_CLAIM, PAY_POOL_CLAIM, POOL_CLAIM_FIELDS, REVIEW_POOL_CLAIM } from './claim-fixtures';
import { createInstitution, staff, USER_ERRORS } from './fixtures';
import { CREATE_RULE, disbursedLoan, Market, mutate, okPayloadOf, payloadOf, setUpMarket } from './policy-fixtures';

const LOAN_FIELDS = `id status netLoss compensationPaid reserveHeld lossSplit { party amount } ledger { kind party amount ruleVersion }
  poolClaim { ${POOL_CLAIM_FIELDS} } riskCompensationPool { id reserved paid available }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { ${LOAN_FIELDS} } ${USER_ERRORS} } }`;
const DEFAULT = `mutation($input: RecordDefaultInput!) { recordDefault(input: $input) { loan { ${LOAN_FIELDS} } ${USER_ERRORS} } }`;
const LOAN = `query($id: ID!) { node(id: $id) { ... on Loan { ${LOAN_FIELDS} } } }`;
const CLAIMS = `query($status: PoolClaimStatus) { poolClaims(status: $status) { id status claimed loan { id } } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on PoolClaim { id status } } }`;

let app: TestApp;
let market: Market;
let qingdao: string;
let beijing: string;
const DOCUMENTS = [{ kind: 'LOAN_CONTRACT', reference: 'JK-2026-0042' }, { kind: 'DEFAULT_EVIDENCE', reference: '不良认定书 2026-117', description: '逾期 90 天' }];

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app, 'PC');
  qingdao = app.token({ sub: 'authority-qd-pc', role: 'AUTHORITY', regionCode: '370200' });
  beijing = app.token({ sub: 'authority-bj-pc', role: 'AUTHORITY', regionCode: '11' });
  // A Qingdao pool rule for guaranteed loans paying 20 % of a loss up to the loan's 5 % reserve, asking for two documents (E10's rule).
  await mutate(app, staff(app).authority, CREATE_RULE, {
    code: 'QD-RC-PC-GUARANTEED', kind: 'RISK_COMPENSATION', poolId: market.pool.id, params: { commitmentRatio: '0.05', lossShare: '0.2' },
    eligibility: { productKinds: ['GUARANTEED_LOAN'], regionPrefixes: ['3702'] }, requiredDocuments: ['LOAN_CONTRACT', 'DEFAULT_EVIDENCE'],
  });
});
afterAll(() => app?.close());

const run = (document: string, input: Record<string, unknown>, token: string) => payloadOf(app, token, document, input);
const ok = (document: string, input: Record<string, unknown>, token: string) => okPayloadOf(app, token, document, input);
const loanOf = async (id: string) => (await app.gql(LOAN, { id }, { token: market.bankToken })).data.node;
const claimRow = (loanId: string) => app.dataSource.query(`SELECT status, approved::text, documents, reason, paid_at IS NOT NULL AS paid FROM pool_claim WHERE loan_id = $1`, [uuidOf(loanId, 'Loan')]);
const eventsOf = (loanId: string) => app.dataSource.query(
  `SELECT type, institution_id, guarantor_id, payload->>'approved' AS approved, payload->>'paid' AS paid FROM event WHERE type LIKE 'POOL_CLAIM_%' AND payload->>'loanId' = $1 ORDER BY seq`,
  [uuidOf(loanId, 'Loan')]);

/** A defaulted loan of `amount` on `productId` with `netLoss`: the payload's loan. */
async function defaulted(productId: string, amount: string, netLoss: string) {
  const { loan } = await disbursedLoan(app, market, { productId, amount, outcome: OUTCOME });
  return (await ok(DEFAULT, { loanId: loan.id, netLoss }, market.bankToken)).loan;
}

describe('E10 through the review: a 1,000,000 loss on a guaranteed loan under Anhui 4321, the pool owing 200,000', () => {
  let loan: any;
  let claimId: string;

  it('the default opens the claim: 200,000 kept reserved, 50,000 released, the loss waits; the guarantee is claimed', async () => {
    loan = await defaulted(market.guaranteedLoan.id, '5000000', '1000000');
    claimId = loan.poolClaim.id;
    expect(loan).toMatchObject({
      status: 'DEFAULTED', netLoss: '1000000.00', compensationPaid: '0.00', reserveHeld: '200000.00', lossSplit: [],
      poolClaim: { status: 'OPEN', netLoss: '1000000.00', claimed: '200000.00', approved: null, ruleVersion: 'QD-RC-PC-GUARANTEED@v1', regionCode: '370212', documents: [], submittedAt: null },
    });
    expect(loan.ledger.slice(-2).map((e: any) => [e.kind, e.amount])).toEqual([['RESERVE_RELEASE', '50000.00'], ['GUARANTEE_RELEASE', '4000000.00']]);
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  });

  it('the reconciliation holds the claim account to the claim: 1.00 moved out of it by hand is reported (LOAN_AWAITING_POOL)', async () => {
    const id = uuidOf(loan.id, 'Loan')!;
    await app.dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO ledger_posting (txn_id, loan_id, kind, source, destination, amount) VALUES (gen_random_uuid(), $1, 'RECOVERY', $2, 'banks:tampered', 1)`, [id, `loans:${id}:claim`]);
      const r = await reconcileLedger(em);
      expect(r.differences.map((d) => [d.figure, d.subjectId, d.stored?.toFixed(2), d.recomputed.toFixed(2)])).toEqual([['LOAN_AWAITING_POOL', id, '1000000.00', '999999.00']]);
      throw new Error('rolled back');
    }).catch((e: Error) => expect(e.message).toBe('rolled back'));
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  });

  it('refusals write nothing: documents missing, another bank, review or payment before their turn, an authority of another region', async () => {
    expect((await run(APPLY_FOR_POOL_CLAIM, { loanId: loan.id, documents: [DOCUMENTS[0]] }, market.bankToken)).userErrors[0])
      .toMatchObject({ code: 'DOCUMENTS_MISSING', field: ['input', 'documents'], message: expect.stringContaining('DEFAULT_EVIDENCE') });
    const other = await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '他行 PC' });
    const otherToken = app.token({ sub: 'banker-other-pc', role: 'BANK', institutionId: other.id });
    expect((await run(APPLY_FOR_POOL_CLAIM, { loanId: loan.id, documents: DOCUMENTS }, otherToken)).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await run(REVIEW_POOL_CLAIM, { claimId, decision: 'APPROVE' }, qingdao)).userErrors[0]).toMatchObject({ code: 'CLAIM_NOT_SUBMITTED', params: { status: 'OPEN' } });
    expect((await run(PAY_POOL_CLAIM, { claimId, paymentReference: 'X' }, qingdao)).userErrors[0]).toMatchObject({ code: 'CLAIM_NOT_APPROVED' });
    expect(await claimRow(loan.id)).toEqual([{ status: 'OPEN', approved: null, documents: [], reason: null, paid: false }]);

    const applied = await ok(APPLY_FOR_POOL_CLAIM, { loanId: loan.id, documents: DOCUMENTS }, market.bankToken);
    expect(applied.claim).toMatchObject({ status: 'SUBMITTED', documents: [{ kind: 'LOAN_CONTRACT', reference: 'JK-2026-0042', description: null }, { kind: 'DEFAULT_EVIDENCE', reference: '不良认定书 2026-117', description: '逾期 90 天' }] });
    expect((await run(APPLY_FOR_POOL_CLAIM, { loanId: loan.id, documents: DOCUMENTS }, market.bankToken)).userErrors[0]).toMatchObject({ code: 'POOL_CLAIM_NOT_OPEN', params: { status: 'SUBMITTED' } });
    expect((await run(REVIEW_POOL_CLAIM, { claimId, decision: 'APPROVE' }, beijing)).userErrors[0]).toMatchObject({ code: 'OUTSIDE_AUTHORITY_REGION' });
    expect((await run(REVIEW_POOL_CLAIM, { claimId, decision: 'APPROVE', approved: '200000.01' }, qingdao)).userErrors[0]).toMatchObject({ code: 'APPROVED_OUTSIDE_CLAIM', params: { claimed: '200000.00' } });
    expect((await run(REVIEW_POOL_CLAIM, { claimId, decision: 'APPROVE', approved: '150000' }, qingdao)).userErrors[0]).toMatchObject({ code: 'REQUIRED', field: ['input', 'reason'] });
    expect((await run(REVIEW_POOL_CLAIM, { claimId, decision: 'REJECT' }, qingdao)).userErrors[0]).toMatchObject({ code: 'REQUIRED', field: ['input', 'reason'] });
    expect((await claimRow(loan.id))[0]).toMatchObject({ status: 'SUBMITTED', approved: null, reason: null });
    expect(await loanOf(loan.id)).toMatchObject({ compensationPaid: '0.00', reserveHeld: '200000.00', lossSplit: [] });
    expect(await eventsOf(loan.id)).toEqual([]);
  });

  it('approved for 150,000 with a reason: nothing moves until the payment; paid, the pool pays 150,000, releases 50,000 and the 850,000 left is split 340,000 / 255,000 / 170,000 / 85,000', async () => {
    const poolBefore = (await loanOf(loan.id)).riskCompensationPool;
    const { claim } = await ok(REVIEW_POOL_CLAIM, { claimId, decision: 'APPROVE', approved: '150000', reason: '50,000 的损失发生在备案前' }, qingdao);
    expect(claim).toMatchObject({ status: 'APPROVED', approved: '150000.00', reason: '50,000 的损失发生在备案前', paidAt: null });
    expect(await loanOf(loan.id)).toMatchObject({ compensationPaid: '0.00', reserveHeld: '200000.00', lossSplit: [], riskCompensationPool: poolBefore });

    const { claim: paid } = await ok(PAY_POOL_CLAIM, { claimId, paymentReference: 'QDCZ-2026-88' }, qingdao);
    expect(paid).toMatchObject({ status: 'PAID', approved: '150000.00', paymentReference: 'QDCZ-2026-88', loan: { id: loan.id }, pool: { id: market.pool.id } });
    const settled = await loanOf(loan.id);
    expect(settled).toMatchObject({
      compensationPaid: '150000.00', reserveHeld: '0.00',
      lossSplit: [{ party: 'GUARANTOR', amount: '340000.00' }, { party: 'RE_GUARANTOR', amount: '255000.00' }, { party: 'BANK', amount: '170000.00' }, { party: 'LOCAL_GOVERNMENT', amount: '85000.00' }],
    });
    const money = (v: string) => Number(v);
    expect(money(settled.riskCompensationPool.paid) - money(poolBefore.paid)).toBe(150_000);
    expect(money(poolBefore.reserved) - money(settled.riskCompensationPool.reserved)).toBe(200_000);
    expect(money(settled.riskCompensationPool.available) - money(poolBefore.available)).toBe(50_000);
    expect(settled.ledger.slice(-6).map((e: any) => [e.kind, e.party, e.amount])).toEqual([
      ['CLAIM_PAYOUT', 'POOL', '150000.00'], ['RESERVE_RELEASE', 'POOL', '50000.00'],
      ['LOSS_SHARE', 'GUARANTOR', '340000.00'], ['LOSS_SHARE', 'RE_GUARANTOR', '255000.00'], ['LOSS_SHARE', 'BANK', '170000.00'], ['LOSS_SHARE', 'LOCAL_GOVERNMENT', '85000.00'],
    ]);
    // The parked loss is gone: the claim account is empty, and the reconciliation finds no difference.
    const [{ balance }] = await app.dataSource.query(
      `SELECT coalesce(sum(CASE WHEN destination = $1 THEN amount ELSE -amount END), 0)::text AS balance FROM ledger_posting WHERE $1 IN (source, destination)`,
      [`loans:${uuidOf(loan.id, 'Loan')}:claim`]);
    expect(balance).toBe('0.00');
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
    // The bank and the guarantor heard each decision.
    const [{ guarantor_id: guarantorId }] = await app.dataSource.query(`SELECT guarantor_id FROM loan WHERE id = $1`, [uuidOf(loan.id, 'Loan')]);
    expect(await eventsOf(loan.id)).toEqual([
      { type: 'POOL_CLAIM_APPROVED', institution_id: uuidOf(market.bank.id, 'Institution'), guarantor_id: guarantorId, approved: '150000.00', paid: null },
      { type: 'POOL_CLAIM_PAID', institution_id: uuidOf(market.bank.id, 'Institution'), guarantor_id: guarantorId, approved: null, paid: '150000.00' },
    ]);
    expect((await run(PAY_POOL_CLAIM, { claimId, paymentReference: 'again' }, qingdao)).userErrors[0]).toMatchObject({ code: 'CLAIM_NOT_APPROVED', params: { status: 'PAID' } });
  });
});

describe('E4\'s claim rejected: final — the reserve goes back to the pool and the bank bears the whole loss', () => {
  it('3,000,000 lost on a 10,000,000 credit loan: the pool owed 500,000; rejected, 0 paid and 3,000,000 borne', async () => {
    const loan = await defaulted(market.creditLoan.id, '10000000', '3000000');
    const before = loan.riskCompensationPool;
    expect(loan).toMatchObject({ reserveHeld: '500000.00', poolClaim: { status: 'OPEN', claimed: '500000.00' }, lossSplit: [] });
    await ok(APPLY_FOR_POOL_CLAIM, { loanId: loan.id, documents: [] }, market.bankToken);
    expect((await run(REVIEW_POOL_CLAIM, { claimId: loan.poolClaim.id, decision: 'REJECT', approved: '1', reason: 'x' }, qingdao)).userErrors[0]).toMatchObject({ code: 'NOT_APPLICABLE' });
    const { claim } = await ok(REVIEW_POOL_CLAIM, { claimId: loan.poolClaim.id, decision: 'REJECT', reason: '贷款不属于风险补偿备案范围' }, qingdao);
    expect(claim).toMatchObject({ status: 'REJECTED', approved: null, reason: '贷款不属于风险补偿备案范围' });
    const settled = await loanOf(loan.id);
    expect(settled).toMatchObject({ compensationPaid: '0.00', reserveHeld: '0.00', lossSplit: [{ party: 'BANK', amount: '3000000.00' }] });
    expect(Number(before.reserved) - Number(settled.riskCompensationPool.reserved)).toBe(500_000);
    expect(settled.riskCompensationPool.paid).toBe(before.paid);
    expect(settled.ledger.slice(-2).map((e: any) => [e.kind, e.amount])).toEqual([['RESERVE_RELEASE', '500000.00'], ['LOSS_SHARE', '3000000.00']]);
    expect((await run(REVIEW_POOL_CLAIM, { claimId: loan.poolClaim.id, decision: 'APPROVE' }, qingdao)).userErrors[0]).toMatchObject({ code: 'CLAIM_NOT_SUBMITTED', params: { status: 'REJECTED' } });
    expect((await eventsOf(loan.id)).map((e: any) => e.type)).toEqual(['POOL_CLAIM_REJECTED']);
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  });
});

describe('payments at once, visibility, and a default the pool owes nothing on', () => {
  it('two payments of one approved claim at once: exactly one pays, the pool moves once', async () => {
    const loan = await defaulted(market.creditLoan.id, '2000000', '1000000');
    await ok(APPLY_FOR_POOL_CLAIM, { loanId: loan.id, documents: [] }, market.bankToken);
    await ok(REVIEW_POOL_CLAIM, { claimId: loan.poolClaim.id, decision: 'APPROVE' }, qingdao);
    const results = await Promise.all([1, 2].map((n) => run(PAY_POOL_CLAIM, { claimId: loan.poolClaim.id, paymentReference: `TWICE-${n}` }, staff(app).authority)));
    expect(results.map((r) => r.userErrors[0]?.code ?? 'PAID').sort()).toEqual(['CLAIM_NOT_APPROVED', 'PAID']);
    const settled = await loanOf(loan.id);
    expect(settled).toMatchObject({ compensationPaid: '100000.00', lossSplit: [{ party: 'BANK', amount: '900000.00' }] });
    expect(settled.ledger.filter((e: any) => e.kind === 'CLAIM_PAYOUT')).toHaveLength(1);
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  });

  it('a claim is seen by its bank, an authority of its region and admins; not by another bank or another region', async () => {
    const loan = await defaulted(market.creditLoan.id, '2000000', '500000');
    const id = loan.poolClaim.id;
    const listed = async (token: string) => ((await app.gql(CLAIMS, { status: 'OPEN' }, { token })).data.poolClaims as any[]).some((c) => c.id === id);
    const other = await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '旁观银行 PC' });
    const otherToken = app.token({ sub: 'banker-watch-pc', role: 'BANK', institutionId: other.id });
    expect([await listed(market.bankToken), await listed(qingdao), await listed(staff(app).admin), await listed(otherToken), await listed(beijing)]).toEqual([true, true, true, false, false]);
    expect((await app.gql(NODE, { id }, { token: qingdao })).data.node).toEqual({ id, status: 'OPEN' });
    expect((await app.gql(NODE, { id }, { token: beijing })).data.node).toBeNull();
    expect((await app.gql(NODE, { id }, { token: otherToken })).data.node).toBeNull();
  });

  it('a default the pool owes nothing on (a Beijing firm: the Qingdao pool rule does not reach it) splits its loss at once; there is no claim to apply for', async () => {
    const { loan } = await disbursedLoan(app, market, { productId: market.guaranteedLoan.id, amount: '1000000', outcome: OUTCOME, firm: { regionCode: '110105' } });
    expect(loan.reserveHeld).toBe('0.00');
    const { loan: done } = await ok(DEFAULT, { loanId: loan.id, netLoss: '100000' }, market.bankToken);
    expect(done).toMatchObject({ poolClaim: null, compensationPaid: '0.00' });
    expect(done.lossSplit.map((p: any) => p.amount)).toEqual(['40000.00', '30000.00', '20000.00', '10000.00']);
    expect((await run(APPLY_FOR_POOL_CLAIM, { loanId: loan.id, documents: DOCUMENTS }, market.bankToken)).userErrors[0]).toMatchObject({ code: 'NO_POOL_CLAIM' });
    expect(await app.dataSource.query(`SELECT 1 FROM pool_claim WHERE loan_id = $1`, [uuidOf(loan.id, 'Loan')])).toEqual([]);
  });
});
