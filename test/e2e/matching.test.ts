/**
 * R13 through the API: a posted need gets its ranked matches before the mutation returns, with the
 * terms of DOMAIN's worked examples (E4 reserve and exposure, E5 subsidies) to the cent; explainMatch
 * gives every check; institutions see the needs matched to them (R10).
 */
import { MATCH_CHECK_CODES } from '../../src/matching/criteria';
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff } from './fixtures';
import { EXPLAIN, MATCHES, Market, mutate, setUpMarket } from './policy-fixtures';

let app: TestApp;
let market: Market;
let firm: Awaited<ReturnType<typeof registeredEnterprise>>;

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app);
  firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' }, { attested: { sectorTags: ['EMERGING'] } });
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
});
afterAll(() => app.close());

const matchesOf = async (needId: string, token: string) => {
  const res = await app.gql(MATCHES, { id: needId }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.node;
};

describe('R13 — a posted need has its matches when the mutation returns', () => {
  it('E4: a 10,000,000 credit loan to an EMERGING firm reserves 500,000 and leaves the bank 9,500,000', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '10000000', termMonths: 12 });
    expect(need.status).toBe('MATCHED');
    const { matches } = await matchesOf(need.id, firm.token);
    expect(matches.totalCount).toBe(1);
    const m = matches.edges[0].node;
    expect(m).toMatchObject({ rank: 1, status: 'PROPOSED', eligible: true, product: { id: market.creditLoan.id } });
    expect(m.terms).toMatchObject({
      indicativeAnnualRate: '0.0385', riskCompensationReserve: '500000.00', riskCompensationPool: { name: expect.stringContaining('青岛') },
      bankNetExposure: '9500000.00', allInAnnualCostRate: '0.0385', guarantee: null, subsidies: [],
    });
    expect(m.terms.policyRuleVersions).toEqual(['QD-RC-M@v1']);
  });

  it('E5: a 5,000,000 guaranteed loan at fee 0.010, coverage 0.8: fee subsidy 47,000.00, risk subsidy 60,000.00; ranked with the credit loan', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '5000000', termMonths: 12 });
    const { matches } = await matchesOf(need.id, firm.token);
    expect(matches.totalCount).toBe(2);
    const byProduct = Object.fromEntries(matches.edges.map((e: any) => [e.node.product.id, e.node]));
    const guaranteed = byProduct[market.guaranteedLoan.id];
    expect(guaranteed.terms).toMatchObject({
      indicativeAnnualRate: '0.045', riskCompensationReserve: '0.00', bankNetExposure: '1000000.00', allInAnnualCostRate: '0.055',
      guarantee: { guarantor: { name: market.guarantor.name }, coverageRatio: '0.80', feeRate: '0.01', guaranteedAmount: '4000000.00' },
    });
    expect(guaranteed.terms.subsidies.map((s: any) => [s.kind, s.payee, s.amount, s.ruleVersion])).toEqual([
      ['GUARANTEE_FEE_SUBSIDY', 'GUARANTOR', '47000.00', 'FEE-M@v1'],
      ['GUARANTEE_RISK_SUBSIDY', 'GUARANTOR', '60000.00', 'RISK-M@v1'],
    ]);
    expect(guaranteed.terms.subsidies[0].payeeId).toBe(market.guarantor.id);
    const credit = byProduct[market.creditLoan.id];
    expect(credit.terms).toMatchObject({ riskCompensationReserve: '250000.00', bankNetExposure: '4750000.00' });
    // Best first: ranks 1..n follow the scores.
    const ranks = matches.edges.map((e: any) => [e.node.rank, e.node.score]);
    expect(ranks.map((r: number[]) => r[0])).toEqual([1, 2]);
    expect(ranks[0][1]).toBeGreaterThanOrEqual(ranks[1][1]);
  });

  it('the same loan to an untagged firm reserves nothing: exposure 10,000,000', async () => {
    const plain = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
    await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: plain.enterprise.creditCode, rating: 'AA' }] });
    const need = await mutate(app, plain.token, POST_NEED, { kind: 'LOAN', amount: '10000000', termMonths: 12 });
    const { matches } = await matchesOf(need.id, plain.token);
    expect(matches.edges[0].node.terms).toMatchObject({ riskCompensationReserve: '0.00', bankNetExposure: '10000000.00', policyRuleVersions: [] });
  });

  it('a need nothing fits stays OPEN with no matches', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '90000000', termMonths: 12 });
    expect(need.status).toBe('OPEN');
    expect((await matchesOf(need.id, firm.token)).matches.totalCount).toBe(0);
  });
});

describe('explainMatch', () => {
  it('names the failing check with a detail in Chinese and in English', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '8000000', termMonths: 12 });
    const zh = await app.gql(EXPLAIN, { need: need.id, product: market.guaranteedLoan.id }, { token: firm.token });
    expect(zh.errors).toBeUndefined();
    const { eligible, checks, terms } = zh.data.explainMatch;
    expect(eligible).toBe(false);
    expect(terms).toBeNull();
    // Every registered check, in R13's order (23 before ANNUAL_REVENUE).
    expect(checks.map((c: any) => c.code)).toEqual([...MATCH_CHECK_CODES]);
    expect(checks.filter((c: any) => !c.passed).map((c: any) => c.code)).toEqual(['AMOUNT']);
    expect(checks.find((c: any) => c.code === 'AMOUNT').detail).toBe('金额 8000000.00 超过产品最高额度 5000000.00，可考虑降低金额或拆分需求');
    const en = await app.gql(EXPLAIN, { need: need.id, product: market.guaranteedLoan.id }, { token: firm.token, lang: 'en' });
    expect(en.data.explainMatch.checks.find((c: any) => c.code === 'AMOUNT').detail).toBe('Amount 8000000.00 is above the product\'s maximum 5000000.00; a smaller amount or a split need would fit');
  });

  it('gives the terms of an eligible pair, the same as the stored match', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 24 });
    const res = await app.gql(EXPLAIN, { need: need.id, product: market.guaranteedLoan.id }, { token: firm.token });
    const stored = (await matchesOf(need.id, firm.token)).matches.edges.find((e: any) => e.node.product.id === market.guaranteedLoan.id).node;
    expect(res.data.explainMatch.eligible).toBe(true);
    expect(res.data.explainMatch.terms).toEqual(stored.terms);
    // E5 over 24 months: (0.02175 − 0.010) × 2,400,000 × 2 = 56,400.00.
    expect(stored.terms.subsidies[0]).toMatchObject({ kind: 'GUARANTEE_FEE_SUBSIDY', amount: '56400.00' });
  });

  it('is refused to analysts, and reads as not found for another firm\'s need', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '2000000', termMonths: 12 });
    const analyst = await app.gql(EXPLAIN, { need: need.id, product: market.creditLoan.id }, { token: staff(app).analyst });
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await registeredEnterprise(app);
    const res = await app.gql(EXPLAIN, { need: need.id, product: market.creditLoan.id }, { token: other.token });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('R10 — the bank sees the needs matched to its products, and their matches only', () => {
  it('lists the firm\'s matched needs for the bank, and records its reads of credit-based checks', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '4000000', termMonths: 12 });
    const list = await app.gql(`{ financingNeeds(first: 100) { edges { node { id } } } }`, {}, { token: market.bankToken });
    expect(list.data.financingNeeds.edges.map((e: any) => e.node.id)).toContain(need.id);
    // A bank with no product yet has no matched need to see (one with products could be matched to this need by the refresh worker at any moment).
    const other = await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '无产品银行 N' });
    const otherToken = app.token({ sub: 'bank-N', role: 'BANK', institutionId: other.id });
    const none = await app.gql(`{ financingNeeds(first: 100) { totalCount } }`, {}, { token: otherToken });
    expect(none.data.financingNeeds.totalCount).toBe(0);

    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM credit_access_log WHERE operation = 'Match.checks'`);
    const res = await app.gql(`query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches { edges { node { product { id } checks { code passed detail } } } } } } }`, { id: need.id }, { token: market.bankToken });
    expect(res.errors).toBeUndefined();
    const checks = res.data.node.matches.edges.find((e: any) => e.node.product.id === market.creditLoan.id).node.checks;
    expect(checks.find((c: any) => c.code === 'CREDIT_RATING')).toMatchObject({ passed: true, detail: '信用评级 AA，满足 A 及以上' });
    const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM credit_access_log WHERE operation = 'Match.checks'`);
    expect(after[0].n).toBeGreaterThan(before[0].n);
  });
});
