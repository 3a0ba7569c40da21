import { startTestApp, TestApp } from '../support/harness';
import { daysFromToday, institutionWithToken, NEED_FIELDS, POST_NEED, registeredEnterprise, rowCount, staff, WITHDRAW_NEED } from './fixtures';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const LOAN = { kind: 'LOAN', amount: '5000000.00', termMonths: 12, purpose: 'WORKING_CAPITAL', collateralOffered: ['RECEIVABLES'], maxAnnualRate: '0.0550', neededBy: daysFromToday(60) };
const NEEDS = `query($filter: FinancingNeedFilter, $first: Int, $after: String) { financingNeeds(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${NEED_FIELDS} } } } }`;
const codes = (errors: { field: string[]; code: string }[]) => errors.map((e) => `${e.field.join('.')}:${e.code}`);

describe('postFinancingNeed (R11)', () => {
  it('posts a loan need, OPEN, with exact decimals', async () => {
    const { token, input } = await registeredEnterprise(app);
    const res = await app.gql(POST_NEED, { input: { ...LOAN, channel: 'WEB' } }, { token });
    expect(res.errors).toBeUndefined();
    expect(res.data.postFinancingNeed).toMatchObject({
      userErrors: [],
      need: { kind: 'LOAN', status: 'OPEN', channel: 'WEB', amount: '5000000.00', termMonths: 12, maxAnnualRate: '0.055', acceptGuarantee: true, equity: null, enterprise: { creditCode: input.creditCode } },
    });
  });

  it('posts an equity need with its terms, from the mini-program by default', async () => {
    const { token } = await registeredEnterprise(app);
    const res = await app.gql(POST_NEED, { input: { kind: 'EQUITY', amount: '20000000', equity: { stage: 'SERIES_A', preMoneyValuation: '180000000.00', maxShareOffered: '0.15', useOfProceeds: '研发与产线扩张' } } }, { token });
    expect(res.data.postFinancingNeed).toMatchObject({
      userErrors: [],
      need: { kind: 'EQUITY', channel: 'MINI_PROGRAM', amount: '20000000.00', termMonths: null, equity: { stage: 'SERIES_A', preMoneyValuation: '180000000.00', maxShareOffered: '0.15' } },
    });
  });

  describe('when the input is refused', () => {
    it.each([
      ['a loan without a term', { ...LOAN, termMonths: null }, ['input.termMonths:REQUIRED']],
      ['a term past 360 months', { ...LOAN, termMonths: 361 }, ['input.termMonths:OUT_OF_RANGE']],
      ['an amount that is not a number', { ...LOAN, amount: 'abc' }, ['input.amount:INVALID_DECIMAL']],
      ['fractions of a cent', { ...LOAN, amount: '100.001' }, ['input.amount:TOO_MANY_DECIMAL_PLACES']],
      ['a zero amount', { ...LOAN, amount: '0' }, ['input.amount:OUT_OF_RANGE']],
      ['a rate above 100 %', { ...LOAN, maxAnnualRate: '1.5' }, ['input.maxAnnualRate:OUT_OF_RANGE']],
      ['a needed-by date in the past', { ...LOAN, neededBy: '2020-01-01' }, ['input.neededBy:DATE_IN_PAST']],
      ['an unknown channel', { ...LOAN, channel: 'FAX' }, ['input.channel:INVALID_CHANNEL']],
      ['equity terms on a loan', { ...LOAN, equity: { stage: 'SEED' } }, ['input.equity:NOT_APPLICABLE']],
      ['an equity need without terms', { kind: 'EQUITY', amount: '1000000' }, ['input.equity:REQUIRED']],
      ['loan fields on an equity need', { kind: 'EQUITY', amount: '1000000', termMonths: 12, equity: { stage: 'SEED' } }, ['input.termMonths:NOT_APPLICABLE']],
      ['a share above 100 %', { kind: 'EQUITY', amount: '1000000', equity: { stage: 'SEED', maxShareOffered: '1.2' } }, ['input.equity.maxShareOffered:OUT_OF_RANGE']],
      ['a malformed idempotency key', { ...LOAN, idempotencyKey: 'has spaces' }, ['input.idempotencyKey:INVALID_FORMAT']],
    ])('refuses %s and writes nothing', async (_what, input, expected) => {
      const { token } = await registeredEnterprise(app);
      const before = await rowCount(app, 'financing_need');
      const res = await app.gql(POST_NEED, { input }, { token });
      expect(res.errors).toBeUndefined();
      expect(res.data.postFinancingNeed.need).toBeNull();
      expect(codes(res.data.postFinancingNeed.userErrors)).toEqual(expected);
      expect(await rowCount(app, 'financing_need')).toBe(before);
    });

    it('asks an unregistered user to register first', async () => {
      const res = await app.gql(POST_NEED, { input: LOAN }, { token: app.token({ sub: 'nobody-yet', role: 'ENTERPRISE' }) });
      expect(res.data.postFinancingNeed.userErrors).toMatchObject([{ code: 'NOT_REGISTERED', field: ['input'] }]);
    });

    it('is for enterprises: a bank, an analyst or no token cannot post', async () => {
      const { token: bank } = await institutionWithToken(app, 'BANK', '发需求测试银行');
      for (const token of [bank, staff(app).analyst, staff(app).admin]) {
        const res = await app.gql(POST_NEED, { input: LOAN }, { token });
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
      const anonymous = await app.gql(POST_NEED, { input: LOAN }, { token: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('DUPLICATE_NEED', () => {
    it('refuses an active need of the same kind, amount and term from any channel; allows it once the first is withdrawn', async () => {
      const { token } = await registeredEnterprise(app);
      const first = await app.gql(POST_NEED, { input: { ...LOAN, channel: 'MINI_PROGRAM' } }, { token });
      const dup = await app.gql(POST_NEED, { input: { ...LOAN, channel: 'ROADSHOW', purpose: 'EQUIPMENT' } }, { token, lang: 'en' });
      expect(dup.data.postFinancingNeed.userErrors).toEqual([
        { field: ['input', 'amount'], code: 'DUPLICATE_NEED', message: 'An open need of the same kind, amount and term already exists (posted via MINI_PROGRAM)', params: { channel: 'MINI_PROGRAM' } },
      ]);
      const otherTerm = await app.gql(POST_NEED, { input: { ...LOAN, termMonths: 24 } }, { token });
      expect(otherTerm.data.postFinancingNeed.userErrors).toEqual([]);
      await app.gql(WITHDRAW_NEED, { input: { needId: first.data.postFinancingNeed.need.id } }, { token });
      const again = await app.gql(POST_NEED, { input: { ...LOAN, channel: 'ROADSHOW' } }, { token });
      expect(again.data.postFinancingNeed.userErrors).toEqual([]);
    });

    it('lets only one of several identical concurrent posts land', async () => {
      const { token, enterprise } = await registeredEnterprise(app);
      const results = await Promise.all(Array.from({ length: 10 }, () => app.gql(POST_NEED, { input: { ...LOAN, amount: '7777777.00' } }, { token })));
      expect(results.filter((r) => r.data.postFinancingNeed.userErrors.length === 0)).toHaveLength(1);
      expect(results.filter((r) => r.data.postFinancingNeed.userErrors[0]?.code === 'DUPLICATE_NEED')).toHaveLength(9);
      const rows = await app.dataSource.query(
        `SELECT count(*)::int AS n FROM financing_need n JOIN enterprise e ON e.id = n.enterprise_id WHERE e.credit_code = $1 AND amount = 7777777`,
        [enterprise.creditCode],
      );
      expect(rows[0].n).toBe(1);
    });
  });

  describe('idempotency keys', () => {
    it('returns the first result for a retry and creates nothing', async () => {
      const { token } = await registeredEnterprise(app);
      const input = { ...LOAN, amount: '1230000.00', idempotencyKey: 'mp-7f3a-0001' };
      const first = await app.gql(POST_NEED, { input }, { token });
      const before = await rowCount(app, 'financing_need');
      const retry = await app.gql(POST_NEED, { input }, { token });
      expect(retry.data.postFinancingNeed).toEqual(first.data.postFinancingNeed);
      expect(await rowCount(app, 'financing_need')).toBe(before);
    });

    it('refuses the same key for a different request', async () => {
      const { token } = await registeredEnterprise(app);
      await app.gql(POST_NEED, { input: { ...LOAN, amount: '1000000.00', idempotencyKey: 'k-1' } }, { token });
      const res = await app.gql(POST_NEED, { input: { ...LOAN, amount: '2000000.00', idempotencyKey: 'k-1' } }, { token });
      expect(codes(res.data.postFinancingNeed.userErrors)).toEqual(['input.idempotencyKey:IDEMPOTENCY_KEY_REUSED']);
    });

    it('makes one need from 20 concurrent retries with one key', async () => {
      const { token, enterprise } = await registeredEnterprise(app);
      const input = { ...LOAN, amount: '4321000.00', idempotencyKey: 'concurrent-retry' };
      const results = await Promise.all(Array.from({ length: 20 }, () => app.gql(POST_NEED, { input }, { token })));
      const ids = new Set(results.map((r) => r.data.postFinancingNeed.need?.id));
      expect(results.every((r) => r.data.postFinancingNeed.userErrors.length === 0)).toBe(true);
      expect(ids.size).toBe(1);
      const rows = await app.dataSource.query(`SELECT count(*)::int AS n FROM financing_need n JOIN enterprise e ON e.id = n.enterprise_id WHERE e.credit_code = $1`, [enterprise.creditCode]);
      expect(rows[0].n).toBe(1);
    });

    it('keeps keys per user: another enterprise may use the same key', async () => {
      const a = await registeredEnterprise(app);
      const b = await registeredEnterprise(app);
      const input = { ...LOAN, idempotencyKey: 'shared-key' };
      const ra = await app.gql(POST_NEED, { input }, { token: a.token });
      const rb = await app.gql(POST_NEED, { input }, { token: b.token });
      expect(ra.data.postFinancingNeed.need.id).not.toBe(rb.data.postFinancingNeed.need.id);
    });
  });
});

describe('withdrawFinancingNeed', () => {
  it('withdraws an active need once, with its reason', async () => {
    const { token } = await registeredEnterprise(app);
    const posted = await app.gql(POST_NEED, { input: LOAN }, { token });
    const needId = posted.data.postFinancingNeed.need.id;
    const res = await app.gql(WITHDRAW_NEED, { input: { needId, reason: '已获得其他渠道融资' } }, { token });
    expect(res.data.withdrawFinancingNeed).toMatchObject({ userErrors: [], need: { status: 'WITHDRAWN', statusReason: '已获得其他渠道融资' } });
    const again = await app.gql(WITHDRAW_NEED, { input: { needId } }, { token });
    expect(codes(again.data.withdrawFinancingNeed.userErrors)).toEqual(['input.needId:NEED_NOT_WITHDRAWABLE']);
  });

  it('does not reach another enterprise\'s need, nor a malformed id', async () => {
    const a = await registeredEnterprise(app);
    const b = await registeredEnterprise(app);
    const posted = await app.gql(POST_NEED, { input: LOAN }, { token: b.token });
    const needId = posted.data.postFinancingNeed.need.id;
    const res = await app.gql(WITHDRAW_NEED, { input: { needId } }, { token: a.token });
    expect(codes(res.data.withdrawFinancingNeed.userErrors)).toEqual(['input.needId:NOT_FOUND']);
    const bad = await app.gql(WITHDRAW_NEED, { input: { needId: 'nonsense' } }, { token: a.token });
    expect(codes(bad.data.withdrawFinancingNeed.userErrors)).toEqual(['input.needId:INVALID_ID']);
    const [row] = await app.dataSource.query(`SELECT status FROM financing_need WHERE id = $1`, [Buffer.from(needId, 'base64url').toString().split(':')[1]]);
    expect(row.status).toBe('OPEN');
  });
});

describe('EXPIRED past needed-by', () => {
  it('reads EXPIRED at once, is found by that status, and is swept into the table; an identical need may then be posted', async () => {
    const { token } = await registeredEnterprise(app);
    const posted = await app.gql(POST_NEED, { input: { ...LOAN, amount: '3330000.00' } }, { token });
    const id = Buffer.from(posted.data.postFinancingNeed.need.id, 'base64url').toString().split(':')[1];
    await app.dataSource.query(`UPDATE financing_need SET needed_by = current_date - 1 WHERE id = $1`, [id]);
    const list = await app.gql(NEEDS, { filter: { status: ['EXPIRED'] } }, { token });
    expect(list.data.financingNeeds.edges.map((e: { node: { status: string } }) => e.node.status)).toEqual(['EXPIRED']);
    const withdraw = await app.gql(WITHDRAW_NEED, { input: { needId: posted.data.postFinancingNeed.need.id } }, { token });
    expect(withdraw.data.withdrawFinancingNeed.userErrors[0]).toMatchObject({ code: 'NEED_NOT_WITHDRAWABLE', params: { status: 'EXPIRED' } });
    const repost = await app.gql(POST_NEED, { input: { ...LOAN, amount: '3330000.00' } }, { token });
    expect(repost.data.postFinancingNeed.userErrors).toEqual([]);
    const [row] = await app.dataSource.query(`SELECT status FROM financing_need WHERE id = $1`, [id]);
    expect(row.status).toBe('EXPIRED');
  });
});

describe('financingNeeds and R10', () => {
  it('shows an enterprise only its own needs, analysts and authorities all, institutions none until matched', async () => {
    const a = await registeredEnterprise(app);
    const b = await registeredEnterprise(app);
    await app.gql(POST_NEED, { input: { ...LOAN, amount: '1111111.00' } }, { token: a.token });
    await app.gql(POST_NEED, { input: { ...LOAN, amount: '2222222.00' } }, { token: b.token });
    const own = await app.gql(NEEDS, { first: 100 }, { token: a.token });
    expect(own.data.financingNeeds.edges.every((e: { node: { enterprise: { creditCode: string } } }) => e.node.enterprise.creditCode === a.input.creditCode)).toBe(true);
    expect(own.data.financingNeeds.totalCount).toBe(1);
    const all = await app.gql(NEEDS, { first: 100 }, { token: staff(app).analyst });
    expect(all.data.financingNeeds.totalCount).toBe(await rowCount(app, 'financing_need'));
    const { token: bankToken } = await institutionWithToken(app, 'BANK', '可见性测试银行');
    const bank = await app.gql(NEEDS, {}, { token: bankToken });
    expect(bank.data.financingNeeds).toMatchObject({ totalCount: 0, edges: [] });
    const NESTED = `query($code: String!) { enterprise(creditCode: $code) { needs { totalCount edges { node { amount } } } } }`;
    const bankNested = await app.gql(NESTED, { code: a.input.creditCode }, { token: bankToken });
    expect(bankNested.data.enterprise.needs).toEqual({ totalCount: 0, edges: [] });
    const analystNested = await app.gql(NESTED, { code: a.input.creditCode }, { token: staff(app).analyst });
    expect(analystNested.data.enterprise.needs).toEqual({ totalCount: 1, edges: [{ node: { amount: '1111111.00' } }] });
    const node = await app.gql(`query($id: ID!) { node(id: $id) { id ... on FinancingNeed { amount } } }`, { id: own.data.financingNeeds.edges[0].node.id }, { token: b.token });
    expect(node.data.node).toBeNull();
  });

  it('pages with cursors, newest first, and filters by kind, channel, region and chain', async () => {
    const { token, input } = await registeredEnterprise(app, { regionCode: '310115', industryChains: ['HYDROGEN'] });
    for (let i = 1; i <= 5; i++) await app.gql(POST_NEED, { input: { ...LOAN, amount: `${i}00000.00`, channel: i % 2 ? 'ROADSHOW' : 'WEB' } }, { token });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await app.gql(NEEDS, { first: 2, after, filter: { creditCode: input.creditCode } }, { token: staff(app).analyst });
      expect(page.data.financingNeeds.totalCount).toBe(5);
      seen.push(...page.data.financingNeeds.edges.map((e: { node: { amount: string } }) => e.node.amount));
      after = page.data.financingNeeds.pageInfo.hasNextPage ? page.data.financingNeeds.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['500000.00', '400000.00', '300000.00', '200000.00', '100000.00']);
    const filtered = await app.gql(NEEDS, { filter: { regionPrefix: '3101', industryChain: 'HYDROGEN', channel: 'ROADSHOW', kind: 'LOAN', postedFrom: daysFromToday(-1), postedTo: daysFromToday(0) } }, { token: staff(app).analyst });
    expect(filtered.data.financingNeeds.totalCount).toBe(3);
  });

  it('refuses a page size outside 1–100 and a forged cursor', async () => {
    for (const first of [0, 101]) {
      const res = await app.gql(NEEDS, { first }, { token: staff(app).analyst });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const forged = await app.gql(NEEDS, { after: 'not-a-cursor' }, { token: staff(app).analyst });
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badDate = await app.gql(NEEDS, { filter: { postedFrom: '2026-13-01' } }, { token: staff(app).analyst });
    expect(badDate.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filter.postedFrom' } });
    const wildcard = await app.gql(NEEDS, { filter: { regionPrefix: '%' } }, { token: staff(app).analyst });
    expect(wildcard.data.financingNeeds.totalCount).toBe(0);
  });
});
