import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching at DOMAIN §6 scale (issue 4, docs/PERFORMANCE.md):
 * - `policy_version`: one counter that every write to the slow-moving policy tables bumps in the writing
 *   transaction (statement triggers), so a server can keep those tables' snapshot in memory and know
 *   when it went stale (matching/facts.service.ts).
 * - `financing_need.match_cutoff_*`: R14 proposes a need to its best few institutions at a time; the
 *   best eligible pair left out is remembered, so that a change to one product is decided against it
 *   without re-deciding the need against every product (matching/match.service.ts).
 * Append-only: never edit after it landed.
 */
const POLICY_TABLES = ['policy_rule', 'benchmark_rate', 'cooperation_agreement', 'risk_sharing_rule', 'institution'];

export class MatchingAtScale1764200000000 implements MigrationInterface {
  name = 'MatchingAtScale1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE policy_version (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)`);
    await q.query(`INSERT INTO policy_version (id, version) VALUES (1, 1)`);
    await q.query(`
      CREATE FUNCTION bump_policy_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE policy_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const table of POLICY_TABLES) {
      await q.query(`CREATE TRIGGER tr_${table}_policy_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
                     FOR EACH STATEMENT EXECUTE FUNCTION bump_policy_version()`);
    }

    await q.query(`ALTER TABLE financing_need ADD COLUMN match_cutoff_score smallint, ADD COLUMN match_cutoff_cost numeric(9,6), ADD COLUMN match_cutoff_product uuid`);
    await q.query(`CREATE INDEX ix_match_need_proposed ON match (need_id, score, all_in_cost DESC NULLS FIRST, product_id DESC) WHERE eligible AND status = 'PROPOSED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_match_need_proposed`);
    await q.query(`ALTER TABLE financing_need DROP COLUMN match_cutoff_score, DROP COLUMN match_cutoff_cost, DROP COLUMN match_cutoff_product`);
    for (const table of POLICY_TABLES) await q.query(`DROP TRIGGER IF EXISTS tr_${table}_policy_version ON ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS bump_policy_version()`);
    await q.query(`DROP TABLE IF EXISTS policy_version`);
  }
}
