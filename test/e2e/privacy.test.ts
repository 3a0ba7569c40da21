/**
 * R10 — who may see what: contact details and the full credit history only for the enterprise itself
 * and the institutions it consented to; rating and tax grade for institutions, authorities and admins;
 * nothing of credit for analysts. Every read of credit data by anyone but the enterprise is recorded in
 * an append-only audit, which authorities, admins and the enterprise itself may read.
 */
import { fromGlobalId, toGlobalId } from '../../src/common/ids';
import { startTestApp, TestApp } from '../support/harness';
import {
  createInstitution, CREATE_PRODUCT, daysFromToday, GRANT_CONSENT, importCredit, institutionWithToken, POST_NEED, publishBatch, registeredEnterprise, REVOKE_CONSENT, rowCount, staff,
  WHITELIST_PAGE,
} from './fixtures';
import { mutate, setUpMarket } from './policy-fixtures';

let app: TestApp;
let authority: string;
type Firm = Awaited<ReturnType<typeof registeredEnterprise>>;
type Inst = Awaited<ReturnType<typeof institutionWithToken>>;

let x: Firm; // the firm whose data is looked at
let y: Firm; // another firm
let bankConsented: Inst;
let bankWithout: Inst;
let bankRevoked: Inst;
let guarantor: Inst; // no guarantee of x routed to it
let investor: Inst; // x's equity need is matched to its product
let routedGuarantor: string; // token of the guarantor x's guaranteed-loan match is routed to
let otherInvestor: Inst; // no need of x matched to its products
const uuid = (id: string) => fromGlobalId(id)!.uuid;
const enterpriseUuid = async (code: string) => (await app.dataSource.query('SELECT id FROM enterprise WHERE credit_code = $1', [code]))[0].id as string;

const CONTACT = { person: '张三', phone: '010-12345678', email: 'zhang@example.invalid' };

beforeAll(async () => {
  app = await startTestApp();
  authority = staff(app).authority;
  x = await registeredEnterprise(app);
  y = await registeredEnterprise(app);
  bankConsented = await institutionWithToken(app, 'BANK', '授权银行');
  bankWithout = await institutionWithToken(app, 'BANK', '未授权银行');
  bankRevoked = await institutionWithToken(app, 'BANK', '已撤回授权银行');
  guarantor = await institutionWithToken(app, 'GUARANTOR', '担保公司');
  investor = await institutionWithToken(app, 'INVESTOR', '投资机构');
  otherInvestor = await institutionWithToken(app, 'INVESTOR', '未匹配投资机构');

  await importCredit(app, authority, {
    source: 'PBOC-CRC',
    asOf: '2024-12-31',
    records: [{ creditCode: x.input.creditCode, rating: 'A', taxGrade: 'B', overdueCount12m: 2 }],
  });
  await importCredit(app, authority, {
    source: 'PBOC-CRC',
    asOf: '2025-01-31',
    records: [
      {
        creditCode: x.input.creditCode,
        rating: 'AA',
        taxGrade: 'A',
        overdueCount12m: 1,
        currentOverdueAmount: '5000.00',
        socialSecurityMonths: 48,
        hadBankLoan: false,
        dishonesty: [
          { kind: 'ABNORMAL_OPERATION', listedOn: '2024-10-01' },
          { kind: 'MAJOR_TAX_VIOLATION', listedOn: '2023-01-01', repairedOn: '2023-08-01' },
        ],
      },
      { creditCode: y.input.creditCode, rating: 'BBB', taxGrade: 'B', dishonesty: [] },
    ],
  });

  for (const inst of [bankConsented, bankRevoked]) {
    const granted = await app.gql(GRANT_CONSENT, { input: { institutionId: inst.institution.id } }, { token: x.token });
    expect(granted.data.grantConsent.userErrors).toEqual([]);
  }
  const revoked = await app.gql(REVOKE_CONSENT, { input: { institutionId: bankRevoked.institution.id } }, { token: x.token });
  expect(revoked.data.revokeConsent.userErrors).toEqual([]);

  // x's loan need is matched to a guaranteed loan whose guarantee is routed to the market's guarantor,
  // and its equity need to the investor's product.
  const market = await setUpMarket(app, 'PV');
  routedGuarantor = app.token({ sub: 'guarantor-routed', role: 'GUARANTOR', institutionId: market.guarantor.id });
  await mutate(app, authority, CREATE_PRODUCT, {
    institutionId: investor.institution.id, name: 'A 轮', kind: 'EQUITY_INVESTMENT', needKind: 'EQUITY', minAmount: '5000000', maxAmount: '50000000', equity: { stages: ['SERIES_A'] },
  });
  const loan = await mutate(app, x.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });
  const equity = await mutate(app, x.token, POST_NEED, { kind: 'EQUITY', amount: '7000000', equity: { stage: 'SERIES_A' } });
  const routed = await app.dataSource.query('SELECT count(*)::int AS n FROM match WHERE need_id = $1 AND guarantor_id = $2', [uuid(loan.id), uuid(market.guarantor.id)]);
  expect(routed[0].n).toBe(1);
  const matched = await app.dataSource.query('SELECT count(*)::int AS n FROM match WHERE need_id = $1 AND institution_id = $2', [uuid(equity.id), uuid(investor.institution.id)]);
  expect(matched[0].n).toBe(1);
});
afterAll(async () => {
  await app?.close();
});

const LOOK = `query PrivacyLook($code: String!) { enterprise(creditCode: $code) { creditCode contact { person phone email } creditProfile {
  rating taxGrade firstLoan activeDishonesty { kind } detailVisible overdueCount12m currentOverdueAmount socialSecurityMonths dishonesty { kind active } history { asOf }
} } }`;
const LOG = `query($filter: CreditAccessFilter) { creditAccessLog(filter: $filter, first: 100) { totalCount edges { node { id sub role fields detailShown operation enterprise { creditCode } institution { id } } } } }`;

type LogNode = { sub: string | null; role: string; fields: string[]; detailShown: boolean; operation: string | null; enterprise: { creditCode: string }; institution: { id: string } | null };

describe('the R10 matrix: what each viewer sees of one enterprise', () => {
  type Sees = { contact: boolean; credit: 'full' | 'summary' | 'none' };
  type Row = [string, () => string, Sees | 'FORBIDDEN', 'ALL' | 'OWN' | 'FORBIDDEN'];
  const viewers: Row[] = [
    ['the enterprise itself', () => x.token, { contact: true, credit: 'full' }, 'OWN'],
    ['another ENTERPRISE', () => y.token, 'FORBIDDEN', 'OWN'],
    ['a BANK without consent', () => bankWithout.token, { contact: false, credit: 'summary' }, 'FORBIDDEN'],
    ['a BANK with consent', () => bankConsented.token, { contact: true, credit: 'full' }, 'FORBIDDEN'],
    ['a BANK after revokeConsent', () => bankRevoked.token, { contact: false, credit: 'summary' }, 'FORBIDDEN'],
    ['a GUARANTOR a guarantee of the firm is routed to', () => routedGuarantor, { contact: false, credit: 'summary' }, 'FORBIDDEN'],
    ['a GUARANTOR with no guarantee of the firm (consent went to another institution)', () => guarantor.token, { contact: false, credit: 'none' }, 'FORBIDDEN'],
    ['an INVESTOR the firm\'s need was matched to', () => investor.token, { contact: false, credit: 'summary' }, 'FORBIDDEN'],
    ['an INVESTOR with no matched need of the firm', () => otherInvestor.token, { contact: false, credit: 'none' }, 'FORBIDDEN'],
    ['an AUTHORITY', () => staff(app).authority, { contact: false, credit: 'summary' }, 'ALL'],
    ['an ANALYST', () => staff(app).analyst, { contact: false, credit: 'none' }, 'FORBIDDEN'],
    ['an ADMIN', () => staff(app).admin, { contact: false, credit: 'summary' }, 'ALL'],
  ];

  beforeAll(async () => {
    // At least one recorded read of x's data before anyone reads the log.
    await app.gql(LOOK, { code: x.input.creditCode }, { token: bankWithout.token });
  });

  it.each(viewers)('%s', async (_who, token, sees, log) => {
    const res = await app.gql(LOOK, { code: x.input.creditCode }, { token: token() });
    if (sees === 'FORBIDDEN') {
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.data?.enterprise ?? null).toBeNull();
    } else {
      expect(res.errors).toBeUndefined();
      const { contact, creditProfile } = res.data.enterprise;
      // Column 1: contact.
      expect(contact).toEqual(sees.contact ? CONTACT : null);
      // Columns 2 and 3: the credit summary and the detail.
      if (sees.credit === 'none') {
        expect(creditProfile).toBeNull();
      } else {
        expect(creditProfile).toMatchObject({ rating: 'AA', taxGrade: 'A', firstLoan: true, activeDishonesty: [{ kind: 'ABNORMAL_OPERATION' }] });
        if (sees.credit === 'full') {
          expect(creditProfile).toMatchObject({
            detailVisible: true,
            overdueCount12m: 1,
            currentOverdueAmount: '5000.00',
            socialSecurityMonths: 48,
            dishonesty: [{ kind: 'ABNORMAL_OPERATION', active: true }, { kind: 'MAJOR_TAX_VIOLATION', active: false }],
            history: [{ asOf: '2025-01-31' }, { asOf: '2024-12-31' }],
          });
        } else {
          expect(creditProfile).toMatchObject({ detailVisible: false, overdueCount12m: null, currentOverdueAmount: null, socialSecurityMonths: null, dishonesty: null, history: null });
        }
      }
    }

    // Column 4: the audit of credit reads.
    const logRes = await app.gql(LOG, {}, { token: token() });
    if (log === 'FORBIDDEN') {
      expect(logRes.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      return;
    }
    expect(logRes.errors).toBeUndefined();
    const conn = logRes.data.creditAccessLog as { totalCount: number; edges: { node: LogNode }[] };
    const nodes = conn.edges.map((e) => e.node);
    if (log === 'ALL') {
      expect(conn.totalCount).toBe(await rowCount(app, 'credit_access_log'));
      expect(conn.totalCount).toBeGreaterThan(0);
      expect(nodes.every((n) => n.sub !== null)).toBe(true);
    } else {
      // An enterprise sees the reads of its own data only, without the reader's sub.
      const viewer = token() === x.token ? x : y;
      const [own] = await app.dataSource.query('SELECT count(*)::int AS n FROM credit_access_log WHERE enterprise_id = $1', [await enterpriseUuid(viewer.input.creditCode)]);
      expect(conn.totalCount).toBe(own.n);
      expect(nodes.every((n) => n.enterprise.creditCode === viewer.input.creditCode && n.sub === null)).toBe(true);
      if (viewer === x) {
        expect(conn.totalCount).toBeGreaterThan(0);
        expect(nodes).toContainEqual(expect.objectContaining({ role: 'BANK', institution: { id: bankWithout.institution.id }, operation: 'PrivacyLook' }));
      }
    }
  });
});

describe('every read of credit data is recorded (R10)', () => {
  type Audit = { sub: string; role: string; institution_id: string | null; enterprise_id: string; fields: string[]; consented: boolean; operation: string | null };
  /** The audit rows `action` adds. */
  async function recorded(action: () => Promise<unknown>): Promise<Audit[]> {
    const before: { id: string }[] = await app.dataSource.query('SELECT id FROM credit_access_log');
    await action();
    return app.dataSource.query(
      'SELECT sub, role, institution_id, enterprise_id, fields, consented, operation FROM credit_access_log WHERE NOT (id = ANY($1::uuid[])) ORDER BY created_at, id',
      [before.map((r) => r.id)],
    );
  }
  const look = (selection: string, token: string, code = x.input.creditCode) =>
    app.gql(`query AuditLook($code: String!) { enterprise(creditCode: $code) { creditCode creditProfile { ${selection} } } }`, { code }, { token });

  it('one row per read by an institution: its role, institution, and the creditProfile fields selected', async () => {
    const rows = await recorded(() => look('taxGrade rating', bankWithout.token));
    expect(rows).toEqual([
      {
        sub: 'bank-未授权银行',
        role: 'BANK',
        institution_id: uuid(bankWithout.institution.id),
        enterprise_id: await enterpriseUuid(x.input.creditCode),
        fields: ['creditProfile.rating', 'creditProfile.taxGrade'],
        consented: false,
        operation: 'AuditLook',
      },
    ]);
  });

  it('records the detail as shown when the enterprise consented', async () => {
    const rows = await recorded(() => look('rating history { asOf } overdueCount12m', bankConsented.token));
    expect(rows).toMatchObject([{ role: 'BANK', institution_id: uuid(bankConsented.institution.id), fields: ['creditProfile.history', 'creditProfile.overdueCount12m', 'creditProfile.rating'], consented: true }]);
    const log = await app.gql(LOG, { filter: { institutionId: bankConsented.institution.id } }, { token: staff(app).admin });
    expect(log.data.creditAccessLog.edges[0].node).toMatchObject({ detailShown: true, fields: ['creditProfile.history', 'creditProfile.overdueCount12m', 'creditProfile.rating'] });
  });

  it.each([
    ['an AUTHORITY', () => staff(app).authority, 'AUTHORITY', 'authority-1'],
    ['an ADMIN', () => staff(app).admin, 'ADMIN', 'admin-1'],
  ])('records %s too, without an institution', async (_who, token, role, sub) => {
    expect(await recorded(() => look('rating', token()))).toMatchObject([{ role, sub, institution_id: null, fields: ['creditProfile.rating'], consented: false }]);
  });

  it('records nothing when the enterprise reads its own data', async () => {
    expect(await recorded(() => look('rating history { asOf }', x.token))).toEqual([]);
  });

  it('records nothing when no credit data is selected, or none is shown (analyst) or held', async () => {
    const noCredit = await recorded(() => app.gql('query($code: String!) { enterprise(creditCode: $code) { name contact { phone } } }', { code: x.input.creditCode }, { token: bankConsented.token }));
    expect(noCredit).toEqual([]);
    expect(await recorded(() => look('rating', staff(app).analyst))).toEqual([]);
    const bare = await registeredEnterprise(app);
    const res = await look('rating', bankWithout.token, bare.input.creditCode);
    expect(res.data.enterprise.creditProfile).toBeNull();
    expect(await recorded(() => look('rating', bankWithout.token, bare.input.creditCode))).toEqual([]);
  });

  describe('a whitelist page filtered on credit data', () => {
    let whitelistId: string;
    beforeAll(async () => {
      const z = await registeredEnterprise(app); // on the list, without credit data
      whitelistId = await publishBatch(
        app,
        authority,
        '隐私审计白名单',
        '1',
        [x, y, z].map((f) => ({ creditCode: f.input.creditCode, name: f.input.name, tier: 'SPECIALIZED_SME' as const, validFrom: '2024-01-01', validTo: '2099-12-31' })),
      );
    });
    const page = (filter: Record<string, unknown>) =>
      app.gql(WHITELIST_PAGE.replace('query(', 'query WhitelistAudit('), { filter: { whitelistId, ...filter } }, { token: bankWithout.token });

    it('records one row per returned firm, naming the filters used', async () => {
      let res: Awaited<ReturnType<typeof page>> | undefined;
      const rows = await recorded(async () => (res = await page({ minRating: 'C' })));
      expect(res!.data.whitelist.totalCount).toBe(2);
      expect(rows.map((r) => r.enterprise_id).sort()).toEqual([await enterpriseUuid(x.input.creditCode), await enterpriseUuid(y.input.creditCode)].sort());
      for (const row of rows) expect(row).toMatchObject({ role: 'BANK', institution_id: uuid(bankWithout.institution.id), fields: ['whitelist.filter.minRating'], consented: false, operation: 'WhitelistAudit' });
    });

    it('names every credit filter of the page', async () => {
      const rows = await recorded(() => page({ minTaxGrade: 'D', noActiveDishonesty: true }));
      expect(rows).toHaveLength(1); // x has an active listing
      expect(rows[0].enterprise_id).toBe(await enterpriseUuid(y.input.creditCode));
      expect([...rows[0].fields].sort()).toEqual(['whitelist.filter.minTaxGrade', 'whitelist.filter.noActiveDishonesty']);
    });

    it('records nothing for a page without credit filters', async () => {
      let res: Awaited<ReturnType<typeof page>> | undefined;
      expect(await recorded(async () => (res = await page({})))).toEqual([]);
      expect(res!.data.whitelist.totalCount).toBe(3);
    });

    describe('the filter read itself: who, when, criteria, how many firms were read, kept, excluded and returned', () => {
      const FILTER_LOG = `query($filter: CreditAccessFilter, $first: Int) { creditFilterLog(filter: $filter, first: $first) { totalCount edges { node {
        id createdAt sub role operation source criteria scope firmsRead firmsKept firmsExcluded firmsReturned institution { id } } } } }`;
      const filterLog = async (filter: Record<string, unknown>, token = staff(app).authority) => app.gql(FILTER_LOG, { filter, first: 100 }, { token });
      const newest = async () => (await filterLog({ institutionId: bankWithout.institution.id })).data.creditFilterLog.edges[0].node;

      it('a filter that excludes every firm but one is recorded with what it excluded, reviewable by an authority', async () => {
        const res = await app.gql(WHITELIST_PAGE.replace('query(', 'query ExcludingPage('), { filter: { whitelistId, minRating: 'A' } }, { token: bankWithout.token });
        expect(res.data.whitelist.edges.map((e: any) => e.node.enterprise.creditCode)).toEqual([x.input.creditCode]); // y (BBB) and z (no data) excluded
        expect(await newest()).toEqual({
          id: expect.any(String), createdAt: expect.any(String), sub: 'bank-未授权银行', role: 'BANK', operation: 'ExcludingPage', source: 'whitelist',
          criteria: { minRating: 'A' }, scope: { whitelistId, asOf: daysFromToday(0) },
          firmsRead: 3, firmsKept: 1, firmsExcluded: 2, firmsReturned: 1, institution: { id: bankWithout.institution.id },
        });
      });

      it('a filter that excludes every firm is recorded too, though no firm is returned', async () => {
        const res = await page({ minRating: 'AAA', noActiveDishonesty: true });
        expect(res.data.whitelist.totalCount).toBe(0);
        expect(await newest()).toMatchObject({ criteria: { minRating: 'AAA', noActiveDishonesty: true }, firmsRead: 3, firmsKept: 0, firmsExcluded: 3, firmsReturned: 0 });
      });

      it('with totalCount, counts the whole list: a page of one out of two kept', async () => {
        const res = await app.gql(WHITELIST_PAGE, { filter: { whitelistId, minRating: 'C' }, first: 1 }, { token: bankWithout.token });
        expect(res.data.whitelist).toMatchObject({ totalCount: 2, edges: [expect.anything()] });
        expect(await newest()).toMatchObject({ firmsRead: 3, firmsKept: 2, firmsExcluded: 1, firmsReturned: 1 });
      });

      it('with totalCount, reads the whole list once: one statement answers totalCount and the audit\'s counts', async () => {
        await app.settled();
        app.counter.reset();
        const res = await app.gql(WHITELIST_PAGE, { filter: { whitelistId, minRating: 'C' }, first: 1 }, { token: bankWithout.token });
        const reading = app.counter.statements.filter((sql) => /whitelist_search/.test(sql));
        expect(res.data.whitelist.totalCount).toBe(2);
        expect(await newest()).toMatchObject({ firmsRead: 3, firmsKept: 2 });
        // The page (its keyset scan) and the whole list's counts; the audit's INSERT reads no list of its own.
        expect(reading).toHaveLength(2);
        expect(reading.filter((sql) => /INSERT INTO credit_filter_read/.test(sql))).toEqual([]);
      });

      it('without totalCount, counts the firms the page\'s answer depends on: from its cursor to its last row, to the end on the last page', async () => {
        const PAGE_ONLY = `query($filter: WhitelistFilter, $first: Int, $after: String) { whitelist(filter: $filter, first: $first, after: $after) {
          pageInfo { hasNextPage endCursor } edges { node { enterprise { creditCode } } } } }`;
        const order: { code: string }[] = await app.dataSource.query(
          `SELECT e.credit_code AS code FROM whitelist_search s JOIN enterprise e ON e.id = s.enterprise_id WHERE s.whitelist_id = $1 ORDER BY s.created_at DESC, s.id DESC`,
          [uuid(whitelistId)]);
        const kept = new Set([x.input.creditCode, y.input.creditCode]); // z has no credit data
        const first = await app.gql(PAGE_ONLY, { filter: { whitelistId, minRating: 'C' }, first: 1 }, { token: bankWithout.token });
        const returned = first.data.whitelist.edges[0].node.enterprise.creditCode;
        const through = order.findIndex((r) => r.code === returned) + 1; // firms from the top through the page's last row
        expect(first.data.whitelist.pageInfo.hasNextPage).toBe(true);
        expect(await newest()).toMatchObject({ firmsRead: through, firmsKept: 1, firmsExcluded: through - 1, firmsReturned: 1 });
        const second = await app.gql(PAGE_ONLY, { filter: { whitelistId, minRating: 'C' }, first: 1, after: first.data.whitelist.pageInfo.endCursor }, { token: bankWithout.token });
        expect(second.data.whitelist.edges.map((e: any) => kept.has(e.node.enterprise.creditCode))).toEqual([true]);
        // The second page is the last: its window runs to the end of the list, and the two windows cover it once.
        expect(await newest()).toMatchObject({ firmsRead: order.length - through, firmsKept: 1, firmsReturned: 1 });
      });

      it('page after page, each window counts its firms once, a firm listed twice in it included', async () => {
        const w = await registeredEnterprise(app); // no credit data: read, excluded
        const entries = [x, y, w].map((f) => ({ creditCode: f.input.creditCode, name: f.input.name, tier: 'SPECIALIZED_SME' as const, validFrom: '2024-01-01', validTo: '2099-12-31' }));
        const listId = await publishBatch(app, authority, '隐私审计白名单（重复）', '1', entries);
        await publishBatch(app, authority, '隐私审计白名单（重复）', '2', entries); // each firm twice on the list
        const order: string[] = (await app.dataSource.query(
          `SELECT e.credit_code AS code FROM whitelist_search s JOIN enterprise e ON e.id = s.enterprise_id WHERE s.whitelist_id = $1 ORDER BY s.created_at DESC, s.id DESC`,
          [uuid(listId)])).map((r: { code: string }) => r.code);
        const kept = new Set([x.input.creditCode, y.input.creditCode]);
        const PAGE_ONLY = `query($filter: WhitelistFilter, $first: Int, $after: String) { whitelist(filter: $filter, first: $first, after: $after) {
          pageInfo { hasNextPage endCursor } edges { node { enterprise { creditCode } } } } }`;
        let after: string | null = null;
        let from = 0;
        const windows: number[] = [];
        for (let pages = 0; pages < order.length; pages += 1) {
          const res: any = await app.gql(PAGE_ONLY, { filter: { whitelistId: listId, minRating: 'C' }, first: 3, after }, { token: bankWithout.token });
          const { pageInfo, edges }: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: any[] } = res.data.whitelist;
          // The window: from the cursor through the page's last row (its 3rd kept row), to the end on the last page.
          let through = from;
          for (let seen = 0; seen < edges.length; through += 1) if (kept.has(order[through])) seen += 1;
          if (!pageInfo.hasNextPage) through = order.length;
          expect(edges.map((e: any) => e.node.enterprise.creditCode)).toEqual(order.slice(from, through).filter((code) => kept.has(code)));
          const firms = new Set(order.slice(from, through));
          expect(await newest()).toMatchObject({
            firmsRead: firms.size, firmsKept: [...firms].filter((code) => kept.has(code)).length, firmsReturned: new Set(edges.map((e: any) => e.node.enterprise.creditCode)).size,
          });
          windows.push(through - from);
          if (!pageInfo.hasNextPage) break;
          after = pageInfo.endCursor;
          from = through;
        }
        expect(windows.reduce((a, b) => a + b, 0)).toBe(order.length); // the windows cover the list once
        expect(windows.length).toBe(2); // 4 kept rows in pages of 3: the first window spans both batches, a firm twice in it
      });

      it('each returned firm\'s CreditAccess row names its filter read; by credit code, the log gives the reads that returned the firm', async () => {
        const read = await newest();
        const log = await app.gql(`query($filter: CreditAccessFilter) { creditAccessLog(filter: $filter, first: 1) { edges { node { fields filterRead { id criteria } } } } }`,
          { filter: { institutionId: bankWithout.institution.id } }, { token: staff(app).admin });
        expect(log.data.creditAccessLog.edges[0].node).toEqual({ fields: ['whitelist.filter.minRating'], filterRead: { id: read.id, criteria: { minRating: 'C' } } });
        const ofX = (await filterLog({ creditCode: x.input.creditCode })).data.creditFilterLog;
        const ofY = (await filterLog({ creditCode: y.input.creditCode })).data.creditFilterLog;
        expect(ofX.edges.map((e: any) => e.node.criteria)).toContainEqual({ minRating: 'A' });
        expect(ofY.edges.map((e: any) => e.node.criteria)).toContainEqual({ minRating: 'C' });
        expect(ofY.edges.map((e: any) => e.node.criteria)).not.toContainEqual({ minRating: 'A' }); // y was excluded there: counted, not named
      });

      it('is for authorities and admins: banks, analysts and enterprises are refused; the enterprise sees no filterRead on its own log', async () => {
        expect((await filterLog({}, staff(app).admin)).data.creditFilterLog.totalCount).toBe(await rowCount(app, 'credit_filter_read'));
        for (const token of [bankWithout.token, staff(app).analyst, x.token]) expect((await filterLog({}, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
        const own = await app.gql('{ creditAccessLog(first: 100) { edges { node { fields filterRead { id } } } } }', {}, { token: x.token });
        const fromFilters = own.data.creditAccessLog.edges.filter((e: any) => e.node.fields[0].startsWith('whitelist.filter.'));
        expect(fromFilters.length).toBeGreaterThan(0);
        expect(fromFilters.every((e: any) => e.node.filterRead === null)).toBe(true);
      });

      it('node(id) shows a filter read to authorities and admins only', async () => {
        const { id, firmsRead } = await newest();
        const NODE = 'query($id: ID!) { node(id: $id) { id ... on CreditFilterRead { firmsRead } } }';
        for (const token of [staff(app).authority, staff(app).admin]) expect((await app.gql(NODE, { id }, { token })).data.node).toEqual({ id, firmsRead });
        for (const token of [bankWithout.token, x.token, staff(app).analyst]) expect((await app.gql(NODE, { id }, { token })).data.node).toBeNull();
      });

      it('is append-only: UPDATE and DELETE fail', async () => {
        await expect(app.dataSource.query('UPDATE credit_filter_read SET read_count = 0')).rejects.toThrow(/append-only/);
        await expect(app.dataSource.query('DELETE FROM credit_filter_read')).rejects.toThrow(/append-only/);
      });
    });
  });

  it('node(id) shows an audit row to authorities, admins and the enterprise read, and to nobody else', async () => {
    const log = await app.gql(LOG, { filter: { creditCode: x.input.creditCode } }, { token: staff(app).authority });
    const id = log.data.creditAccessLog.edges[0].node.id as string;
    const NODE = 'query($id: ID!) { node(id: $id) { id ... on CreditAccess { role sub } } }';
    const seen = async (token: string) => (await app.gql(NODE, { id }, { token })).data.node;
    expect(await seen(staff(app).authority)).toMatchObject({ id, sub: expect.any(String) });
    expect(await seen(staff(app).admin)).toMatchObject({ id });
    expect(await seen(x.token)).toMatchObject({ id, sub: null });
    for (const token of [y.token, bankWithout.token, bankConsented.token, staff(app).analyst]) expect(await seen(token)).toBeNull();
  });

  it('is append-only: UPDATE and DELETE fail', async () => {
    expect(await rowCount(app, 'credit_access_log')).toBeGreaterThan(0);
    await expect(app.dataSource.query(`UPDATE credit_access_log SET role = 'NOBODY'`)).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query('DELETE FROM credit_access_log')).rejects.toThrow(/append-only/);
    const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM credit_access_log WHERE role = 'NOBODY'`);
    expect(row.n).toBe(0);
  });
});

describe('grantConsent and revokeConsent (R10)', () => {
  let firm: Firm;
  let bank: Inst;
  beforeAll(async () => {
    firm = await registeredEnterprise(app);
    bank = await institutionWithToken(app, 'BANK', '授权机制银行');
  });
  const grant = (institutionId: string, token = firm.token, lang?: string) => app.gql(GRANT_CONSENT, { input: { institutionId } }, { token, lang });
  const revoke = (institutionId: string, token = firm.token, lang?: string) => app.gql(REVOKE_CONSENT, { input: { institutionId } }, { token, lang });

  it('grants once: granting again returns the consent in force', async () => {
    const first = await grant(bank.institution.id);
    expect(first.data.grantConsent).toMatchObject({
      userErrors: [],
      consent: { via: 'GRANT', active: true, revokedAt: null, institution: { id: bank.institution.id }, enterprise: { creditCode: firm.input.creditCode } },
    });
    const again = await grant(bank.institution.id);
    expect(again.data.grantConsent.consent.id).toBe(first.data.grantConsent.consent.id);
    const [row] = await app.dataSource.query('SELECT count(*)::int AS n FROM consent WHERE enterprise_id = $1', [await enterpriseUuid(firm.input.creditCode)]);
    expect(row.n).toBe(1);
  });

  it('revokes the consent in force; a second revoke is refused (CONSENT_NOT_GRANTED); a new grant is a new consent', async () => {
    const granted = (await grant(bank.institution.id)).data.grantConsent.consent;
    const revoked = await revoke(bank.institution.id);
    expect(revoked.data.revokeConsent).toMatchObject({ userErrors: [], consent: { id: granted.id, active: false, revokedAt: expect.any(String) } });
    const twice = await revoke(bank.institution.id);
    expect(twice.data.revokeConsent).toMatchObject({ consent: null, userErrors: [{ field: ['input', 'institutionId'], code: 'CONSENT_NOT_GRANTED' }] });
    const english = await revoke(bank.institution.id, firm.token, 'en');
    expect(english.data.revokeConsent.userErrors[0].message).toBe('No consent to this institution is in force');
    const regranted = await grant(bank.institution.id);
    expect(regranted.data.grantConsent.consent).toMatchObject({ active: true });
    expect(regranted.data.grantConsent.consent.id).not.toBe(granted.id);
  });

  it('refuses revoking a consent that never existed', async () => {
    const other = await institutionWithToken(app, 'BANK', '从未授权银行');
    expect((await revoke(other.institution.id)).data.revokeConsent.userErrors).toMatchObject([{ code: 'CONSENT_NOT_GRANTED' }]);
  });

  it('refuses an authority (CONSENT_NOT_APPLICABLE), a malformed id (INVALID_ID) and an unknown one (NOT_FOUND)', async () => {
    const bureau = await createInstitution(app, authority, { kind: 'AUTHORITY', name: '市金融局' });
    const before = await rowCount(app, 'consent');
    const cases: [string, string][] = [
      [bureau.id, 'CONSENT_NOT_APPLICABLE'],
      ['not-an-id', 'INVALID_ID'],
      [toGlobalId('Enterprise', '00000000-0000-4000-8000-000000000000'), 'INVALID_ID'],
      [toGlobalId('Institution', '00000000-0000-4000-8000-000000000000'), 'NOT_FOUND'],
    ];
    for (const [id, code] of cases) {
      expect((await grant(id)).data.grantConsent).toMatchObject({ consent: null, userErrors: [{ field: ['input', 'institutionId'], code }] });
    }
    expect(await rowCount(app, 'consent')).toBe(before);
  });

  it('refuses an ENTERPRISE token that has not registered (NOT_REGISTERED)', async () => {
    const stranger = app.token({ sub: 'consent-stranger', role: 'ENTERPRISE' });
    expect((await grant(bank.institution.id, stranger)).data.grantConsent).toMatchObject({ consent: null, userErrors: [{ field: ['input'], code: 'NOT_REGISTERED' }] });
    expect((await revoke(bank.institution.id, stranger)).data.revokeConsent.userErrors).toMatchObject([{ code: 'NOT_REGISTERED' }]);
  });

  it.each([
    ['BANK', () => bank.token],
    ['AUTHORITY', () => staff(app).authority],
    ['ADMIN', () => staff(app).admin],
    ['ANALYST', () => staff(app).analyst],
  ])('is for ENTERPRISE tokens only: %s → FORBIDDEN', async (_role, token) => {
    expect((await grant(bank.institution.id, token())).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await revoke(bank.institution.id, token())).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('Enterprise.consents: the enterprise sees its own, newest first, revoked ones included; a bank sees null', async () => {
    const CONSENTS = 'query($code: String!) { enterprise(creditCode: $code) { consents { active institution { id } } } }';
    const own = await app.gql(CONSENTS, { code: firm.input.creditCode }, { token: firm.token });
    expect(own.data.enterprise.consents).toEqual([
      { active: true, institution: { id: bank.institution.id } },
      { active: false, institution: { id: bank.institution.id } },
    ]);
    const byBank = await app.gql(CONSENTS, { code: firm.input.creditCode }, { token: bank.token });
    expect(byBank.errors).toBeUndefined();
    expect(byBank.data.enterprise.consents).toBeNull();
    const byAdmin = await app.gql(CONSENTS, { code: firm.input.creditCode }, { token: staff(app).admin });
    expect(byAdmin.data.enterprise.consents).toBeNull();
  });
});

describe('filters do not disclose what fields hide (R10)', () => {
  it('the whitelist page offers no filter on the consent-only overdue count', async () => {
    const res = await app.gql('{ __type(name: "WhitelistFilter") { inputFields { name } } }', {}, { token: staff(app).analyst });
    const names = res.data.__type.inputFields.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['minRating', 'minTaxGrade', 'noActiveDishonesty', 'maxCreditDataAgeDays', 'firstLoanOnly']));
    expect(names).not.toContain('maxOverdueCount12m');
  });
});
