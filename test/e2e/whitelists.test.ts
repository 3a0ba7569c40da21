/**
 * R4 — whitelists: publishing batches all or nothing, unclaimed enterprises and their claim, revocation,
 * the bank's 资质查询 and the whitelist page with every filter and keyset pagination.
 */
import { toGlobalId } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/harness';
import {
  enterpriseToken,
  daysFromToday, EntryDraft, entryIds, importCredit, institutionWithToken, newCreditCode, POST_NEED, PUBLISH_BATCH,
  publishBatch, QUALIFICATION_STATUS, REGISTER, registeredEnterprise, REVOKE_ENTRY, rowCount, staff, WHITELIST_PAGE, withWrongCheck,
} from './fixtures';

let app: TestApp;
let authority: string;
let bank: string;
beforeAll(async () => {
  app = await startTestApp();
  authority = staff(app).authority;
  bank = (await institutionWithToken(app, 'BANK', '白名单测试银行')).token;
});
afterAll(async () => {
  await app?.close();
});

const LATER = daysFromToday(700);
const draft = (overrides: Partial<EntryDraft> = {}): EntryDraft => ({
  creditCode: newCreditCode(),
  name: '上海某某精密制造有限公司',
  tier: 'SPECIALIZED_SME',
  validFrom: '2024-01-01',
  validTo: LATER,
  ...overrides,
});
const codes = (errors: { field: string[]; code: string }[]) => errors.map((e) => `${e.field.join('.')}:${e.code}`);
const WRITTEN_BY_PUBLISH = ['whitelist', 'whitelist_batch', 'whitelist_entry', 'enterprise'];
const counts = () => Promise.all(WRITTEN_BY_PUBLISH.map((t) => rowCount(app, t)));

const ENTERPRISE_WITH_ENTRIES = `query($code: String!) { enterprise(creditCode: $code) { creditCode name regionCode claimed profileKnown sizeClass whitelistEntries { tier listedName batch whitelist { name } } } }`;

describe('publishWhitelistBatch (R4)', () => {
  it('publishes a batch: the whitelist is created on its first batch, unknown codes become unclaimed enterprises', async () => {
    const known = await registeredEnterprise(app);
    const unknown = newCreditCode('320506');
    const res = await app.gql(
      PUBLISH_BATCH,
      {
        input: {
          whitelistName: '江苏省专精特新企业融资白名单',
          batch: '2025-1',
          publisher: '江苏省工业和信息化厅',
          entries: [
            draft({ creditCode: known.input.creditCode, name: known.input.name, tier: 'LITTLE_GIANT' }),
            draft({ creditCode: ` ${unknown.toLowerCase()} `, name: '  苏州某某新材料有限公司 ', tier: 'INNOVATIVE_SME' }),
          ],
        },
      },
      { token: authority },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.publishWhitelistBatch).toMatchObject({
      userErrors: [],
      batch: { batch: '2025-1', entryCount: 2, source: 'API', whitelist: { name: '江苏省专精特新企业融资白名单', publisher: '江苏省工业和信息化厅' } },
    });

    const created = await app.gql(ENTERPRISE_WITH_ENTRIES, { code: unknown }, { token: authority });
    expect(created.data.enterprise).toEqual({
      creditCode: unknown,
      name: '苏州某某新材料有限公司',
      regionCode: '320506', // characters 3–8 of the code
      claimed: false,
      profileKnown: false,
      sizeClass: 'MICRO',
      whitelistEntries: [{ tier: 'INNOVATIVE_SME', listedName: '苏州某某新材料有限公司', batch: '2025-1', whitelist: { name: '江苏省专精特新企业融资白名单' } }],
    });
    const existing = await app.gql(ENTERPRISE_WITH_ENTRIES, { code: known.input.creditCode }, { token: authority });
    expect(existing.data.enterprise).toMatchObject({ claimed: true, profileKnown: true, whitelistEntries: [{ tier: 'LITTLE_GIANT', batch: '2025-1' }] });
  });

  it('lets the owner claim an unclaimed enterprise by registering; its entries stay attached', async () => {
    const code = newCreditCode('310115');
    await publishBatch(app, authority, '上海市专精特新企业融资白名单', '2025-claim', [draft({ creditCode: code, name: '上海认领前有限公司', tier: 'LITTLE_GIANT' })]);
    const before = await rowCount(app, 'enterprise');

    // The owner's login verified the code (issue 11 §6), so it may rename the listed firm.
    const token = enterpriseToken(app, 'wl-claimer', code);
    const res = await app.gql(
      REGISTER,
      { input: { creditCode: code, name: '上海认领后有限公司', sector: 'INDUSTRY', regionCode: '310115', employees: 500, revenue: '10000000.00' } },
      { token },
    );
    expect(res.data.registerEnterprise.userErrors).toEqual([]);
    expect(await rowCount(app, 'enterprise')).toBe(before);

    const claimed = await app.gql(ENTERPRISE_WITH_ENTRIES, { code }, { token });
    expect(claimed.data.enterprise).toEqual({
      creditCode: code,
      name: '上海认领后有限公司',
      regionCode: '310115',
      claimed: true,
      profileKnown: true,
      sizeClass: 'SMALL',
      whitelistEntries: [{ tier: 'LITTLE_GIANT', listedName: '上海认领前有限公司', batch: '2025-claim', whitelist: { name: '上海市专精特新企业融资白名单' } }],
    });
    // Once claimed, its size is known: the size-class filter of the whitelist page now matches it.
    const small = await app.gql(WHITELIST_PAGE, { filter: { regionPrefix: '310115', sizeClass: ['SMALL'] }, first: 100 }, { token: bank });
    expect(small.data.whitelist.edges.map((e: { node: { enterprise: { creditCode: string } } }) => e.node.enterprise.creditCode)).toContain(code);
  });

  describe('when an entry is bad', () => {
    it('refuses the whole batch with one userError per bad entry, and writes nothing', async () => {
      const first = newCreditCode();
      const valid = newCreditCode();
      const wrongCheck = withWrongCheck(valid);
      const before = await counts();
      const res = await app.gql(
        PUBLISH_BATCH,
        {
          input: {
            whitelistName: '全部或全不白名单',
            batch: '1',
            entries: [
              draft({ creditCode: first }),
              draft({ creditCode: wrongCheck }),
              draft({ validFrom: '2025-06-01', validTo: '2025-05-31' }),
              draft({ creditCode: first.toLowerCase() }),
              draft({ name: '   ' }),
              draft(),
            ],
          },
        },
        { token: authority },
      );
      expect(res.errors).toBeUndefined();
      const { batch, userErrors } = res.data.publishWhitelistBatch;
      expect(batch).toBeNull();
      // Every bad entry is reported (in no particular order), each naming its index.
      expect(codes(userErrors).sort()).toEqual([
        'input.entries.1.creditCode:INVALID_CREDIT_CODE',
        'input.entries.2.validTo:VALID_TO_BEFORE_VALID_FROM',
        'input.entries.3.creditCode:DUPLICATE_ROW',
        'input.entries.4.name:REQUIRED',
      ]);
      const params = (code: string) => userErrors.find((e: { code: string }) => e.code === code).params;
      expect(params('INVALID_CREDIT_CODE')).toEqual({ position: 18, character: wrongCheck[17], expected: valid[17] });
      expect(params('VALID_TO_BEFORE_VALID_FROM')).toEqual({ validFrom: '2025-06-01', validTo: '2025-05-31' });
      expect(params('DUPLICATE_ROW')).toEqual({ first: 0, creditCode: first });
      expect(await counts()).toEqual(before);
      const lists = await app.gql('{ whitelists { name } }', {}, { token: bank });
      expect(lists.data.whitelists.map((w: { name: string }) => w.name)).not.toContain('全部或全不白名单');
    });

    it('words the refusals in English on request', async () => {
      const code = newCreditCode();
      const res = await app.gql(
        PUBLISH_BATCH,
        { input: { whitelistName: 'English list', batch: '1', entries: [draft({ creditCode: code }), draft({ creditCode: code, validFrom: '2025-06-01', validTo: '2025-05-31' })] } },
        { token: authority, lang: 'en' },
      );
      expect(res.data.publishWhitelistBatch.userErrors.map((e: { message: string }) => e.message).sort()).toEqual([
        `Credit code ${code} repeats entry 0 (counting from 0)`,
        'validTo (2025-05-31) is before validFrom (2025-06-01)',
      ]);
    });

    it('refuses a batch number the whitelist already has (BATCH_EXISTS) and writes nothing', async () => {
      await publishBatch(app, authority, '批次唯一白名单', '2025-1', [draft()]);
      const before = await counts();
      const res = await app.gql(PUBLISH_BATCH, { input: { whitelistName: '批次唯一白名单', batch: ' 2025-1 ', entries: [draft(), draft()] } }, { token: authority });
      expect(res.data.publishWhitelistBatch).toMatchObject({ batch: null, userErrors: [{ field: ['input', 'batch'], code: 'BATCH_EXISTS', params: { batch: '2025-1', whitelist: '批次唯一白名单' } }] });
      expect(await counts()).toEqual(before);
      // The same number on another whitelist is a different batch.
      await expect(publishBatch(app, authority, '另一份白名单', '2025-1', [draft()])).resolves.toEqual(expect.any(String));
    });
  });

  describe('when a name would run as a spreadsheet formula or holds a control character (SECURITY.md "Files from outside")', () => {
    it('refuses the batch, naming each field, and writes nothing', async () => {
      const before = await counts();
      const res = await app.gql(
        PUBLISH_BATCH,
        {
          input: {
            whitelistName: '@SUM(1+1)',
            batch: '-1',
            publisher: '+86 经信委',
            entries: [draft({ name: "=cmd|' /C calc'!A0" }), draft({ name: '上海（-20℃）冷链有限公司' })],
          },
        },
        { token: authority, lang: 'en' },
      );
      expect(res.errors).toBeUndefined();
      const { batch, userErrors } = res.data.publishWhitelistBatch;
      expect(batch).toBeNull();
      expect(userErrors.map((e: { field: string[]; code: string; message: string }) => [e.field.join('.'), e.code, e.message])).toEqual([
        ['input.whitelistName', 'FORMULA_TEXT', 'May not begin with "@": a spreadsheet would run it as a formula'],
        ['input.batch', 'FORMULA_TEXT', 'May not begin with "-": a spreadsheet would run it as a formula'],
        ['input.publisher', 'FORMULA_TEXT', 'May not begin with "+": a spreadsheet would run it as a formula'],
        ['input.entries.0.name', 'FORMULA_TEXT', 'May not begin with "=": a spreadsheet would run it as a formula'],
      ]);
      expect(await counts()).toEqual(before);
    });
  });

  it.each([
    ['BANK', () => bank],
    ['ANALYST', () => staff(app).analyst],
    ['ENTERPRISE', () => app.token({ sub: 'wl-ent', role: 'ENTERPRISE' })],
  ])('is for authorities and admins only: %s → FORBIDDEN', async (_role, token) => {
    const before = await counts();
    const res = await app.gql(PUBLISH_BATCH, { input: { whitelistName: '越权白名单', batch: '1', entries: [draft()] } }, { token: token() });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('admins may publish too', async () => {
    await expect(publishBatch(app, staff(app).admin, '管理员白名单', '1', [draft()])).resolves.toEqual(expect.any(String));
  });
});

describe('revokeWhitelistEntry (R4)', () => {
  const validity = { validFrom: '2024-01-01', validTo: '2027-12-31' };
  let code: string;
  let entryId: string;
  let whitelistId: string;
  beforeAll(async () => {
    code = newCreditCode('440305');
    whitelistId = await publishBatch(app, authority, '深圳市专精特新白名单', '2024-1', [draft({ creditCode: code, tier: 'LITTLE_GIANT', ...validity })]);
    entryId = (await entryIds(app, authority, whitelistId)).get(code)!;
  });

  it('takes the firm off the list from revokedOn on (the day before it is still on)', async () => {
    const res = await app.gql(REVOKE_ENTRY, { input: { entryId, revokedOn: '2025-03-01', reason: '复核未通过' } }, { token: authority });
    expect(res.data.revokeWhitelistEntry).toMatchObject({ userErrors: [], entry: { id: entryId, revokedOn: '2025-03-01', revocationReason: '复核未通过', activeToday: false } });

    const dayBefore = await app.gql(QUALIFICATION_STATUS, { code, asOf: '2025-02-28' }, { token: bank });
    expect(dayBefore.data.qualificationStatus).toMatchObject({ onWhitelist: true, highestTier: 'LITTLE_GIANT', validTo: '2027-12-31' });
    const onTheDay = await app.gql(QUALIFICATION_STATUS, { code, asOf: '2025-03-01' }, { token: bank });
    expect(onTheDay.data.qualificationStatus).toMatchObject({ onWhitelist: false, highestTier: null, validTo: null, entries: [{ id: entryId, revokedOn: '2025-03-01' }] });

    // The whitelist page follows (whitelist_search is kept in step by a trigger).
    const page = (asOf: string) => app.gql(WHITELIST_PAGE, { filter: { whitelistId, asOf } }, { token: bank });
    expect((await page('2025-02-28')).data.whitelist.totalCount).toBe(1);
    expect((await page('2025-03-01')).data.whitelist.totalCount).toBe(0);
  });

  it('refuses a second revocation (ALREADY_REVOKED) and keeps the first', async () => {
    const res = await app.gql(REVOKE_ENTRY, { input: { entryId, revokedOn: '2025-06-01', reason: '再次撤销' } }, { token: authority });
    expect(res.data.revokeWhitelistEntry).toMatchObject({ entry: null, userErrors: [{ field: ['input', 'entryId'], code: 'ALREADY_REVOKED', params: { revokedOn: '2025-03-01' } }] });
    const [row] = await app.dataSource.query('SELECT revoked_on::text AS revoked_on, revocation_reason FROM whitelist_entry WHERE enterprise_id = (SELECT id FROM enterprise WHERE credit_code = $1)', [code]);
    expect(row).toEqual({ revoked_on: '2025-03-01', revocation_reason: '复核未通过' });
  });

  describe('when the revocation is refused', () => {
    let freshId: string;
    beforeAll(async () => {
      const fresh = newCreditCode('440305');
      const id = await publishBatch(app, authority, '深圳市专精特新白名单', '2024-2', [draft({ creditCode: fresh, ...validity })]);
      freshId = (await entryIds(app, authority, id)).get(fresh)!;
    });

    it.each([
      ['the day before validFrom', '2023-12-31'],
      ['the day after validTo', '2028-01-01'],
    ])('refuses a date outside the validity: %s (REVOCATION_OUTSIDE_VALIDITY)', async (_what, revokedOn) => {
      const res = await app.gql(REVOKE_ENTRY, { input: { entryId: freshId, revokedOn, reason: '超出有效期' } }, { token: authority });
      expect(res.data.revokeWhitelistEntry).toMatchObject({
        entry: null,
        userErrors: [{ field: ['input', 'revokedOn'], code: 'REVOCATION_OUTSIDE_VALIDITY', params: { validFrom: '2024-01-01', validTo: '2027-12-31' } }],
      });
    });

    it('refuses an id that is not a whitelist entry id (INVALID_ID) and one that does not exist (NOT_FOUND)', async () => {
      const revoke = (id: string) => app.gql(REVOKE_ENTRY, { input: { entryId: id, revokedOn: '2025-01-01', reason: 'x' } }, { token: authority });
      expect(codes((await revoke('not-an-id')).data.revokeWhitelistEntry.userErrors)).toEqual(['input.entryId:INVALID_ID']);
      expect(codes((await revoke(whitelistId)).data.revokeWhitelistEntry.userErrors)).toEqual(['input.entryId:INVALID_ID']);
      expect(codes((await revoke(toGlobalId('WhitelistEntry', '00000000-0000-4000-8000-000000000000'))).data.revokeWhitelistEntry.userErrors)).toEqual(['input.entryId:NOT_FOUND']);
    });

    it('is for authorities and admins only', async () => {
      const res = await app.gql(REVOKE_ENTRY, { input: { entryId: freshId, revokedOn: '2025-01-01', reason: '银行无权' } }, { token: bank });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const [row] = await app.dataSource.query('SELECT count(*)::int AS n FROM whitelist_entry WHERE revoked_on IS NOT NULL');
      expect(row.n).toBe(1);
    });

    it('accepts the validity\'s last day, after which nothing changes', async () => {
      const res = await app.gql(REVOKE_ENTRY, { input: { entryId: freshId, revokedOn: '2027-12-31', reason: '到期前撤销' } }, { token: staff(app).admin });
      expect(res.data.revokeWhitelistEntry).toMatchObject({ userErrors: [], entry: { revokedOn: '2027-12-31' } });
    });
  });
});

describe('qualificationStatus — 资质查询 (R4)', () => {
  let firm: Awaited<ReturnType<typeof registeredEnterprise>>;
  beforeAll(async () => {
    firm = await registeredEnterprise(app);
    const code = firm.input.creditCode;
    await publishBatch(app, authority, '资质查询甲', '1', [draft({ creditCode: code, tier: 'SPECIALIZED_SME', validFrom: '2023-01-01', validTo: '2025-12-31' })]);
    const champion = await publishBatch(app, authority, '资质查询乙', '1', [draft({ creditCode: code, tier: 'SINGLE_CHAMPION', validFrom: '2023-06-01', validTo: '2028-12-31' })]);
    await publishBatch(app, authority, '资质查询丙', '1', [draft({ creditCode: code, tier: 'LITTLE_GIANT', validFrom: '2024-07-01', validTo: '2027-06-30' })]);
    const championEntry = (await entryIds(app, authority, champion)).get(code)!;
    const revoked = await app.gql(REVOKE_ENTRY, { input: { entryId: championEntry, revokedOn: '2024-01-01', reason: '撤销单项冠军' } }, { token: authority });
    expect(revoked.data.revokeWhitelistEntry.userErrors).toEqual([]);
  });

  it.each([
    ['before any entry', '2022-12-31', { onWhitelist: false, highestTier: null, validTo: null }],
    ['while the champion entry holds', '2023-12-31', { onWhitelist: true, highestTier: 'SINGLE_CHAMPION', validTo: '2028-12-31' }],
    ['on the champion revocation day', '2024-01-01', { onWhitelist: true, highestTier: 'SPECIALIZED_SME', validTo: '2025-12-31' }],
    ['once the little giant starts', '2024-07-01', { onWhitelist: true, highestTier: 'LITTLE_GIANT', validTo: '2027-06-30' }],
    ['after the specialised entry ends', '2026-01-01', { onWhitelist: true, highestTier: 'LITTLE_GIANT', validTo: '2027-06-30' }],
    ['after every validity (the revoked champion does not count)', '2027-07-01', { onWhitelist: false, highestTier: null, validTo: null }],
  ])('%s (%s)', async (_what, asOf, expected) => {
    const res = await app.gql(QUALIFICATION_STATUS, { code: firm.input.creditCode, asOf }, { token: bank });
    expect(res.errors).toBeUndefined();
    const status = res.data.qualificationStatus;
    expect(status).toMatchObject({ ...expected, asOf, creditCode: firm.input.creditCode, enterpriseName: firm.input.name });
    // Every entry, current or not, newest first.
    expect(status.entries.map((e: { tier: string }) => e.tier)).toEqual(['LITTLE_GIANT', 'SINGLE_CHAMPION', 'SPECIALIZED_SME']);
  });

  it('Enterprise.whitelistEntries(asOf) keeps the entries that make the firm a member that day', async () => {
    const res = await app.gql(
      'query($code: String!) { enterprise(creditCode: $code) { all: whitelistEntries { tier } then: whitelistEntries(asOf: "2024-07-01") { tier } } }',
      { code: firm.input.creditCode },
      { token: firm.token },
    );
    expect(res.data.enterprise).toEqual({
      all: [{ tier: 'LITTLE_GIANT' }, { tier: 'SINGLE_CHAMPION' }, { tier: 'SPECIALIZED_SME' }],
      then: [{ tier: 'LITTLE_GIANT' }, { tier: 'SPECIALIZED_SME' }],
    });
  });

  it('judges today when asOf is not given', async () => {
    const res = await app.gql(QUALIFICATION_STATUS, { code: firm.input.creditCode }, { token: bank });
    expect(res.data.qualificationStatus.asOf).toBe(daysFromToday(0));
  });

  it('answers "not on a list" for an unknown code, normalising what was asked', async () => {
    const code = newCreditCode();
    const res = await app.gql(QUALIFICATION_STATUS, { code: `  ${code.toLowerCase()} ` }, { token: bank });
    expect(res.data.qualificationStatus).toMatchObject({ creditCode: code, enterpriseName: null, onWhitelist: false, highestTier: null, validTo: null, entries: [] });
  });

  it.each([
    ['a short code', '123'],
    ['a wrong check character', withWrongCheck('91350100M000100Y43')],
  ])('refuses a malformed code with BAD_USER_INPUT: %s', async (_what, code) => {
    const res = await app.gql(QUALIFICATION_STATUS, { code }, { token: bank });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'creditCode', reason: 'INVALID_CREDIT_CODE' });
  });

  describe('for an ENTERPRISE token', () => {
    it('answers about the enterprise itself', async () => {
      const res = await app.gql(QUALIFICATION_STATUS, { code: firm.input.creditCode, asOf: '2024-07-01' }, { token: firm.token });
      expect(res.data.qualificationStatus).toMatchObject({ onWhitelist: true, highestTier: 'LITTLE_GIANT' });
    });

    it('refuses another firm alike whether it is known or not', async () => {
      const other = await registeredEnterprise(app);
      const messages = new Set<string>();
      for (const code of [firm.input.creditCode, newCreditCode()]) {
        const res = await app.gql(QUALIFICATION_STATUS, { code }, { token: other.token });
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        messages.add(res.errors![0].message);
      }
      expect(messages.size).toBe(1);
    });
  });
});

describe('whitelist — the bank page (R4, R5 filters)', () => {
  // One list, designed so every filter splits it differently (today's membership unless asOf says otherwise):
  //   A registered, 310115, HYDROGEN, SMALL,  LITTLE_GIANT,    AA  / A, clean,           open need
  //   B registered, 310104, AI,       LARGE,  SPECIALIZED_SME, BBB / B, active listing
  //   C registered, 110108, HYDROGEN+AI, MEDIUM, SINGLE_CHAMPION, A / M, repaired listing
  //   D unclaimed,  320506,                   INNOVATIVE_SME,  AAA / A, clean
  //   E unclaimed,  310115,                   LITTLE_GIANT,    no credit data
  //   F unclaimed,  440305,                   SPECIALIZED_SME, expired 2022-12-31
  const firms: Record<string, string> = {};
  let whitelistId: string;
  let otherListId: string;

  beforeAll(async () => {
    const a = await registeredEnterprise(app, { creditCode: newCreditCode('310115'), regionCode: '310115', industryChains: ['HYDROGEN'], sector: 'INDUSTRY', employees: 500, revenue: '10000000.00' });
    const b = await registeredEnterprise(app, { creditCode: newCreditCode('310104'), regionCode: '310104', industryChains: ['AI'], sector: 'INDUSTRY', employees: 1200, revenue: '500000000.00' });
    const c = await registeredEnterprise(app, { creditCode: newCreditCode('110108'), regionCode: '110108', industryChains: ['HYDROGEN', 'AI'], sector: 'SOFTWARE_IT', employees: 150, revenue: '20000000.00' });
    expect([a.enterprise.sizeClass, b.enterprise.sizeClass, c.enterprise.sizeClass]).toEqual(['SMALL', 'LARGE', 'MEDIUM']);
    Object.assign(firms, { A: a.input.creditCode, B: b.input.creditCode, C: c.input.creditCode, D: newCreditCode('320506'), E: newCreditCode('310115'), F: newCreditCode('440305') });
    const need = await app.gql(POST_NEED, { input: { kind: 'LOAN', amount: '3000000.00', termMonths: 12, neededBy: daysFromToday(60) } }, { token: a.token });
    expect(need.data.postFinancingNeed.userErrors).toEqual([]);

    // Credit for the registered firms before the list exists (the search row picks it up on insert) …
    await importCredit(app, authority, {
      source: 'PBOC-CRC',
      asOf: '2025-01-31',
      records: [
        { creditCode: firms.A, rating: 'AA', taxGrade: 'A', overdueCount12m: 0, hadBankLoan: false, dishonesty: [] },
        { creditCode: firms.B, rating: 'BBB', taxGrade: 'B', overdueCount12m: 3, hadBankLoan: true, dishonesty: [{ kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2024-03-01' }] },
        { creditCode: firms.C, rating: 'A', taxGrade: 'M', overdueCount12m: 1, dishonesty: [{ kind: 'ABNORMAL_OPERATION', listedOn: '2023-01-01', repairedOn: '2023-06-01' }] },
      ],
    });
    whitelistId = await publishBatch(app, authority, '过滤测试白名单', '2025-1', [
      draft({ creditCode: firms.A, name: 'A', tier: 'LITTLE_GIANT' }),
      draft({ creditCode: firms.B, name: 'B', tier: 'SPECIALIZED_SME' }),
      draft({ creditCode: firms.C, name: 'C', tier: 'SINGLE_CHAMPION' }),
      draft({ creditCode: firms.D, name: 'D', tier: 'INNOVATIVE_SME' }),
      draft({ creditCode: firms.E, name: 'E', tier: 'LITTLE_GIANT' }),
      draft({ creditCode: firms.F, name: 'F', tier: 'SPECIALIZED_SME', validFrom: '2020-01-01', validTo: '2022-12-31' }),
    ]);
    // … and for an unclaimed one after (the search row is updated).
    await importCredit(app, authority, { source: 'PBOC-CRC', asOf: '2025-01-31', records: [{ creditCode: firms.D, rating: 'AAA', taxGrade: 'A' }] });
    otherListId = await publishBatch(app, authority, '过滤测试白名单（另一份）', '1', [draft({ creditCode: firms.A, name: 'A2', tier: 'SINGLE_CHAMPION' })]);
  });

  const names = async (filter: Record<string, unknown>, token = bank) => {
    const res = await app.gql(WHITELIST_PAGE, { filter: { whitelistId, ...filter }, first: 100 }, { token });
    expect(res.errors).toBeUndefined();
    expect(res.data.whitelist.totalCount).toBe(res.data.whitelist.edges.length);
    return res.data.whitelist.edges.map((e: { node: { listedName: string } }) => e.node.listedName).sort();
  };

  it.each<[string, Record<string, unknown>, string[]]>([
    ['no filter: today\'s members', {}, ['A', 'B', 'C', 'D', 'E']],
    ['tierAtLeast INNOVATIVE_SME', { tierAtLeast: 'INNOVATIVE_SME' }, ['A', 'B', 'C', 'D', 'E']],
    ['tierAtLeast SPECIALIZED_SME', { tierAtLeast: 'SPECIALIZED_SME' }, ['A', 'B', 'C', 'E']],
    ['tierAtLeast LITTLE_GIANT', { tierAtLeast: 'LITTLE_GIANT' }, ['A', 'C', 'E']],
    ['tierAtLeast SINGLE_CHAMPION', { tierAtLeast: 'SINGLE_CHAMPION' }, ['C']],
    ['industryChain HYDROGEN', { industryChain: 'HYDROGEN' }, ['A', 'C']],
    ['industryChain AI', { industryChain: 'AI' }, ['B', 'C']],
    ['industryChain BIOPHARMA', { industryChain: 'BIOPHARMA' }, []],
    ['regionPrefix 31 (2 digits)', { regionPrefix: '31' }, ['A', 'B', 'E']],
    ['regionPrefix 3101 (4 digits)', { regionPrefix: '3101' }, ['A', 'B', 'E']],
    ['regionPrefix 310115 (6 digits)', { regionPrefix: '310115' }, ['A', 'E']],
    ['regionPrefix 32 (an unclaimed firm\'s region from its code)', { regionPrefix: '32' }, ['D']],
    ['sizeClass SMALL, MICRO (unclaimed firms read MICRO but never match)', { sizeClass: ['SMALL', 'MICRO'] }, ['A']],
    ['sizeClass LARGE', { sizeClass: ['LARGE'] }, ['B']],
    ['sizeClass MEDIUM, LARGE', { sizeClass: ['MEDIUM', 'LARGE'] }, ['B', 'C']],
    ['minRating AAA', { minRating: 'AAA' }, ['D']],
    ['minRating A', { minRating: 'A' }, ['A', 'C', 'D']],
    ['minRating C (no credit data never matches)', { minRating: 'C' }, ['A', 'B', 'C', 'D']],
    ['minTaxGrade A', { minTaxGrade: 'A' }, ['A', 'D']],
    ['minTaxGrade B', { minTaxGrade: 'B' }, ['A', 'B', 'D']],
    ['minTaxGrade M', { minTaxGrade: 'M' }, ['A', 'B', 'C', 'D']],
    ['noActiveDishonesty (a repaired listing is not active; no data → no match)', { noActiveDishonesty: true }, ['A', 'C', 'D']],
    ['maxCreditDataAgeDays 3650', { maxCreditDataAgeDays: 3650 }, ['A', 'B', 'C', 'D']],
    ['maxCreditDataAgeDays 30: the 2025-01-31 data is too old', { maxCreditDataAgeDays: 30 }, []],
    ['firstLoanOnly (首贷户)', { firstLoanOnly: true }, ['A']],
    ['hasOpenNeed true', { hasOpenNeed: true }, ['A']],
    ['hasOpenNeed false', { hasOpenNeed: false }, ['B', 'C', 'D', 'E']],
    ['asOf 2021-06-01: membership at that date', { asOf: '2021-06-01' }, ['F']],
    ['asOf 2023-12-31: nothing held then', { asOf: '2023-12-31' }, []],
    ['includeInactive: every entry', { includeInactive: true }, ['A', 'B', 'C', 'D', 'E', 'F']],
    ['includeInactive ignores asOf', { includeInactive: true, asOf: '2021-06-01' }, ['A', 'B', 'C', 'D', 'E', 'F']],
    ['tier, region, rating and dishonesty together', { tierAtLeast: 'SPECIALIZED_SME', regionPrefix: '31', minRating: 'BBB', noActiveDishonesty: true }, ['A']],
    ['chain, size, tax grade and no open need together', { industryChain: 'AI', sizeClass: ['MEDIUM', 'LARGE'], minTaxGrade: 'M', hasOpenNeed: false }, ['B', 'C']],
  ])('%s', async (_what, filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });

  it('whitelistId keeps to one list; without it every list\'s entries come', async () => {
    expect(await names({ whitelistId: otherListId })).toEqual(['A2']);
    const all = await app.gql(WHITELIST_PAGE, { filter: { regionPrefix: '310115', tierAtLeast: 'LITTLE_GIANT' }, first: 100 }, { token: bank });
    const listed = all.data.whitelist.edges.map((e: { node: { listedName: string } }) => e.node.listedName);
    expect(listed).toEqual(expect.arrayContaining(['A', 'A2', 'E']));
  });

  it.each([
    ['a 3-digit region prefix', { regionPrefix: '310' }, 'filter.regionPrefix'],
    ['a 1-digit region prefix', { regionPrefix: '3' }, 'filter.regionPrefix'],
    ['a region prefix of no province', { regionPrefix: '99' }, 'filter.regionPrefix'],
    ['a whitelistId of another type', { whitelistId: toGlobalId('Institution', '00000000-0000-4000-8000-000000000000') }, 'filter.whitelistId'],
    ['an industry chain that is not a code', { industryChain: 'hydrogen' }, 'filter.industryChain'],
    ['a negative data age', { maxCreditDataAgeDays: -1 }, 'filter.maxCreditDataAgeDays'],
  ])('refuses %s with BAD_USER_INPUT', async (_what, filter, argument) => {
    const res = await app.gql(WHITELIST_PAGE, { filter }, { token: bank });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  describe('who may page through it', () => {
    it.each(['BANK', 'GUARANTOR', 'INVESTOR', 'AUTHORITY', 'ANALYST', 'ADMIN'] as const)('%s may', async (role) => {
      let token: string;
      if (role === 'BANK' || role === 'GUARANTOR' || role === 'INVESTOR') token = (await institutionWithToken(app, role, `读者 ${role}`)).token;
      else token = app.token({ sub: `reader-${role}`, role });
      expect(await names({}, token)).toEqual(['A', 'B', 'C', 'D', 'E']);
    });

    it('an ENTERPRISE may not', async () => {
      const { token } = await registeredEnterprise(app);
      const res = await app.gql(WHITELIST_PAGE, { filter: { whitelistId } }, { token });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    let readers = 0;
    const nonBankReaders: [string, () => Promise<string>][] = [
      ['an ANALYST', async () => staff(app).analyst],
      ['a GUARANTOR', async () => (await institutionWithToken(app, 'GUARANTOR', `筛选担保 ${(readers += 1)}`)).token],
      ['an INVESTOR', async () => (await institutionWithToken(app, 'INVESTOR', `筛选投资 ${(readers += 1)}`)).token],
    ];
    const creditFilters: [string, Record<string, unknown>][] = [
      ['minRating', { minRating: 'C' }],
      ['minTaxGrade', { minTaxGrade: 'D' }],
      ['noActiveDishonesty', { noActiveDishonesty: true }],
    ];
    it.each(nonBankReaders.flatMap(([who, token]) => creditFilters.map(([what, filter]) => [who, what, token, filter] as const)))(
      '%s may not filter on credit data (%s → FORBIDDEN: R10 shows it no rating of any firm), and nothing is logged', async (_who, _what, token, filter) => {
      const before = await rowCount(app, 'credit_access_log');
      const res = await app.gql(WHITELIST_PAGE, { filter: { whitelistId, ...filter } }, { token: await token() });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.data).toBeNull();
      expect(await rowCount(app, 'credit_access_log')).toBe(before);
    });
  });

  describe('keyset pagination', () => {
    let pagedListId: string;
    beforeAll(async () => {
      // Two batches, so the pages cross from one publication time to another.
      pagedListId = await publishBatch(app, authority, '分页白名单', '1', Array.from({ length: 4 }, (_, i) => draft({ name: `P${i}` })));
      await publishBatch(app, authority, '分页白名单', '2', Array.from({ length: 3 }, (_, i) => draft({ name: `Q${i}` })));
    });

    it('pages through with first 2 and after endCursor: every entry once, in order, totalCount stable', async () => {
      const whole = await app.gql(WHITELIST_PAGE, { filter: { whitelistId: pagedListId }, first: 100 }, { token: bank });
      const expected = whole.data.whitelist.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(expected).toHaveLength(7);
      // Newest first: the second batch leads.
      expect(whole.data.whitelist.edges.slice(0, 3).map((e: { node: { listedName: string } }) => e.node.listedName[0])).toEqual(['Q', 'Q', 'Q']);

      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const res: { data: { whitelist: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: { id: string } }[] } } } =
          await app.gql(WHITELIST_PAGE, { filter: { whitelistId: pagedListId }, first: 2, after }, { token: bank });
        const conn = res.data.whitelist;
        pages += 1;
        expect(conn.totalCount).toBe(7);
        expect(conn.edges.length).toBeLessThanOrEqual(2);
        seen.push(...conn.edges.map((e) => e.node.id));
        if (conn.edges.length) expect(conn.pageInfo.endCursor).toBe(conn.edges[conn.edges.length - 1].cursor);
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
        expect(pages).toBeLessThan(10);
      }
      expect(pages).toBe(4);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(7);
    });

    it('Whitelist lists its batches newest first and counts today\'s members', async () => {
      const res = await app.gql('{ whitelists { id name memberCount batches { batch entryCount source } } }', {}, { token: bank });
      const list = res.data.whitelists.find((w: { id: string }) => w.id === pagedListId);
      expect(list).toEqual({
        id: pagedListId,
        name: '分页白名单',
        memberCount: 7,
        batches: [{ batch: '2', entryCount: 3, source: 'API' }, { batch: '1', entryCount: 4, source: 'API' }],
      });
    });

    it('refuses a cursor that is not one (BAD_USER_INPUT)', async () => {
      const res = await app.gql(WHITELIST_PAGE, { filter: { whitelistId: pagedListId }, first: 2, after: 'bm90LWEtY3Vyc29y' }, { token: bank });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});
