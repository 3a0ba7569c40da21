/**
 * Issue 17 §1 through the API: DOMAIN E9 (a 36-month guarantee's fee subsidy allocated to the calendar
 * years it covers, each against its own year's cap, the same in the match's quote, explainMatch, the
 * loan's entitlements and — once its claims are paid (issue 17 §3) — its bookings, with the running totals
 * and the reconciliation right) and E10 (the loss split after
 * the pool's payout), to the cent. The database's day is put on E9's 2026-07-01 (test/support/clock.ts).
 */
import { Decimal } from '../../src/common/decimal';
import { uuidOf } from '../../src/common/ids';
import { reconcileLedger } from '../../src/loans/reconciliation';
import { resetDatabaseDay, setDatabaseDay } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, CREATE_PRODUCT, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from './fixtures';
import { CREATE_POOL, CREATE_RULE, EXPLAIN, Market, mutate, okPayloadOf, setUpMarket } from './policy-fixtures';
import { payEntitlements, payPoolClaim } from './claim-fixtures';

const SUBSIDIES = 'subsidies { kind amount ruleVersion years { year amount } }';
const LOAN_FIELDS = `id principal termMonths riskCompensationReserve compensationPaid lossSplit { party amount } ${SUBSIDIES} ledger { kind party amount }`;
const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { ${LOAN_FIELDS} } reserve { quoted due reserved } warnings { code message } ${USER_ERRORS} } }`;
const DEFAULT = `mutation($input: RecordDefaultInput!) { recordDefault(input: $input) { loan { ${LOAN_FIELDS} } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } terms { ${SUBSIDIES} } } } } } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await setDatabaseDay(app.dataSource, '2026-07-01');
});
afterAll(async () => {
  if (app) await resetDatabaseDay(app.dataSource);
  await app?.close();
});

const ok = (document: string, input: Record<string, unknown>, token: string) => okPayloadOf(app, token, document, input);

/** A small Qingdao firm rated AA with a loan need of `amount` for `termMonths`, and its match with `productId`. */
async function matched(_market: Pick<Market, 'bankToken'>, productId: string, amount: string, termMonths: number) {
  const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' }, { attested: { sectorTags: ['EMERGING'] } });
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-06-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths });
  const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
  const match = res.data.node.matches.edges.map((e: any) => e.node).find((m: any) => m.product.id === productId);
  if (!match) throw new Error('no match for the product');
  return { firm, need, match };
}

async function approved(market: Pick<Market, 'bankToken'>, m: Awaited<ReturnType<typeof matched>>) {
  await ok(RESPOND, { matchId: m.match.id, action: 'CONTACT' }, market.bankToken);
  await ok(APPLY, { matchId: m.match.id }, m.firm.token);
  await ok(OUTCOME, { matchId: m.match.id, outcome: 'APPROVED' }, market.bankToken);
}

async function disbursed(market: Pick<Market, 'bankToken'>, m: Awaited<ReturnType<typeof matched>>, principal: string) {
  await approved(market, m);
  return (await ok(OUTCOME, { matchId: m.match.id, outcome: 'DISBURSED', principal }, market.bankToken)).loan;
}

const guarantorToken = (market: Market) => app.token({ sub: 'guarantor-e9', role: 'GUARANTOR', institutionId: market.guarantor.id });
const fee = (subsidies: any[]) => subsidies.find((s) => s.kind === 'GUARANTEE_FEE_SUBSIDY');
const E9_YEARS = [{ year: 2026, amount: '23500.00' }, { year: 2027, amount: '47000.00' }, { year: 2028, amount: '47000.00' }, { year: 2029, amount: '23500.00' }];

describe('E9 — a 36-month guarantee\'s fee subsidy over the calendar years it covers', () => {
  let market: Market;
  beforeAll(async () => {
    market = await setUpMarket(app, 'E9');
  });

  it('5,000,000 for 36 months from 2026-07-01 at fee 0.010, coverage 0.8: 47,000.00 a year, booked 23,500.00 / 47,000.00 / 47,000.00 / 23,500.00', async () => {
    const m = await matched(market, market.guaranteedLoan.id, '5000000', 36);
    // The quote on the match and explainMatch allocate the same way.
    expect(fee(m.match.terms.subsidies)).toEqual({ kind: 'GUARANTEE_FEE_SUBSIDY', amount: '141000.00', ruleVersion: 'FEE-E9@v1', years: E9_YEARS });
    const explained = await app.gql(EXPLAIN.replace('subsidies { kind payee payeeId amount ruleVersion }', SUBSIDIES), { need: m.need.id, product: market.guaranteedLoan.id }, { token: m.firm.token });
    expect(fee(explained.data.explainMatch.terms.subsidies)).toEqual({ kind: 'GUARANTEE_FEE_SUBSIDY', amount: '141000.00', ruleVersion: 'FEE-E9@v1', years: E9_YEARS });

    const loan = await disbursed(market, m, '5000000');
    expect(fee(loan.subsidies)).toEqual({ kind: 'GUARANTEE_FEE_SUBSIDY', amount: '141000.00', ruleVersion: 'FEE-E9@v1', years: E9_YEARS });
    const guarantorId = uuidOf(market.guarantor.id, 'Institution');
    // Issue 17 §3: the disbursement entitles the guarantor to each year's part; each is booked when an
    // authority pays its claim.
    expect(await app.dataSource.query(`SELECT count(*)::int AS n FROM subsidy_booking WHERE loan_id = $1`, [uuidOf(loan.id, 'Loan')])).toEqual([{ n: 0 }]);
    await payEntitlements(app, loan.id, guarantorToken(market), ['GUARANTEE_FEE_SUBSIDY']);
    const bookings = await app.dataSource.query(
      `SELECT year, amount::text FROM subsidy_booking WHERE loan_id = $1 AND kind = 'GUARANTEE_FEE_SUBSIDY' ORDER BY year`, [uuidOf(loan.id, 'Loan')]);
    expect(bookings).toEqual(E9_YEARS.map((y) => ({ year: y.year, amount: y.amount })));
    // The running totals per guarantor and year moved with each year's booking.
    const totals = await app.dataSource.query(`SELECT year, total::text FROM guarantor_fee_subsidy_total WHERE guarantor_id = $1 ORDER BY year`, [guarantorId]);
    expect(totals).toEqual(E9_YEARS.map((y) => ({ year: y.year, total: y.amount })));
    // One SUBSIDY movement in the ledger per year paid (issue 17 §3: booked at payment, claim by claim); the reconciliation still balances.
    const ledger = (await app.gql(`query($id: ID!) { node(id: $id) { ... on Loan { ledger { kind amount ruleVersion } } } }`, { id: loan.id }, { token: staff(app).authority })).data.node.ledger;
    expect(ledger.filter((e: any) => e.kind === 'SUBSIDY' && e.ruleVersion === 'FEE-E9@v1').map((e: any) => e.amount)).toEqual(E9_YEARS.map((y) => y.amount));
    const reconciled = await reconcileLedger(app.dataSource);
    expect(reconciled.differences).toEqual([]);
  });

  it('each year against its own cap: with 2,980,000.00 booked for 2027, 2027 gives 20,000.00 and the other years stay whole — quoted and booked alike', async () => {
    // The guarantor has E9's first loan booked (47,000.00 in 2027): 2,933,000.00 more brings 2027 to 2,980,000.00.
    const guarantorId = uuidOf(market.guarantor.id, 'Institution');
    const [{ id: ruleId }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-E9'`);
    await app.dataSource.query(
      `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year) VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, 2933000, 2027)`, [ruleId, guarantorId]);
    const capped = [{ year: 2026, amount: '23500.00' }, { year: 2027, amount: '20000.00' }, { year: 2028, amount: '47000.00' }, { year: 2029, amount: '23500.00' }];
    const m = await matched(market, market.guaranteedLoan.id, '5000000', 36);
    expect(fee(m.match.terms.subsidies)).toEqual({ kind: 'GUARANTEE_FEE_SUBSIDY', amount: '114000.00', ruleVersion: 'FEE-E9@v1', years: capped });
    const loan = await disbursed(market, m, '5000000');
    expect(fee(loan.subsidies)).toEqual({ kind: 'GUARANTEE_FEE_SUBSIDY', amount: '114000.00', ruleVersion: 'FEE-E9@v1', years: capped });
    await payEntitlements(app, loan.id, guarantorToken(market), ['GUARANTEE_FEE_SUBSIDY']);
    const totals = await app.dataSource.query(`SELECT year, total::text FROM guarantor_fee_subsidy_total WHERE guarantor_id = $1 ORDER BY year`, [guarantorId]);
    expect(totals).toEqual([{ year: 2026, total: '47000.00' }, { year: 2027, total: '3000000.00' }, { year: 2028, total: '94000.00' }, { year: 2029, total: '47000.00' }]);
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  });
});

describe('E10 — the loss split after the pool\'s payout', () => {
  it('a 1,000,000 loss on a guaranteed loan under Anhui 4321 with a 200,000 pool payout: 320,000.00 / 240,000.00 / 160,000.00 / 80,000.00', async () => {
    const market = await setUpMarket(app, 'E10');
    // A Qingdao pool rule for guaranteed loans paying 20 % of a loss, up to the loan's 5 % reserve.
    await mutate(app, staff(app).authority, CREATE_RULE, {
      code: 'QD-RC-GUARANTEED', kind: 'RISK_COMPENSATION', poolId: market.pool.id, params: { commitmentRatio: '0.05', lossShare: '0.2' },
      eligibility: { productKinds: ['GUARANTEED_LOAN'], regionPrefixes: ['3702'] },
    });
    const m = await matched(market, market.guaranteedLoan.id, '5000000', 12);
    const loan = await disbursed(market, m, '5000000');
    expect(loan.riskCompensationReserve).toBe('250000.00');
    const { loan: pending } = await ok(DEFAULT, { loanId: loan.id, netLoss: '1000000' }, market.bankToken);
    // The pool's 200,000 waits for the authority's review of the bank's claim (issue 17 §3); paid, the split follows.
    expect([pending.compensationPaid, pending.lossSplit]).toEqual(['0.00', []]);
    expect(await payPoolClaim(app, loan.id, market.bankToken)).toMatchObject({ status: 'PAID', claimed: '200000.00', approved: '200000.00' });
    const defaulted = (await app.gql(`query($id: ID!) { node(id: $id) { ... on Loan { ${LOAN_FIELDS} } } }`, { id: loan.id }, { token: market.bankToken })).data.node;
    expect(defaulted.compensationPaid).toBe('200000.00');
    expect(defaulted.lossSplit).toEqual([
      { party: 'GUARANTOR', amount: '320000.00' }, { party: 'RE_GUARANTOR', amount: '240000.00' },
      { party: 'BANK', amount: '160000.00' }, { party: 'LOCAL_GOVERNMENT', amount: '80000.00' },
    ]);
    const shares = defaulted.ledger.filter((e: any) => e.kind === 'LOSS_SHARE').reduce((s: Decimal, e: any) => s.plus(e.amount), new Decimal(0));
    expect(shares.plus(defaulted.compensationPaid).toFixed(2)).toBe('1000000.00');
    expect((await reconcileLedger(app.dataSource)).differences).toEqual([]);
  });
});

describe('no silent zero: a pool run dry between the quote and the disbursement is reported', () => {
  it('each disbursement says what was quoted, due and reserved; a short one warns POOL_RESERVE_SHORT, down to a reserve of 0', async () => {
    const { authority } = staff(app);
    const bank = await createInstitution(app, authority, { kind: 'BANK', name: '供应链银行 SZ', regionCode: '370200' });
    const product = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: bank.id, name: '供应链贷 SZ', kind: 'SUPPLY_CHAIN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '20000000', minTermMonths: 6, maxTermMonths: 36, minAnnualRate: '0.04',
    });
    const pool = await mutate(app, authority, CREATE_POOL, { name: '小池 SZ', capacity: '900000' });
    await mutate(app, authority, CREATE_RULE, {
      code: 'QD-RC-SZ', kind: 'RISK_COMPENSATION', poolId: pool.id, params: { commitmentRatio: '0.06', lossShare: '1' },
      eligibility: { productKinds: ['SUPPLY_CHAIN'], regionPrefixes: ['3702'] },
    });
    const lender = { bankToken: app.token({ sub: 'bank-sz', role: 'BANK', institutionId: bank.id }) };
    // Three matches quoted 600,000 each while the pool had 900,000; all approved before any disbursement.
    const matches = [];
    for (let i = 0; i < 3; i += 1) matches.push(await matched(lender, product.id, '10000000', 12));
    expect(matches.map((m) => m.match.terms.subsidies)).toEqual([[], [], []]);
    for (const m of matches) await approved(lender, m);
    const outcomes = [];
    for (const m of matches) outcomes.push(await ok(OUTCOME, { matchId: m.match.id, outcome: 'DISBURSED', principal: '10000000' }, lender.bankToken));
    expect(outcomes.map((o) => [o.loan.riskCompensationReserve, o.reserve, o.warnings.map((w: any) => w.code)])).toEqual([
      ['600000.00', { quoted: '600000.00', due: '600000.00', reserved: '600000.00' }, []],
      ['300000.00', { quoted: '600000.00', due: '600000.00', reserved: '300000.00' }, ['POOL_RESERVE_SHORT']],
      ['0.00', { quoted: '600000.00', due: '600000.00', reserved: '0.00' }, ['POOL_RESERVE_SHORT']],
    ]);
    expect(outcomes[2].warnings[0].message).toMatch(/600000\.00.*0\.00/);
    const en = await app.gql(`query($id: ID!) { node(id: $id) { ... on Loan { riskCompensationReserve } } }`, { id: outcomes[2].loan.id }, { token: lender.bankToken });
    expect(en.data.node.riskCompensationReserve).toBe('0.00');
  });
});

describe('R9 — the growth subsidy, from a guarantor\'s yearly small and micro volume in the ledger', () => {
  const GROWTH = `query($input: GuaranteeGrowthSubsidyInput!) { guaranteeGrowthSubsidy(input: $input) { guarantor { id } year volume previousVolume growth amount ruleVersion bookedAt } }`;
  const BOOK = `mutation($input: GuaranteeGrowthSubsidyInput!) { bookGuaranteeGrowthSubsidy(input: $input) { subsidy { year volume previousVolume growth amount ruleVersion bookedAt } ${USER_ERRORS} } }`;

  it('1,600,000 guaranteed in 2024 and 4,000,000 in 2025: growth 2,400,000.00, subsidy 0.01 × that = 24,000.00, booked once', async () => {
    const { authority } = staff(app);
    const market = await setUpMarket(app, 'GR');
    await mutate(app, authority, CREATE_RULE, { code: 'RISK-GR', kind: 'GUARANTEE_RISK_SUBSIDY', params: { ratio: '0.015', growthRatio: '0.01' }, eligibility: { regionPrefixes: ['3702'] } });
    try {
      for (const [day, amount] of [['2024-03-01', '2000000'], ['2025-03-01', '5000000']] as const) {
        await setDatabaseDay(app.dataSource, day);
        const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
        await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2024-01-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
        const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths: 12 });
        const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
        const match = res.data.node.matches.edges.map((e: any) => e.node).find((m: any) => m.product.id === market.guaranteedLoan.id);
        await disbursed(market, { firm, need, match }, amount);
      }
    } finally {
      await setDatabaseDay(app.dataSource, '2026-07-01');
    }
    const input = { guarantorId: market.guarantor.id, ruleCode: 'RISK-GR', year: 2025 };
    const expected = { year: 2025, volume: '4000000.00', previousVolume: '1600000.00', growth: '2400000.00', amount: '24000.00', ruleVersion: 'RISK-GR@v2' };
    const preview = await app.gql(GROWTH, { input }, { token: authority });
    expect(preview.errors).toBeUndefined();
    expect(preview.data.guaranteeGrowthSubsidy).toEqual({ ...expected, guarantor: { id: market.guarantor.id }, bookedAt: null });
    const booked = await ok(BOOK, input, authority);
    expect(booked.subsidy).toMatchObject(expected);
    expect(booked.subsidy.bookedAt).toBeTruthy();
    const [row] = await app.dataSource.query(`SELECT amount::text, year, loan_id, rule_version FROM subsidy_booking WHERE kind = 'GUARANTEE_RISK_SUBSIDY' AND loan_id IS NULL AND payee_id = $1`, [uuidOf(market.guarantor.id, 'Institution')]);
    expect(row).toEqual({ amount: '24000.00', year: 2025, loan_id: null, rule_version: 'RISK-GR@v2' });

    // Once per guarantor, year and rule; only a year that is over; a rule without a growth ratio gives none.
    const again = await app.gql(BOOK, { input }, { token: authority });
    expect(again.data.bookGuaranteeGrowthSubsidy.userErrors).toEqual([expect.objectContaining({ field: ['input', 'year'], code: 'GROWTH_SUBSIDY_BOOKED' })]);
    const current = await app.gql(BOOK, { input: { ...input, year: 2026 } }, { token: authority });
    expect(current.data.bookGuaranteeGrowthSubsidy.userErrors[0]).toMatchObject({ code: 'YEAR_NOT_OVER' });
    await mutate(app, authority, CREATE_RULE, { code: 'RISK-NO-GROWTH', kind: 'GUARANTEE_RISK_SUBSIDY', params: { ratio: '0.015' }, eligibility: { regionPrefixes: ['3702'] } });
    const noRatio = await app.gql(BOOK, { input: { ...input, ruleCode: 'RISK-NO-GROWTH' } }, { token: authority });
    expect(noRatio.data.bookGuaranteeGrowthSubsidy.userErrors[0]).toMatchObject({ field: ['input', 'ruleCode'], code: 'NO_GROWTH_RATIO' });
    // 2024 grew from nothing: 1,600,000 × 0.01 = 16,000.00.
    expect((await app.gql(GROWTH, { input: { ...input, year: 2024 } }, { token: authority })).data.guaranteeGrowthSubsidy).toMatchObject({ volume: '1600000.00', previousVolume: '0.00', amount: '16000.00' });
    // Not for banks; a regional authority books under its region's rules only (issue 17 §3).
    expect((await app.gql(GROWTH, { input }, { token: market.bankToken })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const beijing = app.token({ sub: 'authority-bj-gr', role: 'AUTHORITY', regionCode: '11' });
    const qingdao = app.token({ sub: 'authority-qd-gr', role: 'AUTHORITY', regionCode: '370200' });
    expect((await app.gql(BOOK, { input: { ...input, year: 2024 } }, { token: beijing })).data.bookGuaranteeGrowthSubsidy.userErrors[0]).toMatchObject({ field: ['input', 'ruleCode'], code: 'OUTSIDE_AUTHORITY_REGION' });
    expect((await app.gql(GROWTH, { input: { ...input, year: 2024 } }, { token: qingdao })).data.guaranteeGrowthSubsidy).toMatchObject({ amount: '16000.00' });
    expect(await app.dataSource.query(`SELECT year FROM subsidy_booking WHERE kind = 'GUARANTEE_RISK_SUBSIDY' AND loan_id IS NULL AND payee_id = $1`, [uuidOf(market.guarantor.id, 'Institution')])).toEqual([{ year: 2025 }]);
  });
});

describe('R9 — collective bond issues as records (DOMAIN E8)', () => {
  const ISSUE = `issue { id name issueAmount issuedOn ruleVersion mitigationFund loss totalSupport guaranteeCentre { id }
    members { enterprise { creditCode } counterGuaranteed support } lossSharing { publicFinance guaranteeCentre beyondFund } }`;
  const CREATE_BOND = `mutation($input: CreateCollectiveBondIssueInput!) { createCollectiveBondIssue(input: $input) { ${ISSUE} ${USER_ERRORS} } }`;
  const BOND_LOSS = `mutation($input: RecordCollectiveBondLossInput!) { recordCollectiveBondLoss(input: $input) { ${ISSUE} ${USER_ERRORS} } }`;

  it('E8: 200,000,000 issue → fund 10,000,000.00; supports 500,000.00 and 1,000,000.00 (capped); a 6,000,000 loss → 3,000,000.00 each', async () => {
    const { authority, analyst } = staff(app);
    await mutate(app, authority, CREATE_RULE, {
      code: 'BOND-E8', kind: 'COLLECTIVE_BOND', params: { supportRatio: '0.01', perEnterpriseCap: '1000000', fundRatio: '0.05', publicShare: '0.5' },
      eligibility: { regionPrefixes: ['3702'] }, source: '青政发〔2012〕46号 (32)',
    });
    const centre = await createInstitution(app, authority, { kind: 'GUARANTOR', name: '青岛担保中心 E8', guarantee: { netAssets: '1000000000', feeRate: '0.01' } });
    const a = await registeredEnterprise(app, { regionCode: '370212' });
    const b = await registeredEnterprise(app, { regionCode: '370211' });
    const beijing = await registeredEnterprise(app, { regionCode: '110108' });
    const input = {
      name: '青岛中小企业集合债 E8', ruleCode: 'BOND-E8', issueAmount: '200000000', issuedOn: '2026-06-30', guaranteeCentreId: centre.id,
      members: [{ creditCode: a.enterprise.creditCode, counterGuaranteed: '50000000' }, { creditCode: b.enterprise.creditCode, counterGuaranteed: '150000000' }],
    };
    // Refusals write nothing: a member outside the rule's region, counter-guarantees above the issue, an unknown rule, a member twice.
    const before = await app.dataSource.query(`SELECT (SELECT count(*) FROM collective_bond_issue)::int AS issues, (SELECT count(*) FROM subsidy_booking)::int AS bookings`);
    const outside = await app.gql(CREATE_BOND, { input: { ...input, members: [...input.members, { creditCode: beijing.enterprise.creditCode, counterGuaranteed: '1' }] } }, { token: authority });
    expect(outside.data.createCollectiveBondIssue.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.members', 'COUNTER_GUARANTEE_EXCEEDS_ISSUE']]);
    const outsideOnly = await app.gql(CREATE_BOND, { input: { ...input, members: [input.members[0], { creditCode: beijing.enterprise.creditCode, counterGuaranteed: '1' }] } }, { token: authority });
    expect(outsideOnly.data.createCollectiveBondIssue.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.members.1.creditCode', 'MEMBER_OUTSIDE_REGION']]);
    expect((await app.gql(CREATE_BOND, { input: { ...input, ruleCode: 'NO-SUCH' } }, { token: authority })).data.createCollectiveBondIssue.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const twice = await app.gql(CREATE_BOND, { input: { ...input, members: [input.members[0], input.members[0]] } }, { token: authority });
    expect(twice.data.createCollectiveBondIssue.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.members.1', 'DUPLICATE_VALUE']]);
    expect(twice.data.createCollectiveBondIssue.userErrors[0].message).toContain(a.enterprise.creditCode);
    // A regional authority issues under its region's rules only (issue 17 §3).
    const beijingAuthority = app.token({ sub: 'authority-bj-e8', role: 'AUTHORITY', regionCode: '11' });
    expect((await app.gql(CREATE_BOND, { input }, { token: beijingAuthority })).data.createCollectiveBondIssue.userErrors[0]).toMatchObject({ field: ['input', 'ruleCode'], code: 'OUTSIDE_AUTHORITY_REGION' });
    expect(await app.dataSource.query(`SELECT (SELECT count(*) FROM collective_bond_issue)::int AS issues, (SELECT count(*) FROM subsidy_booking)::int AS bookings`)).toEqual(before);

    const { issue } = await ok(CREATE_BOND, input, authority);
    expect(issue).toMatchObject({
      issueAmount: '200000000.00', issuedOn: '2026-06-30', ruleVersion: 'BOND-E8@v1', mitigationFund: '10000000.00', loss: '0.00', totalSupport: '1500000.00', guaranteeCentre: { id: centre.id },
      lossSharing: { publicFinance: '0.00', guaranteeCentre: '0.00', beyondFund: '0.00' },
    });
    expect(issue.members).toEqual([
      { enterprise: { creditCode: b.enterprise.creditCode }, counterGuaranteed: '150000000.00', support: '1000000.00' },
      { enterprise: { creditCode: a.enterprise.creditCode }, counterGuaranteed: '50000000.00', support: '500000.00' },
    ]);
    const supports = await app.dataSource.query(`SELECT amount::text, year, payee_kind FROM subsidy_booking WHERE kind = 'COLLECTIVE_BOND' ORDER BY amount::numeric`);
    expect(supports).toEqual([{ amount: '500000.00', year: 2026, payee_kind: 'ENTERPRISE' }, { amount: '1000000.00', year: 2026, payee_kind: 'ENTERPRISE' }]);

    const { issue: lost } = await ok(BOND_LOSS, { issueId: issue.id, loss: '6000000' }, authority);
    expect(lost).toMatchObject({ loss: '6000000.00', lossSharing: { publicFinance: '3000000.00', guaranteeCentre: '3000000.00', beyondFund: '0.00' } });
    // Beyond the fund the loss is reported, not shared.
    const { issue: beyond } = await ok(BOND_LOSS, { issueId: issue.id, loss: '5000000' }, authority);
    expect(beyond.lossSharing).toEqual({ publicFinance: '5000000.00', guaranteeCentre: '5000000.00', beyondFund: '1000000.00' });
    expect((await app.gql(BOND_LOSS, { input: { issueId: issue.id, loss: '190000000' } }, { token: authority })).data.recordCollectiveBondLoss.userErrors[0]).toMatchObject({ code: 'LOSS_EXCEEDS_ISSUE' });
    expect((await app.gql(BOND_LOSS, { input: { issueId: issue.id, loss: '1' } }, { token: beijingAuthority })).data.recordCollectiveBondLoss.userErrors[0]).toMatchObject({ code: 'OUTSIDE_AUTHORITY_REGION' });

    // Analysts read the issues; banks do not.
    const listed = await app.gql(`{ collectiveBondIssues(first: 10) { totalCount edges { node { name mitigationFund } } } }`, {}, { token: analyst });
    expect(listed.data.collectiveBondIssues).toEqual({ totalCount: 1, edges: [{ node: { name: '青岛中小企业集合债 E8', mitigationFund: '10000000.00' } }] });
    const lender = await createInstitution(app, authority, { kind: 'BANK', name: '银行 E8' });
    const bank = app.token({ sub: 'bank-e8', role: 'BANK', institutionId: lender.id });
    expect((await app.gql(`{ collectiveBondIssues { totalCount } }`, {}, { token: bank })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
