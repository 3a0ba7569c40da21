/**
 * STYLE.md habit 4 for the bank's whitelist page (R4, R5, R10): a page of 100 entries with every filter
 * set and the entries' enterprises (qualifications, credit profile, contact, other entries), whitelist
 * and batch runs exactly as many SQL statements as a page of 5 — the credit-read audit included.
 */
import { startTestApp, TestApp } from '../support/harness';
import { daysFromToday, EntryDraft, importCredit, institutionWithToken, newCreditCode, POST_NEED, publishBatch, registeredEnterprise, staff } from './fixtures';

let app: TestApp;
let bank: string;
let whitelistId: string;
const REGISTERED = 110;
const UNCLAIMED = 40;
const WITH_NEED = 5;

beforeAll(async () => {
  app = await startTestApp();
  const authority = staff(app).authority;
  bank = (await institutionWithToken(app, 'BANK', '语句计数银行')).token;

  const firms: Awaited<ReturnType<typeof registeredEnterprise>>[] = [];
  for (let i = 0; i < REGISTERED; i += 10) {
    firms.push(...(await Promise.all(Array.from({ length: Math.min(10, REGISTERED - i) }, () => registeredEnterprise(app, { qualifications: [{ code: 'HIGH_TECH' }] })))));
  }
  for (const firm of firms.slice(0, WITH_NEED)) {
    await app.gql(POST_NEED, { input: { kind: 'LOAN', amount: '1000000.00', termMonths: 12, neededBy: daysFromToday(30) } }, { token: firm.token });
  }
  const codes = [...firms.map((f) => f.input.creditCode), ...Array.from({ length: UNCLAIMED }, () => newCreditCode())];
  const entries: EntryDraft[] = codes.map((creditCode, i) => ({ creditCode, name: `白名单企业 ${i}`, tier: 'LITTLE_GIANT', validFrom: '2024-01-01', validTo: daysFromToday(700) }));
  whitelistId = await publishBatch(app, authority, '语句计数白名单', '2025-1', entries);
  await importCredit(app, authority, { source: 'PBOC-CRC', asOf: '2025-01-31', records: codes.map((creditCode) => ({ creditCode, rating: 'AA', taxGrade: 'A', dishonesty: [] })) });
});
afterAll(async () => {
  await app?.close();
});

const PAGE = `query($filter: WhitelistFilter, $first: Int) { whitelist(filter: $filter, first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
  id tier validFrom validTo activeToday batch whitelist { name }
  enterprise { creditCode name contact { phone } qualifications { code } creditProfile { rating taxGrade } whitelistEntries { tier } }
} } } }`;

/** Every filter of WhitelistFilter that still leaves ≥ 100 rows: the registered firms without a need. */
const ALL_FILTERS = () => ({
  whitelistId,
  asOf: daysFromToday(0),
  includeInactive: false,
  tierAtLeast: 'SPECIALIZED_SME',
  industryChain: 'AI',
  regionPrefix: '1101',
  sizeClass: ['SMALL'],
  minRating: 'A',
  minTaxGrade: 'B',
  noActiveDishonesty: true,
  hasOpenNeed: false,
});
/** What an analyst may use: no credit filters. */
const NON_CREDIT_FILTERS = () => {
  const { minRating: _r, minTaxGrade: _t, noActiveDishonesty: _d, ...rest } = ALL_FILTERS();
  return rest;
};

async function statementsFor(filter: Record<string, unknown>, first: number, token: string): Promise<{ statements: number; rows: number; totalCount: number }> {
  await app.settled();
  app.counter.reset();
  const res = await app.gql(PAGE, { filter, first }, { token });
  const statements = app.counter.count;
  expect(res.errors).toBeUndefined();
  return { statements, rows: res.data.whitelist.edges.length, totalCount: res.data.whitelist.totalCount };
}

it.each([
  ['a bank, every filter (credit ones audited)', ALL_FILTERS, () => bank],
  ['an analyst, every filter but the credit ones', NON_CREDIT_FILTERS, () => staff(app).analyst],
])('%s: a page of 100 costs the same statements as a page of 5', async (_who, filter, token) => {
  const five = await statementsFor(filter(), 5, token());
  const hundred = await statementsFor(filter(), 100, token());
  // eslint-disable-next-line no-console
  console.log(`whitelist page statements (${_who}): first 5 → ${five.statements}, first 100 → ${hundred.statements}`);
  expect(five.rows).toBe(5);
  expect(hundred.rows).toBe(100);
  expect(hundred.totalCount).toBe(REGISTERED - WITH_NEED);
  expect({ first5: five.statements, first100: hundred.statements }).toEqual({ first5: five.statements, first100: five.statements });
  expect(hundred.statements).toBeLessThanOrEqual(12);
});
