/**
 * R13 ANNUAL_REVENUE end to end: a bank's product asks for a minimum annual revenue (eligibility
 * `minAnnualRevenue`, R12) and the firm's stated revenue (R3) decides it — in the candidate search that
 * writes matches, and in explainMatch, which says why in Chinese and English. A firm above or at the
 * minimum is matched; one below it, or one that states no revenue, is not. Changing the product or the
 * firm's revenue re-matches; a negative minimum is refused and writes nothing.
 */
import { startTestApp, TestApp } from '../support/harness';
import { POST_NEED, USER_ERRORS, institutionWithToken, registeredEnterprise, rowCount } from './fixtures';
import { EXPLAIN, MATCHES, mutate } from './policy-fixtures';

const PRODUCT = 'id eligibility { minAnnualRevenue }';
const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { ${PRODUCT} } ${USER_ERRORS} } }`;
const UPDATE_PRODUCT = `mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { ${PRODUCT} } ${USER_ERRORS} } }`;
const UPDATE_PROFILE = `mutation($input: UpdateEnterpriseProfileInput!) { updateEnterpriseProfile(input: $input) { enterprise { revenue } userErrors { field code } } }`;

let app: TestApp;
let bank: Awaited<ReturnType<typeof institutionWithToken>>;
let product: { id: string; eligibility: { minAnnualRevenue: string | null } };

beforeAll(async () => {
  app = await startTestApp();
  bank = await institutionWithToken(app, 'BANK', '营收门槛银行');
  product = await mutate(app, bank.token, CREATE_PRODUCT, {
    institutionId: bank.institution.id, name: '营收贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '100000', maxAmount: '10000000',
    minAnnualRate: '0.04', eligibility: { minAnnualRevenue: '5000000' },
  });
});
afterAll(() => app?.close());

/** A firm stating `revenue` (null: none) with a 1,000,000 loan need for 12 months. */
async function firmWithNeed(revenue: string | null) {
  const firm = await registeredEnterprise(app, { revenue });
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '1000000', termMonths: 12 });
  return { firm, need };
}

async function matchedProducts(needId: string, token: string): Promise<string[]> {
  const res = await app.gql(MATCHES, { id: needId }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.node.matches.edges.map((e: any) => e.node.product.id);
}

async function revenueCheck(needId: string, token: string, lang: 'zh' | 'en' = 'zh') {
  const res = await app.gql(EXPLAIN, { need: needId, product: product.id }, { token, lang });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  const { eligible, checks } = res.data.explainMatch;
  return { eligible, check: checks.find((c: any) => c.code === 'ANNUAL_REVENUE') };
}

describe('R13 ANNUAL_REVENUE — a product\'s minimum annual revenue', () => {
  it('is stored on the product and read back with its eligibility', () => {
    expect(product.eligibility.minAnnualRevenue).toBe('5000000.00');
  });

  it('matches a firm above the minimum, and explainMatch says why', async () => {
    const { firm, need } = await firmWithNeed('8000000.00');
    expect(need.status).toBe('MATCHED');
    expect(await matchedProducts(need.id, firm.token)).toEqual([product.id]);
    expect(await revenueCheck(need.id, firm.token, 'en')).toEqual({
      eligible: true, check: { code: 'ANNUAL_REVENUE', passed: true, detail: 'Annual revenue 8000000.00 meets the product\'s minimum 5000000.00' },
    });
  });

  it('matches a firm at exactly the minimum', async () => {
    const { firm, need } = await firmWithNeed('5000000.00');
    expect(await matchedProducts(need.id, firm.token)).toEqual([product.id]);
  });

  it('does not match a firm below it: no match is written, and explainMatch names both figures in zh and en', async () => {
    const { firm, need } = await firmWithNeed('4999999.99');
    expect(need.status).toBe('OPEN');
    expect(await matchedProducts(need.id, firm.token)).toEqual([]);
    expect((await app.dataSource.query('SELECT count(*)::int AS n FROM match m JOIN financing_need n ON n.id = m.need_id JOIN enterprise e ON e.id = n.enterprise_id WHERE e.credit_code = $1', [firm.enterprise.creditCode]))[0].n).toBe(0);
    expect(await revenueCheck(need.id, firm.token)).toEqual({
      eligible: false, check: { code: 'ANNUAL_REVENUE', passed: false, detail: '年营业收入 4999999.99 低于产品要求的 5000000.00' },
    });
    expect((await revenueCheck(need.id, firm.token, 'en')).check.detail).toBe('Annual revenue 4999999.99 is below the product\'s minimum 5000000.00');
  });

  it('does not match a firm that states no revenue, and asks it to add the figure', async () => {
    const { firm, need } = await firmWithNeed(null);
    expect(firm.enterprise.revenue).toBeNull();
    expect(await matchedProducts(need.id, firm.token)).toEqual([]);
    expect(await revenueCheck(need.id, firm.token)).toEqual({
      eligible: false, check: { code: 'ANNUAL_REVENUE', passed: false, detail: '产品要求年营业收入不低于 5000000.00，企业信息缺少营业收入，请补充' },
    });
    expect((await revenueCheck(need.id, firm.token, 'en')).check.detail).toBe('The product needs an annual revenue of at least 5000000.00 and the profile states none; add it');
  });

  it('re-matches when the firm states a revenue above the minimum', async () => {
    const { firm, need } = await firmWithNeed(null);
    const res = await app.gql(UPDATE_PROFILE, { input: { revenue: '6000000.00' } }, { token: firm.token });
    expect(res.data.updateEnterpriseProfile.userErrors).toEqual([]);
    await app.settled();
    expect(await matchedProducts(need.id, firm.token)).toEqual([product.id]);
  });

  it('re-matches when the product lowers its minimum, and lifts it when cleared', async () => {
    const { firm, need } = await firmWithNeed('3000000.00');
    expect(await matchedProducts(need.id, firm.token)).toEqual([]);
    const lowered = await mutate(app, bank.token, UPDATE_PRODUCT, { productId: product.id, eligibility: { minAnnualRevenue: '2000000' } });
    expect(lowered.eligibility.minAnnualRevenue).toBe('2000000.00');
    await app.settled();
    expect(await matchedProducts(need.id, firm.token)).toEqual([product.id]);
    const cleared = await mutate(app, bank.token, UPDATE_PRODUCT, { productId: product.id, eligibility: {} });
    expect(cleared.eligibility.minAnnualRevenue).toBeNull();
    expect((await revenueCheck(need.id, firm.token, 'en')).check).toEqual({ code: 'ANNUAL_REVENUE', passed: true, detail: 'The product sets no minimum annual revenue' });
    await mutate(app, bank.token, UPDATE_PRODUCT, { productId: product.id, eligibility: { minAnnualRevenue: '5000000' } });
    await app.settled();
  });

  it('refuses a negative minimum and writes nothing', async () => {
    const before = await rowCount(app, 'product');
    const res = await app.gql(CREATE_PRODUCT, { input: {
      institutionId: bank.institution.id, name: '负营收贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '0', maxAmount: '1000000', eligibility: { minAnnualRevenue: '-1' },
    } }, { token: bank.token });
    expect(res.errors).toBeUndefined();
    expect(res.data.createProduct.product).toBeNull();
    expect(res.data.createProduct.userErrors.map((e: any) => [e.field, e.code])).toEqual([[['input', 'eligibility', 'minAnnualRevenue'], expect.any(String)]]);
    expect(await rowCount(app, 'product')).toBe(before);
  });
});
