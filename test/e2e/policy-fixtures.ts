/** Documents and a small market (bank, guarantor, pool, rules) for the matching tests. */
import { TestApp } from '../support/harness';
import { createInstitution, CREATE_PRODUCT, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff, USER_ERRORS } from './fixtures';

export const SET_BENCHMARK = `mutation($input: SetBenchmarkRateInput!) { setBenchmarkRate(input: $input) { benchmarkRate { code rate effectiveFrom } ${USER_ERRORS} } }`;
export const CREATE_SHARING = `mutation($input: CreateRiskSharingRuleInput!) { createRiskSharingRule(input: $input) { rule { id name coverageRatio shares { party share } } ${USER_ERRORS} } }`;
export const CREATE_AGREEMENT = `mutation($input: CreateCooperationAgreementInput!) { createCooperationAgreement(input: $input) { agreement { id feeRate bank { id } guarantor { id } riskSharingRule { name } } ${USER_ERRORS} } }`;
export const CREATE_POOL = `mutation($input: CreateRiskCompensationPoolInput!) { createRiskCompensationPool(input: $input) { pool { id name capacity reserved paid available } ${USER_ERRORS} } }`;
export const CREATE_RULE = `mutation($input: CreatePolicyRuleInput!) { createPolicyRule(input: $input) { rule { id code version latest kind params ruleVersion effectiveFrom pool { id } eligibility { productKinds sectorTags } } ${USER_ERRORS} } }`;
export const UPDATE_GUARANTOR = `mutation($input: UpdateGuarantorProfileInput!) { updateGuarantorProfile(input: $input) { institution { id guarantee { netAssets remainingCapacity } } ${USER_ERRORS} } }`;

export const TERMS = 'indicativeAnnualRate riskCompensationReserve riskCompensationPool { name } bankNetExposure allInAnnualCostRate policyRuleVersions guarantee { guarantor { name } coverageRatio feeRate guaranteedAmount } subsidies { kind payee payeeId amount ruleVersion }';
export const MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { status matches(first: 50) { totalCount edges { node { id rank score status eligible product { id name } terms { ${TERMS} } } } } } } }`;
export const EXPLAIN = `query($need: ID!, $product: ID!) { explainMatch(needId: $need, productId: $product) { eligible checks { code passed detail } terms { ${TERMS} } } }`;

/** Runs a mutation and returns its whole payload, userErrors included; throws on a GraphQL error. */
export async function payloadOf(app: TestApp, token: string, document: string, input: Record<string, unknown>): Promise<any> {
  const res = await app.gql(document, { input }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data)[0];
}

/** Runs a mutation and returns its whole payload; throws on any error, userErrors included. */
export async function okPayloadOf(app: TestApp, token: string, document: string, input: Record<string, unknown>): Promise<any> {
  const payload = await payloadOf(app, token, document, input);
  if (payload.userErrors.length) throw new Error(JSON.stringify(payload.userErrors));
  return payload;
}

/** Runs a mutation and returns its payload's result field; throws on any error. */
export async function mutate(app: TestApp, token: string, document: string, input: Record<string, unknown>): Promise<any> {
  const payload: Record<string, unknown> = await okPayloadOf(app, token, document, input);
  return Object.entries(payload).find(([k]) => k !== 'userErrors')![1];
}

export interface Market {
  bank: { id: string; name: string };
  bankToken: string;
  guarantor: { id: string; name: string };
  pool: { id: string };
  creditLoan: { id: string };
  guaranteedLoan: { id: string };
}

/**
 * A bank with a credit loan (Qingdao pool rule for EMERGING firms, E4) and a guaranteed loan through a
 * guarantor at fee 0.010 under Anhui 4321 (coverage 0.8), with the fee and risk subsidies of E5.
 */
export async function setUpMarket(app: TestApp, name = 'M'): Promise<Market> {
  const { authority } = staff(app);
  await mutate(app, authority, SET_BENCHMARK, { code: 'PBOC_1Y', rate: '0.0435', effectiveFrom: '2015-10-24' });
  const rule = await mutate(app, authority, CREATE_SHARING, {
    name: `安徽4321 ${name}`,
    shares: [{ party: 'GUARANTOR', share: '0.40' }, { party: 'RE_GUARANTOR', share: '0.30' }, { party: 'BANK', share: '0.20' }, { party: 'LOCAL_GOVERNMENT', share: '0.10' }],
  });
  const bank = await createInstitution(app, authority, { kind: 'BANK', name: `银行 ${name}`, regionCode: '370200' });
  const guarantor = await createInstitution(app, authority, { kind: 'GUARANTOR', name: `担保 ${name}`, guarantee: { netAssets: '2000000000', feeRate: '0.010', targetMultiple: '5' } });
  await mutate(app, authority, CREATE_AGREEMENT, { bankId: bank.id, guarantorId: guarantor.id, riskSharingRuleId: rule.id });
  const pool = await mutate(app, authority, CREATE_POOL, { name: `青岛风险补偿 ${name}`, funder: '青岛市财政', capacity: '300000000', source: '青政发〔2012〕46号 (27)' });
  await mutate(app, authority, CREATE_RULE, {
    code: `QD-RC-${name}`, kind: 'RISK_COMPENSATION', poolId: pool.id, params: { commitmentRatio: '0.05', lossShare: '1.0' },
    eligibility: { productKinds: ['CREDIT_LOAN'], sectorTags: ['BLUE_ECONOMY', 'HIGH_END', 'EMERGING'], national: true },
  });
  await mutate(app, authority, CREATE_RULE, { code: `FEE-${name}`, kind: 'GUARANTEE_FEE_SUBSIDY', params: { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }, eligibility: { national: true } });
  await mutate(app, authority, CREATE_RULE, { code: `RISK-${name}`, kind: 'GUARANTEE_RISK_SUBSIDY', params: { ratio: '0.015' }, eligibility: { national: true } });
  const creditLoan = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: bank.id, name: `信用贷 ${name}`, kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '20000000',
    minTermMonths: 6, maxTermMonths: 36, minAnnualRate: '0.0385', maxAnnualRate: '0.06', eligibility: { minRating: 'A' },
  });
  const guaranteedLoan = await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: bank.id, name: `担保贷 ${name}`, kind: 'GUARANTEED_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '5000000',
    minTermMonths: 6, maxTermMonths: 36, minAnnualRate: '0.045', requiresGuarantee: true,
  });
  const bankToken = app.token({ sub: `bank-${name}`, role: 'BANK', institutionId: bank.id });
  return { bank, bankToken, guarantor, pool, creditLoan, guaranteedLoan };
}

/** A small Qingdao firm (50 people, revenue 10,000,000) rated AA with tax grade A: one the market's products match. */
export async function ratedFirm(app: TestApp, overrides: Record<string, unknown> = {}, options: Parameters<typeof registeredEnterprise>[2] = {}) {
  const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00', ...overrides }, options);
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
  return firm;
}

const STEP_MATCH = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const APPLY_MATCH = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const NEED_PRODUCT_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;

/**
 * A loan as the API makes one: a rated EMERGING Qingdao firm (`ratedFirm`) posts a need of `amount` for
 * `termMonths`, the bank of `market` contacts its match with `productId`, the firm applies, the bank
 * approves and disburses through `outcome` (the caller's recordLoanOutcome document, selecting what it
 * reads of the loan) with `disbursal`'s further fields. `firm` overrides the firm's registration (its region, say).
 */
export async function disbursedLoan(app: TestApp, market: Pick<Market, 'bankToken'>, o: {
  productId: string; amount: string; outcome: string; termMonths?: number; disbursal?: Record<string, unknown>; firm?: Record<string, unknown>;
}) {
  const firm = await ratedFirm(app, o.firm ?? {}, { attested: { sectorTags: ['EMERGING'] } });
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: o.amount, termMonths: o.termMonths ?? 12 });
  const res = await app.gql(NEED_PRODUCT_MATCHES, { id: need.id }, { token: firm.token });
  const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === o.productId)?.node.id;
  if (!matchId) throw new Error('no match for the product');
  await okPayloadOf(app, market.bankToken, STEP_MATCH, { matchId, action: 'CONTACT' });
  await okPayloadOf(app, firm.token, APPLY_MATCH, { matchId });
  await okPayloadOf(app, market.bankToken, o.outcome, { matchId, outcome: 'APPROVED' });
  const { loan } = await okPayloadOf(app, market.bankToken, o.outcome, { matchId, outcome: 'DISBURSED', principal: o.amount, ...o.disbursal });
  return { firm, loan };
}

/** Polls `probe` until it returns true or `ms` pass; returns how long it took. */
export async function eventually(probe: () => Promise<boolean>, ms = 5000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
