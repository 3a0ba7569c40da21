/**
 * Publishing and importing at once (R4, R5): authorities' uploads can overlap. Two publishers of one
 * batch number get one batch and one BATCH_EXISTS; imports naming the same new firms in opposite orders
 * both land, each firm created once (writes go in credit-code order, so no deadlock); two grants of
 * one consent make one consent.
 */
import { IMPORT_CREDIT, newCreditCode, PUBLISH_BATCH, rowCount, staff } from './fixtures';
import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const entriesFor = (codes: string[]) => codes.map((creditCode, i) => ({ creditCode, name: `并发企业 ${i}`, tier: 'SPECIALIZED_SME', validFrom: '2025-01-01', validTo: '2027-12-31' }));

describe('when uploads overlap', () => {
  it('two publishers of the same batch number: one batch is written, the other is told BATCH_EXISTS', async () => {
    const codes = Array.from({ length: 50 }, () => newCreditCode());
    const publish = () => app.gql(PUBLISH_BATCH, { input: { whitelistName: '并发名单', batch: '2026-1', entries: entriesFor(codes) } }, { token: staff(app).authority });
    const results = await Promise.all([publish(), publish(), publish()]);
    const codesSeen = results.map((r) => r.data.publishWhitelistBatch.userErrors.map((e: { code: string }) => e.code).join(',') || 'OK').sort();
    expect(codesSeen).toEqual(['BATCH_EXISTS', 'BATCH_EXISTS', 'OK']);
    expect(await rowCount(app, 'whitelist_batch')).toBe(1);
    expect(await rowCount(app, 'whitelist_entry')).toBe(50);
  });

  it('imports naming the same new firms in opposite orders both land, each firm created once', async () => {
    const codes = Array.from({ length: 200 }, () => newCreditCode('310115'));
    const before = await rowCount(app, 'enterprise');
    const authority = staff(app).authority;
    const results = await Promise.all([
      app.gql(PUBLISH_BATCH, { input: { whitelistName: '并发名单', batch: 'A', entries: entriesFor(codes) } }, { token: authority }),
      app.gql(PUBLISH_BATCH, { input: { whitelistName: '并发名单', batch: 'B', entries: entriesFor([...codes].reverse()) } }, { token: authority }),
      app.gql(IMPORT_CREDIT, { input: { source: 'A', asOf: '2026-01-31', records: codes.map((creditCode) => ({ creditCode, rating: 'A' })) } }, { token: authority }),
      app.gql(IMPORT_CREDIT, { input: { source: 'B', asOf: '2026-01-31', records: [...codes].reverse().map((creditCode) => ({ creditCode, rating: 'BB' })) } }, { token: authority }),
    ]);
    for (const r of results) {
      expect(r.errors).toBeUndefined();
      expect(Object.values(r.data)[0]).toMatchObject({ userErrors: [] });
    }
    expect(await rowCount(app, 'enterprise')).toBe(before + 200);
    expect(await rowCount(app, 'credit_profile')).toBe(200);
    expect(await rowCount(app, 'credit_record')).toBe(400);
    expect(await staleSearchRows()).toEqual([]);
  });

  it('a credit profile committed while a publish is still open reaches the published entries (whitelist page filters)', async () => {
    const code = newCreditCode('310115');
    await app.gql(PUBLISH_BATCH, { input: { whitelistName: '并发名单', batch: 'C', entries: entriesFor([code]) } }, { token: staff(app).authority });
    const [{ id: enterpriseId }] = await app.dataSource.query(`SELECT id FROM enterprise WHERE credit_code = $1`, [code]);
    const publisher = app.dataSource.createQueryRunner();
    try {
      await publisher.startTransaction();
      const [{ whitelist_id: whitelistId }] = await publisher.query(`SELECT whitelist_id FROM whitelist_entry WHERE enterprise_id = $1`, [enterpriseId]);
      const [{ id: batchId }] = await publisher.query(
        `INSERT INTO whitelist_batch (whitelist_id, batch, entry_count, source, published_by) VALUES ($1, 'D', 1, 'test', 'test') RETURNING id`, [whitelistId]);
      await publisher.query(
        `INSERT INTO whitelist_entry (whitelist_id, batch_id, enterprise_id, listed_name, tier, valid_from, valid_to) VALUES ($1, $2, $3, 'x', 'LITTLE_GIANT', '2025-01-01', '2027-12-31')`,
        [whitelistId, batchId, enterpriseId]);
      // The import commits its profile while the publish is open; it waits for the publish's lock on the firm.
      const imported = app.gql(IMPORT_CREDIT, { input: { source: 'C', asOf: '2026-02-28', records: [{ creditCode: code, rating: 'AAA' }] } }, { token: staff(app).authority });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await publisher.commitTransaction();
      expect((await imported).data.importCreditRecords.userErrors).toEqual([]);
    } finally {
      await publisher.release();
    }
    const rows: { rating_rank: number }[] = await app.dataSource.query(`SELECT rating_rank FROM whitelist_search WHERE enterprise_id = $1`, [enterpriseId]);
    expect(rows).toEqual([{ rating_rank: 9 }, { rating_rank: 9 }]);
    expect(await staleSearchRows()).toEqual([]);
  });
});

/** whitelist_search rows whose copied credit figures differ from the firm's profile. */
const staleSearchRows = (): Promise<unknown[]> => app.dataSource.query(
  `SELECT s.id FROM whitelist_search s LEFT JOIN credit_profile c ON c.enterprise_id = s.enterprise_id
    WHERE (s.credit_as_of, s.rating_rank, s.tax_rank) IS DISTINCT FROM (c.as_of, c.rating_rank, c.tax_rank)`);
