/**
 * Migration Reviews on a database written before it (issue 17 §3): a subsidy booked at disbursement
 * becomes the loan's entitlement with a PAID claim naming the booking (Loan.subsidies reads as before and
 * nothing is booked twice), and a LISTING_RESERVE qualification an authority recorded becomes an entry of
 * the reserve list, which the matcher reads.
 */
import { uuidOf } from '../../src/common/ids';
import { reconcileLedger } from '../../src/loans/reconciliation';
import { startTestApp, TestApp } from '../support/harness';
import { CREATE_PRODUCT, POST_NEED, staff, USER_ERRORS } from '../e2e/fixtures';
import { EXPLAIN, mutate, okPayloadOf, ratedFirm, setUpMarket } from '../e2e/policy-fixtures';

const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;
const LOAN = `query($id: ID!) { node(id: $id) { ... on Loan { subsidies { kind amount } subsidyEntitlements { kind year amount claims { status approved paymentReference } } } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('turns bookings made at disbursement into paid claims and authority LISTING_RESERVE qualifications into reserve entries', async () => {
  const db = app.dataSource;
  const { authority } = staff(app);
  const market = await setUpMarket(app, 'MG');
  const firm = await ratedFirm(app);
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '2000000', termMonths: 12 });
  await app.settled();
  const matches = (await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token })).data.node.matches.edges.map((e: any) => e.node);
  const matchId = matches.find((m: any) => m.product.id === market.creditLoan.id).id;
  await okPayloadOf(app, market.bankToken, `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id } ${USER_ERRORS} } }`, { matchId, action: 'CONTACT' });
  await okPayloadOf(app, firm.token, `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`, { matchId });
  await okPayloadOf(app, market.bankToken, OUTCOME, { matchId, outcome: 'APPROVED' });
  const { loan } = await okPayloadOf(app, market.bankToken, OUTCOME, { matchId, outcome: 'DISBURSED', principal: '2000000' });
  const product = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: market.bank.id, name: '上市贷 MG', kind: 'LISTING_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '9000000', minAnnualRate: '0.04',
    eligibility: { qualifications: ['LISTING_RESERVE'] },
  });

  await app.settled();
  const applied = async () => (await db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'Reviews1764730000000'`)).length > 0;
  expect(await applied()).toBe(true);
  while (await applied()) await db.undoLastMigration({ transaction: 'all' });

  // What the code before wrote: a subsidy booked at disbursement, and the authority's qualification.
  const loanId = uuidOf(loan.id, 'Loan');
  const enterpriseId = uuidOf(firm.enterprise.id, 'Enterprise');
  const [{ id: ruleId }] = await db.query(`SELECT id FROM policy_rule WHERE code = 'RISK-MG'`);
  await db.query(`INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year, loan_id, rule_version) VALUES ('GUARANTEE_RISK_SUBSIDY', $1, 'GUARANTOR', $2, 24000, 2026, $3, 'RISK-MG@v1')`,
    [ruleId, uuidOf(market.guarantor.id, 'Institution'), loanId]);
  await db.query(`INSERT INTO enterprise_qualification (enterprise_id, code, valid_from, valid_to, source) VALUES ($1, 'LISTING_RESERVE', '2025-07-01', '2099-06-30', 'AUTHORITY'),
                  ($1, 'HIGH_TECH', NULL, NULL, 'AUTHORITY')`, [enterpriseId]);

  await db.runMigrations({ transaction: 'all' });

  const seen = (await app.gql(LOAN, { id: loan.id }, { token: authority })).data.node;
  expect(seen.subsidies).toEqual([{ kind: 'GUARANTEE_RISK_SUBSIDY', amount: '24000.00' }]);
  expect(seen.subsidyEntitlements).toEqual([{ kind: 'GUARANTEE_RISK_SUBSIDY', year: 2026, amount: '24000.00', claims: [{ status: 'PAID', approved: '24000.00', paymentReference: null }] }]);
  expect(await db.query(`SELECT count(*)::int AS n FROM subsidy_booking WHERE loan_id = $1`, [loanId])).toEqual([{ n: 1 }]);
  expect(await db.query(`SELECT code, source FROM enterprise_qualification WHERE enterprise_id = $1`, [enterpriseId])).toEqual([{ code: 'HIGH_TECH', source: 'AUTHORITY' }]);
  expect(await db.query(`SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, removed_at FROM listing_reserve_entry WHERE enterprise_id = $1`, [enterpriseId]))
    .toEqual([{ valid_from: '2025-07-01', valid_to: '2099-06-30', removed_at: null }]);
  const explained = await app.gql(EXPLAIN, { need: need.id, product: product.id }, { token: firm.token });
  expect(explained.data.explainMatch.checks.find((c: any) => c.code === 'QUALIFICATION').passed).toBe(true);
  expect((await reconcileLedger(db)).differences.filter((d) => d.figure === 'GUARANTOR_FEE_SUBSIDIES_ENTITLED')).toEqual([]);
});
