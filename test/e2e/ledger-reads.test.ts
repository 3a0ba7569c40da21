/**
 * Issue 13 — a decision reads the ledger by key, not by table: posting a need and explaining a match read
 * no subsidy booking and no guarantee row (their running totals instead), and only the guarantor
 * profiles and pools the candidates can use, so that a need costs the same however large the ledger
 * grows (bench:ledger measures it). What they read is still current: the fee subsidies already booked
 * this year cap the quoted subsidy, and a guarantor's change reaches the next decision through the
 * options cache, which now holds each bank's guarantors by their own rows.
 */
import { inMidJanuary } from '../support/clock';
import { startTestApp, TestApp } from '../support/harness';
import { IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff } from './fixtures';
import { EXPLAIN, Market, mutate, setUpMarket, UPDATE_GUARANTOR } from './policy-fixtures';

let app: TestApp;
let market: Market;
let other: Market;
beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app, 'LR');
  // Another bank, guarantor and pool the need's candidates have nothing to do with, with a year of fee subsidies booked.
  other = await setUpMarket(app, 'LX');
  const [{ id: rule }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-LX'`);
  await app.dataSource.query(
    `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year)
     SELECT 'GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, 10, extract(year FROM now() AT TIME ZONE 'Asia/Shanghai') FROM generate_series(1, 500)`,
    [rule, uuid(other.guarantor.id)]);
}, 60_000);
afterAll(() => app?.close());

const uuid = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/** A small firm rated AA outside the other market's region, with a need of 1,000,000 for 12 months. */
async function postedNeed() {
  const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
  await app.settled();
  app.counter.reset();
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '1000000', termMonths: 12 });
  return { firm, need };
}

const explain = async (needId: string, productId: string) => {
  const res = await app.gql(EXPLAIN, { need: needId, product: productId }, { token: staff(app).authority });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.explainMatch;
};

/** Each place a statement reads `table`, with what follows it. */
const reads = (statements: string[], table: string) =>
  statements.flatMap((s) => [...s.matchAll(new RegExp(`\\b(?:FROM|JOIN)\\s+${table}\\b(?!_)([^)]{0,60})`, 'g'))].map((m) => m[1]));

describe('posting a need and explaining a match read the ledger by key', () => {
  it('read no subsidy booking or guarantee row, and guarantor profiles and pools only through a condition', async () => {
    const { need } = await postedNeed();
    await explain(need.id, market.guaranteedLoan.id);
    const statements = [...app.counter.statements];
    expect(reads(statements, 'subsidy_booking')).toEqual([]);
    expect(reads(statements, 'guarantee')).toEqual([]);
    for (const table of ['guarantor_profile', 'risk_compensation_pool']) {
      const found = reads(statements, table);
      expect(found.length).toBeGreaterThan(0);
      for (const rest of found) expect(rest).toMatch(/^\s+\w+\s+WHERE\s+\w+\.(institution_id|id)\s+(=|IN)/);
    }
    // The decisions ran: their inputs, with the policy stamp, were read.
    expect(reads(statements, 'policy_version').length).toBeGreaterThanOrEqual(2);
  });

  it('the year\'s fee subsidies already booked cap the quoted one: 2,995,000 of 3,000,000 leaves 5,000 of the 9,400', async () => {
    // A fee subsidy counts against the calendar years its guarantee covers (DOMAIN E9): a 12-month term lies
    // in one year when it starts in January, so the database's day is put there.
    await inMidJanuary(app.dataSource, async () => {
      const [{ id: rule }] = await app.dataSource.query(`SELECT id FROM policy_rule WHERE code = 'FEE-LR'`);
      const { need } = await postedNeed();
      const fee = async () => (await explain(need.id, market.guaranteedLoan.id)).terms.subsidies.find((s: { kind: string }) => s.kind === 'GUARANTEE_FEE_SUBSIDY')?.amount;
      expect(await fee()).toBe('9400.00');
      await app.dataSource.query(
        `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year)
         VALUES ('GUARANTEE_FEE_SUBSIDY', $1, 'GUARANTOR', $2, 2995000, extract(year FROM shanghai_today()))`, [rule, uuid(market.guarantor.id)]);
      try {
        expect(await fee()).toBe('5000.00');
      } finally {
        await app.dataSource.query(`DELETE FROM subsidy_booking WHERE payee_id = $1 AND amount = 2995000`, [uuid(market.guarantor.id)]);
      }
      expect(await fee()).toBe('9400.00');
    });
  });

  it('a guarantor\'s profile changed after its bank\'s options were cached reaches the next decision; another guarantor\'s change leaves them', async () => {
    const { need } = await postedNeed();
    const guarantee = async () => (await explain(need.id, market.guaranteedLoan.id)).checks.find((c: { code: string }) => c.code === 'GUARANTEE');
    expect(await guarantee()).toMatchObject({ passed: true });
    // The other guarantor changes: this bank's options are not its business.
    await mutate(app, staff(app).authority, UPDATE_GUARANTOR, { institutionId: other.guarantor.id, netAssets: '1000' });
    expect(await guarantee()).toMatchObject({ passed: true });
    // This bank's guarantor shrinks to no room for 800,000 guaranteed, then grows back.
    await mutate(app, staff(app).authority, UPDATE_GUARANTOR, { institutionId: market.guarantor.id, netAssets: '1000' });
    expect(await guarantee()).toMatchObject({ passed: false });
    await mutate(app, staff(app).authority, UPDATE_GUARANTOR, { institutionId: market.guarantor.id, netAssets: '2000000000' });
    expect(await guarantee()).toMatchObject({ passed: true });
  });
});
