/**
 * Issue 17 §3 (docs/AUTHORITIES.md RV1): an AUTHORITY token carrying a region sees and acts within it
 * only — for the actions that used to ignore it: recording a firm's qualifications, deciding and listing
 * claims on firms (认领), importing credit records, setting and listing targets; and the national figures
 * (the PBOC benchmark, risk-sharing rules) a regional authority does not set. A Qingdao authority
 * (370200) acts on a Qingdao firm (allowed) and a Beijing firm (refused, nothing written); a national
 * authority's behaviour is unchanged.
 */
import { uuidOf } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/harness';
import { daysFromToday, IMPORT_CREDIT, newCreditCode, registeredEnterprise, rowCount, SET_QUALIFICATIONS, staff } from './fixtures';
import { CREATE_SHARING, mutate, payloadOf, SET_BENCHMARK } from './policy-fixtures';

const CLAIM_FIELDS = 'id status claimant enterprise { creditCode }';
const CONFIRM = `mutation($input: ConfirmEnterpriseClaimInput!) { confirmEnterpriseClaim(input: $input) { claim { ${CLAIM_FIELDS} } userErrors { field code params } } }`;
const RESOLVE = `mutation($input: ResolveEnterpriseClaimInput!) { resolveEnterpriseClaim(input: $input) { claim { ${CLAIM_FIELDS} } userErrors { field code params } } }`;
const CLAIMS = `query($filter: EnterpriseClaimFilter) { enterpriseClaims(filter: $filter, first: 100) { totalCount edges { node { ${CLAIM_FIELDS} } } } }`;
const CLAIM_EVENTS = `query($filter: EnterpriseClaimEventFilter) { enterpriseClaimEvents(filter: $filter, first: 100) { edges { node { id action enterprise { creditCode } } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id } }`;
const FIRM_CLAIM = `query($code: String!) { enterprise(creditCode: $code) { claimStatus claim { id status } } }`;
const VIEWER_CLAIM = `{ viewer { claim { id } } }`;
const SET_TARGET = `mutation($input: SetTargetInput!) { setTarget(input: $input) { target { id name regionPrefix } userErrors { field code params } } }`;
const TARGETS = `{ stats { targets { target { id name regionPrefix } } } }`;

let app: TestApp;
/** A regional authority of Qingdao, a national one, an admin. */
let qingdao: string;
let national: string;
let admin: string;

beforeAll(async () => {
  app = await startTestApp();
  qingdao = app.token({ sub: 'authority-qd-ar', role: 'AUTHORITY', regionCode: '370200' });
  national = staff(app).authority;
  admin = staff(app).admin;
});
afterAll(() => app?.close());

/** A firm registered in `region` with a plain token: its claim is PENDING (an authority confirms it). */
const firmIn = async (region: string, codeRegion = region) => {
  const firm = await registeredEnterprise(app, { creditCode: newCreditCode(codeRegion), regionCode: region }, { verified: false });
  const res = await app.gql(VIEWER_CLAIM, {}, { token: firm.token });
  return { ...firm, code: firm.enterprise.creditCode as string, claimId: res.data.viewer.claim.id as string };
};
const errorsOf = (payload: any) => payload.userErrors.map((e: any) => [e.field.join('.'), e.code, e.params?.region]);
const idOf = async (code: string) => (await app.dataSource.query('SELECT id FROM enterprise WHERE credit_code = $1', [code]))[0].id as string;
const authorityQualifications = async (code: string) =>
  (await app.dataSource.query(`SELECT code FROM enterprise_qualification WHERE enterprise_id = $1 AND source = 'AUTHORITY' ORDER BY code`, [await idOf(code)])).map((r: any) => r.code);
const claimRow = async (claimId: string) => {
  const id = uuidOf(claimId, 'EnterpriseClaim');
  const [row] = await app.dataSource.query('SELECT status, decided_by FROM enterprise_claim WHERE id = $1', [id]);
  const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM enterprise_claim_event WHERE claim_id = $1', [id]);
  return { ...row, events: n };
};

describe('setEnterpriseQualifications', () => {
  it('a Qingdao authority records them for a Qingdao firm; for a Beijing firm it is refused and nothing is written; a national one records both', async () => {
    const qd = await firmIn('370212');
    const bj = await firmIn('110108');
    const input = { sectorTags: ['EMERGING'], qualifications: [{ code: 'HIGH_TECH' }] };

    const allowed = await payloadOf(app, qingdao, SET_QUALIFICATIONS, { creditCode: qd.code, ...input });
    expect(allowed.userErrors).toEqual([]);
    expect(allowed.enterprise.sectorTags).toEqual(['EMERGING']);
    expect(await authorityQualifications(qd.code)).toEqual(['HIGH_TECH']);

    const refused = await payloadOf(app, qingdao, SET_QUALIFICATIONS, { creditCode: bj.code, ...input });
    expect(errorsOf(refused)).toEqual([['input.creditCode', 'OUTSIDE_AUTHORITY_REGION', '3702']]);
    expect(refused.enterprise).toBeNull();
    expect(await authorityQualifications(bj.code)).toEqual([]);
    const [{ sector_tags: tags }] = await app.dataSource.query('SELECT sector_tags FROM enterprise WHERE credit_code = $1', [bj.code]);
    expect(tags).toEqual([]);

    const nationally = await payloadOf(app, national, SET_QUALIFICATIONS, { creditCode: bj.code, ...input });
    expect(nationally.userErrors).toEqual([]);
    expect(await authorityQualifications(bj.code)).toEqual(['HIGH_TECH']);
  });
});

describe('claims on firms (认领)', () => {
  it('a Qingdao authority lists, reads and decides its region\'s claims only; another region\'s are not listed, node answers null, deciding is refused with nothing written', async () => {
    const qd = await firmIn('370212');
    const bj = await firmIn('110108');
    const bj2 = await firmIn('110108');

    // The queue and the audit: Qingdao's claims only; a national authority and an admin see both.
    const listed = async (token: string) => (await app.gql(CLAIMS, { filter: { status: ['PENDING'] } }, { token })).data.enterpriseClaims.edges.map((e: any) => e.node.id);
    expect(await listed(qingdao)).toContain(qd.claimId);
    expect(await listed(qingdao)).not.toContain(bj.claimId);
    expect(await listed(national)).toEqual(expect.arrayContaining([qd.claimId, bj.claimId]));
    expect(await listed(admin)).toEqual(expect.arrayContaining([qd.claimId, bj.claimId]));
    const byCode = await app.gql(CLAIMS, { filter: { creditCode: bj.code } }, { token: qingdao });
    expect(byCode.data.enterpriseClaims).toMatchObject({ totalCount: 0, edges: [] });
    const audited = async (token: string) =>
      (await app.gql(CLAIM_EVENTS, {}, { token })).data.enterpriseClaimEvents.edges.map((e: any) => e.node.enterprise.creditCode);
    expect(await audited(qingdao)).toContain(qd.code);
    expect(await audited(qingdao)).not.toContain(bj.code);
    expect(await audited(national)).toEqual(expect.arrayContaining([qd.code, bj.code]));

    // Reads by id and through the firm: null outside the region, as for a subsidy claim.
    expect((await app.gql(NODE, { id: qd.claimId }, { token: qingdao })).data.node).toEqual({ id: qd.claimId });
    expect((await app.gql(NODE, { id: bj.claimId }, { token: qingdao })).data.node).toBeNull();
    expect((await app.gql(NODE, { id: bj.claimId }, { token: national })).data.node).toEqual({ id: bj.claimId });
    const bjEvent = (await app.gql(CLAIM_EVENTS, { filter: { creditCode: bj.code } }, { token: national })).data.enterpriseClaimEvents.edges[0].node.id;
    expect((await app.gql(NODE, { id: bjEvent }, { token: qingdao })).data.node).toBeNull();
    expect((await app.gql(NODE, { id: bjEvent }, { token: national })).data.node).toEqual({ id: bjEvent });
    expect((await app.gql(FIRM_CLAIM, { code: bj.code }, { token: qingdao })).data.enterprise).toEqual({ claimStatus: 'PENDING', claim: null });
    expect((await app.gql(FIRM_CLAIM, { code: bj.code }, { token: national })).data.enterprise.claim).toEqual({ id: bj.claimId, status: 'PENDING' });

    // Deciding another region's claim: refused, the claim and its audit untouched.
    const before = await claimRow(bj.claimId);
    const confirm = await payloadOf(app, qingdao, CONFIRM, { claimId: bj.claimId });
    expect(errorsOf(confirm)).toEqual([['input.claimId', 'OUTSIDE_AUTHORITY_REGION', '3702']]);
    const reject = await payloadOf(app, qingdao, RESOLVE, { claimId: bj.claimId, decision: 'REJECT', note: '不是本辖区' });
    expect(errorsOf(reject)).toEqual([['input.claimId', 'OUTSIDE_AUTHORITY_REGION', '3702']]);
    expect(await claimRow(bj.claimId)).toEqual(before);
    expect(before).toMatchObject({ status: 'PENDING', decided_by: null });

    // Its own region's: decided.
    expect(await mutate(app, qingdao, CONFIRM, { claimId: qd.claimId })).toMatchObject({ id: qd.claimId, status: 'VERIFIED' });
    expect(await claimRow(qd.claimId)).toMatchObject({ status: 'VERIFIED', decided_by: 'authority-qd-ar' });

    // A national authority decides any region's, as before.
    expect(await mutate(app, national, CONFIRM, { claimId: bj.claimId })).toMatchObject({ status: 'VERIFIED' });
    expect(await mutate(app, national, RESOLVE, { claimId: bj2.claimId, decision: 'REJECT', note: '材料不符' })).toMatchObject({ status: 'REJECTED' });
  });
});

describe('importCreditRecords', () => {
  const asOf = daysFromToday(-3);
  const record = (creditCode: string) => ({ creditCode, rating: 'AA', taxGrade: 'A', overdueCount12m: 0 });
  const recordsOf = async (code: string) => (await app.dataSource.query(
    'SELECT r.source FROM credit_record r JOIN enterprise e ON e.id = r.enterprise_id WHERE e.credit_code = $1', [code])).map((r: any) => r.source);

  it('a Qingdao authority imports its region\'s firms — by the registered region, else the credit code\'s division — and a batch with one firm outside is refused whole', async () => {
    const qd = await firmIn('370212');
    const bj = await firmIn('110108');
    // Registered in Qingdao although its code was issued in Beijing (the registration counts), and the reverse.
    const movedIn = await firmIn('370203', '110105');
    const movedOut = await firmIn('110105', '370203');
    const unknownQd = newCreditCode('370211');
    const unknownBj = newCreditCode('110101');
    const unknownNoRegion = newCreditCode('100000');

    const imports = await rowCount(app, 'credit_import');
    const enterprises = await rowCount(app, 'enterprise');
    const refused = await payloadOf(app, qingdao, IMPORT_CREDIT, {
      source: 'QD-BUREAU', asOf, records: [qd.code, bj.code, movedIn.code, movedOut.code, unknownQd, unknownBj, unknownNoRegion].map(record),
    });
    expect(refused).toMatchObject({ imported: 0, skipped: 0 });
    expect(errorsOf(refused)).toEqual([
      ['input.records.1.creditCode', 'OUTSIDE_AUTHORITY_REGION', '3702'],
      ['input.records.3.creditCode', 'OUTSIDE_AUTHORITY_REGION', '3702'],
      ['input.records.5.creditCode', 'OUTSIDE_AUTHORITY_REGION', '3702'],
      ['input.records.6.creditCode', 'OUTSIDE_AUTHORITY_REGION', '3702'],
    ]);
    expect(await rowCount(app, 'credit_import')).toBe(imports);
    expect(await rowCount(app, 'enterprise')).toBe(enterprises);
    expect(await recordsOf(qd.code)).toEqual([]);
    expect(await recordsOf(bj.code)).toEqual([]);

    const allowed = await payloadOf(app, qingdao, IMPORT_CREDIT, { source: 'QD-BUREAU', asOf, records: [qd.code, movedIn.code, unknownQd].map(record) });
    expect(allowed).toMatchObject({ imported: 3, skipped: 0, userErrors: [] });
    expect(await recordsOf(qd.code)).toEqual(['QD-BUREAU']);
    expect(await recordsOf(movedIn.code)).toEqual(['QD-BUREAU']);
    const [created] = await app.dataSource.query('SELECT region_code FROM enterprise WHERE credit_code = $1', [unknownQd]);
    expect(created.region_code).toBe('370211');

    // A national authority imports any region's, unknown codes included, as before.
    const nationally = await payloadOf(app, national, IMPORT_CREDIT, { source: 'PBOC', asOf, records: [bj.code, movedOut.code, unknownBj, unknownNoRegion].map(record) });
    expect(nationally).toMatchObject({ imported: 4, skipped: 0, userErrors: [] });
    expect(await recordsOf(bj.code)).toEqual(['PBOC']);
  });
});

describe('setTarget and the targets listed', () => {
  const window = { metric: 'NEW_FIRMS_POSTING_NEEDS', value: '100', startsOn: '2025-01-01', deadline: '2030-12-31' };

  it('a Qingdao authority\'s target defaults to its region, may name a district in it, not another region; it lists its region\'s targets only', async () => {
    const own = await mutate(app, qingdao, SET_TARGET, { ...window, name: '青岛 新增发布需求企业' });
    expect(own).toMatchObject({ regionPrefix: '3702' });
    const district = await mutate(app, qingdao, SET_TARGET, { ...window, name: '崂山区 新增发布需求企业', regionPrefix: '370212' });
    expect(district).toMatchObject({ regionPrefix: '370212' });

    const targets = await rowCount(app, 'authority_target');
    const outside = await payloadOf(app, qingdao, SET_TARGET, { ...window, name: '北京 新增发布需求企业', regionPrefix: '11' });
    expect(errorsOf(outside)).toEqual([['input.regionPrefix', 'OUTSIDE_AUTHORITY_REGION', '3702']]);
    expect(outside.target).toBeNull();
    const province = await payloadOf(app, qingdao, SET_TARGET, { ...window, name: '山东 新增发布需求企业', regionPrefix: '37' });
    expect(errorsOf(province)).toEqual([['input.regionPrefix', 'OUTSIDE_AUTHORITY_REGION', '3702']]);
    expect(await rowCount(app, 'authority_target')).toBe(targets);

    // A national authority's target is national when it names none, and may name any region.
    const countrywide = await mutate(app, national, SET_TARGET, { ...window, name: '全国 新增发布需求企业' });
    expect(countrywide).toMatchObject({ regionPrefix: null });
    const beijing = await mutate(app, national, SET_TARGET, { ...window, name: '北京 新增发布需求企业', regionPrefix: '11' });
    expect(beijing).toMatchObject({ regionPrefix: '11' });

    const listed = async (token: string) => (await app.gql(TARGETS, {}, { token })).data.stats.targets.map((t: any) => t.target.id);
    expect(await listed(qingdao)).toEqual(expect.arrayContaining([own.id, district.id]));
    expect(await listed(qingdao)).not.toContain(countrywide.id);
    expect(await listed(qingdao)).not.toContain(beijing.id);
    expect(await listed(national)).toEqual(expect.arrayContaining([own.id, district.id, countrywide.id, beijing.id]));
    expect((await app.gql(NODE, { id: beijing.id }, { token: qingdao })).data.node).toBeNull();
    expect((await app.gql(NODE, { id: own.id }, { token: qingdao })).data.node).toEqual({ id: own.id });
    expect((await app.gql(NODE, { id: beijing.id }, { token: national })).data.node).toEqual({ id: beijing.id });
  });
});

describe('national figures: the benchmark rate and risk-sharing rules', () => {
  it('a regional authority is refused (NATIONAL_AUTHORITY_ONLY, nothing written); a national authority and an admin set them as before', async () => {
    const rate = { code: 'PBOC_AR_TEST', rate: '0.0345', effectiveFrom: '2031-01-01' };
    const rates = await rowCount(app, 'benchmark_rate');
    const refusedRate = await payloadOf(app, qingdao, SET_BENCHMARK, rate);
    expect(errorsOf(refusedRate)).toEqual([['input', 'NATIONAL_AUTHORITY_ONLY', '3702']]);
    expect(await rowCount(app, 'benchmark_rate')).toBe(rates);
    expect(await mutate(app, national, SET_BENCHMARK, rate)).toMatchObject({ code: 'PBOC_AR_TEST', rate: '0.0345' });
    expect(await mutate(app, admin, SET_BENCHMARK, { ...rate, effectiveFrom: '2032-01-01' })).toMatchObject({ code: 'PBOC_AR_TEST' });

    const shares = [{ party: 'GUARANTOR', share: '0.4' }, { party: 'RE_GUARANTOR', share: '0.3' }, { party: 'BANK', share: '0.2' }, { party: 'LOCAL_GOVERNMENT', share: '0.1' }];
    const rules = await rowCount(app, 'risk_sharing_rule');
    const refusedRule = await payloadOf(app, qingdao, CREATE_SHARING, { name: '青岛 4321', shares });
    expect(errorsOf(refusedRule)).toEqual([['input', 'NATIONAL_AUTHORITY_ONLY', '3702']]);
    expect(await rowCount(app, 'risk_sharing_rule')).toBe(rules);
    expect(await mutate(app, national, CREATE_SHARING, { name: '青岛 4321', shares })).toMatchObject({ name: '青岛 4321', coverageRatio: '0.80' });
  });

  it('the refusal speaks both languages', async () => {
    const input = { code: 'PBOC_AR_TEST', rate: '0.04', effectiveFrom: '2033-01-01' };
    const zh = await app.gql(SET_BENCHMARK, { input }, { token: qingdao });
    expect(zh.data.setBenchmarkRate.userErrors[0].message).toContain('全国主管部门');
    const en = await app.gql(SET_BENCHMARK, { input }, { token: qingdao, lang: 'en' });
    expect(en.data.setBenchmarkRate.userErrors[0].message).toContain('a national authority or an admin sets it');
  });
});
