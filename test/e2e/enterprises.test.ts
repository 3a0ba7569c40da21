import { startTestApp, TestApp } from '../support/harness';
import { ENTERPRISE_FIELDS, institutionWithToken, newCreditCode, REGISTER, registeredEnterprise, rowCount, staff, USER_ERRORS } from './fixtures';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const UPDATE = `mutation($input: UpdateEnterpriseProfileInput!) { updateEnterpriseProfile(input: $input) { enterprise { ${ENTERPRISE_FIELDS} } ${USER_ERRORS} } }`;
const ENTERPRISE = `query($code: String!) { enterprise(creditCode: $code) { ${ENTERPRISE_FIELDS} } }`;

const baseInput = (creditCode: string) => ({ creditCode, name: '示例科技有限公司', sector: 'INDUSTRY', regionCode: '110108', employees: 500, revenue: '10000000.00' });

describe('registerEnterprise (R1–R3)', () => {
  it('registers, computes the size class with its standard (E2: INDUSTRY, 500, 1000万元 → SMALL) and binds the sub', async () => {
    const token = app.token({ sub: 'reg-1', role: 'ENTERPRISE' });
    const code = newCreditCode();
    const res = await app.gql(REGISTER, { input: baseInput(code) }, { token });
    expect(res.errors).toBeUndefined();
    const { enterprise, userErrors } = res.data.registerEnterprise;
    expect(userErrors).toEqual([]);
    expect(enterprise).toMatchObject({ creditCode: code, sizeClass: 'SMALL', sizeStandard: 'MIIT-2011-300', revenue: '10000000.00', claimed: true, synthetic: false });
    const viewer = await app.gql('{ viewer { role enterprise { creditCode } } }', {}, { token });
    expect(viewer.data.viewer).toEqual({ role: 'ENTERPRISE', enterprise: { creditCode: code } });
  });

  describe('E1 through the API', () => {
    it('refuses 91350100M000100Y44 naming position 18, in Chinese by default and English on request', async () => {
      const token = app.token({ sub: 'reg-e1', role: 'ENTERPRISE' });
      const before = await rowCount(app, 'enterprise');
      const zh = await app.gql(REGISTER, { input: baseInput('91350100M000100Y44') }, { token });
      expect(zh.data.registerEnterprise.enterprise).toBeNull();
      expect(zh.data.registerEnterprise.userErrors).toEqual([
        { field: ['input', 'creditCode'], code: 'INVALID_CREDIT_CODE', message: '第 18 位校验码应为“3”，当前为“4”', params: { position: 18, character: '4', expected: '3' } },
      ]);
      const en = await app.gql(REGISTER, { input: baseInput('91350100M000100Y44') }, { token, lang: 'en-US,en;q=0.9' });
      expect(en.data.registerEnterprise.userErrors[0].message).toBe('Check character (position 18) should be "3", not "4"');
      expect(await rowCount(app, 'enterprise')).toBe(before);
      expect(await rowCount(app, 'enterprise_user')).toBeGreaterThanOrEqual(0);
    });

    it('accepts 91350100m000100y43 and stores it upper-case', async () => {
      const token = app.token({ sub: 'reg-e1-ok', role: 'ENTERPRISE' });
      const res = await app.gql(REGISTER, { input: { ...baseInput('91350100m000100y43'), regionCode: '350100' } }, { token });
      expect(res.data.registerEnterprise.userErrors).toEqual([]);
      expect(res.data.registerEnterprise.enterprise.creditCode).toBe('91350100M000100Y43');
    });

    it('names the position of a character outside the alphabet', async () => {
      const token = app.token({ sub: 'reg-e1-char', role: 'ENTERPRISE' });
      const res = await app.gql(REGISTER, { input: baseInput('91350100O000100Y43') }, { token });
      expect(res.data.registerEnterprise.userErrors[0]).toMatchObject({ code: 'INVALID_CREDIT_CODE', params: { position: 9, character: 'O' } });
    });
  });

  describe('when the input is refused', () => {
    it('reports every bad field at once and writes nothing', async () => {
      const token = app.token({ sub: 'reg-bad', role: 'ENTERPRISE' });
      const before = await rowCount(app, 'enterprise');
      const res = await app.gql(
        REGISTER,
        {
          input: {
            ...baseInput(newCreditCode()),
            regionCode: '990000',
            revenue: '12.345',
            employees: -1,
            industryChains: ['AI', 'NOT_A_CHAIN'],
            contact: { email: 'not-an-email' },
            foundedOn: '2026-02-30',
          },
        },
        { token },
      );
      expect(res.errors).toBeUndefined();
      const codes = res.data.registerEnterprise.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join('.')}:${e.code}`).sort();
      expect(codes).toEqual(['input.contact.email:INVALID_EMAIL', 'input.employees:OUT_OF_RANGE', 'input.foundedOn:INVALID_DATE', 'input.revenue:TOO_MANY_DECIMAL_PLACES']);
      // Format rules first; with them fixed, the rules that need the database speak.
      const second = await app.gql(REGISTER, { input: { ...baseInput(newCreditCode()), regionCode: '990000', industryChains: ['AI', 'NOT_A_CHAIN'] } }, { token });
      expect(second.data.registerEnterprise.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join('.')}:${e.code}`)).toEqual([
        'input.regionCode:INVALID_REGION_CODE',
        'input.industryChains.1:UNKNOWN_INDUSTRY_CHAIN',
      ]);
      expect(await rowCount(app, 'enterprise')).toBe(before);
    });

    it('refuses a name that would run as a spreadsheet formula, or holds a control character (SECURITY.md "Files from outside")', async () => {
      const token = app.token({ sub: 'reg-formula', role: 'ENTERPRISE' });
      const before = await rowCount(app, 'enterprise');
      for (const [name, code] of [["=cmd|' /C calc'!A0", 'FORMULA_TEXT'], ['  -2+3', 'FORMULA_TEXT'], ['甲\u0000公司', 'INVALID_TEXT']]) {
        const res = await app.gql(REGISTER, { input: { ...baseInput(newCreditCode()), name } }, { token, lang: 'en' });
        expect(res.data.registerEnterprise.userErrors).toEqual([expect.objectContaining({ field: ['input', 'name'], code })]);
      }
      const res = await app.gql(REGISTER, { input: { ...baseInput(newCreditCode()), name: '@SUM(1)' } }, { token, lang: 'en' });
      expect(res.data.registerEnterprise.userErrors[0].message).toBe('May not begin with = + - or @: a spreadsheet would run it as a formula');
      expect(await rowCount(app, 'enterprise')).toBe(before);
    });

    it('refuses a code another user registered (CREDIT_CODE_TAKEN)', async () => {
      const { input } = await registeredEnterprise(app);
      const other = app.token({ sub: 'reg-thief', role: 'ENTERPRISE' });
      const res = await app.gql(REGISTER, { input: { ...baseInput(input.creditCode) } }, { token: other });
      expect(res.data.registerEnterprise.userErrors).toMatchObject([{ field: ['input', 'creditCode'], code: 'CREDIT_CODE_TAKEN' }]);
      const bound = await app.dataSource.query('SELECT count(*)::int AS n FROM enterprise_user WHERE sub = $1', ['reg-thief']);
      expect(bound[0].n).toBe(0);
    });

    it('returns the same enterprise on a retry, and refuses a second enterprise for one sub', async () => {
      const { token, input, enterprise } = await registeredEnterprise(app);
      const retry = await app.gql(REGISTER, { input }, { token });
      expect(retry.data.registerEnterprise).toMatchObject({ userErrors: [], enterprise: { id: enterprise.id } });
      const second = await app.gql(REGISTER, { input: baseInput(newCreditCode()) }, { token });
      expect(second.data.registerEnterprise.userErrors).toMatchObject([{ code: 'ALREADY_REGISTERED' }]);
    });
  });

  it('claims an enterprise an import created without an owner, and fills its profile', async () => {
    const code = newCreditCode();
    await app.dataSource.query(
      `INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard) VALUES ($1, '导入企业', 'OTHER', '110105', 'MICRO', 'MIIT-2011-300')`,
      [code],
    );
    const token = app.token({ sub: 'claimer', role: 'ENTERPRISE' });
    const res = await app.gql(REGISTER, { input: { ...baseInput(code), name: '认领后的名称', sector: 'SOFTWARE_IT', employees: 150, revenue: '20000000.00' } }, { token });
    expect(res.data.registerEnterprise.userErrors).toEqual([]);
    expect(res.data.registerEnterprise.enterprise).toMatchObject({ creditCode: code, name: '认领后的名称', sizeClass: 'MEDIUM', claimed: true });
    const rows = await app.dataSource.query('SELECT count(*)::int AS n FROM enterprise WHERE credit_code = $1', [code]);
    expect(rows[0].n).toBe(1);
  });

  it('lets two users race for one new code: exactly one wins', async () => {
    const code = newCreditCode();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => app.gql(REGISTER, { input: baseInput(code) }, { token: app.token({ sub: `racer-${i}`, role: 'ENTERPRISE' }) })),
    );
    const winners = results.filter((r) => r.data.registerEnterprise.userErrors.length === 0);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.data.registerEnterprise.userErrors[0]?.code === 'CREDIT_CODE_TAKEN')).toHaveLength(7);
    const owners = await app.dataSource.query('SELECT count(*)::int AS n FROM enterprise_user u JOIN enterprise e ON e.id = u.enterprise_id WHERE e.credit_code = $1', [code]);
    expect(owners[0].n).toBe(1);
  });

  it('is for ENTERPRISE tokens only', async () => {
    const res = await app.gql(REGISTER, { input: baseInput(newCreditCode()) }, { token: staff(app).admin });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('updateEnterpriseProfile', () => {
  it('changes the profile and recomputes the size class', async () => {
    const { token } = await registeredEnterprise(app);
    const res = await app.gql(UPDATE, { input: { employees: 1200, revenue: '500000000.00', sectorTags: ['EMERGING'], qualifications: [{ code: 'HIGH_TECH', validFrom: '2024-01-01', validTo: '2026-12-31' }] } }, { token });
    expect(res.data.updateEnterpriseProfile.userErrors).toEqual([]);
    // What the firm says of itself is shown as declared (issue 11 §6); rules read only the authority's.
    expect(res.data.updateEnterpriseProfile.enterprise).toMatchObject({
      sizeClass: 'LARGE',
      sectorTags: [],
      declaredSectorTags: ['EMERGING'],
      qualifications: [{ code: 'HIGH_TECH', validFrom: '2024-01-01', validTo: '2026-12-31', source: 'DECLARED' }],
    });
  });

  it('clears a field given as null and keeps omitted ones', async () => {
    const { token, enterprise } = await registeredEnterprise(app);
    const res = await app.gql(UPDATE, { input: { revenue: null } }, { token });
    expect(res.data.updateEnterpriseProfile.enterprise).toMatchObject({ revenue: null, employees: enterprise.employees, sizeClass: 'MICRO', name: enterprise.name });
  });

  it('cannot reach another enterprise, but an admin can', async () => {
    const a = await registeredEnterprise(app);
    const b = await registeredEnterprise(app);
    const refusedRes = await app.gql(UPDATE, { input: { enterpriseId: b.enterprise.id, name: 'hijack' } }, { token: a.token });
    expect(refusedRes.data.updateEnterpriseProfile.userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
    const byAdmin = await app.gql(UPDATE, { input: { enterpriseId: b.enterprise.id, name: '管理员更正' } }, { token: staff(app).admin });
    expect(byAdmin.data.updateEnterpriseProfile).toMatchObject({ userErrors: [], enterprise: { name: '管理员更正' } });
    const byBank = await app.gql(UPDATE, { input: { enterpriseId: b.enterprise.id, name: 'x' } }, { token: staff(app).analyst });
    expect(byBank.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('enterprise(creditCode) and R10', () => {
  it('shows an enterprise its own record with contact; banks, analysts, authorities and admins the profile without contact', async () => {
    const { token, input } = await registeredEnterprise(app);
    const own = await app.gql(ENTERPRISE, { code: input.creditCode.toLowerCase() }, { token });
    expect(own.data.enterprise.contact).toEqual({ person: '张三', phone: '010-12345678', email: 'zhang@example.invalid' });
    const { token: bankToken } = await institutionWithToken(app, 'BANK', '合同测试银行');
    for (const viewer of [bankToken, staff(app).analyst, staff(app).authority]) {
      const res = await app.gql(ENTERPRISE, { code: input.creditCode }, { token: viewer });
      expect(res.data.enterprise).toMatchObject({ creditCode: input.creditCode, contact: null });
    }
    // R10 as issue 3 states it: contact only for the enterprise and institutions it consented to — not admins either.
    const admin = await app.gql(ENTERPRISE, { code: input.creditCode }, { token: staff(app).admin });
    expect(admin.data.enterprise).toMatchObject({ creditCode: input.creditCode, contact: null });
  });

  it('refuses an enterprise another firm\'s record, existing or not', async () => {
    const a = await registeredEnterprise(app);
    const b = await registeredEnterprise(app);
    const messages = new Set<string>();
    for (const code of [b.input.creditCode, newCreditCode()]) {
      const res = await app.gql(ENTERPRISE, { code }, { token: a.token });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      messages.add(res.errors![0].message);
    }
    expect(messages.size).toBe(1);
  });

  it('returns null for an unknown code and an error naming the problem for a malformed one', async () => {
    const unknown = await app.gql(ENTERPRISE, { code: newCreditCode() }, { token: staff(app).analyst });
    expect(unknown.data.enterprise).toBeNull();
    const bad = await app.gql(ENTERPRISE, { code: '123' }, { token: staff(app).analyst, lang: 'en' });
    expect(bad.errors?.[0]).toMatchObject({ message: 'A unified social credit code has 18 characters; this one has 3', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('lists the industry chains of seed 003', async () => {
    const res = await app.gql('{ industryChains { code nameZh } }', {}, { token: staff(app).analyst });
    expect(res.data.industryChains.map((c: { code: string }) => c.code)).toEqual(['AI', 'BIOPHARMA', 'ENERGY_STORAGE', 'HYDROGEN', 'MEDICAL_ROBOTICS', 'WIND_EQUIPMENT']);
  });
});
