import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The in-memory product index (issue 13, matching/product-index.ts): `product_catalog_version`, one
 * counter that every write to `product` bumps in the writing transaction (a statement trigger, as
 * `policy_version` does for the policy tables). A server keeps every product in memory, labelled with
 * the counter and the transaction that last bumped it, and reads the label in the statement that reads a
 * refresh's needs: the same label means the same products (a rolled-back bump leaves the row as it was).
 * Append-only: never edit after it landed.
 */
export class ProductCatalogVersion1764650000000 implements MigrationInterface {
  name = 'ProductCatalogVersion1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE product_catalog_version (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)`);
    await q.query(`INSERT INTO product_catalog_version (id, version) VALUES (1, 1)`);
    await q.query(`
      CREATE FUNCTION bump_product_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE product_catalog_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tr_product_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product
                   FOR EACH STATEMENT EXECUTE FUNCTION bump_product_catalog_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_product_catalog_version ON product`);
    await q.query(`DROP FUNCTION IF EXISTS bump_product_catalog_version()`);
    await q.query(`DROP TABLE IF EXISTS product_catalog_version`);
  }
}
