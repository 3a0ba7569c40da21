/**
 * RV1 for whitelists (issue 17 §3, docs/AUTHORITIES.md): a regional AUTHORITY publishes batches of its
 * region's firms only and revokes their entries only; a firm's region is its registered region code,
 * else the division its credit code carries (characters 3–8). A bad entry refuses the whole batch (R4's
 * all or nothing) and nothing is written. The batch records the publishing authority's region. National
 * authorities and admins are unchanged, and reading stays open to every reader.
 */
import { uuidOf } from '../../src/common/ids';
import { withCheckCharacter } from '../../src/enterprises/credit-code';
import { startTestApp, TestApp } from '../support/harness';
import {
  daysFromToday, EntryDraft, entryIds, institutionWithToken, newCreditCode, PUBLISH_BATCH, publishBatch, registeredEnterprise, REVOKE_ENTRY, rowCount, staff, USER_ERRORS,
} from './fixtures';

/** PUBLISH_BATCH with the batch's region; the refusals use PUBLISH_BATCH, which old servers answer too. */
const PUBLISH_WITH_REGION = `mutation($input: PublishWhitelistBatchInput!) { publishWhitelistBatch(input: $input) { batch { batch entryCount source regionPrefix whitelist { id name } } ${USER_ERRORS} } }`;
const BATCHES = `query { whitelists { id name batches { batch entryCount regionPrefix } } }`;
const ENTERPRISE = `query($code: String!) { enterprise(creditCode: $code) { creditCode regionCode claimed whitelistEntries { batch tier } } }`;

let app: TestApp;
let national: string;
let admin: string;
/** Qingdao's authority (370200, the prefix 3702) and Beijing's (11). */
let qingdao: string;
let beijing: string;
let bank: string;
beforeAll(async () => {
  app = await startTestApp();
  ({ authority: national, admin } = staff(app));
  qingdao = app.token({ sub: 'authority-qd', role: 'AUTHORITY', regionCode: '370200' });
  beijing = app.token({ sub: 'authority-bj', role: 'AUTHORITY', regionCode: '11' });
  bank = (await institutionWithToken(app, 'BANK', '白名单辖区测试银行')).token;
});
afterAll(async () => {
  await app?.close();
});

const LATER = daysFromToday(700);
const entry = (creditCode: string, name = '青岛某某精密制造有限公司'): EntryDraft => ({ creditCode, name, tier: 'SPECIALIZED_SME', validFrom: '2024-01-01', validTo: LATER });
const WRITTEN_BY_PUBLISH = ['whitelist', 'whitelist_batch', 'whitelist_entry', 'enterprise'];
const counts = () => Promise.all(WRITTEN_BY_PUBLISH.map((t) => rowCount(app, t)));
const listNamed = async (token: string, name: string) => {
  const res = await app.gql(BATCHES, {}, { token });
  expect(res.errors).toBeUndefined();
  return res.data.whitelists.find((w: { name: string }) => w.name === name) ?? null;
};
const batchesOf = async (token: string, name: string) => (await listNamed(token, name))?.batches ?? null;
const publish = (token: string, whitelistName: string, batch: string, entries: EntryDraft[], query = PUBLISH_BATCH) =>
  app.gql(query, { input: { whitelistName, batch, entries } }, { token });
const revoke = (token: string, entryId: string) => app.gql(REVOKE_ENTRY, { input: { entryId, revokedOn: '2025-03-01', reason: '复核未通过' } }, { token });
const revocationOf = async (entryId: string) => {
  const [row] = await app.dataSource.query(
    `SELECT revoked_on::text AS revoked_on, revocation_reason, revoked_by FROM whitelist_entry WHERE id = $1`,
    [uuidOf(entryId, 'WhitelistEntry')],
  );
  return row;
};

describe('publishWhitelistBatch by a regional authority (RV1)', () => {
  it('Qingdao publishes its firms: registered (by their registered region) and unregistered (by characters 3–8 of the code); the batch records 3702', async () => {
    const registered = await registeredEnterprise(app, { creditCode: newCreditCode('370212'), regionCode: '370212' });
    // Registered in Qingdao, though its code was issued in Beijing: the registered region counts.
    const moved = await registeredEnterprise(app, { creditCode: newCreditCode('110108'), regionCode: '370203' });
    const unregistered = newCreditCode('370211');
    const cityLevel = newCreditCode('370200');
    const res = await publish(qingdao, '青岛市专精特新企业融资白名单', '2025-1', [
      entry(registered.input.creditCode, registered.input.name), entry(moved.input.creditCode, moved.input.name), entry(unregistered), entry(cityLevel),
    ], PUBLISH_WITH_REGION);
    expect(res.errors).toBeUndefined();
    expect(res.data.publishWhitelistBatch).toEqual({
      userErrors: [],
      batch: { batch: '2025-1', entryCount: 4, source: 'API', regionPrefix: '3702', whitelist: { id: expect.any(String), name: '青岛市专精特新企业融资白名单' } },
    });
    expect(await batchesOf(bank, '青岛市专精特新企业融资白名单')).toEqual([{ batch: '2025-1', entryCount: 4, regionPrefix: '3702' }]);
    const [row] = await app.dataSource.query(`SELECT region_prefix FROM whitelist_batch WHERE batch = '2025-1' AND whitelist_id = (SELECT id FROM whitelist WHERE name = $1)`, ['青岛市专精特新企业融资白名单']);
    expect(row).toEqual({ region_prefix: '3702' });
    const created = await app.gql(ENTERPRISE, { code: unregistered }, { token: national });
    expect(created.data.enterprise).toEqual({ creditCode: unregistered, regionCode: '370211', claimed: false, whitelistEntries: [{ batch: '2025-1', tier: 'SPECIALIZED_SME' }] });
  });

  it('a batch naming a Beijing firm is refused: OUTSIDE_AUTHORITY_REGION on that entry (and on every other bad entry), nothing written', async () => {
    // Registered in Beijing although its code was issued in Qingdao: outside.
    const movedAway = await registeredEnterprise(app, { creditCode: newCreditCode('370212'), regionCode: '110108' });
    const beijingFirm = newCreditCode('110108');
    // A valid code whose characters 3–8 are no division (a central registration): its region is unknown, so outside.
    const central = withCheckCharacter('12100000400000624');
    const qingdaoFirm = newCreditCode('370202');
    const before = await counts();
    const res = await publish(qingdao, '青岛市越界白名单', '2025-1', [
      entry(qingdaoFirm),
      entry(beijingFirm, '北京某某科技有限公司'),
      { ...entry(newCreditCode('370202')), validTo: '2023-12-31' },
      entry(movedAway.input.creditCode, movedAway.input.name),
      entry(central, '某某中央单位'),
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data.publishWhitelistBatch.batch).toBeNull();
    const errors = res.data.publishWhitelistBatch.userErrors;
    expect(errors.map((e: { field: string[]; code: string }) => `${e.field.join('.')}:${e.code}`)).toEqual([
      'input.entries.2.validTo:VALID_TO_BEFORE_VALID_FROM',
      'input.entries.1.creditCode:OUTSIDE_AUTHORITY_REGION',
      'input.entries.3.creditCode:OUTSIDE_AUTHORITY_REGION',
      'input.entries.4.creditCode:OUTSIDE_AUTHORITY_REGION',
    ]);
    expect(errors[1]).toMatchObject({ params: { region: '3702' }, message: expect.stringContaining('3702') });
    expect(await counts()).toEqual(before);
    expect(await batchesOf(national, '青岛市越界白名单')).toBeNull();
    expect((await app.gql(ENTERPRISE, { code: beijingFirm }, { token: national })).data.enterprise).toBeNull();
  });

  it('a batch that is bad only by its region is refused just the same', async () => {
    const before = await counts();
    const res = await publish(qingdao, '青岛市专精特新企业融资白名单', '2025-2', [entry(newCreditCode('370202')), entry(newCreditCode('110105'), '北京某某科技有限公司')]);
    expect(res.data.publishWhitelistBatch).toMatchObject({
      batch: null,
      userErrors: [{ field: ['input', 'entries', '1', 'creditCode'], code: 'OUTSIDE_AUTHORITY_REGION', params: { region: '3702' } }],
    });
    expect(res.data.publishWhitelistBatch.userErrors).toHaveLength(1);
    expect(await counts()).toEqual(before);
    expect(await batchesOf(national, '青岛市专精特新企业融资白名单')).toEqual([{ batch: '2025-1', entryCount: 4, regionPrefix: '3702' }]);
  });
});

describe('revokeWhitelistEntry by a regional authority (RV1)', () => {
  let beijingEntry: string;
  let qingdaoEntry: string;
  beforeAll(async () => {
    const beijingFirm = newCreditCode('110108');
    const qingdaoFirm = newCreditCode('370212');
    const id = await publishBatch(app, national, '全国专精特新白名单（辖区撤销）', '2024-1', [entry(beijingFirm, '北京某某科技有限公司'), entry(qingdaoFirm)]);
    const ids = await entryIds(app, national, id);
    beijingEntry = ids.get(beijingFirm)!;
    qingdaoEntry = ids.get(qingdaoFirm)!;
  });

  it('Qingdao revoking a Beijing entry: OUTSIDE_AUTHORITY_REGION, nothing written; each region revokes its own', async () => {
    const res = await revoke(qingdao, beijingEntry);
    expect(res.errors).toBeUndefined();
    expect(res.data.revokeWhitelistEntry).toMatchObject({ entry: null, userErrors: [{ field: ['input', 'entryId'], code: 'OUTSIDE_AUTHORITY_REGION', params: { region: '3702' } }] });
    expect(await revocationOf(beijingEntry)).toEqual({ revoked_on: null, revocation_reason: null, revoked_by: null });

    const qd = await revoke(qingdao, qingdaoEntry);
    expect(qd.data.revokeWhitelistEntry).toMatchObject({ userErrors: [], entry: { id: qingdaoEntry, revokedOn: '2025-03-01' } });
    expect(await revocationOf(qingdaoEntry)).toEqual({ revoked_on: '2025-03-01', revocation_reason: '复核未通过', revoked_by: 'authority-qd' });
    const bj = await revoke(beijing, beijingEntry);
    expect(bj.data.revokeWhitelistEntry).toMatchObject({ userErrors: [], entry: { id: beijingEntry, revokedOn: '2025-03-01' } });
    expect(await revocationOf(beijingEntry)).toEqual({ revoked_on: '2025-03-01', revocation_reason: '复核未通过', revoked_by: 'authority-bj' });
  });
});

describe('national authorities and admins, and readers (unchanged)', () => {
  it('a national authority and an admin publish and revoke firms anywhere; their batches record no region', async () => {
    const firms = [newCreditCode('110108'), newCreditCode('370212'), newCreditCode('440305'), withCheckCharacter('12100000400000624')];
    const id = await publishBatch(app, national, '全国专精特新白名单', '2025-1', firms.map((code) => entry(code)));
    const res = await publish(admin, '全国专精特新白名单', '2025-2', [entry(newCreditCode('320506')), entry(newCreditCode('310115'))], PUBLISH_WITH_REGION);
    expect(res.data.publishWhitelistBatch).toMatchObject({ userErrors: [], batch: { batch: '2025-2', regionPrefix: null } });
    expect(await batchesOf(national, '全国专精特新白名单')).toEqual([
      { batch: '2025-2', entryCount: 2, regionPrefix: null },
      { batch: '2025-1', entryCount: 4, regionPrefix: null },
    ]);
    const ids = await entryIds(app, national, id);
    const byNational = await revoke(national, ids.get(firms[1])!);
    expect(byNational.data.revokeWhitelistEntry).toMatchObject({ userErrors: [], entry: { revokedOn: '2025-03-01' } });
    const byAdmin = await revoke(admin, ids.get(firms[0])!);
    expect(byAdmin.data.revokeWhitelistEntry).toMatchObject({ userErrors: [], entry: { revokedOn: '2025-03-01' } });
  });

  it('reading stays open: a bank and regional authorities see the batches and entries of every region', async () => {
    for (const token of [bank, beijing, qingdao]) {
      const qingdaoList = await listNamed(token, '青岛市专精特新企业融资白名单');
      expect(qingdaoList.batches).toEqual([{ batch: '2025-1', entryCount: 4, regionPrefix: '3702' }]);
      expect((await entryIds(app, token, qingdaoList.id)).size).toBe(4);
      const nationalList = await listNamed(token, '全国专精特新白名单');
      expect(nationalList.batches).toHaveLength(2);
      expect((await entryIds(app, token, nationalList.id)).size).toBe(6);
    }
  });
});
