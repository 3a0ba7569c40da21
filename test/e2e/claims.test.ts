/**
 * Issue 11 §6 — a firm is who it says it is. A claim on a credit code is VERIFIED by the token's verified
 * credit-code claim or by an authority; until then the claimant reads nothing of the firm's credit file,
 * cannot change a whitelisted firm's registered facts, and its needs are not proposed to banks. The real
 * owner contests, an authority resolves, every step is audited. Tags and qualifications that unlock
 * products or public money count only when an authority recorded them.
 */
import { startTestApp, TestApp } from '../support/harness';
import {
  attest, CREATE_PRODUCT, daysFromToday, ENTERPRISE_FIELDS, enterpriseToken, GRANT_CONSENT, IMPORT_CREDIT, newCreditCode, POST_NEED, publishBatch,
  QUALIFICATION_STATUS, REGISTER, registeredEnterprise, staff, USER_ERRORS,
} from './fixtures';
import { MATCHES, Market, mutate, setUpMarket } from './policy-fixtures';

let app: TestApp;
let market: Market;
let authority: string;

beforeAll(async () => {
  app = await startTestApp();
  authority = staff(app).authority;
  market = await setUpMarket(app, 'CL');
});
afterAll(() => app.close());

const CLAIM_FIELDS = 'id status evidence note claimant enterprise { creditCode }';
const VIEWER = `{ viewer { enterprise { creditCode name claimStatus claim { status evidence } contact { phone } } claim { ${CLAIM_FIELDS} } } }`;
const FIRM = `query($code: String!) { enterprise(creditCode: $code) { name claimStatus creditProfile { rating taxGrade detailVisible history { rating } } } }`;
const UPDATE = `mutation($input: UpdateEnterpriseProfileInput!) { updateEnterpriseProfile(input: $input) { enterprise { ${ENTERPRISE_FIELDS} } ${USER_ERRORS} } }`;
const CONTEST = `mutation($input: ContestEnterpriseClaimInput!) { contestEnterpriseClaim(input: $input) { claim { ${CLAIM_FIELDS} } ${USER_ERRORS} } }`;
const CONFIRM = `mutation($input: ConfirmEnterpriseClaimInput!) { confirmEnterpriseClaim(input: $input) { claim { ${CLAIM_FIELDS} } ${USER_ERRORS} } }`;
const RESOLVE = `mutation($input: ResolveEnterpriseClaimInput!) { resolveEnterpriseClaim(input: $input) { claim { ${CLAIM_FIELDS} } ${USER_ERRORS} } }`;
const CLAIMS = `query($filter: EnterpriseClaimFilter) { enterpriseClaims(filter: $filter, first: 50) { totalCount edges { node { ${CLAIM_FIELDS} events { action fromStatus toStatus actorSub actorRole } } } } }`;
const EVENTS = `query($filter: EnterpriseClaimEventFilter) { enterpriseClaimEvents(filter: $filter, first: 50) { edges { node { action fromStatus toStatus actorSub actorRole note claim { claimant } } } } }`;
const INBOX = `{ inbox(first: 100) { edges { node { need { id } } } } }`;

let serial = 0;
const listedFirm = async (region = '370212') => {
  serial += 1;
  const creditCode = newCreditCode(region);
  const name = `青岛认领测试有限公司 ${serial}`;
  await publishBatch(app, authority, '青岛市专精特新企业融资白名单', `CL-${serial}`, [{ creditCode, name, tier: 'SPECIALIZED_SME', validFrom: daysFromToday(-30), validTo: daysFromToday(700) }]);
  await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: daysFromToday(-5), records: [{ creditCode, rating: 'AA', taxGrade: 'A', overdueCount12m: 0 }] });
  return { creditCode, name, region };
};
const registration = (firm: { creditCode: string; name: string; region: string }, extra: Record<string, unknown> = {}) => ({
  creditCode: firm.creditCode, name: firm.name, sector: 'INDUSTRY', regionCode: firm.region, employees: 50, revenue: '10000000.00', ...extra,
});
const register = async (token: string, input: Record<string, unknown>) => (await app.gql(REGISTER, { input }, { token })).data.registerEnterprise;
const viewerOf = async (token: string) => (await app.gql(VIEWER, {}, { token })).data.viewer;
const claimIdOf = async (token: string) => (await viewerOf(token)).claim.id as string;
const matchesOf = async (needId: string, token: string) => (await app.gql(MATCHES, { id: needId }, { token })).data.node.matches.edges.map((e: any) => e.node);
const inboxNeeds = async () => (await app.gql(INBOX, {}, { token: market.bankToken })).data.inbox.edges.map((e: any) => e.node.need.id);

describe('registerEnterprise makes a claim', () => {
  it('is VERIFIED when the token carries the credit code as verified (TOKEN_CLAIM), PENDING with a plain token', async () => {
    const code = newCreditCode();
    const verified = enterpriseToken(app, 'cl-verified', code);
    expect((await register(verified, registration({ creditCode: code, name: '核验企业', region: '110108' }))).userErrors).toEqual([]);
    expect(await viewerOf(verified)).toMatchObject({ enterprise: { creditCode: code, claimStatus: 'VERIFIED', claim: { status: 'VERIFIED', evidence: 'TOKEN_CLAIM' } } });

    const plain = enterpriseToken(app, 'cl-plain');
    const other = newCreditCode();
    expect((await register(plain, registration({ creditCode: other, name: '未核验企业', region: '110108' }))).userErrors).toEqual([]);
    expect(await viewerOf(plain)).toMatchObject({ enterprise: { creditCode: other, claimStatus: 'PENDING', claim: { status: 'PENDING', evidence: null } } });
  });

  it('refuses a code other than the one the token verified (CREDIT_CODE_NOT_VERIFIED), and a token whose verified code is not a credit code', async () => {
    const token = enterpriseToken(app, 'cl-mismatch', newCreditCode());
    const res = await register(token, registration({ creditCode: newCreditCode(), name: '别家企业', region: '110108' }));
    expect(res.userErrors).toMatchObject([{ field: ['input', 'creditCode'], code: 'CREDIT_CODE_NOT_VERIFIED' }]);
    const bad = app.token({ sub: 'cl-bad-claim', role: 'ENTERPRISE', creditCode: 'NOT-A-CODE', creditCodeVerified: true });
    expect((await app.gql(VIEWER, {}, { token: bad })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a holder whose claim is pending is verified when it registers again with a verified token (VERIFIED_BY_TOKEN)', async () => {
    const firm = await listedFirm();
    expect((await register(enterpriseToken(app, 'cl-later'), registration(firm))).userErrors).toEqual([]);
    expect((await register(enterpriseToken(app, 'cl-later', firm.creditCode), registration(firm))).userErrors).toEqual([]);
    expect((await viewerOf(enterpriseToken(app, 'cl-later'))).claim).toMatchObject({ status: 'VERIFIED', evidence: 'TOKEN_CLAIM' });
  });

  it('the real owner with a verified token displaces an unverified claimant (SUPERSEDED), whose needs are withdrawn', async () => {
    const firm = await listedFirm();
    const squatter = enterpriseToken(app, 'cl-squatter-1');
    expect((await register(squatter, registration(firm))).userErrors).toEqual([]);
    const need = await mutate(app, squatter, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });

    const owner = enterpriseToken(app, 'cl-owner-1', firm.creditCode);
    expect((await register(owner, registration(firm, { name: '青岛更名后有限公司' }))).userErrors).toEqual([]);
    expect(await viewerOf(owner)).toMatchObject({ enterprise: { name: '青岛更名后有限公司', claimStatus: 'VERIFIED' } });
    expect(await viewerOf(squatter)).toEqual({ enterprise: null, claim: null });
    const [row] = await app.dataSource.query(`SELECT status, status_reason FROM financing_need WHERE id = (SELECT id FROM financing_need WHERE posted_by = 'cl-squatter-1')`);
    expect(row).toEqual({ status: 'WITHDRAWN', status_reason: 'claim rejected' });
    expect(need.id).toBeDefined();
  });
});

describe('until its claim is verified, the claimant', () => {
  it('sees nothing of the firm\'s credit file, cannot consent for it, and sees it once an authority confirms', async () => {
    const firm = await listedFirm();
    const token = enterpriseToken(app, 'cl-reader');
    expect((await register(token, registration(firm))).userErrors).toEqual([]);

    const before = await app.gql(FIRM, { code: firm.creditCode }, { token });
    expect(before.data.enterprise).toEqual({ name: firm.name, claimStatus: 'PENDING', creditProfile: null });
    const log = await app.gql('{ creditAccessLog(first: 10) { totalCount } }', {}, { token });
    expect(log.data.creditAccessLog.totalCount).toBe(0);
    const consent = await app.gql(GRANT_CONSENT, { input: { institutionId: market.bank.id } }, { token });
    expect(consent.data.grantConsent.userErrors).toMatchObject([{ code: 'CLAIM_NOT_VERIFIED' }]);

    await mutate(app, authority, CONFIRM, { claimId: await claimIdOf(token), note: '核对营业执照原件' });
    const after = await app.gql(FIRM, { code: firm.creditCode }, { token });
    expect(after.data.enterprise).toMatchObject({ claimStatus: 'VERIFIED', creditProfile: { rating: 'AA', taxGrade: 'A', detailVisible: true, history: [{ rating: 'AA' }] } });
  });

  it('cannot rename a whitelisted firm or move its region, at registration or later; the bank\'s 资质查询 keeps the listed name', async () => {
    const firm = await listedFirm();
    const token = enterpriseToken(app, 'cl-renamer');
    const renamed = await register(token, registration(firm, { name: '冒名顶替有限公司', regionCode: '110108' }));
    expect(renamed.userErrors.map((e: any) => `${e.field.join('.')}:${e.code}`)).toEqual(['input.name:REGISTERED_FACT_LOCKED', 'input.regionCode:REGISTERED_FACT_LOCKED']);
    expect(await viewerOf(token)).toEqual({ enterprise: null, claim: null });

    expect((await register(token, registration(firm))).userErrors).toEqual([]);
    const update = await app.gql(UPDATE, { input: { name: '冒名顶替有限公司' } }, { token });
    expect(update.data.updateEnterpriseProfile.userErrors).toMatchObject([{ field: ['input', 'name'], code: 'REGISTERED_FACT_LOCKED' }]);
    const figures = await app.gql(UPDATE, { input: { employees: 60 } }, { token });
    expect(figures.data.updateEnterpriseProfile.userErrors).toEqual([]);
    const status = await app.gql(QUALIFICATION_STATUS, { code: firm.creditCode }, { token: market.bankToken });
    expect(status.data.qualificationStatus.enterpriseName).toBe(firm.name);
  });

  it('has its needs not proposed to banks; once an authority confirms the claim, the refresh proposes them (R13)', async () => {
    const firm = await listedFirm();
    const token = enterpriseToken(app, 'cl-poster');
    expect((await register(token, registration(firm))).userErrors).toEqual([]);
    const need = await mutate(app, token, POST_NEED, { kind: 'LOAN', amount: '6000000', termMonths: 12 });
    expect(need.status).toBe('OPEN');
    expect(await matchesOf(need.id, token)).toEqual([]);
    expect(await inboxNeeds()).not.toContain(need.id);

    await mutate(app, authority, CONFIRM, { claimId: await claimIdOf(token) });
    await app.settled();
    expect((await matchesOf(need.id, token)).map((m: any) => m.product.id)).toContain(market.creditLoan.id);
    expect(await inboxNeeds()).toContain(need.id);
  });
});

describe('the real owner contests; an authority resolves; every step is audited', () => {
  it('upholds the owner\'s contest: the squatter loses the firm and its needs, the owner holds it verified', async () => {
    const firm = await listedFirm();
    const squatter = enterpriseToken(app, 'cl-squatter-2');
    expect((await register(squatter, registration(firm, { contact: { phone: '0532-66666666' } }))).userErrors).toEqual([]);
    // The holder sees the contact it entered, verified or not.
    expect((await viewerOf(squatter)).enterprise.contact).toEqual({ phone: '0532-66666666' });
    const need = await mutate(app, squatter, POST_NEED, { kind: 'LOAN', amount: '5000000', termMonths: 12 });

    const owner = enterpriseToken(app, 'cl-owner-2');
    expect((await register(owner, registration(firm))).userErrors).toMatchObject([{ code: 'CREDIT_CODE_TAKEN' }]);
    const contest = await mutate(app, owner, CONTEST, { creditCode: firm.creditCode, reason: '本公司法定代表人未授权该账号' });
    expect(contest).toMatchObject({ status: 'CONTESTED', claimant: 'cl-owner-2', note: '本公司法定代表人未授权该账号' });
    expect((await viewerOf(squatter)).enterprise).toMatchObject({ claimStatus: 'CONTESTED' });

    const queue = await app.gql(CLAIMS, { filter: { status: ['CONTESTED'], creditCode: firm.creditCode } }, { token: authority });
    expect(queue.data.enterpriseClaims.edges.map((e: any) => e.node.claimant).sort()).toEqual(['cl-owner-2', 'cl-squatter-2']);

    const decided = await mutate(app, authority, RESOLVE, { claimId: contest.id, decision: 'VERIFY', note: '经营业执照核验' });
    expect(decided).toMatchObject({ status: 'VERIFIED', evidence: 'AUTHORITY_DECISION' });
    expect(await viewerOf(squatter)).toEqual({ enterprise: null, claim: null });
    // What the squatter said in the firm's name goes with it: a bank would otherwise call the squatter.
    expect((await viewerOf(owner)).enterprise).toMatchObject({ creditCode: firm.creditCode, claimStatus: 'VERIFIED', contact: { phone: null } });
    const [row] = await app.dataSource.query('SELECT status FROM financing_need WHERE id = (SELECT id FROM financing_need WHERE posted_by = $1)', ['cl-squatter-2']);
    expect(row.status).toBe('WITHDRAWN');
    expect(need.id).toBeDefined();

    const audit = await app.gql(EVENTS, { filter: { creditCode: firm.creditCode } }, { token: authority });
    const steps = audit.data.enterpriseClaimEvents.edges.map((e: any) => e.node).reverse()
      .map((e: any) => `${e.claim.claimant}:${e.action}:${e.fromStatus ?? '-'}>${e.toStatus}:${e.actorRole}:${e.actorSub}`);
    // Steps of one transaction share its time; the set, and the order between transactions, is what counts.
    expect(steps).toHaveLength(5);
    expect(steps[0]).toBe('cl-squatter-2:REGISTERED:->PENDING:ENTERPRISE:cl-squatter-2');
    expect(steps).toEqual(expect.arrayContaining([
      'cl-squatter-2:REGISTERED:->PENDING:ENTERPRISE:cl-squatter-2',
      'cl-squatter-2:CONTESTED:PENDING>CONTESTED:ENTERPRISE:cl-owner-2',
      'cl-owner-2:CONTEST_FILED:->CONTESTED:ENTERPRISE:cl-owner-2',
      'cl-squatter-2:REJECTED:CONTESTED>REJECTED:AUTHORITY:authority-1',
      'cl-owner-2:CONFIRMED:CONTESTED>VERIFIED:AUTHORITY:authority-1',
    ]));
    const bank = await app.gql(EVENTS, { filter: { creditCode: firm.creditCode } }, { token: market.bankToken });
    expect(bank.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('rejects a contest: the holder\'s claim is reinstated as it was (REINSTATED)', async () => {
    const firm = await listedFirm();
    const holder = enterpriseToken(app, 'cl-holder-3');
    expect((await register(holder, registration(firm))).userErrors).toEqual([]);
    const contest = await mutate(app, enterpriseToken(app, 'cl-troll-3'), CONTEST, { creditCode: firm.creditCode, reason: '我才是老板' });
    await mutate(app, authority, RESOLVE, { claimId: contest.id, decision: 'REJECT', note: '无证明材料' });
    expect((await viewerOf(holder)).claim).toMatchObject({ status: 'PENDING' });
    const claims = await app.gql(CLAIMS, { filter: { creditCode: firm.creditCode } }, { token: authority });
    const holderEvents = claims.data.enterpriseClaims.edges.map((e: any) => e.node).find((c: any) => c.claimant === 'cl-holder-3').events;
    expect(holderEvents.map((e: any) => e.action)).toEqual(['REGISTERED', 'CONTESTED', 'REINSTATED']);
  });

  it('a holder verified by its token cannot be contested by an unverified token (CLAIM_ALREADY_VERIFIED); nor can a firm nobody holds', async () => {
    const firm = await listedFirm();
    expect((await register(enterpriseToken(app, 'cl-holder-4', firm.creditCode), registration(firm))).userErrors).toEqual([]);
    const res = await app.gql(CONTEST, { input: { creditCode: firm.creditCode, reason: '冒领' } }, { token: enterpriseToken(app, 'cl-troll-4') });
    expect(res.data.contestEnterpriseClaim.userErrors).toMatchObject([{ code: 'CLAIM_ALREADY_VERIFIED' }]);
    const free = await listedFirm();
    const none = await app.gql(CONTEST, { input: { creditCode: free.creditCode, reason: '冒领' } }, { token: enterpriseToken(app, 'cl-troll-5') });
    expect(none.data.contestEnterpriseClaim.userErrors).toMatchObject([{ code: 'NOT_CLAIMED' }]);
  });

  it('a contest by a token verified for the same code takes a verified holder\'s needs out of banks\' inboxes until the authority upholds the holder (R13)', async () => {
    const firm = await listedFirm();
    const holder = enterpriseToken(app, 'cl-holder-6', firm.creditCode);
    expect((await register(holder, registration(firm))).userErrors).toEqual([]);
    const need = await mutate(app, holder, POST_NEED, { kind: 'LOAN', amount: '8000000', termMonths: 12 });
    expect(await inboxNeeds()).toContain(need.id);

    const contest = await mutate(app, enterpriseToken(app, 'cl-rival-6', firm.creditCode), CONTEST, { creditCode: firm.creditCode, reason: '执照核验结果不一致' });
    expect(contest).toMatchObject({ status: 'CONTESTED', evidence: 'TOKEN_CLAIM' });
    await app.settled();
    expect(await inboxNeeds()).not.toContain(need.id);
    expect(await matchesOf(need.id, holder)).toEqual([]);

    const holderClaim = await claimIdOf(holder);
    expect((await mutate(app, authority, RESOLVE, { claimId: holderClaim, decision: 'VERIFY', note: '现场核验' })).status).toBe('VERIFIED');
    await app.settled();
    expect(await inboxNeeds()).toContain(need.id);
    const rival = await app.gql(CLAIMS, { filter: { creditCode: firm.creditCode, status: ['REJECTED'] } }, { token: authority });
    expect(rival.data.enterpriseClaims.edges.map((e: any) => e.node.claimant)).toEqual(['cl-rival-6']);
  });

  it('a confirmation of a claim that is not PENDING is refused (CLAIM_NOT_DECIDABLE), and only authorities decide', async () => {
    const { token } = await registeredEnterprise(app);
    const id = await claimIdOf(token);
    const res = await app.gql(CONFIRM, { input: { claimId: id } }, { token: authority });
    expect(res.data.confirmEnterpriseClaim.userErrors).toMatchObject([{ code: 'CLAIM_NOT_DECIDABLE' }]);
    const forbidden = await app.gql(RESOLVE, { input: { claimId: id, decision: 'REJECT' } }, { token: staff(app).admin });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('qualifications and tags that unlock products or public money come from authorities', () => {
  it('declared ones are shown as declared and unlock nothing; the authority\'s record unlocks the pool and the product', async () => {
    const bankOnly = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '高企贷 CL', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '20000000',
      minTermMonths: 6, maxTermMonths: 36, minAnnualRate: '0.04', eligibility: { qualifications: ['HIGH_TECH'] },
    });
    const firm = await registeredEnterprise(app, {
      regionCode: '370212', employees: 50, revenue: '10000000.00', sectorTags: ['EMERGING'], qualifications: [{ code: 'HIGH_TECH', validFrom: daysFromToday(-100), validTo: daysFromToday(900) }],
    });
    expect(firm.enterprise).toMatchObject({ sectorTags: [], declaredSectorTags: ['EMERGING'], qualifications: [{ code: 'HIGH_TECH', source: 'DECLARED' }] });
    await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: daysFromToday(-5), records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA' }] });
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '10000000', termMonths: 12 });
    const declared = await matchesOf(need.id, firm.token);
    expect(declared.find((m: any) => m.product.id === market.creditLoan.id).terms.riskCompensationReserve).toBe('0.00');
    expect(declared.map((m: any) => m.product.id)).not.toContain(bankOnly.id);

    const attested = await attest(app, firm.enterprise.creditCode, { sectorTags: ['EMERGING'], qualifications: [{ code: 'HIGH_TECH', validFrom: daysFromToday(-100), validTo: daysFromToday(900) }] });
    expect(attested).toMatchObject({ sectorTags: ['EMERGING'], declaredSectorTags: ['EMERGING'] });
    expect(attested.qualifications.map((q: any) => q.source).sort()).toEqual(['AUTHORITY', 'DECLARED']);
    await app.settled();
    const recorded = await matchesOf(need.id, firm.token);
    expect(recorded.find((m: any) => m.product.id === market.creditLoan.id).terms.riskCompensationReserve).toBe('500000.00');
    expect(recorded.map((m: any) => m.product.id)).toContain(bankOnly.id);

    const denied = await app.gql(`mutation($input: SetEnterpriseQualificationsInput!) { setEnterpriseQualifications(input: $input) { ${USER_ERRORS} } }`, { input: { creditCode: firm.enterprise.creditCode, sectorTags: ['EMERGING'] } }, { token: firm.token });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
