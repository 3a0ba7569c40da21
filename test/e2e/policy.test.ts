/**
 * R6–R9 policy records through the API: refusals come back as userErrors and write nothing; versions
 * of one rule code are numbered one after another even when authorities add them at once.
 */
import { startTestApp, TestApp } from '../support/harness';
import { createInstitution, rowCount, staff } from './fixtures';
import { CREATE_AGREEMENT, CREATE_POOL, CREATE_RULE, CREATE_SHARING, SET_BENCHMARK, mutate } from './policy-fixtures';

let app: TestApp;
let authority: string;
beforeAll(async () => {
  app = await startTestApp();
  authority = staff(app).authority;
});
afterAll(() => app?.close());

const errors = async (document: string, input: Record<string, unknown>, token = authority) => {
  const res = await app.gql(document, { input }, { token });
  expect(res.errors).toBeUndefined();
  return (Object.values(res.data)[0] as { userErrors: { field: string[]; code: string }[] }).userErrors.map((e) => [e.field.join('.'), e.code]);
};

describe('R7 — risk-sharing rules', () => {
  it('E6\'s Anhui 4321 is accepted with coverage 0.8', async () => {
    const rule = await mutate(app, authority, CREATE_SHARING, {
      name: 'Anhui 4321', shares: [{ party: 'GUARANTOR', share: '0.4' }, { party: 'RE_GUARANTOR', share: '0.3' }, { party: 'BANK', share: '0.2' }, { party: 'LOCAL_GOVERNMENT', share: '0.1' }],
    });
    expect(rule).toMatchObject({ coverageRatio: '0.80', shares: [{ party: 'GUARANTOR', share: '0.40' }, { party: 'RE_GUARANTOR', share: '0.30' }, { party: 'BANK', share: '0.20' }, { party: 'LOCAL_GOVERNMENT', share: '0.10' }] });
  });

  it('refuses shares that do not add up to exactly 1, a repeated party and an unknown one, writing nothing', async () => {
    const before = await rowCount(app, 'risk_sharing_rule');
    expect(await errors(CREATE_SHARING, { name: 'bad', shares: [{ party: 'GUARANTOR', share: '0.5' }, { party: 'BANK', share: '0.49' }] })).toEqual([['input.shares', 'SHARES_NOT_ONE']]);
    expect(await errors(CREATE_SHARING, { name: 'bad', shares: [{ party: 'BANK', share: '0.5' }, { party: 'BANK', share: '0.5' }] })).toEqual([['input.shares.1.party', 'PARTY_REPEATED']]);
    expect(await errors(CREATE_SHARING, { name: 'bad', shares: [{ party: 'INSURER', share: '1' }] })).toEqual([['input.shares.0.party', 'UNKNOWN_PARTY']]);
    expect(await errors(CREATE_SHARING, { name: 'Anhui 4321', shares: [{ party: 'BANK', share: '1' }] })).toEqual([['input.name', 'RULE_NAME_TAKEN']]);
    expect(await rowCount(app, 'risk_sharing_rule')).toBe(before);
  });
});

describe('cooperation agreements and benchmark rates', () => {
  it('refuses a non-lender, a non-guarantor and a second agreement for the same pair', async () => {
    const bank = await createInstitution(app, authority, { kind: 'BANK', name: '协议银行' });
    const guarantor = await createInstitution(app, authority, { kind: 'GUARANTOR', name: '协议担保', guarantee: { netAssets: '100000000', feeRate: '0.01' } });
    const rule = await mutate(app, authority, CREATE_SHARING, { name: '全额', shares: [{ party: 'GUARANTOR', share: '1' }] });
    expect(await errors(CREATE_AGREEMENT, { bankId: guarantor.id, guarantorId: bank.id, riskSharingRuleId: rule.id })).toEqual([
      ['input.bankId', 'INSTITUTION_KIND_MISMATCH'], ['input.guarantorId', 'INSTITUTION_KIND_MISMATCH'],
    ]);
    await mutate(app, authority, CREATE_AGREEMENT, { bankId: bank.id, guarantorId: guarantor.id, riskSharingRuleId: rule.id });
    const before = await rowCount(app, 'cooperation_agreement');
    expect(await errors(CREATE_AGREEMENT, { bankId: bank.id, guarantorId: guarantor.id, riskSharingRuleId: rule.id })).toEqual([['input.guarantorId', 'AGREEMENT_EXISTS']]);
    expect(await rowCount(app, 'cooperation_agreement')).toBe(before);
    const listed = await app.gql(`query($id: ID) { cooperationAgreements(institutionId: $id) { bank { id } guarantor { id } feeRate riskSharingRule { name } } }`, { id: guarantor.id }, { token: authority });
    expect(listed.data.cooperationAgreements).toEqual([{ bank: { id: bank.id }, guarantor: { id: guarantor.id }, feeRate: '0.01', riskSharingRule: { name: '全额' } }]);
    const malformed = await app.gql(`{ cooperationAgreements(institutionId: "nonsense") { id } }`, {}, { token: authority });
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('accepts the same benchmark again, and refuses another rate for the same code and date', async () => {
    await mutate(app, authority, SET_BENCHMARK, { code: 'LPR_1Y', rate: '0.03', effectiveFrom: '2025-05-20' });
    await mutate(app, authority, SET_BENCHMARK, { code: 'LPR_1Y', rate: '0.0300', effectiveFrom: '2025-05-20' });
    expect(await errors(SET_BENCHMARK, { code: 'LPR_1Y', rate: '0.031', effectiveFrom: '2025-05-20' })).toEqual([['input.effectiveFrom', 'BENCHMARK_RATE_EXISTS']]);
    expect(await errors(SET_BENCHMARK, { code: 'lpr', rate: '2', effectiveFrom: '2025-05-20' })).toEqual([['input.code', 'INVALID_FORMAT'], ['input.rate', 'OUT_OF_RANGE']]);
  });
});

describe('R8, R9 — policy rules', () => {
  it('checks parameters by kind and the pool rule, writing nothing', async () => {
    const before = await rowCount(app, 'policy_rule');
    expect(await errors(CREATE_RULE, { code: 'RC-1', kind: 'RISK_COMPENSATION', params: { commitmentRatio: '0.05', lossShare: '1' }, eligibility: { national: true } })).toEqual([['input.poolId', 'POOL_REQUIRED']]);
    expect(await errors(CREATE_RULE, { code: 'LS-1', kind: 'LEASING_SUBSIDY', params: { ratio: '0.021', rate: '1' }, eligibility: { national: true } })).toEqual([['input.params.rate', 'UNKNOWN_PARAM']]);
    expect(await errors(CREATE_RULE, { code: 'FEE-1', kind: 'GUARANTEE_FEE_SUBSIDY', params: { ratioOfBenchmark: '0.5' }, eligibility: { regionPrefixes: ['123'] } })).toEqual([
      ['input.params.benchmarkCode', 'REQUIRED'], ['input.eligibility.regionPrefixes.0', 'INVALID_REGION_PREFIX'],
    ]);
    expect(await errors(CREATE_RULE, { code: 'TF-1', kind: 'TURNOVER_FUND_SUBSIDY', params: { ratio: '0.0031234' }, eligibility: { national: true } })).toEqual([['input.params.ratio', 'TOO_MANY_DECIMAL_PLACES']]);
    expect(await rowCount(app, 'policy_rule')).toBe(before);
  });

  it('issue 17 §1: a rule states its regions or is marked national; one with neither, or both, is refused and writes nothing', async () => {
    const before = await rowCount(app, 'policy_rule');
    const fee = { code: 'FEE-REGION', kind: 'GUARANTEE_FEE_SUBSIDY', params: { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' } };
    expect(await errors(CREATE_RULE, fee)).toEqual([['input.eligibility.regionPrefixes', 'REGION_REQUIRED']]);
    expect(await errors(CREATE_RULE, { ...fee, eligibility: { sectorTags: ['EMERGING'], regionPrefixes: [] } })).toEqual([['input.eligibility.regionPrefixes', 'REGION_REQUIRED']]);
    expect(await errors(CREATE_RULE, { ...fee, eligibility: { regionPrefixes: ['3702'], national: true } })).toEqual([['input.eligibility.national', 'NATIONAL_WITH_REGIONS']]);
    const pool = await mutate(app, authority, CREATE_POOL, { name: '地区池', capacity: '1000000' });
    expect(await errors(CREATE_RULE, { code: 'RC-REGION', kind: 'RISK_COMPENSATION', poolId: pool.id, params: { commitmentRatio: '0.05', lossShare: '1' } })).toEqual([['input.eligibility.regionPrefixes', 'REGION_REQUIRED']]);
    expect(await rowCount(app, 'policy_rule')).toBe(before);
    const en = await app.gql(CREATE_RULE, { input: fee }, { token: authority, lang: 'en' });
    expect(en.data.createPolicyRule.userErrors[0].message).toMatch(/regions|national/);
    const regional = await mutate(app, authority, CREATE_RULE, { ...fee, eligibility: { regionPrefixes: ['3702'] } });
    const national = await mutate(app, authority, CREATE_RULE, { ...fee, code: 'FEE-NATIONAL', eligibility: { national: true } });
    const read = await app.gql(`{ policyRules(kind: GUARANTEE_FEE_SUBSIDY) { code eligibility { regionPrefixes national } } }`, {}, { token: authority });
    expect(read.data.policyRules.filter((r: { code: string }) => [regional.code, national.code].includes(r.code))).toEqual([
      { code: 'FEE-NATIONAL', eligibility: { regionPrefixes: [], national: true } },
      { code: 'FEE-REGION', eligibility: { regionPrefixes: ['3702'], national: false } },
    ]);
  });

  it('makes the next version for an existing code, keeps the earlier one, and refuses a change of kind', async () => {
    const pool = await mutate(app, authority, CREATE_POOL, { name: '版本池', capacity: '1000000' });
    const v1 = await mutate(app, authority, CREATE_RULE, { code: 'RC-V', kind: 'RISK_COMPENSATION', poolId: pool.id, params: { commitmentRatio: '0.05', lossShare: '1' }, eligibility: { national: true } });
    const v2 = await mutate(app, authority, CREATE_RULE, { code: 'RC-V', kind: 'RISK_COMPENSATION', poolId: pool.id, params: { commitmentRatio: '0.08', lossShare: '1' }, eligibility: { national: true } });
    expect([v1.ruleVersion, v2.ruleVersion, v2.latest]).toEqual(['RC-V@v1', 'RC-V@v2', true]);
    const history = await app.gql(`{ policyRules(history: true) { code version latest params } }`, {}, { token: authority });
    expect(history.data.policyRules.filter((r: { code: string }) => r.code === 'RC-V')).toEqual([
      { code: 'RC-V', version: 2, latest: true, params: { commitmentRatio: '0.08', lossShare: '1' } },
      { code: 'RC-V', version: 1, latest: false, params: { commitmentRatio: '0.05', lossShare: '1' } },
    ]);
    expect(await errors(CREATE_RULE, { code: 'RC-V', kind: 'LEASING_SUBSIDY', params: { ratio: '0.02' }, eligibility: { national: true } })).toEqual([['input.kind', 'RULE_KIND_CHANGED']]);
  });

  it('numbers versions added at once one after another', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      mutate(app, authority, CREATE_RULE, { code: 'RACE', kind: 'INTEREST_SUBSIDY', params: { ratio: `0.${i + 1}` }, eligibility: { national: true } })));
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM policy_rule WHERE code = 'RACE' AND latest`);
    expect(n).toBe(1);
  });

  it('is for authorities and admins only', async () => {
    const res = await app.gql(CREATE_RULE, { input: { code: 'X', kind: 'LEASING_SUBSIDY', params: { ratio: '0.02' } } }, { token: staff(app).analyst });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
