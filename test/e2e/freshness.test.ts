/**
 * R13 freshness: every kind of change that can alter matches reaches the affected needs within 5 seconds
 * through the durable job queue, and a change made while no worker runs is applied after a restart.
 */
import { uuidOf } from '../../src/common/ids';
import { refreshNeeds, refreshScope } from '../../src/matching/match.service';
import { startTestApp, TestApp } from '../support/harness';
import { IMPORT_CREDIT, POST_NEED, PUBLISH_BATCH, REVOKE_ENTRY, UPDATE_PRODUCT, entryIds, registeredEnterprise, staff, daysFromToday, CREATE_PRODUCT, SET_QUALIFICATIONS } from './fixtures';
import { firmWithNeed, matchOf } from './refresh-fixtures';
import { CREATE_AGREEMENT, CREATE_RULE, CREATE_SHARING, Market, SET_BENCHMARK, UPDATE_GUARANTOR, eventually, mutate, setUpMarket } from './policy-fixtures';

let app: TestApp;
let market: Market;
let authority: string;

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app);
  authority = staff(app).authority;
});
afterAll(() => app?.close());

describe('R13 — matches follow every change, within 5 seconds', () => {
  it('a product changed or switched off', async () => {
    const { firm, need } = await firmWithNeed(app, '6000000');
    expect(await matchOf(app, need.id, firm.token, market.creditLoan.id)).not.toBeNull();
    await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount: '5000000' });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)) === null);
    await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount: '20000000' });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)) !== null);
    await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, enabled: false });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)) === null);
    await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, enabled: true });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)) !== null);
  });

  it('a product change that leaves a match\'s terms as they were does not rewrite its row; one that re-prices it does, with the new version', async () => {
    const { firm, need } = await firmWithNeed(app, '6000000');
    expect(await matchOf(app, need.id, firm.token, market.creditLoan.id)).not.toBeNull();
    const row = async () => (await app.dataSource.query(
      `SELECT m.id, m.xmin::text AS xmin, m.product_version, m.indicative_rate::text AS rate, p.version FROM match m JOIN product p ON p.id = m.product_id
        WHERE m.need_id = $1 AND m.product_id = $2`, [uuidOf(need.id, 'FinancingNeed'), uuidOf(market.creditLoan.id, 'FinancialProduct')]))[0];
    const before = await row();
    const { version } = await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount: '30000000' });
    await app.settled();
    const after = await row();
    // The product moved to a new version; this need's terms did not, so its row is the same row version (xmin) with the version it was priced under.
    expect(version).toBeGreaterThan(before.version);
    expect(after).toEqual({ ...before, version });
    const { version: repriced } = await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, minAnnualRate: '0.0395' });
    await app.settled();
    const moved = await row();
    expect([moved.product_version, moved.rate === before.rate, moved.xmin === before.xmin]).toEqual([repriced, false, false]);
  });

  it('a need re-decided with nothing changed leaves its match rows as they were: not rewritten, not even locked', async () => {
    const { need } = await firmWithNeed(app, '6000000');
    await app.settled();
    const needId = uuidOf(need.id, 'FinancingNeed')!;
    const rows = async () => app.dataSource.query<{ id: string; xmin: string; xmax: string }[]>(
      `SELECT id, xmin::text AS xmin, xmax::text AS xmax FROM match WHERE need_id = $1 ORDER BY id`, [needId]);
    const before = await rows();
    expect(before.length).toBeGreaterThan(0);
    const stats = await app.dataSource.transaction((em) => refreshNeeds(em, [needId]));
    expect(stats.eligible).toBe(before.length);
    // An ON CONFLICT DO UPDATE locks every row it meets, updated or not (xmax names the locker): the write leaves unchanged rows out.
    expect(await rows()).toEqual(before.map((r) => ({ ...r, xmax: '0' })));
  });

  it('a need decided in full costs three round trips once the product index and the policy tables are in memory: its day and lock, its inputs, its write', async () => {
    const { need } = await firmWithNeed(app, '6000000');
    await app.settled();
    const needId = uuidOf(need.id, 'FinancingNeed')!;
    const sent: string[] = [];
    const stats = await app.dataSource.transaction(async (em) => {
      // The transaction's own connection: nothing else sends on it while the refresh runs.
      const client = (await em.queryRunner!.connect()) as { query: (...args: unknown[]) => unknown };
      const query = client.query;
      client.query = function (this: unknown, ...args: unknown[]) {
        const config = args[0] as string | { text: string };
        sent.push(typeof config === 'string' ? config : config.text);
        return query.apply(this, args);
      };
      try {
        return await refreshNeeds(em, [needId]);
      } finally {
        client.query = query;
      }
    });
    expect(stats.eligible).toBeGreaterThan(0);
    expect(sent).toHaveLength(3);
    // The lock rides with the day and the plan mode: one statement, before the inputs are read.
    expect(sent[0]).toMatch(/plan_cache_mode[\s\S]*FOR UPDATE/);
    expect(sent[1]).toMatch(/^\s*WITH c AS MATERIALIZED/);
  });

  it('a product created', async () => {
    const { firm, need } = await firmWithNeed(app, '2500000');
    const product = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '新产品', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '3000000', minAnnualRate: '0.04',
    });
    await eventually(async () => (await matchOf(app, need.id, firm.token, product.id)) !== null);
  });

  it('a whitelist entry published, then revoked', async () => {
    const { firm, need } = await firmWithNeed(app, '1500000');
    const product = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: '专精特新贷', kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '2000000',
      eligibility: { whitelistTierAtLeast: 'SPECIALIZED_SME' },
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await matchOf(app, need.id, firm.token, product.id)).toBeNull();
    const code = firm.enterprise.creditCode;
    await app.gql(PUBLISH_BATCH, { input: { whitelistName: '专精特新', batch: 'F1', entries: [{ creditCode: code, name: firm.input.name, tier: 'LITTLE_GIANT', validFrom: daysFromToday(-30), validTo: daysFromToday(700) }] } }, { token: authority });
    await eventually(async () => (await matchOf(app, need.id, firm.token, product.id)) !== null);
    const whitelists = await app.gql('{ whitelists { id name } }', {}, { token: authority });
    const ids = await entryIds(app, authority, whitelists.data.whitelists.find((w: any) => w.name === '专精特新').id);
    await mutate(app, authority, REVOKE_ENTRY, { entryId: ids.get(code), revokedOn: daysFromToday(0), reason: '复核未通过' });
    await eventually(async () => (await matchOf(app, need.id, firm.token, product.id)) === null);
  });

  it('a credit import', async () => {
    const { firm, need } = await firmWithNeed(app, '7000000');
    expect(await matchOf(app, need.id, firm.token, market.creditLoan.id)).not.toBeNull();
    await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: daysFromToday(0), records: [{ creditCode: firm.enterprise.creditCode, rating: 'BB' }] });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)) === null);
  });

  it('a policy rule (a new version) and a benchmark rate', async () => {
    const { firm, need } = await firmWithNeed(app, '4000000', { sectorTags: ['EMERGING'] });
    expect((await matchOf(app, need.id, firm.token, market.creditLoan.id)).terms.riskCompensationReserve).toBe('200000.00');
    await mutate(app, authority, CREATE_RULE, {
      code: 'QD-RC-M', kind: 'RISK_COMPENSATION', poolId: market.pool.id, params: { commitmentRatio: '0.10', lossShare: '1.0' },
      eligibility: { productKinds: ['CREDIT_LOAN'], sectorTags: ['EMERGING'], national: true },
    });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)).terms.riskCompensationReserve === '400000.00');
    expect((await matchOf(app, need.id, firm.token, market.creditLoan.id)).terms.policyRuleVersions).toEqual(['QD-RC-M@v2']);

    // Benchmark 0.0385 from today: fee subsidy (0.01925 − 0.010) × 3,200,000 = 29,600.00.
    await mutate(app, authority, SET_BENCHMARK, { code: 'PBOC_1Y', rate: '0.0385', effectiveFrom: daysFromToday(0) });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.guaranteedLoan.id))?.terms.subsidies[0].amount === '29600.00');
    await mutate(app, authority, SET_BENCHMARK, { code: 'PBOC_1Y', rate: '0.0435', effectiveFrom: daysFromToday(1) });
  });

  it('a guarantor\'s capacity, and a cooperation agreement', async () => {
    const { firm, need } = await firmWithNeed(app, '3500000');
    expect(await matchOf(app, need.id, firm.token, market.guaranteedLoan.id)).not.toBeNull();
    // Net assets 20,000,000 with cap 10 leave 200,000,000, but the single-borrower limit is 2,000,000 < 2,800,000.
    await mutate(app, authority, UPDATE_GUARANTOR, { institutionId: market.guarantor.id, netAssets: '20000000' });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.guaranteedLoan.id)) === null);
    await mutate(app, authority, UPDATE_GUARANTOR, { institutionId: market.guarantor.id, netAssets: '2000000000' });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.guaranteedLoan.id)) !== null);

    // Another bank's guaranteed product matches once the bank signs with a guarantor.
    const bankB3 = (await app.gql(`mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { institution { id } } }`, { input: { kind: 'BANK', name: '银行 B3' } }, { token: authority })).data.createInstitution.institution;
    const p3 = await mutate(app, authority, CREATE_PRODUCT, {
      institutionId: bankB3.id, name: 'B3 担保贷', kind: 'GUARANTEED_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '5000000', requiresGuarantee: true,
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await matchOf(app, need.id, firm.token, p3.id)).toBeNull();
    const rule = await mutate(app, authority, CREATE_SHARING, { name: '国家融担基金模式', shares: [{ party: 'GUARANTOR', share: '0.4' }, { party: 'NATIONAL_FUND', share: '0.2' }, { party: 'RE_GUARANTOR', share: '0.2' }, { party: 'BANK', share: '0.2' }] });
    await mutate(app, authority, CREATE_AGREEMENT, { bankId: bankB3.id, guarantorId: market.guarantor.id, riskSharingRuleId: rule.id, feeRate: '0.008' });
    await eventually(async () => (await matchOf(app, need.id, firm.token, p3.id))?.terms.guarantee?.feeRate === '0.008');
  });

  it('an authority\'s record of the firm\'s tags (issue 11 §6: a tag the firm declares itself changes nothing)', async () => {
    const { firm, need } = await firmWithNeed(app, '9000000');
    expect((await matchOf(app, need.id, firm.token, market.creditLoan.id)).terms.riskCompensationReserve).toBe('0.00');
    await mutate(app, authority, SET_QUALIFICATIONS, { creditCode: firm.enterprise.creditCode, sectorTags: ['EMERGING'] });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)).terms.riskCompensationReserve !== '0.00');
  });
});

describe('concurrent writers', () => {
  it('after a burst of product changes and posted needs at once, the stored matches are what a fresh refresh computes', async () => {
    const firms = await Promise.all(Array.from({ length: 6 }, () => registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' })));
    await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: daysFromToday(-5), records: firms.map((f) => ({ creditCode: f.enterprise.creditCode, rating: 'AA' })) });
    await Promise.all([
      ...firms.map((f, i) => mutate(app, f.token, POST_NEED, { kind: 'LOAN', amount: String(2_000_000 + i * 1_000_000), termMonths: 12 })),
      ...['9000000', '15000000', '4000000', '12000000'].map((maxAmount) => mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount })),
    ]);
    await app.settled();
    const state = () => app.dataSource.query(`SELECT need_id, product_id, score, eligible, reserve::text, all_in_cost::text FROM match ORDER BY need_id, product_id`);
    const stored = await state();
    await refreshScope(app.dataSource, { kind: 'all' });
    expect(await state()).toEqual(stored);
  });
});

describe('durable: a change made while no worker runs is applied after a restart', () => {
  it('queues in the changing transaction, and the next server with a worker does the work', async () => {
    // Earlier tests leave the credit loan's ceiling wherever they set it last: start from a known one.
    await mutate(app, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount: '20000000' });
    await app.settled();
    const { firm, need } = await firmWithNeed(app, '12000000');
    expect(await matchOf(app, need.id, firm.token, market.creditLoan.id)).not.toBeNull();
    const url = app.databaseUrl;
    await app.close();
    // A server without a worker takes the change and stops: the job waits in PostgreSQL.
    const quiet = await startTestApp({ databaseUrl: url, env: { MATCH_WORKER: '0' } });
    await mutate(app = quiet, authority, UPDATE_PRODUCT, { productId: market.creditLoan.id, maxAmount: '11000000' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await matchOf(app, need.id, firm.token, market.creditLoan.id)).not.toBeNull();
    const [{ n }] = await quiet.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'match-refresh' AND state = 'created'`);
    expect(n).toBeGreaterThan(0);
    await quiet.close();
    app = await startTestApp({ databaseUrl: url });
    await eventually(async () => (await matchOf(app, need.id, firm.token, market.creditLoan.id)) === null);
  });
});
