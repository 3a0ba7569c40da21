/**
 * Issue 14: the bank's two all-day reads cost a fixed, small number of SQL statements, whatever the page
 * size — the 专精特新 whitelist page with credit filters and each firm's details and credit summary at
 * most 3 (its R10 audit and the token's institution check included), qualificationStatus at most 2.
 */
import { startTestApp, TestApp } from '../support/harness';
import { daysFromToday, EntryDraft, importCredit, institutionWithToken, newCreditCode, publishBatch, staff } from './fixtures';

let app: TestApp;
let bank: string;
let codes: string[];
const FIRMS = 120;

beforeAll(async () => {
  // The deadline sweep runs on the API's pool every MATCH_DEADLINE_SWEEP_SECONDS: once at the start here, not
  // again during a measured request (a loaded CI machine once counted one in a page's statements).
  app = await startTestApp({ env: { MATCH_DEADLINE_SWEEP_SECONDS: '3600' } });
  const authority = staff(app).authority;
  bank = (await institutionWithToken(app, 'BANK', '读路径银行')).token;
  codes = Array.from({ length: FIRMS }, () => newCreditCode());
  const entries: EntryDraft[] = codes.map((creditCode, i) => ({ creditCode, name: `读路径企业 ${i}`, tier: i % 2 ? 'LITTLE_GIANT' : 'SPECIALIZED_SME', validFrom: '2024-01-01', validTo: daysFromToday(700) }));
  await publishBatch(app, authority, '读路径白名单', '2025-1', entries);
  await importCredit(app, authority, { source: 'PBOC-CRC', asOf: '2025-01-31', records: codes.map((creditCode) => ({ creditCode, rating: 'AA', taxGrade: 'A', dishonesty: [] })) });
});
afterAll(async () => {
  await app?.close();
});

/** bench:api's page (bench/api.ts FINMATCH_PAGE). */
const PAGE = `query WhitelistPage($filter: WhitelistFilter, $first: Int) { whitelist(filter: $filter, first: $first) {
  pageInfo { hasNextPage endCursor }
  edges { node { id tier validFrom validTo listedName enterprise { creditCode name sizeClass regionCode industryChains creditProfile { rating taxGrade asOf } } } } } }`;
const LOOKUP = `query Qualification($creditCode: String!) { qualificationStatus(creditCode: $creditCode) {
  creditCode enterpriseName onWhitelist highestTier validTo asOf entries { id tier validFrom validTo revokedOn listedName } } }`;
const FILTER = { tierAtLeast: 'SPECIALIZED_SME', minRating: 'A', noActiveDishonesty: true };

async function statements(query: string, variables: Record<string, unknown>): Promise<{ count: number; data: any }> {
  await app.settled();
  app.counter.reset();
  const res = await app.gql(query, variables, { token: bank });
  expect(res.errors).toBeUndefined();
  if (app.counter.count > 3) process.stderr.write(`statements counted:\n${app.counter.statements.map((q) => q.replace(/\s+/g, ' ').slice(0, 160)).join('\n')}\n`);
  return { count: app.counter.count, data: res.data };
}

it.each([5, 100])('the whitelist page with credit filters and firm details, first %i: at most 3 statements, its audit included', async (first) => {
  const { count, data } = await statements(PAGE, { filter: FILTER, first });
  expect(data.whitelist.edges).toHaveLength(first);
  expect(data.whitelist.edges[0].node.enterprise.creditProfile).toMatchObject({ rating: 'AA', taxGrade: 'A' });
  // Still recorded (R10): per returned firm, its filter row and its profile read.
  const [{ rows }] = await app.dataSource.query(
    `SELECT count(*)::int AS rows FROM credit_access_log WHERE created_at > now() - interval '1 minute' AND operation = 'WhitelistPage'
        AND filter_read_id IS NOT DISTINCT FROM (SELECT id FROM credit_filter_read ORDER BY created_at DESC, id DESC LIMIT 1)`);
  expect(rows).toBe(first);
  expect(count).toBeLessThanOrEqual(3);
});

it('the page of 5 and the page of 100 cost the same statements', async () => {
  const five = await statements(PAGE, { filter: FILTER, first: 5 });
  const hundred = await statements(PAGE, { filter: FILTER, first: 100 });
  expect(hundred.count).toBe(five.count);
});

it('qualificationStatus: at most 2 statements, known firm or not', async () => {
  const { count, data } = await statements(LOOKUP, { creditCode: codes[7] });
  expect(data.qualificationStatus).toMatchObject({ onWhitelist: true, highestTier: 'LITTLE_GIANT' });
  expect(count).toBeLessThanOrEqual(2);
  const unknown = await statements(LOOKUP, { creditCode: newCreditCode() });
  expect(unknown.data.qualificationStatus).toMatchObject({ onWhitelist: false, enterpriseName: null, entries: [] });
  expect(unknown.count).toBeLessThanOrEqual(2);
});
