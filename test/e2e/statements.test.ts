/**
 * STYLE.md habit 4: one DataLoader per relation, per request. A page of 100 needs with their
 * enterprises (and those enterprises' needs and qualifications), and a page of 100 products with their
 * institutions (and those institutions' products and guarantee figures), and a bank's inbox of 100 matches
 * with their needs, firms, products, ranks, histories and loans, run exactly as many SQL statements as
 * pages of 5.
 */
import { startTestApp, TestApp } from '../support/harness';
import { toGlobalId } from '../../src/common/ids';
import { createInstitution, daysFromToday, POST_NEED, registeredEnterprise, staff } from './fixtures';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  const authority = staff(app).authority;
  for (let i = 0; i < 25; i++) {
    const kind = i % 5 === 0 ? 'GUARANTOR' : 'BANK';
    const inst = await createInstitution(app, authority, { kind, name: `机构 ${i}`, guarantee: kind === 'GUARANTOR' ? { netAssets: '1000000000', feeRate: '0.01' } : undefined });
    for (let j = 0; j < 4; j++) {
      await app.gql(
        `mutation($input: CreateProductInput!) { createProduct(input: $input) { userErrors { code } } }`,
        { input: { institutionId: inst.id, name: `产品 ${i}-${j}`, kind: 'CREDIT_LOAN', needKind: 'LOAN', minAmount: '100000', maxAmount: '5000000' } },
        { token: authority },
      );
    }
  }
  // An investor (its token must name an INVESTOR institution) with an equity product every equity need fits.
  const investor = await createInstitution(app, authority, { kind: 'INVESTOR', name: '投资机构 ST' });
  await app.gql(
    `mutation($input: CreateProductInput!) { createProduct(input: $input) { userErrors { code } } }`,
    { input: { institutionId: investor.id, name: '成长基金 ST', kind: 'EQUITY_INVESTMENT', needKind: 'EQUITY', minAmount: '100000', maxAmount: '50000000', equity: { stages: ['SERIES_A'] } } },
    { token: authority },
  );
  for (let i = 0; i < 50; i++) {
    const { token } = await registeredEnterprise(app, { qualifications: [{ code: 'HIGH_TECH' }] });
    for (const amount of ['1000000.00', '2000000.00']) {
      await app.gql(POST_NEED, { input: { kind: 'LOAN', amount, termMonths: 12, neededBy: daysFromToday(30) } }, { token });
      await app.gql(POST_NEED, { input: { kind: 'EQUITY', amount, equity: { stage: 'SERIES_A' }, neededBy: daysFromToday(30) } }, { token });
    }
  }
});
afterAll(async () => {
  await app?.close();
});

async function statementsFor(query: string, first: number): Promise<{ statements: number; rows: number }> {
  await app.settled();
  app.counter.reset();
  const res = await app.gql(query, { first }, { token: staff(app).analyst });
  expect(res.errors).toBeUndefined();
  const statements = app.counter.count;
  const root = Object.values(res.data)[0] as { edges: unknown[] };
  return { statements, rows: root.edges.length };
}

const NEEDS = `query($first: Int) { financingNeeds(first: $first) { totalCount edges { node { id amount status enterprise { id name qualifications { code } needs(first: 5) { totalCount edges { node { id amount } } } } } } } }`;
const PRODUCTS = `query($first: Int) { products(first: $first) { totalCount edges { node { id name eligibility { minRating } institution { id name guarantee { remainingCapacity status } products(first: 3) { totalCount edges { node { id } } } } } } } }`;

it.each([
  ['needs with their enterprises', NEEDS],
  ['products with their institutions', PRODUCTS],
])('%s: 100 rows cost the same statements as 5', async (_what, query) => {
  const five = await statementsFor(query, 5);
  const hundred = await statementsFor(query, 100);
  expect(five.rows).toBe(5);
  expect(hundred.rows).toBe(100);
  expect(hundred.statements).toBe(five.statements);
  expect(hundred.statements).toBeLessThanOrEqual(8);
});

it.each(['BANK', 'INVESTOR'] as const)('an inbox (%s): 100 matches with their needs, firms (credit summary: R10 decides per firm for an investor), products, ranks, histories and loans cost the same statements as 5', async (role) => {
  await app.settled();
  const [{ institution_id: institutionId }] = await app.dataSource.query(
    `SELECT m.institution_id FROM match m JOIN institution i ON i.id = m.institution_id
      WHERE m.eligible AND i.kind = $1 GROUP BY m.institution_id ORDER BY count(*) DESC LIMIT 1`, [role]);
  const token = app.token({ sub: `inbox-${role}`, role, institutionId: toGlobalId('Institution', institutionId) });
  const INBOX = `query($first: Int) { inbox(first: $first) { totalCount edges { node { id status rank respondBy declineAdvice
    need { amount status enterprise { name sizeClass creditProfile { rating } } } product { name } terms { bankNetExposure guarantee { guarantor { name } } }
    history { action at } loans { id } } } } }`;
  const count = async (first: number) => {
    app.counter.reset();
    const res = await app.gql(INBOX, { first }, { token });
    expect(res.errors).toBeUndefined();
    return { statements: app.counter.count, rows: res.data.inbox.edges.length };
  };
  const five = await count(5);
  const hundred = await count(100);
  expect([five.rows, hundred.rows]).toEqual([5, 100]);
  expect(hundred.statements).toBe(five.statements);
  console.log(`inbox statements (${role}): first 5 → ${five.statements}, first 100 → ${hundred.statements}`);
});
