/**
 * Issue 13 — the running totals the matcher and the disbursements read instead of sums over whole
 * tables (migration RunningTotals): a guarantor's fee subsidies per year and its live balance per
 * borrower. Random disbursements, repayments and defaults through the API, some at once, leave every
 * total equal to the sum of its rows and the liability equal to the opening liability plus each
 * borrower's weighted balance; any writer of the rows (SQL by hand included, TRUNCATE too) moves the
 * totals in its own statement; the reconciliation reports a total that differs; the migration's backfill
 * gives the totals of the rows already written.
 */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import { reconcileLedger } from '../../src/loans/reconciliation';
import { RunningTotals1764660000000 } from '../../migrations/1764660000000-RunningTotals';
import { startTestApp, TestApp } from '../support/harness';
import { IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from '../e2e/fixtures';
import { Market, mutate, setUpMarket } from '../e2e/policy-fixtures';
import { payEntitlements } from '../e2e/claim-fixtures';

const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id outstanding } ${USER_ERRORS} } }`;
const REPAY = `mutation($input: RecordRepaymentInput!) { recordRepayment(input: $input) { loan { id outstanding status } ${USER_ERRORS} } }`;
const DEFAULT = `mutation($input: RecordDefaultInput!) { recordDefault(input: $input) { loan { id status } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;

/** Bounded property runs with a printed seed (re-run one with FC_SEED=<seed>). */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const RUNS = 3;
const OPS = 8;

let app: TestApp;
let markets: Market[];
beforeAll(async () => {
  // eslint-disable-next-line no-console
  console.log(`running-totals properties: FC_SEED=${seed}`);
  app = await startTestApp();
  // Two banks, each with a guarantor (fee and risk subsidies on every guarantee) and a pool for EMERGING firms' credit loans.
  markets = [await setUpMarket(app, 'RT1'), await setUpMarket(app, 'RT2')];
}, 60_000);
afterAll(() => app?.close());

const uuid = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const gql = async (document: string, input: Record<string, unknown>, token: string) => {
  const res = await app.gql(document, { input }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data)[0] as any;
};

type Firm = Awaited<ReturnType<typeof registeredEnterprise>>;

/** A small EMERGING firm rated AA. */
async function smallFirm(): Promise<Firm> {
  const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' }, { attested: { sectorTags: ['EMERGING'] } });
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
  return firm;
}

/** The firm's need for `productId`, applied to and approved. */
async function approvedMatch(market: Market, firm: Firm, productId: string, amount: string): Promise<string> {
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths: 12 });
  const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
  const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === productId)?.node.id;
  if (!matchId) throw new Error('no match for the product');
  await mutate(app, firm.token, APPLY, { matchId });
  await gql(OUTCOME, { matchId, outcome: 'APPROVED' }, market.bankToken);
  return matchId;
}

/** Each total against the sum of its rows, and each guarantor's liability against its opening liability plus its borrowers' weights. */
async function totalsAgainstRows() {
  const [row] = await app.dataSource.query(`
    SELECT
      (SELECT count(*) FROM guarantor_fee_subsidy_total t
         FULL JOIN (SELECT payee_id AS guarantor_id, year, sum(amount) AS amount FROM subsidy_booking WHERE kind = 'GUARANTEE_FEE_SUBSIDY' GROUP BY 1, 2) s USING (guarantor_id, year)
        WHERE coalesce(t.total, 0) <> coalesce(s.amount, 0))::int AS fee_differences,
      (SELECT count(*) FROM guarantor_borrower_balance t
         FULL JOIN (SELECT guarantor_id, enterprise_id, sum(outstanding) AS amount FROM guarantee WHERE status = 'LIVE' GROUP BY 1, 2) s USING (guarantor_id, enterprise_id)
        WHERE coalesce(t.balance, 0) <> coalesce(s.amount, 0))::int AS balance_differences,
      (SELECT count(*) FROM guarantor_profile p
        WHERE p.liability <> p.opening_liability + coalesce((SELECT sum(weighted) FROM guarantor_borrower_balance b WHERE b.guarantor_id = p.institution_id), 0))::int AS liability_differences,
      (SELECT count(*) FROM guarantor_fee_subsidy_total)::int AS fee_totals,
      (SELECT count(*) FROM guarantor_borrower_balance WHERE balance > 0)::int AS balances`);
  return row;
}

interface Op { kind: 'disburse' | 'repay' | 'default'; pick: number; share: number }
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('disburse', 'disburse', 'repay', 'repay', 'default'),
  pick: fc.nat({ max: 1000 }),
  // Of the need's amount (a disbursement), of the outstanding (a repayment; 100: in full) or of it as the net loss (a default).
  share: fc.integer({ min: 1, max: 100 }),
});

describe('random disbursements, repayments and defaults, some at once', () => {
  it('leave every total the sum of its rows, every liability its borrowers\' weights, and the ledger reconciled', async () => {
    // Approved matches to disburse, guaranteed loans and pooled credit loans, among few firms: a firm's
    // guaranteed balance with one guarantor can cross 5,000,000, where R6 weighs all of it at 1.0 instead of 0.75.
    const firms = [await smallFirm(), await smallFirm(), await smallFirm(), await smallFirm()];
    const approved: { market: Market; matchId: string; amount: Decimal }[] = [];
    for (let i = 0; i < RUNS * OPS; i++) {
      const market = markets[i % 2];
      const guaranteed = i % 3 !== 2;
      // Each need its own amount: a firm's open needs may not repeat one (DUPLICATE_NEED).
      const amount = String((guaranteed ? [5_000_000, 3_000_000][i % 2] : 2_000_000) - i * 1000);
      const matchId = await approvedMatch(market, firms[i % firms.length], guaranteed ? market.guaranteedLoan.id : market.creditLoan.id, amount);
      approved.push({ market, amount: new Decimal(amount), matchId });
    }
    const live: { market: Market; loanId: string; outstanding: Decimal }[] = [];
    let runs = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: OPS }), async (ops) => {
      runs += 1;
      // Up to three at once: each reads the loans as the batch began, so two may race for one loan (the second is refused).
      for (let i = 0; i < ops.length; i += 3) {
        await Promise.all(ops.slice(i, i + 3).map(async ({ kind, pick, share }) => {
          if (kind === 'disburse') {
            const next = approved.shift();
            if (!next) return;
            const principal = next.amount.times(share).div(100).toDecimalPlaces(2);
            const payload = await gql(OUTCOME, { matchId: next.matchId, outcome: 'DISBURSED', principal: principal.toFixed(2) }, next.market.bankToken);
            if (payload.loan) live.push({ market: next.market, loanId: payload.loan.id, outstanding: new Decimal(payload.loan.outstanding) });
            return;
          }
          const active = live.filter((l) => l.outstanding.gt(0));
          if (!active.length) return;
          const loan = active[pick % active.length];
          const amount = Decimal.max(loan.outstanding.times(share).div(100).toDecimalPlaces(2), '0.01');
          if (kind === 'repay') {
            const payload = await gql(REPAY, { loanId: loan.loanId, principalRepaid: amount.toFixed(2) }, loan.market.bankToken);
            if (payload.loan) loan.outstanding = new Decimal(payload.loan.outstanding);
          } else {
            const payload = await gql(DEFAULT, { loanId: loan.loanId, netLoss: amount.toFixed(2) }, loan.market.bankToken);
            if (payload.loan) loan.outstanding = new Decimal(0);
          }
        }));
      }
      expect(await totalsAgainstRows()).toMatchObject({ fee_differences: 0, balance_differences: 0, liability_differences: 0 });
      const r = await reconcileLedger(app.dataSource);
      expect(r.differences).toEqual([]);
      expect(r.balanced).toBe(true);
    }), { numRuns: RUNS, seed });
    expect(runs).toBe(RUNS);
    // Issue 17 §3: the disbursements entitled the guarantors to their subsidies; paying the fee subsidies'
    // claims books them, and the totals and the reconciliation follow.
    for (const loan of live) {
      await payEntitlements(app, loan.loanId, app.token({ sub: 'guarantor-rt', role: 'GUARANTOR', institutionId: loan.market.guarantor.id }), ['GUARANTEE_FEE_SUBSIDY']);
    }
    expect(await totalsAgainstRows()).toMatchObject({ fee_differences: 0, balance_differences: 0, liability_differences: 0 });
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
    // The runs moved real money: fee subsidies were booked and guarantees are live.
    const after = await totalsAgainstRows();
    expect(after.fee_totals).toBeGreaterThan(0);
    expect(live.length).toBeGreaterThan(0);
  }, 240_000);
});

describe('any writer of the rows moves the totals in its own statement', () => {
  const year = 2031;
  const total = async (guarantorId: string) =>
    (await app.dataSource.query(`SELECT total::text FROM guarantor_fee_subsidy_total WHERE guarantor_id = $1 AND year = $2`, [guarantorId, year]))[0]?.total ?? null;
  const balance = async (guarantorId: string, enterpriseId: string) =>
    (await app.dataSource.query(`SELECT balance::text FROM guarantor_borrower_balance WHERE guarantor_id = $1 AND enterprise_id = $2`, [guarantorId, enterpriseId]))[0]?.balance ?? null;

  it('fee subsidies: bookings inserted several at once, changed and deleted by hand; other kinds and payees\' other years untouched', async () => {
    const [g1, g2] = markets.map((m) => uuid(m.guarantor.id));
    const [{ id: rule }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-RT1'`);
    const [{ id: risk }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'RISK-RT1'`);
    await app.dataSource.query(
      `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year)
       VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $3, 100.10, $5), ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $3, 200.20, $5),
              ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $4, 7, $5), ('GUARANTEE_RISK_SUBSIDY', $2, 'GUARANTOR', $3, 1000, $5)`, [rule, risk, g1, g2, year]);
    expect([await total(g1), await total(g2)]).toEqual(['300.30', '7.00']);
    await app.dataSource.query(`UPDATE subsidy_booking SET amount = amount + 1 WHERE payee_id = $1 AND year = $2`, [g1, year]);
    expect(await total(g1)).toBe('302.30');
    // Moved to another payee: off one total, onto the other.
    await app.dataSource.query(`UPDATE subsidy_booking SET payee_id = $2 WHERE payee_id = $1 AND year = $3 AND amount = 201.20`, [g1, g2, year]);
    expect([await total(g1), await total(g2)]).toEqual(['101.10', '208.20']);
    await app.dataSource.query(`DELETE FROM subsidy_booking WHERE year = $1`, [year]);
    expect([await total(g1), await total(g2)]).toEqual(['0.00', '0.00']);
  });

  it('balances: guarantees inserted, paid down, released and deleted by hand move their borrower\'s balance; a TRUNCATE empties the totals', async () => {
    const g = uuid(markets[0].guarantor.id);
    const [{ id: firm }] = await app.dataSource.query(`SELECT id FROM enterprise ORDER BY id LIMIT 1`);
    const before = new Decimal((await balance(g, firm)) ?? 0);
    const moved = async () => new Decimal((await balance(g, firm)) ?? 0).minus(before).toFixed(2);
    await app.dataSource.query(`INSERT INTO guarantee (guarantor_id, enterprise_id, guaranteed_amount, outstanding) VALUES ($1, $2, 800000, 800000), ($1, $2, 400000, 300000)`, [g, firm]);
    expect(await moved()).toBe('1100000.00');
    await app.dataSource.query(`UPDATE guarantee SET outstanding = outstanding - 100000 WHERE guarantor_id = $1 AND enterprise_id = $2 AND loan_id IS NULL AND guaranteed_amount = 800000`, [g, firm]);
    expect(await moved()).toBe('1000000.00');
    await app.dataSource.query(`UPDATE guarantee SET status = 'RELEASED' WHERE guarantor_id = $1 AND enterprise_id = $2 AND loan_id IS NULL AND guaranteed_amount = 400000`, [g, firm]);
    expect(await moved()).toBe('700000.00');
    await app.dataSource.query(`DELETE FROM guarantee WHERE guarantor_id = $1 AND enterprise_id = $2 AND loan_id IS NULL`, [g, firm]);
    expect(await moved()).toBe('0.00');

    // In a transaction rolled back: the file's ledger stays for the reconciliation below.
    const runner = app.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`TRUNCATE guarantee, subsidy_booking`);
      expect(await runner.query(`SELECT (SELECT count(*) FROM guarantor_fee_subsidy_total)::int AS fees, (SELECT count(*) FROM guarantor_borrower_balance)::int AS balances`))
        .toEqual([{ fees: 0, balances: 0 }]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await totalsAgainstRows()).toMatchObject({ fee_differences: 0, balance_differences: 0 });
  });
});

describe('the reconciliation reports a total that differs', () => {
  // Rows of its own for the reports below to move, whatever the random runs above left live (racing
  // defaults and repayments may have closed every guaranteed loan): fee subsidies in two years no loan
  // books (kept: the migration's test below reads them), and, while this test runs, a live guarantee
  // written by hand (no disbursement weighed it, so it leaves before the migration recomputes weights).
  const handWritten = { guarantor: '', firm: '' };
  beforeAll(async () => {
    handWritten.guarantor = uuid(markets[0].guarantor.id);
    const [{ id: rule }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-RT1'`);
    [{ id: handWritten.firm }] = await app.dataSource.query(`SELECT id FROM enterprise ORDER BY id LIMIT 1`);
    await app.dataSource.query(
      `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year)
       VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, 123.45, 2033), ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, 67.89, 2034)`, [rule, handWritten.guarantor]);
    await app.dataSource.query(`INSERT INTO guarantee (guarantor_id, enterprise_id, guaranteed_amount, outstanding) VALUES ($1, $2, 600000, 600000)`, [handWritten.guarantor, handWritten.firm]);
  });
  afterAll(async () => {
    await app.dataSource.query(`DELETE FROM guarantee WHERE guarantor_id = $1 AND enterprise_id = $2 AND loan_id IS NULL`, [handWritten.guarantor, handWritten.firm]);
  });

  it('a fee-subsidy total and a borrower\'s balance moved by hand: each reported with the total and the sum of its rows', async () => {
    const before = await reconcileLedger(app.dataSource);
    expect(before.differences).toEqual([]);
    expect(before.totalsChecked).toBeGreaterThan(0);
    const [fee] = await app.dataSource.query(`SELECT guarantor_id, year, total::text FROM guarantor_fee_subsidy_total WHERE total > 0 ORDER BY guarantor_id, year LIMIT 1`);
    const [bal] = await app.dataSource.query(`SELECT guarantor_id, enterprise_id, balance::text FROM guarantor_borrower_balance WHERE balance > 0 ORDER BY guarantor_id, enterprise_id LIMIT 1`);
    await app.dataSource.query(`UPDATE guarantor_fee_subsidy_total SET total = total + 5 WHERE guarantor_id = $1 AND year = $2`, [fee.guarantor_id, fee.year]);
    await app.dataSource.query(`UPDATE guarantor_borrower_balance SET balance = balance - 0.01 WHERE guarantor_id = $1 AND enterprise_id = $2`, [bal.guarantor_id, bal.enterprise_id]);
    try {
      const r = await reconcileLedger(app.dataSource);
      expect(r.balanced).toBe(false);
      // By figure, then subject.
      expect(r.differences.map((d) => [d.figure, d.subjectId, d.year, d.borrowerId, d.stored?.toFixed(2), d.recomputed.toFixed(2)])).toEqual([
        ['GUARANTOR_BORROWER_BALANCE', bal.guarantor_id, null, bal.enterprise_id, new Decimal(bal.balance).minus('0.01').toFixed(2), bal.balance],
        ['GUARANTOR_FEE_SUBSIDIES', fee.guarantor_id, fee.year, null, new Decimal(fee.total).plus(5).toFixed(2), fee.total],
      ]);
      const res = await app.gql(`{ stats { ledgerReconciliation { balanced totalsChecked differences { figure subjectId year borrowerId stored recomputed } } } }`, {}, { token: staff(app).analyst });
      expect(res.errors).toBeUndefined();
      expect(res.data.stats.ledgerReconciliation.differences.map((d: any) => [d.figure, uuid(d.subjectId), d.year, d.borrowerId && uuid(d.borrowerId)])).toEqual([
        ['GUARANTOR_BORROWER_BALANCE', bal.guarantor_id, null, bal.enterprise_id],
        ['GUARANTOR_FEE_SUBSIDIES', fee.guarantor_id, fee.year, null],
      ]);
    } finally {
      await app.dataSource.query(`UPDATE guarantor_fee_subsidy_total SET total = total - 5 WHERE guarantor_id = $1 AND year = $2`, [fee.guarantor_id, fee.year]);
      await app.dataSource.query(`UPDATE guarantor_borrower_balance SET balance = balance + 0.01 WHERE guarantor_id = $1 AND enterprise_id = $2`, [bal.guarantor_id, bal.enterprise_id]);
    }
  });
});

describe('migration 1764660000000 on a ledger written before it', () => {
  it('backfills each total from the rows, and each borrower\'s weight so that the liability is the opening liability plus the weights', async () => {
    const snapshot = () => app.dataSource.query(`
      SELECT 'fee' AS t, guarantor_id::text AS k, year::text AS k2, total::text AS v, NULL AS w FROM guarantor_fee_subsidy_total WHERE total <> 0
      UNION ALL SELECT 'balance', guarantor_id::text, enterprise_id::text, balance::text, weighted::text FROM guarantor_borrower_balance WHERE balance <> 0
      ORDER BY 1, 2, 3`);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(2);
    const migration = new RunningTotals1764660000000();
    const runner = app.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      expect(await runner.query(`SELECT to_regclass('guarantor_fee_subsidy_total') AS fees, to_regclass('guarantor_borrower_balance') AS balances`)).toEqual([{ fees: null, balances: null }]);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await snapshot()).toEqual(before);
    expect(await totalsAgainstRows()).toMatchObject({ fee_differences: 0, balance_differences: 0, liability_differences: 0 });
  }, 60_000);
});
