/**
 * Issue 17 §3 through the API: subsidy claims applied for (with the documents the rule asks for),
 * reviewed and paid, the ledger booking at payment to the cent; each rule's yearly budget, refused when
 * exhausted with nothing written, and never exceeded by approvals at once; AUTHORITY tokens scoped to
 * their region (a national one sees all); the listing reserve pool kept by authorities, the matcher
 * following it.
 *
 * The database's day is put on the next 15 January, so E5's 12-month loans lie in one calendar year
 * (their fee subsidy is one year's, DOMAIN E9).
 */
import { Decimal } from '../../src/common/decimal';
import { uuidOf } from '../../src/common/ids';
import { reconcileLedger } from '../../src/loans/reconciliation';
import { resetDatabaseDay, setDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import {
  APPLY_FOR_SUBSIDY, BUDGETS, CLAIM_FIELDS, entitlementsOf, PAY_CLAIM, REVIEW_CLAIM, SET_BUDGET,
} from './claim-fixtures';
import { createInstitution, CREATE_PRODUCT, POST_NEED, SET_QUALIFICATIONS, staff, USER_ERRORS } from './fixtures';
import { CREATE_RULE, disbursedLoan as disburse, EXPLAIN, Market, mutate, payloadOf, ratedFirm, setUpMarket } from './policy-fixtures';

const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id subsidies { kind amount ruleVersion } ledger { kind party amount ruleVersion } } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;
const CLAIMS = `query($status: SubsidyClaimStatus, $ruleCode: String) { subsidyClaims(status: $status, ruleCode: $ruleCode) { ${CLAIM_FIELDS} } }`;
const LEDGER = `query($id: ID!) { node(id: $id) { ... on Loan { ledger { kind party amount ruleVersion } } } }`;
const ADD_RESERVE = `mutation($input: AddToListingReserveInput!) { addToListingReserve(input: $input) { entry { id validFrom addReason removedOn removeReason enterprise { creditCode } } ${USER_ERRORS} } }`;
const REMOVE_RESERVE = `mutation($input: RemoveFromListingReserveInput!) { removeFromListingReserve(input: $input) { entry { id removedOn removeReason } ${USER_ERRORS} } }`;
const RESERVE = `query($code: String, $all: Boolean) { listingReserve(creditCode: $code, includeRemoved: $all) { addReason removedOn removeReason enterprise { creditCode } } }`;
const REGISTER = `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id } ${USER_ERRORS} } }`;

let app: TestApp;
let market: Market;
let year: number;
let guarantorToken: string;
/** A regional authority of Qingdao (the market's firms are there), one of Beijing, and a national one. */
let qingdao: string;
let beijing: string;
let national: string;

beforeAll(async () => {
  app = await startTestApp();
  const [{ day }] = await app.dataSource.query(`SELECT to_char(make_date(extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int + 1, 1, 15), 'YYYY-MM-DD') AS day`);
  await setDatabaseDay(app.dataSource, day);
  year = Number(day.slice(0, 4));
  market = await setUpMarket(app, 'RV');
  // The fee rule's next version asks for two documents; the matches below use it.
  await mutate(app, staff(app).authority, CREATE_RULE, {
    code: 'FEE-RV', kind: 'GUARANTEE_FEE_SUBSIDY', params: { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' },
    eligibility: { national: true }, requiredDocuments: ['GUARANTEE_CONTRACT', 'FEE_RECEIPT'],
  });
  guarantorToken = app.token({ sub: 'guarantor-rv', role: 'GUARANTOR', institutionId: market.guarantor.id });
  qingdao = app.token({ sub: 'authority-qd', role: 'AUTHORITY', regionCode: '370200' });
  beijing = app.token({ sub: 'authority-bj', role: 'AUTHORITY', regionCode: '11' });
  national = staff(app).authority;
});
afterAll(async () => {
  if (app) await resetDatabaseDay(app.dataSource);
  await app?.close();
});

/** A 12-month loan of `amount` through `productId` of `m`'s bank, from a new rated Qingdao firm (policy-fixtures `disbursedLoan`). */
const disbursedLoan = (amount: string, productId = market.guaranteedLoan.id, m: Market = market) => disburse(app, m, { productId, amount, outcome: OUTCOME });

const entitlement = async (loanId: string, kind: string) => (await entitlementsOf(app, loanId)).find((e) => e.kind === kind)!;
const run = (token: string, document: string, input: Record<string, unknown>) => payloadOf(app, token, document, input);
const DOCUMENTS = [
  { kind: 'GUARANTEE_CONTRACT', reference: 'GC-2027-0001', description: '委托保证合同' },
  { kind: 'FEE_RECEIPT', reference: 'FR-2027-0001' },
];
const rows = async () => (await app.dataSource.query(`SELECT (SELECT count(*) FROM subsidy_claim)::int AS claims, (SELECT count(*) FROM subsidy_booking)::int AS bookings,
  (SELECT count(*) FROM ledger_posting)::int AS postings, (SELECT coalesce(sum(committed), 0)::text FROM policy_budget) AS committed,
  (SELECT coalesce(sum(total), 0)::text FROM guarantor_fee_subsidy_total) AS totals, (SELECT coalesce(sum(amount), 0)::text FROM guarantor_fee_subsidy_entitled) AS entitled`))[0];

describe('a claim from disbursement to payment: the ledger books it when it is paid', () => {
  it('E5: 47,000.00 fee and 60,000.00 risk entitlements; applied for with the documents, approved within the budget, paid and booked to the cent', async () => {
    const before = await rows();
    const { loan } = await disbursedLoan('5000000');
    // The disbursement records entitlements (Loan.subsidies shows them) and books nothing.
    expect(loan.subsidies).toEqual([
      { kind: 'GUARANTEE_FEE_SUBSIDY', amount: '47000.00', ruleVersion: 'FEE-RV@v2' },
      { kind: 'GUARANTEE_RISK_SUBSIDY', amount: '60000.00', ruleVersion: 'RISK-RV@v1' },
    ]);
    expect(loan.ledger.map((e: any) => e.kind)).toEqual(['DISBURSEMENT', 'GUARANTEE']);
    const fee = await entitlement(loan.id, 'GUARANTEE_FEE_SUBSIDY');
    expect(fee).toMatchObject({ year, amount: '47000.00', ruleCode: 'FEE-RV', payeeKind: 'GUARANTOR', payeeId: market.guarantor.id, claims: [] });
    const afterDisbursement = await rows();
    expect(afterDisbursement).toMatchObject({ bookings: before.bookings, totals: before.totals });
    expect(Number(afterDisbursement.entitled) - Number(before.entitled)).toBe(47_000);

    // The payee only, with every document the rule asks for.
    expect((await app.gql(APPLY_FOR_SUBSIDY, { input: { entitlementId: fee.id, documents: DOCUMENTS } }, { token: market.bankToken })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await createInstitution(app, national, { kind: 'GUARANTOR', name: '担保 RV 其他', guarantee: { netAssets: '100000000', feeRate: '0.010' } });
    const stranger = app.token({ sub: 'guarantor-other', role: 'GUARANTOR', institutionId: other.id });
    expect((await run(stranger, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: DOCUMENTS })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const missing = await run(guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: [DOCUMENTS[0]] });
    expect(missing.userErrors[0]).toMatchObject({ field: ['input', 'documents'], code: 'DOCUMENTS_MISSING' });
    expect(missing.userErrors[0].message).toContain('FEE_RECEIPT');
    expect((await rows()).claims).toBe(before.claims);
    const claim = await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: DOCUMENTS });
    expect(claim).toMatchObject({ status: 'SUBMITTED', claimed: '47000.00', approved: null, documents: [DOCUMENTS[0], { ...DOCUMENTS[1], description: null }] });
    expect((await run(guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: DOCUMENTS })).userErrors[0]).toMatchObject({ code: 'CLAIM_EXISTS' });

    // No budget, no approval; paying before approval is refused. Nothing written either way.
    const atSubmit = await rows();
    expect((await run(national, REVIEW_CLAIM, { claimId: claim.id, decision: 'APPROVE' })).userErrors[0]).toMatchObject({ code: 'BUDGET_NOT_SET' });
    expect((await run(national, PAY_CLAIM, { claimId: claim.id, paymentReference: 'TR-1' })).userErrors[0]).toMatchObject({ code: 'CLAIM_NOT_APPROVED' });
    expect(await rows()).toEqual(atSubmit);

    await mutate(app, national, SET_BUDGET, { ruleCode: 'FEE-RV', year, amount: '100000' });
    const approved = await mutate(app, national, REVIEW_CLAIM, { claimId: claim.id, decision: 'APPROVE', reason: '材料齐全' });
    expect(approved).toMatchObject({ status: 'APPROVED', approved: '47000.00', reason: '材料齐全' });
    // Reviewed once: reviewing again is refused with the status.
    const again = await run(national, REVIEW_CLAIM, { claimId: claim.id, decision: 'REJECT', reason: '重复审核' });
    expect(again.userErrors[0]).toMatchObject({ field: ['input', 'claimId'], code: 'CLAIM_NOT_SUBMITTED', params: { status: 'APPROVED' } });
    expect((await app.gql(BUDGETS, { year, ruleCode: 'FEE-RV' }, { token: national })).data.policyBudgets)
      .toEqual([{ ruleCode: 'FEE-RV', year, budget: '100000.00', committed: '47000.00', paid: '0.00', remaining: '53000.00' }]);
    // Approved is not paid: still nothing booked.
    expect(await rows()).toMatchObject({ bookings: before.bookings, totals: before.totals });

    const paid = await mutate(app, national, PAY_CLAIM, { claimId: claim.id, paymentReference: 'GK-2027-000123' });
    expect(paid).toMatchObject({ status: 'PAID', approved: '47000.00', paymentReference: 'GK-2027-000123' });
    const guarantorId = uuidOf(market.guarantor.id, 'Institution');
    expect(await app.dataSource.query(`SELECT year, amount::text, rule_version FROM subsidy_booking WHERE loan_id = $1`, [uuidOf(loan.id, 'Loan')]))
      .toEqual([{ year, amount: '47000.00', rule_version: 'FEE-RV@v2' }]);
    expect(await app.dataSource.query(`SELECT total::text FROM guarantor_fee_subsidy_total WHERE guarantor_id = $1 AND year = $2`, [guarantorId, year])).toEqual([{ total: '47000.00' }]);
    expect(await app.dataSource.query(`SELECT amount::text FROM guarantor_fee_subsidy_entitled WHERE guarantor_id = $1 AND year = $2`, [guarantorId, year])).toEqual([{ amount: '0.00' }]);
    const ledger = (await app.gql(LEDGER, { id: loan.id }, { token: national })).data.node.ledger;
    expect(ledger.filter((e: any) => e.kind === 'SUBSIDY')).toEqual([{ kind: 'SUBSIDY', party: 'GUARANTOR', amount: '47000.00', ruleVersion: 'FEE-RV@v2' }]);
    expect((await app.gql(BUDGETS, { year, ruleCode: 'FEE-RV' }, { token: national })).data.policyBudgets)
      .toEqual([{ ruleCode: 'FEE-RV', year, budget: '100000.00', committed: '0.00', paid: '47000.00', remaining: '53000.00' }]);
    expect((await run(national, PAY_CLAIM, { claimId: claim.id, paymentReference: 'again' })).userErrors[0]).toMatchObject({ code: 'CLAIM_NOT_APPROVED' });
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
    // A budget below what was paid is refused.
    expect((await run(national, SET_BUDGET, { ruleCode: 'FEE-RV', year, amount: '40000' })).userErrors[0]).toMatchObject({ code: 'BUDGET_BELOW_COMMITTED' });

    // The risk subsidy (the rule asks for no document): rejected needs a reason; rejected, it may be applied for again.
    const risk = await entitlement(loan.id, 'GUARANTEE_RISK_SUBSIDY');
    const riskClaim = await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: risk.id, documents: [] });
    expect((await run(national, REVIEW_CLAIM, { claimId: riskClaim.id, decision: 'REJECT' })).userErrors[0]).toMatchObject({ field: ['input', 'reason'], code: 'REQUIRED' });
    expect(await mutate(app, national, REVIEW_CLAIM, { claimId: riskClaim.id, decision: 'REJECT', reason: '缺少担保合同' })).toMatchObject({ status: 'REJECTED', reason: '缺少担保合同', approved: null });
    expect(await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: risk.id, documents: [{ kind: 'GUARANTEE_CONTRACT', reference: 'GC-2' }] })).toMatchObject({ status: 'SUBMITTED', claimed: '60000.00' });
    // The guarantor sees its claims; another guarantor's token sees none of them.
    const own = (await app.gql(CLAIMS, { ruleCode: 'RISK-RV' }, { token: guarantorToken })).data.subsidyClaims;
    expect(own.map((c: any) => c.status)).toEqual(['SUBMITTED', 'REJECTED']);
  });

  it('a fee claim rejected releases its room under the cap, applying again holds it again; the reconciliation follows', async () => {
    const { loan } = await disbursedLoan('1000000');
    const fee = await entitlement(loan.id, 'GUARANTEE_FEE_SUBSIDY');
    const guarantorId = uuidOf(market.guarantor.id, 'Institution');
    const entitled = async () => (await app.dataSource.query(`SELECT amount::text FROM guarantor_fee_subsidy_entitled WHERE guarantor_id = $1 AND year = $2`, [guarantorId, year]))[0].amount;
    const held = await entitled();
    const claim = await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: DOCUMENTS });
    await mutate(app, national, REVIEW_CLAIM, { claimId: claim.id, decision: 'REJECT', reason: '收据不清晰' });
    expect(Number(await entitled())).toBe(Number(held) - 9_400);
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
    await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: DOCUMENTS });
    expect(await entitled()).toBe(held);
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  });
});

describe('budgets', () => {
  it('an approval beyond what remains of the year\'s budget is refused with the figures, and nothing is written', async () => {
    const { loan } = await disbursedLoan('5000000');
    const risk = await entitlement(loan.id, 'GUARANTEE_RISK_SUBSIDY');
    const claim = await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: risk.id, documents: [] });
    await mutate(app, national, SET_BUDGET, { ruleCode: 'RISK-RV', year, amount: '50000' });
    const before = await rows();
    const refused = await run(national, REVIEW_CLAIM, { claimId: claim.id, decision: 'APPROVE' });
    expect(refused.claim).toBeNull();
    expect(refused.userErrors[0]).toMatchObject({ field: ['input', 'claimId'], code: 'BUDGET_EXCEEDED' });
    expect(refused.userErrors[0].message).toContain('50000.00');
    expect(await rows()).toEqual(before);
    expect((await app.gql(CLAIMS, { status: 'SUBMITTED', ruleCode: 'RISK-RV' }, { token: national })).data.subsidyClaims.map((c: any) => c.id)).toContain(claim.id);
  });

  it('approvals at once cannot exceed a budget: 6 claims of 12,000.00 against 30,000.00 — exactly 2 are approved', async () => {
    await mutate(app, national, SET_BUDGET, { ruleCode: 'RISK-RV', year: year + 1, amount: '30000' });
    // Risk subsidies of 1,000,000 loans (guaranteed 800,000 × 0.015 = 12,000.00), their year moved to year + 1 for a budget of their own.
    const claims = [];
    for (let i = 0; i < 6; i += 1) {
      const { loan } = await disbursedLoan('1000000');
      const risk = await entitlement(loan.id, 'GUARANTEE_RISK_SUBSIDY');
      expect(risk.amount).toBe('12000.00');
      await app.dataSource.query(`UPDATE subsidy_entitlement SET year = $2 WHERE id = $1`, [uuidOf(risk.id, 'SubsidyEntitlement'), year + 1]);
      claims.push(await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: risk.id, documents: [] }));
    }
    const results = await Promise.all(claims.map((c) => run(national, REVIEW_CLAIM, { claimId: c.id, decision: 'APPROVE' })));
    expect(results.filter((r) => r.claim?.status === 'APPROVED')).toHaveLength(2);
    expect(results.filter((r) => r.userErrors[0]?.code === 'BUDGET_EXCEEDED')).toHaveLength(4);
    expect((await app.gql(BUDGETS, { year: year + 1, ruleCode: 'RISK-RV' }, { token: national })).data.policyBudgets)
      .toEqual([{ ruleCode: 'RISK-RV', year: year + 1, budget: '30000.00', committed: '24000.00', paid: '0.00', remaining: '6000.00' }]);
  }, 120_000);

  it('approvals at once cannot pass the guarantor\'s yearly fee-subsidy cap: with room for one claim of 9,400.00, four at once — exactly one is approved', async () => {
    const guarantorId = uuidOf(market.guarantor.id, 'Institution');
    const claims = [];
    for (let i = 0; i < 4; i += 1) {
      const { loan } = await disbursedLoan('1000000');
      const fee = await entitlement(loan.id, 'GUARANTEE_FEE_SUBSIDY');
      expect(fee.amount).toBe('9400.00');
      claims.push(await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: DOCUMENTS }));
    }
    // A booking made outside the claims (a correction) brings what was paid this year to 9,400.00 under the cap.
    const [{ paid }] = await app.dataSource.query(
      `SELECT coalesce((SELECT total FROM guarantor_fee_subsidy_total WHERE guarantor_id = $1 AND year = $2), 0)::text AS paid`, [guarantorId, year]);
    const [{ id: ruleId }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-RV' AND latest`);
    await app.dataSource.query(`INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year) VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, $3, $4)`,
      [ruleId, guarantorId, (2_990_600 - Number(paid)).toFixed(2), year]);
    const results = await Promise.all(claims.map((c) => run(national, REVIEW_CLAIM, { claimId: c.id, decision: 'APPROVE' })));
    expect(results.filter((r) => r.claim).map((r) => r.claim.approved)).toEqual(['9400.00']);
    expect(results.filter((r) => !r.claim).map((r) => r.userErrors[0].code)).toEqual(['SUBSIDY_CAP_REACHED', 'SUBSIDY_CAP_REACHED', 'SUBSIDY_CAP_REACHED']);
    expect(results.find((r) => !r.claim).userErrors[0].message).toContain('3000000.00');
    // The refused claims still hold their entitlements (open, under the cap); the totals reconcile with the claims.
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  }, 120_000);

  it('RV4: a fee claim of 9,400.00 with 5,000.00 of the 3,000,000.00 cap left is approved for 5,000.00, and the 4,400.00 cut off is no longer held', async () => {
    // A market of its own: its guarantor's cap is untouched by the tests above.
    const own = await setUpMarket(app, 'RX');
    const guarantorId = uuidOf(own.guarantor.id, 'Institution');
    const { loan } = await disbursedLoan('1000000', own.guaranteedLoan.id, own);
    // The market's own fee rule's entitlement (FEE-RV, national too, entitles the guarantor to as much again).
    const fee = (await entitlementsOf(app, loan.id)).find((e) => e.ruleCode === 'FEE-RX')!;
    expect(fee.amount).toBe('9400.00');
    const entitled = async () => (await app.dataSource.query(`SELECT amount::text FROM guarantor_fee_subsidy_entitled WHERE guarantor_id = $1 AND year = $2`, [guarantorId, year]))[0].amount;
    expect(await entitled()).toBe('18800.00');
    const token = app.token({ sub: 'guarantor-rx', role: 'GUARANTOR', institutionId: own.guarantor.id });
    const claim = await mutate(app, token, APPLY_FOR_SUBSIDY, { entitlementId: fee.id, documents: [] });
    // Paid this year outside the claims (a correction): 2,995,000.00, which leaves 5,000.00 of the cap.
    const [{ id: ruleId }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-RX' AND latest`);
    await app.dataSource.query(`INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year) VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, '2995000.00', $3)`,
      [ruleId, guarantorId, year]);
    await mutate(app, national, SET_BUDGET, { ruleCode: 'FEE-RX', year, amount: '100000' });
    expect(await mutate(app, national, REVIEW_CLAIM, { claimId: claim.id, decision: 'APPROVE' })).toMatchObject({ status: 'APPROVED', claimed: '9400.00', approved: '5000.00' });
    expect(await entitled()).toBe('14400.00');
    expect((await app.gql(BUDGETS, { year, ruleCode: 'FEE-RX' }, { token: national })).data.policyBudgets)
      .toEqual([{ ruleCode: 'FEE-RX', year, budget: '100000.00', committed: '5000.00', paid: '0.00', remaining: '95000.00' }]);
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  }, 120_000);
});

describe('AUTHORITY tokens carry their region', () => {
  let claimId: string;
  beforeAll(async () => {
    const { loan } = await disbursedLoan('5000000');
    const risk = await entitlement(loan.id, 'GUARANTEE_RISK_SUBSIDY');
    claimId = (await mutate(app, guarantorToken, APPLY_FOR_SUBSIDY, { entitlementId: risk.id, documents: [] })).id;
  });

  it('a regional authority sees its region\'s claims; one of another region sees none of them, and acting on one writes nothing', async () => {
    const seen = (token: string) => app.gql(CLAIMS, { status: 'SUBMITTED' }, { token }).then((r) => r.data.subsidyClaims.map((c: any) => c.id));
    expect(await seen(qingdao)).toContain(claimId);
    expect(await seen(national)).toContain(claimId);
    expect(await seen(beijing)).toEqual([]);
    const before = await rows();
    const refused = await run(beijing, REVIEW_CLAIM, { claimId, decision: 'REJECT', reason: '不在辖区' });
    expect(refused.userErrors[0]).toMatchObject({ field: ['input', 'claimId'], code: 'OUTSIDE_AUTHORITY_REGION' });
    expect(refused.userErrors[0].message).toContain('11');
    expect(await rows()).toEqual(before);
    expect((await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: claimId }, { token: beijing })).data.node).toBeNull();
    expect(await mutate(app, qingdao, REVIEW_CLAIM, { claimId, decision: 'REJECT', reason: '补充材料后再申请' })).toMatchObject({ status: 'REJECTED' });
  });

  it('rules and budgets: a regional authority acts on its region\'s rules only; a national rule is a national authority\'s', async () => {
    const outside = await run(qingdao, CREATE_RULE, { code: 'BJ-LEASING-RV', kind: 'LEASING_SUBSIDY', params: { ratio: '0.02' }, eligibility: { regionPrefixes: ['11'] } });
    expect(outside.userErrors[0]).toMatchObject({ field: ['input', 'eligibility', 'regionPrefixes'], code: 'OUTSIDE_AUTHORITY_REGION' });
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM policy_rule WHERE code = 'BJ-LEASING-RV'`))[0].n).toBe(0);
    await mutate(app, qingdao, CREATE_RULE, { code: 'QD-LEASING-RV', kind: 'LEASING_SUBSIDY', params: { ratio: '0.02' }, eligibility: { regionPrefixes: ['3702'] } });
    await mutate(app, qingdao, SET_BUDGET, { ruleCode: 'QD-LEASING-RV', year, amount: '2000000' });
    expect((await run(beijing, SET_BUDGET, { ruleCode: 'QD-LEASING-RV', year, amount: '1' })).userErrors[0]).toMatchObject({ code: 'OUTSIDE_AUTHORITY_REGION' });
    expect((await run(qingdao, SET_BUDGET, { ruleCode: 'FEE-RV', year, amount: '1' })).userErrors[0]).toMatchObject({ code: 'OUTSIDE_AUTHORITY_REGION' });
    const budgets = async (token: string) => (await app.gql(BUDGETS, { year }, { token })).data.policyBudgets.map((b: any) => b.ruleCode);
    expect(await budgets(qingdao)).toEqual(['QD-LEASING-RV']);
    expect(await budgets(beijing)).toEqual([]);
    expect(await budgets(national)).toEqual(expect.arrayContaining(['FEE-RV', 'QD-LEASING-RV', 'RISK-RV']));
    const asked = await app.gql(BUDGETS, { year, ruleCode: 'QD-LEASING-RV' }, { token: beijing });
    expect(asked.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUTSIDE_AUTHORITY_REGION' });
  });

  it('stats: a regional authority counts its region by default and is refused another; a national one counts all', async () => {
    const LOANS = `query($filter: StatsFilter) { stats(filter: $filter) { loans { count principal } } }`;
    const regional = await app.gql(LOANS, {}, { token: qingdao });
    const filtered = await app.gql(LOANS, { filter: { regionPrefix: '3702' } }, { token: national });
    expect(regional.data.stats.loans).toEqual(filtered.data.stats.loans);
    expect(Number(regional.data.stats.loans.count)).toBeGreaterThan(0);
    expect((await app.gql(LOANS, {}, { token: beijing })).data.stats.loans.count).toBe(0);
    const outside = await app.gql(LOANS, { filter: { regionPrefix: '37' } }, { token: beijing });
    expect(outside.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUTSIDE_AUTHORITY_REGION' });
    expect((await app.gql(LOANS, { filter: { regionPrefix: '370212' } }, { token: qingdao })).errors).toBeUndefined();
  });

  it('roadshows: a regional authority co-hosts in its region, lists and acts on its region\'s only', async () => {
    const CREATE = `mutation($input: CreateRoadshowInput!) { createRoadshow(input: $input) { roadshow { id regionPrefix } ${USER_ERRORS} } }`;
    const INVITE = `mutation($input: InviteToRoadshowInput!) { inviteToRoadshow(input: $input) { roadshow { id } ${USER_ERRORS} } }`;
    const LIST = `{ roadshows(first: 50) { edges { node { id } } } }`;
    const outside = await run(qingdao, CREATE, { industryChain: 'AI', title: '人工智能产业链路演 RV', regionPrefix: '11' });
    expect(outside.userErrors[0]).toMatchObject({ field: ['input', 'regionPrefix'], code: 'OUTSIDE_AUTHORITY_REGION' });
    const roadshow = await mutate(app, qingdao, CREATE, { industryChain: 'AI', title: '人工智能产业链路演 RV' });
    expect(roadshow.regionPrefix).toBe('3702');
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM roadshow_invitation`);
    expect((await run(beijing, INVITE, { roadshowId: roadshow.id, institutionIds: [market.bank.id] })).userErrors[0]).toMatchObject({ code: 'OUTSIDE_AUTHORITY_REGION' });
    expect(await app.dataSource.query(`SELECT count(*)::int AS n FROM roadshow_invitation`)).toEqual(before);
    await mutate(app, qingdao, INVITE, { roadshowId: roadshow.id, institutionIds: [market.bank.id] });
    const listed = async (token: string) => (await app.gql(LIST, {}, { token })).data.roadshows.edges.map((e: any) => e.node.id);
    expect(await listed(qingdao)).toContain(roadshow.id);
    expect(await listed(national)).toContain(roadshow.id);
    expect(await listed(beijing)).not.toContain(roadshow.id);
  });

  it('a malformed regionCode claim refuses the token rather than making it national', async () => {
    const res = await app.gql(CLAIMS, {}, { token: app.token({ sub: 'authority-bad', role: 'AUTHORITY', regionCode: '9x' }) });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0].message).toContain('regionCode');
  });
});

describe('the listing reserve pool (seed 003) is kept by authorities, and matching follows it', () => {
  it('firms cannot declare it; only an authority of the firm\'s region adds or removes it, with a reason, history kept; the QUALIFICATION check follows', async () => {
    const product = await mutate(app, national, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '上市贷 RV', kind: 'LISTING_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '9000000', minAnnualRate: '0.04',
      eligibility: { qualifications: ['LISTING_RESERVE'] },
    });
    const firm = await ratedFirm(app, { employees: 300, revenue: '300000000.00' });
    const code = firm.enterprise.creditCode;
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });
    const qualification = async () => {
      const res = await app.gql(EXPLAIN, { need: need.id, product: product.id }, { token: firm.token });
      return res.data.explainMatch.checks.find((c: any) => c.code === 'QUALIFICATION').passed;
    };
    expect(await qualification()).toBe(false);

    // Declared by a firm, or recorded as a qualification: refused, pointing to the list.
    const declared = await app.gql(REGISTER, {
      input: { creditCode: code, name: firm.input.name, sector: 'INDUSTRY', regionCode: '370212', qualifications: [{ code: 'LISTING_RESERVE' }] },
    }, { token: firm.token });
    expect(declared.data.registerEnterprise.userErrors[0]).toMatchObject({ field: ['input', 'qualifications', '0', 'code'], code: 'LISTING_RESERVE_KEPT_BY_LIST' });
    expect((await run(national, SET_QUALIFICATIONS, { creditCode: code, qualifications: [{ code: 'LISTING_RESERVE' }] })).userErrors[0])
      .toMatchObject({ code: 'LISTING_RESERVE_KEPT_BY_LIST' });

    // Only authorities keep it, and only for their region's firms.
    expect((await app.gql(ADD_RESERVE, { input: { creditCode: code, reason: '自报' } }, { token: firm.token })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(ADD_RESERVE, { input: { creditCode: code, reason: '银行推荐' } }, { token: market.bankToken })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await run(beijing, ADD_RESERVE, { creditCode: code, reason: '入库' })).userErrors[0]).toMatchObject({ code: 'OUTSIDE_AUTHORITY_REGION' });
    expect(await qualification()).toBe(false);

    const added = await mutate(app, qingdao, ADD_RESERVE, { creditCode: code, reason: '2027 年第一批储备企业' });
    expect(added).toMatchObject({ addReason: '2027 年第一批储备企业', removedOn: null, enterprise: { creditCode: code } });
    expect((await run(qingdao, ADD_RESERVE, { creditCode: code, reason: 'again' })).userErrors[0]).toMatchObject({ code: 'ALREADY_IN_RESERVE' });
    expect(await qualification()).toBe(true);
    await app.settled();
    const matched = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
    expect(matched.data.node.matches.edges.map((e: any) => e.node.product.id)).toContain(product.id);

    expect((await run(qingdao, REMOVE_RESERVE, { creditCode: code, reason: '' })).userErrors[0]).toMatchObject({ field: ['input', 'reason'] });
    const removed = await mutate(app, qingdao, REMOVE_RESERVE, { creditCode: code, reason: '已在北交所上市' });
    expect(removed).toMatchObject({ removeReason: '已在北交所上市', removedOn: `${year}-01-15` });
    expect(await qualification()).toBe(false);
    expect((await run(qingdao, REMOVE_RESERVE, { creditCode: code, reason: 'again' })).userErrors[0]).toMatchObject({ code: 'NOT_IN_RESERVE' });

    // History: the removed entry stays; a new addition opens another.
    await mutate(app, national, ADD_RESERVE, { creditCode: code, reason: '重新入库' });
    const history = (await app.gql(RESERVE, { code, all: true }, { token: qingdao })).data.listingReserve;
    expect(history).toEqual([
      { addReason: '重新入库', removedOn: null, removeReason: null, enterprise: { creditCode: code } },
      { addReason: '2027 年第一批储备企业', removedOn: `${year}-01-15`, removeReason: '已在北交所上市', enterprise: { creditCode: code } },
    ]);
    expect((await app.gql(RESERVE, { code }, { token: beijing })).data.listingReserve).toEqual([]);
    expect(await qualification()).toBe(true);
  });
});

describe('a match\'s quote counts the fee subsidies entitled and not yet paid against the yearly cap', () => {
  it('with 5,000.00 of the cap left once an unpaid entitlement is counted (and more if it were not), a new match is quoted 5,000.00', async () => {
    // A market of its own: its guarantor's cap is untouched by the tests above.
    const own = await setUpMarket(app, 'RW');
    const guarantorId = uuidOf(own.guarantor.id, 'Institution');
    const { loan } = await disbursedLoan('1000000', own.guaranteedLoan.id, own);
    const fees = (await entitlementsOf(app, loan.id)).filter((e) => e.kind === 'GUARANTEE_FEE_SUBSIDY');
    const entitled = fees.reduce((sum, e) => sum.plus(e.amount), new Decimal(0));
    expect(entitled.gt(0)).toBe(true);
    // Paid (booked) so far this year: what leaves 5,000.00 of the 3,000,000.00 cap once the unpaid entitlement counts.
    const [{ id: ruleId }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-RW' AND latest`);
    await app.dataSource.query(`INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year) VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, $3, $4)`,
      [ruleId, guarantorId, new Decimal(3_000_000).minus(entitled).minus(5_000).toFixed(2), year]);

    const firm = await ratedFirm(app, {}, { attested: { sectorTags: ['EMERGING'] } });
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '1000000', termMonths: 12 });
    const quotedFee = async () => {
      const res = await app.gql(`query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { product { id } terms { subsidies { kind amount } } } } } } } }`,
        { id: need.id }, { token: firm.token });
      expect(res.errors).toBeUndefined();
      const match = res.data.node.matches.edges.map((e: any) => e.node).find((n: any) => n.product.id === own.guaranteedLoan.id);
      return match.terms.subsidies.filter((s: any) => s.kind === 'GUARANTEE_FEE_SUBSIDY').reduce((sum: Decimal, s: any) => sum.plus(s.amount), new Decimal(0));
    };
    await app.settled();
    const quoted = await quotedFee();
    expect(quoted.toFixed(2)).toBe('5000.00');

    // A rejection frees its entitlement's room under the cap: the guarantor's matches are refreshed and quote it.
    const rejected = fees.find((e) => e.ruleCode === 'FEE-RW')!;
    const payee = app.token({ sub: 'guarantor-rw', role: 'GUARANTOR', institutionId: own.guarantor.id });
    const claim = await mutate(app, payee, APPLY_FOR_SUBSIDY, { entitlementId: rejected.id, documents: [] });
    await mutate(app, national, REVIEW_CLAIM, { claimId: claim.id, decision: 'REJECT', reason: '材料不全' });
    await app.settled();
    expect((await quotedFee()).toFixed(2)).toBe(new Decimal(5_000).plus(rejected.amount).toFixed(2));
  }, 120_000);
});
