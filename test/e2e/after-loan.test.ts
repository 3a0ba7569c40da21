/**
 * Issue 17 §2 through the API: a loan's maturity and schedule (bullet and amortizing, to the cent) and
 * where it stands by the database's clock; renewal (续贷) in and out of its window, approved as an
 * extension, refused into turnover funds, lapsed at its deadline by the database's clock, reported to the
 * authorities with counts; post-loan warnings raised only for the institutions whose triggers match and
 * only for live loans.
 */
import { Decimal } from '../../src/common/decimal';
import { fromGlobalId } from '../../src/common/ids';
import { standing } from '../../src/loans/schedule';
import { writeImport } from '../../src/credit/credit.service';
import { resetDatabaseDay, setDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { entryIds, IMPORT_CREDIT, CREATE_PRODUCT, newCreditCode, publishBatch, REVOKE_ENTRY, staff, USER_ERRORS } from './fixtures';
import { CREATE_RULE, disbursedLoan, eventually, Market, mutate, okPayloadOf, payloadOf, setUpMarket } from './policy-fixtures';

const LOAN = `id status principal outstanding repayment startsOn maturity extensionMonths
  schedule { seq dueOn principal interest paid status }
  repaymentStanding { asOf duePrincipal repaidPrincipal overduePrincipal overdueDays nextDueOn nextDuePrincipal }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { ${LOAN} } ${USER_ERRORS} } }`;
const REPAY = `mutation($input: RecordRepaymentInput!) { recordRepayment(input: $input) { loan { ${LOAN} } ${USER_ERRORS} } }`;
const LOAN_NODE = `query($id: ID!) { node(id: $id) { ... on Loan { ${LOAN} renewals { id status } } } }`;
const RENEWAL = `id status extensionMonths approvedMonths maturityBefore maturityAfter outstanding requestedOn respondBy reason
  institution { id } loan { id maturity }
  fallbackNeed { id amount termMonths purpose status }
  fallbackMatches { product { id kind } terms { subsidies { kind amount } } }`;
const REQUEST = `mutation($input: RequestLoanRenewalInput!) { requestLoanRenewal(input: $input) { renewal { ${RENEWAL} } ${USER_ERRORS} } }`;
const ANSWER = `mutation($input: RespondToLoanRenewalInput!) { respondToLoanRenewal(input: $input) { renewal { ${RENEWAL} } ${USER_ERRORS} } }`;
const RENEWALS = `query($status: [RenewalStatus!]) { loanRenewals(status: $status, first: 50) { totalCount edges { node { id status } } } }`;
const REPORT = `query($from: Date!, $to: Date!) { renewalReport(from: $from, to: $to) {
  totals { requested approved refused lapsed pending }
  institutions { institution { id } requested approved refused lapsed pending renewals { id status } } } }`;
const SET_TRIGGERS = `mutation($input: SetWarningTriggersInput!) { setWarningTriggers(input: $input) { triggers { kinds minOverdueDays minRatingDrop custom } ${USER_ERRORS} } }`;
const TRIGGERS = `{ warningTriggers { kinds minOverdueDays minRatingDrop custom } }`;
const WARNINGS = `query($only: Boolean) { postLoanWarnings(first: 50, unacknowledgedOnly: $only) { totalCount edges { node { id kind role detail acknowledgedAt loan { id } } } } }`;
const ACK = `mutation($input: AcknowledgePostLoanWarningsInput!) { acknowledgePostLoanWarnings(input: $input) { warnings { id acknowledgedAt } ${USER_ERRORS} } }`;

let app: TestApp;
let market: Market;

beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_DEADLINE_SWEEP_SECONDS: '1', EVENT_POLL_MS: '200' } });
  market = await setUpMarket(app, 'AL');
});
afterAll(async () => {
  if (app) await resetDatabaseDay(app.dataSource);
  await app?.close();
});

const ok = (token: string, document: string, input: Record<string, unknown>) => okPayloadOf(app, token, document, input);
/** The uuid behind an opaque id, for reading the database. */
const rawId = (id: string) => fromGlobalId(id)!.uuid;
const run = (token: string, document: string, input: Record<string, unknown>) => payloadOf(app, token, document, input);
const loanNode = async (id: string, token: string) => (await app.gql(LOAN_NODE, { id }, { token })).data.node;

/** A rated EMERGING firm's need for `amount` over `termMonths`, its match with the product applied to, approved and disbursed. */
const disbursed = (m: Market, productId: string, amount: string, termMonths: number, repayment: string) =>
  disbursedLoan(app, m, { productId, amount, termMonths, outcome: OUTCOME, disbursal: { annualRate: '0.0435', termMonths, repayment } });

describe('maturity and schedule', () => {
  afterEach(() => resetDatabaseDay(app.dataSource));

  it('BULLET: 1,000,000 at 0.0435 for 12 months from 2027-01-31 matures 2028-01-31 with 43,500.00 interest', async () => {
    await setDatabaseDay(app.dataSource, '2027-01-31');
    const { loan } = await disbursed(market, market.creditLoan.id, '1000000', 12, 'BULLET');
    expect(loan).toMatchObject({ repayment: 'BULLET', startsOn: '2027-01-31', maturity: '2028-01-31', extensionMonths: 0 });
    expect(loan.schedule).toEqual([{ seq: 1, dueOn: '2028-01-31', principal: '1000000.00', interest: '43500.00', paid: '0.00', status: 'UPCOMING' }]);
    expect(loan.repaymentStanding).toMatchObject({ asOf: '2027-01-31', duePrincipal: '0.00', overduePrincipal: '0.00', overdueDays: 0, nextDueOn: '2028-01-31', nextDuePrincipal: '1000000.00' });
  });

  it('AMORTIZING: 1,000,000 over 7 months in equal principal instalments, the last taking the cents; repayments tied to them by the database\'s day, and an overdue warns the lender', async () => {
    await setDatabaseDay(app.dataSource, '2027-01-31');
    const { firm, loan } = await disbursed(market, market.creditLoan.id, '1000000', 7, 'AMORTIZING');
    expect(loan.maturity).toBe('2027-08-31');
    expect(loan.schedule.map((i: any) => [i.dueOn, i.principal, i.interest])).toEqual([
      ['2027-02-28', '142857.14', '3625.00'], ['2027-03-31', '142857.14', '3107.14'], ['2027-04-30', '142857.14', '2589.29'],
      ['2027-05-31', '142857.14', '2071.43'], ['2027-06-30', '142857.14', '1553.57'], ['2027-07-31', '142857.14', '1035.71'],
      ['2027-08-31', '142857.16', '517.86'],
    ]);
    // The database keeps the oldest unpaid instalment's date on the loan (the overdue sweep reads only the loans past it).
    const oldestUnpaid = async () => (await app.dataSource.query(`SELECT to_char(oldest_unpaid_due_on, 'YYYY-MM-DD') AS d FROM loan WHERE id = $1`, [rawId(loan.id)]))[0].d;
    expect(await oldestUnpaid()).toBe('2027-02-28');
    const repaid = await ok(market.bankToken, REPAY, { loanId: loan.id, principalRepaid: '142857.14' });
    expect(repaid.loan.schedule[0]).toMatchObject({ paid: '142857.14', status: 'PAID' });
    expect(await oldestUnpaid()).toBe('2027-03-31');

    await setDatabaseDay(app.dataSource, '2027-04-05');
    const later = await loanNode(loan.id, firm.token);
    expect(later.schedule.slice(0, 3).map((i: any) => i.status)).toEqual(['PAID', 'OVERDUE', 'UPCOMING']);
    expect(later.repaymentStanding).toEqual({
      asOf: '2027-04-05', duePrincipal: '285714.28', repaidPrincipal: '142857.14', overduePrincipal: '142857.14', overdueDays: 5,
      nextDueOn: '2027-04-30', nextDuePrincipal: '142857.14',
    });
    // The sweep (database clock) warns the lender: the loan is 5 days past its second instalment.
    await eventually(async () => (await app.gql(WARNINGS, {}, { token: market.bankToken })).data.postLoanWarnings.edges
      .some((e: any) => e.node.kind === 'OVERDUE' && e.node.loan.id === loan.id && e.node.detail.instalment === 2 && e.node.detail.overdueDays === 5), 15_000);
    const [event] = await app.dataSource.query(`SELECT payload FROM event WHERE type = 'WARNING' AND payload->>'loanId' = $1`, [rawId(loan.id)]);
    expect(event.payload).toMatchObject({ kind: 'OVERDUE', role: 'LENDER', instalment: 2 });
  });

  it('REPAYMENT_DUE reads the stored maturity: an approved extension moves it', async () => {
    await setDatabaseDay(app.dataSource, '2027-01-31');
    const { loan } = await disbursed(market, market.creditLoan.id, '1100000', 12, 'BULLET');
    const uuid = rawId(loan.id);
    await app.dataSource.query(`UPDATE loan SET maturity = '2028-06-30' WHERE id = $1`, [uuid]);
    await setDatabaseDay(app.dataSource, '2028-01-10');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await app.dataSource.query(`SELECT 1 FROM event WHERE type = 'REPAYMENT_DUE' AND payload->>'loanId' = $1`, [uuid])).toHaveLength(0);
    await setDatabaseDay(app.dataSource, '2028-06-10');
    await eventually(async () => (await app.dataSource.query(`SELECT payload FROM event WHERE type = 'REPAYMENT_DUE' AND payload->>'loanId' = $1`, [uuid])).length === 1, 15_000);
    const [due] = await app.dataSource.query(`SELECT payload FROM event WHERE type = 'REPAYMENT_DUE' AND payload->>'loanId' = $1`, [uuid]);
    expect(due.payload.maturity).toBe('2028-06-30');
  });
});

describe('renewal (续贷)', () => {
  let turnover: { id: string };
  beforeAll(async () => {
    const { authority } = staff(app);
    await mutate(app, authority, CREATE_RULE, { code: 'TURNOVER-AL', kind: 'TURNOVER_FUND_SUBSIDY', params: { ratio: '0.003' }, eligibility: { national: true } });
    turnover = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '周转金 AL', kind: 'TURNOVER_FUND', needKind: 'LOAN', minAmount: '100000', maxAmount: '20000000',
      minTermMonths: 1, maxTermMonths: 12, minAnnualRate: '0.03',
    });
  });
  afterEach(() => resetDatabaseDay(app.dataSource));

  /** A 12-month bullet loan from 2027-01-31 (maturity 2028-01-31; window 2027-12-02 … 2028-01-01). */
  const bulletLoan = async (amount: string) => {
    await setDatabaseDay(app.dataSource, '2027-01-31');
    return disbursed(market, market.creditLoan.id, amount, 12, 'BULLET');
  };

  it('is refused outside 60–30 days before maturity, and too long an extension; inside, the lender approves an extension (展期)', async () => {
    const { firm, loan } = await bulletLoan('1200000');
    await setDatabaseDay(app.dataSource, '2027-11-30');
    const early = await run(firm.token, REQUEST, { loanId: loan.id, extensionMonths: 6 });
    expect(early.userErrors).toEqual([expect.objectContaining({ field: ['input', 'loanId'], code: 'RENEWAL_OUTSIDE_WINDOW' })]);
    expect(early.userErrors[0].message).toContain('2027-12-02');
    await setDatabaseDay(app.dataSource, '2028-01-02');
    expect((await run(firm.token, REQUEST, { loanId: loan.id, extensionMonths: 6 })).userErrors[0].code).toBe('RENEWAL_OUTSIDE_WINDOW');
    expect(await app.dataSource.query(`SELECT 1 FROM loan_renewal`)).toHaveLength(0);

    await setDatabaseDay(app.dataSource, '2027-12-10');
    expect((await run(firm.token, REQUEST, { loanId: loan.id, extensionMonths: 13 })).userErrors[0].code).toBe('EXTENSION_TOO_LONG');
    const { renewal } = await ok(firm.token, REQUEST, { loanId: loan.id, extensionMonths: 6 });
    expect(renewal).toMatchObject({ status: 'REQUESTED', maturityBefore: '2028-01-31', requestedOn: '2027-12-10', respondBy: '2027-12-20', outstanding: '1200000.00' });
    expect((await run(firm.token, REQUEST, { loanId: loan.id, extensionMonths: 6 })).userErrors[0].code).toBe('RENEWAL_ALREADY_REQUESTED');
    // Only the lender answers.
    const other = await setUpMarket(app, 'AL2');
    expect((await run(other.bankToken, ANSWER, { renewalId: renewal.id, action: 'APPROVE' })).userErrors[0].code).toBe('NOT_FOUND');

    const answered = await ok(market.bankToken, ANSWER, { renewalId: renewal.id, action: 'APPROVE' });
    expect(answered.renewal).toMatchObject({ status: 'APPROVED', approvedMonths: 6, maturityAfter: '2028-07-31', loan: { maturity: '2028-07-31' }, fallbackNeed: null });
    const after = await loanNode(loan.id, firm.token);
    expect(after).toMatchObject({ maturity: '2028-07-31', extensionMonths: 6, renewals: [{ status: 'APPROVED' }] });
    expect(after.schedule).toEqual([{ seq: 1, dueOn: '2028-07-31', principal: '1200000.00', interest: '78300.00', paid: '0.00', status: 'UPCOMING' }]);
    expect((await run(market.bankToken, ANSWER, { renewalId: renewal.id, action: 'REFUSE', reason: '再看看' })).userErrors[0].code).toBe('RENEWAL_CLOSED');
    const events = await app.dataSource.query(`SELECT type FROM event WHERE payload->>'renewalId' = $1 ORDER BY seq`, [rawId(renewal.id)]);
    expect(events.map((e: any) => e.type)).toEqual(['RENEWAL_REQUESTED', 'RENEWAL_APPROVED']);
  });

  it('a refusal falls back to turnover funds: a REFINANCING need for the outstanding, matched to the TURNOVER_FUND product with its 0.3 % subsidy', async () => {
    const { firm, loan } = await bulletLoan('1300000');
    await setDatabaseDay(app.dataSource, '2027-12-15');
    const { renewal } = await ok(firm.token, REQUEST, { loanId: loan.id, extensionMonths: 6 });
    expect((await run(market.bankToken, ANSWER, { renewalId: renewal.id, action: 'REFUSE' })).userErrors[0]).toMatchObject({ field: ['input', 'reason'], code: 'REQUIRED' });
    const { renewal: refused } = await ok(market.bankToken, ANSWER, { renewalId: renewal.id, action: 'REFUSE', reason: '行业授信收紧' });
    expect(refused).toMatchObject({ status: 'REFUSED', reason: '行业授信收紧', fallbackNeed: { amount: '1300000.00', termMonths: 6, purpose: 'REFINANCING' } });
    expect(refused.fallbackMatches).toEqual([
      { product: { id: turnover.id, kind: 'TURNOVER_FUND' }, terms: { subsidies: [{ kind: 'TURNOVER_FUND_SUBSIDY', amount: '3900.00' }] } },
    ]);
    const [event] = await app.dataSource.query(`SELECT payload FROM event WHERE type = 'RENEWAL_REFUSED' AND payload->>'renewalId' = $1`, [rawId(renewal.id)]);
    expect(event.payload).toMatchObject({ reason: '行业授信收紧', outstanding: '1300000.00' });
  });

  it('no answer by respondBy: the request lapses by the database\'s clock, with the same fallback', async () => {
    const { firm, loan } = await bulletLoan('1400000');
    await setDatabaseDay(app.dataSource, '2027-12-20');
    const { renewal } = await ok(firm.token, REQUEST, { loanId: loan.id, extensionMonths: 3 });
    expect(renewal.respondBy).toBe('2027-12-30');
    await setDatabaseDay(app.dataSource, '2027-12-30');
    await new Promise((r) => setTimeout(r, 2000));
    expect((await app.gql(RENEWALS, { status: ['REQUESTED'] }, { token: firm.token })).data.loanRenewals.totalCount).toBe(1);
    await setDatabaseDay(app.dataSource, '2027-12-31');
    await eventually(async () => (await app.gql(RENEWALS, { status: ['LAPSED'] }, { token: firm.token })).data.loanRenewals.totalCount === 1, 15_000);
    const node = (await app.gql(`query($id: ID!) { node(id: $id) { ... on LoanRenewal { ${RENEWAL} } } }`, { id: renewal.id }, { token: firm.token })).data.node;
    expect(node).toMatchObject({ status: 'LAPSED', fallbackNeed: { amount: '1400000.00', termMonths: 3, purpose: 'REFINANCING' } });
    expect(node.fallbackMatches.map((m: any) => m.product.id)).toEqual([turnover.id]);
  });

  it('is reported to the authorities per lender with counts (通报制度); lenders cannot read the report', async () => {
    const res = await app.gql(REPORT, { from: '2027-12-01', to: '2027-12-31' }, { token: staff(app).authority });
    expect(res.data.renewalReport.totals).toEqual({ requested: 3, approved: 1, refused: 1, lapsed: 1, pending: 0 });
    expect(res.data.renewalReport.institutions).toEqual([expect.objectContaining({ institution: { id: market.bank.id }, requested: 3, approved: 1, refused: 1, lapsed: 1, pending: 0 })]);
    expect(res.data.renewalReport.institutions[0].renewals.map((r: any) => r.status)).toEqual(['APPROVED', 'REFUSED', 'LAPSED']);
    expect((await app.gql(REPORT, { from: '2028-01-01', to: '2028-01-31' }, { token: staff(app).authority })).data.renewalReport.totals.requested).toBe(0);
    expect((await app.gql(REPORT, { from: '2027-12-01', to: '2027-12-31' }, { token: market.bankToken })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('post-loan warnings', () => {
  let wm: Market;
  let guarantorToken: string;
  beforeAll(async () => {
    wm = await setUpMarket(app, 'ALW');
    guarantorToken = app.token({ sub: 'guarantor-ALW', role: 'GUARANTOR', institutionId: wm.guarantor.id });
  });

  const warnings = async (token: string) => (await app.gql(WARNINGS, {}, { token })).data.postLoanWarnings.edges.map((e: any) => e.node);
  const credit = (code: string, asOf: string, record: Record<string, unknown>) =>
    mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf, records: [{ creditCode: code, taxGrade: 'A', ...record }] });

  it('each institution sets its own triggers; a change warns the lender and the guarantor of a live loan only as their triggers say', async () => {
    expect((await app.gql(TRIGGERS, {}, { token: wm.bankToken })).data.warningTriggers).toEqual({ kinds: ['DISHONESTY', 'OVERDUE', 'RATING_DOWNGRADE', 'WHITELIST_REVOKED'], minOverdueDays: 1, minRatingDrop: 1, custom: false });
    expect((await run(wm.bankToken, SET_TRIGGERS, { kinds: [] })).userErrors[0].code).toBe('WARNING_TRIGGERS_EMPTY');
    const set = await ok(wm.bankToken, SET_TRIGGERS, { kinds: ['RATING_DOWNGRADE'], minRatingDrop: 2 });
    expect(set.triggers).toEqual({ kinds: ['RATING_DOWNGRADE'], minOverdueDays: 1, minRatingDrop: 2, custom: true });

    const { firm, loan } = await disbursed(wm, wm.guaranteedLoan.id, '2000000', 12, 'BULLET');
    // A firm whose loan is repaid: nobody is warned about it.
    const { firm: repaidFirm, loan: repaidLoan } = await disbursed(wm, wm.guaranteedLoan.id, '2100000', 12, 'BULLET');
    await ok(wm.bankToken, REPAY, { loanId: repaidLoan.id, principalRepaid: '2100000' });
    const code = firm.enterprise.creditCode;
    const repaidCode = repaidFirm.enterprise.creditCode;

    // AA → A: one notch. The guarantor (defaults) hears it; the bank (2 notches) does not.
    await credit(code, '2026-11-02', { rating: 'A' });
    await credit(repaidCode, '2026-11-02', { rating: 'C', dishonesty: [{ kind: 'MAJOR_TAX_VIOLATION', listedOn: '2026-10-01' }] });
    expect((await warnings(guarantorToken)).map((w: any) => [w.kind, w.role, w.loan.id, w.detail.notches])).toEqual([['RATING_DOWNGRADE', 'GUARANTOR', loan.id, 1]]);
    expect(await warnings(wm.bankToken)).toEqual([]);

    // A → BB: two notches, and a dishonesty listing: the bank hears the downgrade only, the guarantor both.
    await credit(code, '2026-11-03', { rating: 'BB', dishonesty: [{ kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2026-11-01' }] });
    expect((await warnings(wm.bankToken)).map((w: any) => [w.kind, w.role, w.detail.notches])).toEqual([['RATING_DOWNGRADE', 'LENDER', 2]]);
    expect((await warnings(guarantorToken)).map((w: any) => w.kind).sort()).toEqual(['DISHONESTY', 'RATING_DOWNGRADE', 'RATING_DOWNGRADE']);
    // The same profile again (a correction with nothing new) warns nobody.
    await credit(code, '2026-11-03', { rating: 'BB', dishonesty: [{ kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2026-11-01' }] });
    expect(await warnings(guarantorToken)).toHaveLength(3);

    // A whitelist revocation warns the guarantor (defaults), not the bank.
    const whitelistId = await publishBatch(app, staff(app).authority, '专精特新 ALW', '2026-1', [
      { creditCode: code, name: firm.enterprise.name, tier: 'SPECIALIZED_SME', validFrom: '2026-01-01', validTo: '2027-12-31' },
      { creditCode: newCreditCode('370212'), name: '青岛预警对照有限公司', tier: 'INNOVATIVE_SME', validFrom: '2026-01-01', validTo: '2027-12-31' },
    ]);
    const entryId = (await entryIds(app, staff(app).authority, whitelistId)).get(code)!;
    await ok(staff(app).authority, REVOKE_ENTRY, { entryId, revokedOn: '2026-11-20', reason: '不再符合条件' });
    const revoked = (await warnings(guarantorToken)).filter((w: any) => w.kind === 'WHITELIST_REVOKED');
    expect(revoked).toEqual([expect.objectContaining({ role: 'GUARANTOR', detail: expect.objectContaining({ whitelist: '专精特新 ALW', reason: '不再符合条件' }) })]);
    expect((await warnings(wm.bankToken)).some((w: any) => w.kind === 'WHITELIST_REVOKED')).toBe(false);

    // Every warning is a WARNING event to its institution alone.
    const events = await app.dataSource.query(`SELECT institution_id, guarantor_id, payload->>'kind' AS kind FROM event WHERE type = 'WARNING' AND institution_id = ANY($1::uuid[])`,
      [[wm.bank.id, wm.guarantor.id].map((id) => rawId(id))]);
    expect(events).toHaveLength(5);
    expect(events.every((e: any) => e.guarantor_id === null)).toBe(true);
  });

  it('lists them paged and acknowledges them; an id of another institution refuses the whole call', async () => {
    const all = await warnings(guarantorToken);
    const first = (await app.gql(`{ postLoanWarnings(first: 2) { totalCount pageInfo { hasNextPage } edges { node { id } } } }`, {}, { token: guarantorToken })).data.postLoanWarnings;
    expect(first).toMatchObject({ totalCount: all.length, pageInfo: { hasNextPage: true } });
    const bankWarning = (await warnings(wm.bankToken))[0];
    const refusedAck = await run(guarantorToken, ACK, { ids: [all[0].id, bankWarning.id] });
    expect(refusedAck.userErrors).toEqual([expect.objectContaining({ field: ['input', 'ids', '1'], code: 'NOT_FOUND' })]);
    expect((await app.gql(WARNINGS, { only: true }, { token: guarantorToken })).data.postLoanWarnings.totalCount).toBe(all.length);
    const acked = await ok(guarantorToken, ACK, { ids: [all[0].id, all[1].id] });
    expect(acked.warnings.every((w: any) => w.acknowledgedAt)).toBe(true);
    expect((await app.gql(WARNINGS, { only: true }, { token: guarantorToken })).data.postLoanWarnings.totalCount).toBe(all.length - 2);
  });
  it('the credit import warns in the same statements per chunk however many live borrowers worsen (no statement per warning)', async () => {
    const borrowers = [];
    for (let i = 0; i < 3; i += 1) borrowers.push((await disbursed(wm, wm.guaranteedLoan.id, String(2_200_000 + i * 10_000), 12, 'BULLET')).firm.enterprise.creditCode);
    /** The statements `writeImport` runs to move the profiles of `codes` to rating C, and the warnings it writes, rolled back. */
    const importDowngrades = async (codes: string[]) => {
      const runner = app.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        const query = jest.spyOn(runner.manager, 'query');
        await writeImport(runner.manager, { source: 'PBOC', asOf: '2026-11-10', importedBy: 'test', records: codes.map((creditCode) => ({ creditCode, rating: 'C', taxGrade: 'A' })) });
        const statements = query.mock.calls.length;
        query.mockRestore();
        const [{ n }] = await runner.query(
          `SELECT count(*)::int AS n FROM post_loan_warning w JOIN enterprise en ON en.id = w.enterprise_id
             JOIN event e ON e.type = 'WARNING' AND e.payload->>'warningId' = w.id::text
            WHERE w.kind = 'RATING_DOWNGRADE' AND en.credit_code = ANY($1::text[])`, [codes]);
        return { statements, warnings: n };
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    const one = await importDowngrades(borrowers.slice(0, 1));
    const three = await importDowngrades(borrowers);
    // Each borrower warns its lender (2 notches or more) and its guarantor, each warning with its event.
    expect([one.warnings, three.warnings]).toEqual([2, 6]);
    expect(three.statements).toBe(one.statements);
  });
});

describe('the oldest unpaid instalment\'s date the database keeps on each loan', () => {
  it('is, after every schedule, repayment, renewal and outcome above, what the instalments say for a live loan, and null for any other', async () => {
    const rows: { status: string; kept: string | null; derived: string | null }[] = await app.dataSource.query(
      `SELECT l.status, to_char(l.oldest_unpaid_due_on, 'YYYY-MM-DD') AS kept, to_char(u.due_on, 'YYYY-MM-DD') AS derived
         FROM loan l LEFT JOIN LATERAL loan_oldest_unpaid(l.id, l.principal - l.outstanding) u ON true`);
    expect(rows.filter((r) => r.status === 'ACTIVE' && r.kept !== null).length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.status !== 'ACTIVE').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.kept !== (r.status === 'ACTIVE' ? r.derived : null))).toEqual([]);
  });

  it('is the instalment the API shows as the first not PAID (schedule.ts `standing`): the SQL function and the TypeScript rule agree', async () => {
    const loans: { id: string; repaid: string; kept: string | null; instalments: { seq: number; dueOn: string; principal: string; interest: string }[] }[] = await app.dataSource.query(
      `SELECT l.id, (l.principal - l.outstanding)::text AS repaid, to_char(l.oldest_unpaid_due_on, 'YYYY-MM-DD') AS kept,
              (SELECT json_agg(json_build_object('seq', i.seq, 'dueOn', to_char(i.due_on, 'YYYY-MM-DD'), 'principal', i.principal::text, 'interest', i.interest::text) ORDER BY i.seq)
                 FROM loan_instalment i WHERE i.loan_id = l.id) AS instalments
         FROM loan l WHERE l.status = 'ACTIVE'`);
    expect(loans.length).toBeGreaterThan(5);
    const firstUnpaid = (l: (typeof loans)[number]) => standing(
      l.instalments.map((i) => ({ seq: i.seq, dueOn: i.dueOn, principal: new Decimal(i.principal), interest: new Decimal(i.interest) })), new Decimal(l.repaid), '2000-01-01',
    ).instalments.find((i) => i.status !== 'PAID')?.dueOn ?? null;
    expect(loans.filter((l) => l.kept !== firstUnpaid(l))).toEqual([]);
  });
});
