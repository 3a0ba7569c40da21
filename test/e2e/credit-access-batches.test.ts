/**
 * R10's audit stored as one credit_access_batch row per read of many firms (migration
 * CreditAccessBatches, issue 14), still one row per firm in credit_access_log and in `creditAccessLog`:
 * a page writes two batch rows, not a row per firm; paging the log (by hand-written keyset SQL over the
 * per-firm table and the batches) yields exactly the view's rows in the view's order, a cursor inside a
 * batch included, rows written before the migration among them; `node(id)` finds a batch's firm; the
 * batches are append-only like the table.
 */
import { startTestApp, TestApp } from '../support/harness';
import { daysFromToday, EntryDraft, importCredit, institutionWithToken, newCreditCode, publishBatch, staff } from './fixtures';

let app: TestApp;
let bank: string;
let admin: string;
let codes: string[];
const FIRMS = 24;

beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_DEADLINE_SWEEP_SECONDS: '3600' } });
  const authority = staff(app).authority;
  admin = staff(app).admin;
  bank = (await institutionWithToken(app, 'BANK', '审计批次银行')).token;
  codes = Array.from({ length: FIRMS }, () => newCreditCode());
  const entries: EntryDraft[] = codes.map((creditCode, i) => ({ creditCode, name: `审计批次企业 ${i}`, tier: 'SPECIALIZED_SME', validFrom: '2024-01-01', validTo: daysFromToday(700) }));
  await publishBatch(app, authority, '审计批次白名单', '2025-1', entries);
  await importCredit(app, authority, { source: 'PBOC-CRC', asOf: '2025-01-31', records: codes.map((creditCode) => ({ creditCode, rating: 'AA', taxGrade: 'A', dishonesty: [] })) });
});
afterAll(async () => {
  await app?.close();
});

const PAGE = `query WhitelistPage($filter: WhitelistFilter, $first: Int) { whitelist(filter: $filter, first: $first) {
  edges { node { id enterprise { creditCode creditProfile { rating taxGrade } } } } } }`;
const FILTER = { tierAtLeast: 'SPECIALIZED_SME', minRating: 'A', noActiveDishonesty: true };
const LOG = `query Log($filter: CreditAccessFilter, $first: Int, $after: String) { creditAccessLog(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id fields operation enterprise { creditCode } } } } }`;

const count = async (table: string): Promise<number> => (await app.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
const uuidOfGlobal = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];

/** Every row of creditAccessLog, `first` at a time. */
async function walk(first: number, filter: Record<string, unknown> = {}): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let page = 0; page < 500; page += 1) {
    const res: { data: any; errors?: unknown } = await app.gql(LOG, { filter, first, after }, { token: admin });
    expect(res.errors).toBeUndefined();
    const log: any = res.data.creditAccessLog;
    ids.push(...log.edges.map((e: any) => uuidOfGlobal(e.node.id)));
    totals.push(log.totalCount);
    if (!log.pageInfo.hasNextPage) return { ids, totals };
    after = log.pageInfo.endCursor;
  }
  throw new Error('creditAccessLog did not end');
}

it('a page of 20 firms with credit filters and profiles writes two batch rows, and the log shows a row per firm and read', async () => {
  const [batches, entries, rows] = [await count('credit_access_batch'), await count('credit_access_entry'), await count('credit_access_log')];
  const res = await app.gql(PAGE, { filter: FILTER, first: 20 }, { token: bank });
  expect(res.errors).toBeUndefined();
  expect(res.data.whitelist.edges).toHaveLength(20);
  expect(await count('credit_access_batch')).toBe(batches + 2);
  expect(await count('credit_access_entry')).toBe(entries);
  expect(await count('credit_access_log')).toBe(rows + 40);
  const [filterBatch, profileBatch] = await app.dataSource.query(
    `SELECT cardinality(enterprise_ids) AS firms, fields, filter_read_id IS NOT NULL AS filtered, consented FROM credit_access_batch
      ORDER BY created_at DESC, id DESC LIMIT 2`).then((r: any[]) => r.sort((a, b) => Number(b.filtered) - Number(a.filtered)));
  expect(filterBatch).toMatchObject({ firms: 20, filtered: true, fields: ['whitelist.filter.minRating', 'whitelist.filter.noActiveDishonesty'] });
  expect(profileBatch).toMatchObject({ firms: 20, filtered: false, fields: ['creditProfile.rating', 'creditProfile.taxGrade'] });
  expect(profileBatch.consented).toEqual(Array(20).fill(false));
});

it('creditAccessLog pages through batches and rows written before them exactly as the view orders them, cursors inside batches included', async () => {
  // More reads: two pages of 7 (cursors fall inside their batches) and a row as the table held them before the batches.
  for (let i = 0; i < 2; i += 1) expect((await app.gql(PAGE, { filter: FILTER, first: 7 }, { token: bank })).errors).toBeUndefined();
  // A firm the last page returned (so every page returned it: the pages of 7 are the first 7 of the page of 20).
  const [firm] = await app.dataSource.query(
    `SELECT e.id, e.credit_code FROM enterprise e WHERE e.id = (SELECT enterprise_ids[1] FROM credit_access_batch ORDER BY created_at DESC, id DESC LIMIT 1)`);
  await app.dataSource.query(
    `INSERT INTO credit_access_entry (created_at, sub, role, enterprise_id, fields, consented, operation)
     VALUES (now() - interval '1 second', 'before-batches', 'AUTHORITY', $1, ARRAY['creditProfile.rating'], false, 'Legacy')`, [firm.id]);
  const oracle: string[] = (await app.dataSource.query(`SELECT id FROM credit_access_log ORDER BY created_at DESC, id DESC`)).map((r: any) => r.id);
  expect(oracle.length).toBeGreaterThan(50);
  for (const first of [1, 3, 7, 20, 100]) {
    const { ids, totals } = await walk(first);
    expect(ids).toEqual(oracle);
    expect(new Set(totals)).toEqual(new Set([oracle.length]));
  }
  // One firm's reads, by credit code: through the GIN index, the firm's rows only, in order.
  const own: string[] = (await app.dataSource.query(
    `SELECT id FROM credit_access_log WHERE enterprise_id = $1 ORDER BY created_at DESC, id DESC`, [firm.id])).map((r: any) => r.id);
  expect(own.length).toBe(7); // a filter row and a profile row per page, and the row from before
  for (const first of [1, 2, 100]) expect((await walk(first, { creditCode: firm.credit_code })).ids).toEqual(own);
});

it('node(id) finds a firm of a batch, and an id that names no firm of its batch is nothing', async () => {
  const [row] = await app.dataSource.query(
    `SELECT l.id, e.credit_code FROM credit_access_log l JOIN enterprise e ON e.id = l.enterprise_id
      WHERE l.id NOT IN (SELECT id FROM credit_access_entry) ORDER BY l.created_at DESC, l.id DESC OFFSET 5 LIMIT 1`);
  const global = Buffer.from(`CreditAccess:${row.id}`, 'utf8').toString('base64url');
  const NODE = `query Node($id: ID!) { node(id: $id) { id ... on CreditAccess { fields enterprise { creditCode } } } }`;
  const found = await app.gql(NODE, { id: global }, { token: admin });
  expect(found.errors).toBeUndefined();
  expect(found.data.node).toMatchObject({ id: global, enterprise: { creditCode: row.credit_code } });
  // The same batch, an ordinal past its last firm.
  const past = `${row.id.slice(0, 32)}ffff`;
  const missing = await app.gql(NODE, { id: Buffer.from(`CreditAccess:${past}`, 'utf8').toString('base64url') }, { token: admin });
  expect(missing.errors).toBeUndefined();
  expect(missing.data.node).toBeNull();
});

it('batches are append-only, and so is the view', async () => {
  expect(await count('credit_access_batch')).toBeGreaterThan(0);
  await expect(app.dataSource.query(`UPDATE credit_access_batch SET role = 'NOBODY'`)).rejects.toThrow(/append-only/);
  await expect(app.dataSource.query('DELETE FROM credit_access_batch')).rejects.toThrow(/append-only/);
  await expect(app.dataSource.query(`UPDATE credit_access_log SET role = 'NOBODY'`)).rejects.toThrow(/append-only/);
  await expect(app.dataSource.query(`INSERT INTO credit_access_batch (sub, role, enterprise_ids, consented, fields) VALUES ('x', 'BANK', '{}', '{}', '{}')`))
    .rejects.toThrow(/check constraint/);
});
