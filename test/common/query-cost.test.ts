/**
 * The cost walk (src/common/query-cost.ts): linear in the document however its fragments multiply, and
 * a cost that follows the database's work (a page is a query, a totalCount a count, a stats section an
 * aggregate), so that aliases of cheap-looking fields add up.
 */
import 'reflect-metadata';
import { getOperationAST, GraphQLSchema, isObjectType, parse } from 'graphql';
import { aliasFlood, fragmentBomb } from '../../bench/abuse-documents';
import { estimateCost, FIELD_COSTS, PAGE_QUERY, TOTAL_COUNT } from '../../src/common/query-cost';
import { finmatchSchema } from '../../src/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await finmatchSchema();
});

const estimate = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return estimateCost(schema, document, getOperationAST(document)!, variables, { defaultPageSize: 20, maxPageSize: 100 });
};

describe('fragments spreading fragments', () => {
  it('are walked once each: the visits grow with the document, the cost with the spreads', () => {
    const visits = [3, 4, 5, 6, 7, 8].map((levels) => estimate(fragmentBomb(levels)).visits);
    const steps = visits.slice(1).map((v, i) => v - visits[i]);
    // One more level is one more fragment of ten spreads: ten more visits, whatever the level.
    expect(new Set(steps)).toEqual(new Set([10]));
    expect(estimate(fragmentBomb(8)).cost).toBeGreaterThan(10 ** 8);
  });

  it('count every spread in the cost', () => {
    const once = estimate('{ viewer { ...R } } fragment R on Viewer { role sub }').cost;
    const twice = estimate('{ viewer { ...R ...R } } fragment R on Viewer { role sub }').cost;
    expect(twice - once).toBe(2);
  });

  it('cost the same through a fragment as written inline, also on a connection', () => {
    const inline = estimate('{ financingNeeds(first: 7) { totalCount edges { node { id amount } } } }').cost;
    const viaFragment = estimate('{ financingNeeds(first: 7) { ...Page } } fragment Page on FinancingNeedConnection { totalCount edges { node { id amount } } }').cost;
    expect(viaFragment).toBe(inline);
  });
});

describe('the cost follows the database work', () => {
  it('a page is one query plus first times what each item selects', () => {
    const page = (first: number) => estimate(`{ financingNeeds(first: ${first}) { edges { node { id amount } } } }`).cost;
    expect(page(10) - page(5)).toBe(5 * 4);
    expect(page(5)).toBe(PAGE_QUERY + 5 * 4);
    // Past maxPageSize the resolver refuses before any SQL: it costs what 100 would.
    expect(page(1000)).toBe(page(100));
    expect(estimate('query ($n: Int) { financingNeeds(first: $n) { edges { node { id } } } }', { n: 50 }).cost).toBe(PAGE_QUERY + 50 * 3);
  });

  it('a root totalCount counts the whole list, once, not per item', () => {
    const counted = estimate('{ financingNeeds(first: 1) { totalCount } }').cost;
    expect(counted).toBeGreaterThanOrEqual(TOTAL_COUNT);
    expect(estimate('{ financingNeeds(first: 100) { totalCount } }').cost).toBe(counted);
    expect(estimate(aliasFlood(10_000)).cost).toBeGreaterThan(10_000 * TOTAL_COUNT);
  });

  it('a filter costs per condition', () => {
    const plain = estimate('{ whitelist(first: 20) { edges { node { id } } } }').cost;
    const filtered = estimate('{ whitelist(first: 20, filter: { minRating: A, noActiveDishonesty: true, firstLoanOnly: true }) { edges { node { id } } } }').cost;
    expect(filtered - plain).toBe(3 * 50);
  });

  it('each stats section is an aggregate', () => {
    expect(estimate('{ stats { needs { count } } }').cost).toBeGreaterThan(1000);
    expect(estimate('{ stats { needs { count } funnel { approved } } }').cost).toBeGreaterThan(2000);
  });

  it('prices only fields the schema has', () => {
    for (const key of Object.keys(FIELD_COSTS)) {
      const [typeName, field] = key.split('.');
      const type = schema.getType(typeName);
      expect(isObjectType(type)).toBe(true);
      if (field !== '*' && isObjectType(type)) expect(type.getFields()[field]).toBeDefined();
    }
  });
});
