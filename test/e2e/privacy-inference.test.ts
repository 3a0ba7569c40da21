/**
 * R10 against inference: an institution must learn nothing of a consent-only figure (the overdue count)
 * that it could not see, not even one bit at a time. The probe: a bank creates its own products —
 * inactive ones, which no firm is ever proposed — with maxOverdueCount12m 0…5 and asks explainMatch
 * for each against a need it may see. Two firms that differ only in their overdue count must get the
 * same answers, every field of them; the firm's consent (or the firm itself) shows the real outcome.
 */
import { startTestApp, TestApp } from '../support/harness';
import { CREATE_PRODUCT, GRANT_CONSENT, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff } from './fixtures';
import { mutate, Market, setUpMarket, TERMS } from './policy-fixtures';

let app: TestApp;
let market: Market;
type Firm = Awaited<ReturnType<typeof registeredEnterprise>>;
/** Two firms alike in everything the bank may see; `low` has 1 overdue payment in 12 months, `high` 4. */
const firms: Record<'low' | 'high', { firm: Firm; needId: string }> = {} as never;
/** The bank's probe products, index = its maxOverdueCount12m. */
const probes: string[] = [];

const EXPLAIN = `query Probe($need: ID!, $product: ID!) { explainMatch(needId: $need, productId: $product) { eligible checks { code passed withheld detail } terms { ${TERMS} } } }`;
const explain = (needId: string, productId: string, token: string, lang?: string) => app.gql(EXPLAIN, { need: needId, product: productId }, { token, lang });

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app, 'P');
  for (const [key, overdue] of [['low', 1], ['high', 4]] as const) {
    const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
    await mutate(app, staff(app).authority, IMPORT_CREDIT, {
      source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A', overdueCount12m: overdue, hadBankLoan: true }],
    });
    // Matched to the bank's credit loan (minimum rating A, no overdue limit): the bank may see the need.
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });
    expect(need.status).toBe('MATCHED');
    firms[key] = { firm, needId: need.id };
  }
  for (let max = 0; max <= 5; max += 1) {
    const product = await mutate(app, market.bankToken, CREATE_PRODUCT, {
      institutionId: market.bank.id, name: `探测 ${max}`, kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '1000000', maxAmount: '20000000',
      minTermMonths: 6, maxTermMonths: 36, minAnnualRate: '0.0385', activeFrom: '2099-01-01', eligibility: { maxOverdueCount12m: max },
    });
    probes.push(product.id);
  }
});
afterAll(() => app?.close());

describe('explainMatch by a bank the firm has not consented to', () => {
  it('answers every probe product the same for a firm with 1 overdue payment and one with 4', async () => {
    for (const lang of ['zh', 'en']) {
      const answers = await Promise.all(probes.map(async (product) => {
        const pair = await Promise.all([explain(firms.low.needId, product, market.bankToken, lang), explain(firms.high.needId, product, market.bankToken, lang)]);
        for (const res of pair) expect(res.errors).toBeUndefined();
        return pair.map((res) => res.data.explainMatch);
      }));
      answers.forEach(([low, high], max) => expect({ max, answer: high }).toEqual({ max, answer: low }));
    }
  });

  it('withholds the OVERDUE check: passed reads true, the detail says it needs the firm\'s consent, eligibility is judged without it', async () => {
    const res = await explain(firms.high.needId, probes[0], market.bankToken, 'en');
    const { eligible, checks, terms } = res.data.explainMatch;
    expect(checks.find((c: any) => c.code === 'OVERDUE')).toEqual({
      code: 'OVERDUE', passed: true, withheld: true, detail: 'Not shown without the firm\'s consent: the product allows at most 0 overdue payments in 12 months',
    });
    expect(checks.filter((c: any) => c.withheld)).toHaveLength(1);
    // Inactive product: that is the only failure the bank reads, whatever the count.
    expect(checks.filter((c: any) => !c.passed).map((c: any) => c.code)).toEqual(['PRODUCT_ACTIVE']);
    expect(eligible).toBe(false);
    expect(terms).toBeNull();
  });

  it('gives the same answer through Match.checks, and a product without an overdue limit withholds nothing', async () => {
    const MATCH_CHECKS = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches { edges { node { product { id } checks { code passed withheld detail } } } } } } }`;
    const views = await Promise.all([firms.low, firms.high].map(async ({ needId }) => {
      const res = await app.gql(MATCH_CHECKS, { id: needId }, { token: market.bankToken });
      expect(res.errors).toBeUndefined();
      return res.data.node.matches.edges.map((e: any) => e.node);
    }));
    expect(views[1]).toEqual(views[0]);
    const overdue = views[0][0].checks.find((c: any) => c.code === 'OVERDUE');
    expect(overdue).toMatchObject({ passed: true, withheld: false });
  });

  it('records no credit read when the only credit criterion is the withheld one', async () => {
    const before: { id: string }[] = await app.dataSource.query('SELECT id FROM credit_access_log');
    expect((await explain(firms.low.needId, probes[3], market.bankToken)).errors).toBeUndefined();
    const rows = await app.dataSource.query(`SELECT fields FROM credit_access_log WHERE NOT (id = ANY($1::uuid[]))`, [before.map((r) => r.id)]);
    expect(rows).toEqual([]);
  });
});

describe('who may see the outcome', () => {
  it('the firm itself sees the real OVERDUE outcome: it flips between a limit of 3 and 4 for a count of 4', async () => {
    const at = async (max: number) => (await explain(firms.high.needId, probes[max], firms.high.firm.token, 'en')).data.explainMatch.checks.find((c: any) => c.code === 'OVERDUE');
    expect(await at(3)).toEqual({ code: 'OVERDUE', passed: false, withheld: false, detail: '4 overdue payments in 12 months, more than the product\'s 3' });
    expect(await at(4)).toMatchObject({ passed: true, withheld: false });
  });

  it('a bank the firm consented to sees it too', async () => {
    await mutate(app, firms.low.firm.token, GRANT_CONSENT, { institutionId: market.bank.id });
    const outcomes = await Promise.all(probes.map(async (product) => {
      const res = await explain(firms.low.needId, product, market.bankToken);
      return res.data.explainMatch.checks.find((c: any) => c.code === 'OVERDUE');
    }));
    expect(outcomes.map((c) => [c.passed, c.withheld])).toEqual([[false, false], [true, false], [true, false], [true, false], [true, false], [true, false]]);
  });
});
