import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RV1 for whitelists (issue 17 §3, docs/AUTHORITIES.md): a batch records the region prefix of the regional
 * authority that published it (whose firms alone it could list). Null: a national authority, an admin or
 * the import command — and every batch published before this migration. Never edit after it landed.
 */
export class WhitelistRegions1764750000000 implements MigrationInterface {
  name = 'WhitelistRegions1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whitelist_batch ADD COLUMN region_prefix text CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whitelist_batch DROP COLUMN region_prefix`);
  }
}
