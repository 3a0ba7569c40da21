/**
 * The product index each process keeps (src/matching/product-index.ts) stays current: a product written
 * and committed elsewhere is in the next search from a need's side, and a write that rolls back is seen
 * by its own transaction only. test/matching/candidates.test.ts holds the index's pairs to the SQL's.
 */
import { uuidOf } from '../../src/common/ids';
import { loadNeedInputs } from '../../src/matching/facts.service';
import { createInstitution, newCreditCode, staff } from '../e2e/fixtures';
import { startTestApp, TestApp } from '../support/harness';

const TODAY = '2026-06-15';
let app: TestApp;
let needId: string;
let productId: string;

const candidates = async () => (await app.dataSource.transaction((em) => loadNeedInputs(em, [needId], TODAY))).pairs.map((p) => p.productId);

beforeAll(async () => {
  app = await startTestApp();
  const institutionId = uuidOf((await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '索引银行' })).id, 'Institution')!;
  const [{ id: enterpriseId }] = await app.dataSource.query(
    `INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard) VALUES ($1, 'f', 'INDUSTRY', '370212', 'SMALL', 'MIIT-2011-300') RETURNING id`,
    [newCreditCode()],
  );
  [{ id: needId }] = await app.dataSource.query(
    `INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, posted_by) VALUES ($1, 'LOAN', 'WEB', 1000000, 12, 'test') RETURNING id`, [enterpriseId],
  );
  [{ id: productId }] = await app.dataSource.query(
    `INSERT INTO product (institution_id, name, kind, need_kind, min_amount, max_amount, region_prefixes) VALUES ($1, 'p', 'CREDIT_LOAN', 'LOAN', 0, 5000000, '{37}') RETURNING id`,
    [institutionId],
  );
});
afterAll(async () => {
  await app?.close();
});

describe('the product index', () => {
  it('sees a product change committed after it was built, and one rolled back only inside its own transaction', async () => {
    expect(await candidates()).toEqual([productId]);

    // Committed by another statement: the catalog's stamp moved, so the next search reads the product again.
    await app.dataSource.query(`UPDATE product SET region_prefixes = '{31}' WHERE id = $1`, [productId]);
    expect(await candidates()).toEqual([]);

    // Inside a transaction that rolls back, the change is seen there, and not after.
    await app.dataSource.transaction(async (em) => {
      await em.query(`UPDATE product SET region_prefixes = '{3702}' WHERE id = $1`, [productId]);
      expect((await loadNeedInputs(em, [needId], TODAY)).pairs.map((p) => p.productId)).toEqual([productId]);
      await em.query(`SELECT 1/0`);
    }).catch(() => undefined);
    expect(await candidates()).toEqual([]);

    // A new product, and one deleted.
    const [{ id: second }] = await app.dataSource.query(
      `INSERT INTO product (institution_id, name, kind, need_kind, min_amount, max_amount) SELECT institution_id, 'q', 'CREDIT_LOAN', 'LOAN', 0, 2000000 FROM product WHERE id = $1 RETURNING id`,
      [productId],
    );
    expect(await candidates()).toEqual([second]);
    await app.dataSource.query(`DELETE FROM product WHERE id = $1`, [second]);
    expect(await candidates()).toEqual([]);
  });
});
