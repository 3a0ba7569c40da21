import { toGlobalId } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/harness';
import { CREATE_INSTITUTION, CREATE_PRODUCT, createInstitution, rowCount, staff, UPDATE_PRODUCT } from './fixtures';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const codes = (errors: { field: string[]; code: string }[]) => errors.map((e) => `${e.field.join('.')}:${e.code}`);
const PRODUCTS = `query($filter: ProductFilter) { products(filter: $filter, first: 100) { totalCount edges { node { id name enabled version } } } }`;

const loanProduct = (institutionId: string, extra: Record<string, unknown> = {}) => ({
  institutionId,
  name: '专精特新信用贷',
  kind: 'CREDIT_LOAN',
  needKind: 'LOAN',
  minAmount: '500000',
  maxAmount: '30000000',
  minTermMonths: 6,
  maxTermMonths: 36,
  minAnnualRate: '0.0345',
  maxAnnualRate: '0.0600',
  eligibility: { regionPrefixes: ['11'], industryChains: ['AI'], whitelistTierAtLeast: 'SPECIALIZED_SME', minRating: 'A', noActiveDishonesty: true, maxOverdueCount12m: 0 },
  ...extra,
});

describe('createInstitution', () => {
  it('creates a guarantor whose capacity reads as E3', async () => {
    const institution = await createInstitution(app, staff(app).authority, {
      kind: 'GUARANTOR',
      name: 'E3 担保公司',
      regionCode: '110000',
      coverageRegions: ['11'],
      guarantee: { netAssets: '2000000000', feeRate: '0.01', targetMultiple: '5', openingLiability: '9000000000' },
    });
    expect(institution.guarantee).toEqual({
      netAssets: '2000000000.00',
      liability: '9000000000.00',
      amplificationMultiple: '4.50',
      capMultiple: '10.00',
      targetMultiple: '5.00',
      remainingCapacity: '11000000000.00',
      singleBorrowerLimit: '200000000.00',
      status: 'UNDER_TARGET',
      feeRate: '0.01',
      smallMicroFocused: false,
    });
  });

  it('defaults the cap to 15 for a guarantor mainly serving small and micro firms', async () => {
    const i = await createInstitution(app, staff(app).admin, { kind: 'GUARANTOR', name: '小微担保', guarantee: { netAssets: '100000000', feeRate: '0.008', smallMicroFocused: true } });
    expect(i.guarantee).toMatchObject({ capMultiple: '15.00', remainingCapacity: '1500000000.00', status: 'WITHIN' });
  });

  it.each([
    ['a guarantor without its figures', { kind: 'GUARANTOR', name: 'G1' }, ['input.guarantee:GUARANTEE_PROFILE_REQUIRED']],
    ['a bank with guarantee figures', { kind: 'BANK', name: 'B1', guarantee: { netAssets: '1', feeRate: '0.01' } }, ['input.guarantee:GUARANTEE_PROFILE_NOT_ALLOWED']],
    ['bad regions', { kind: 'BANK', name: 'B2', regionCode: '11', coverageRegions: ['1', '11', '11'] }, ['input.regionCode:INVALID_REGION_CODE', 'input.coverageRegions.0:INVALID_REGION_PREFIX', 'input.coverageRegions.2:DUPLICATE_VALUE']],
    ['negative net assets', { kind: 'GUARANTOR', name: 'G2', guarantee: { netAssets: '-5', feeRate: '0.01' } }, ['input.guarantee.netAssets:OUT_OF_RANGE']],
    ['a name that would run as a spreadsheet formula', { kind: 'BANK', name: '@HYPERLINK("http://x.example")' }, ['input.name:FORMULA_TEXT']],
  ])('refuses %s and writes nothing', async (_what, input, expected) => {
    const before = await rowCount(app, 'institution');
    const res = await app.gql(CREATE_INSTITUTION, { input }, { token: staff(app).authority });
    expect(codes(res.data.createInstitution.userErrors)).toEqual(expected);
    expect(await rowCount(app, 'institution')).toBe(before);
  });

  it('refuses a second institution with the same name', async () => {
    await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '同名银行' });
    const res = await app.gql(CREATE_INSTITUTION, { input: { kind: 'BANK', name: '同名银行' } }, { token: staff(app).authority });
    expect(codes(res.data.createInstitution.userErrors)).toEqual(['input.name:INSTITUTION_NAME_TAKEN']);
  });

  it('is for authorities and admins only', async () => {
    for (const token of [staff(app).analyst, app.token({ sub: 'e', role: 'ENTERPRISE' })]) {
      const res = await app.gql(CREATE_INSTITUTION, { input: { kind: 'BANK', name: 'X' } }, { token });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('createProduct and updateProduct (R12)', () => {
  let bankId: string;
  let otherBankId: string;
  let bankToken: string;
  beforeAll(async () => {
    bankId = (await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '产品测试银行', regionCode: '110000' })).id;
    otherBankId = (await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '另一家银行' })).id;
    bankToken = app.token({ sub: 'bank-staff', role: 'BANK', institutionId: bankId });
  });

  it('lets a bank create a product for itself, with its eligibility', async () => {
    const res = await app.gql(CREATE_PRODUCT, { input: loanProduct(bankId) }, { token: bankToken });
    expect(res.data.createProduct.userErrors).toEqual([]);
    expect(res.data.createProduct.product).toMatchObject({
      kind: 'CREDIT_LOAN', minAmount: '500000.00', maxAmount: '30000000.00', minAnnualRate: '0.0345', requiresGuarantee: false, enabled: true, version: 1,
      institution: { id: bankId },
      eligibility: { regionPrefixes: ['11'], industryChains: ['AI'], whitelistTierAtLeast: 'SPECIALIZED_SME', minRating: 'A', noActiveDishonesty: true, maxOverdueCount12m: 0, firstLoanOnly: false },
      equity: null,
    });
  });

  it('refuses a bank creating a product for another institution', async () => {
    const res = await app.gql(CREATE_PRODUCT, { input: loanProduct(otherBankId) }, { token: bankToken });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it.each([
    ['a minimum above the maximum', { minAmount: '50000000' }, ['input.minAmount:MIN_GREATER_THAN_MAX']],
    ['an equity kind serving loans', { kind: 'EQUITY_INVESTMENT' }, ['input.needKind:NEED_KIND_MISMATCH']],
    ['equity criteria on a loan product', { equity: { stages: ['SEED'] } }, ['input.equity:EQUITY_CRITERIA_NOT_ALLOWED']],
    ['an unknown chain and a bad region prefix', { eligibility: { industryChains: ['COAL'], regionPrefixes: ['1'] } }, ['input.eligibility.regionPrefixes.0:INVALID_REGION_PREFIX', 'input.eligibility.industryChains.0:UNKNOWN_INDUSTRY_CHAIN']],
    ['an active window that ends before it starts', { activeFrom: '2026-12-01', activeTo: '2026-01-01' }, ['input.activeTo:ACTIVE_WINDOW_INVALID']],
    ['rates out of order', { minAnnualRate: '0.08', maxAnnualRate: '0.05' }, ['input.minAnnualRate:MIN_GREATER_THAN_MAX']],
  ])('refuses %s and writes nothing', async (_what, extra, expected) => {
    const before = await rowCount(app, 'product');
    const res = await app.gql(CREATE_PRODUCT, { input: loanProduct(bankId, extra) }, { token: staff(app).authority });
    expect(codes(res.data.createProduct.userErrors)).toEqual(expected);
    expect(await rowCount(app, 'product')).toBe(before);
  });

  it('creates an equity product with its criteria', async () => {
    const investor = await createInstitution(app, staff(app).authority, { kind: 'INVESTOR', name: '创投基金' });
    const res = await app.gql(
      CREATE_PRODUCT,
      { input: { institutionId: investor.id, name: 'A 轮投资', kind: 'EQUITY_INVESTMENT', needKind: 'EQUITY', minAmount: '5000000', maxAmount: '50000000', equity: { stages: ['SERIES_A', 'SERIES_B'], minTicket: '5000000', maxTicket: '50000000', maxPreMoneyValuation: '1000000000' } } },
      { token: staff(app).authority },
    );
    expect(res.data.createProduct).toMatchObject({ userErrors: [], product: { equity: { stages: ['SERIES_A', 'SERIES_B'], maxPreMoneyValuation: '1000000000.00' } } });
  });

  it('updates a product, bumps its version, and can switch it off', async () => {
    const created = await app.gql(CREATE_PRODUCT, { input: loanProduct(bankId, { name: '待更新产品' }) }, { token: bankToken });
    const productId = created.data.createProduct.product.id;
    const res = await app.gql(UPDATE_PRODUCT, { input: { productId, maxAmount: '10000000', eligibility: { sizeClasses: ['SMALL', 'MICRO'] } } }, { token: bankToken });
    expect(res.data.updateProduct).toMatchObject({ userErrors: [], product: { maxAmount: '10000000.00', version: 2, eligibility: { sizeClasses: ['SMALL', 'MICRO'], regionPrefixes: [], minRating: null } } });
    const refusedRes = await app.gql(UPDATE_PRODUCT, { input: { productId, minAmount: '20000000' } }, { token: bankToken });
    expect(codes(refusedRes.data.updateProduct.userErrors)).toEqual(['input.minAmount:MIN_GREATER_THAN_MAX']);
    const off = await app.gql(UPDATE_PRODUCT, { input: { productId, enabled: false } }, { token: bankToken });
    expect(off.data.updateProduct.product).toMatchObject({ enabled: false, version: 3 });
    const active = await app.gql(PRODUCTS, { filter: { institutionId: bankId, activeOn: '2026-11-22' } }, { token: staff(app).analyst });
    expect(active.data.products.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(productId);
    const nothing = await app.gql(UPDATE_PRODUCT, { input: { productId } }, { token: bankToken });
    expect(codes(nothing.data.updateProduct.userErrors)).toEqual(['input:NOTHING_TO_UPDATE']);
    const otherBank = app.token({ sub: 'other', role: 'BANK', institutionId: otherBankId });
    const forbidden = await app.gql(UPDATE_PRODUCT, { input: { productId, name: 'x' } }, { token: otherBank });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('filters products by amount and by an enterprise\'s region', async () => {
    const res = await app.gql(PRODUCTS, { filter: { institutionId: bankId, amount: '1000000', regionCode: '110108' } }, { token: staff(app).analyst });
    expect(res.data.products.totalCount).toBeGreaterThan(0);
    const outside = await app.gql(PRODUCTS, { filter: { institutionId: bankId, regionCode: '310115', kind: ['CREDIT_LOAN'] } }, { token: staff(app).analyst });
    expect(outside.data.products.edges.every((e: { node: { name: string } }) => e.node.name !== '专精特新信用贷')).toBe(true);
    const malformed = await app.gql(PRODUCTS, { filter: { institutionId: 'not-an-id' } }, { token: staff(app).analyst });
    expect(malformed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filter.institutionId' } });
  });

  it('fetches institutions and products by node id, and a viewer\'s institution', async () => {
    const node = await app.gql(`query($id: ID!) { node(id: $id) { __typename id ... on Institution { name } } }`, { id: bankId }, { token: staff(app).analyst });
    expect(node.data.node).toEqual({ __typename: 'Institution', id: bankId, name: '产品测试银行' });
    const viewer = await app.gql('{ viewer { role institution { id name } } }', {}, { token: bankToken });
    expect(viewer.data.viewer).toEqual({ role: 'BANK', institution: { id: bankId, name: '产品测试银行' } });
    const missing = await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('Institution', '00000000-0000-0000-0000-000000000000') }, { token: staff(app).analyst });
    expect(missing.data.node).toBeNull();
  });
});
