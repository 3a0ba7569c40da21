import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A firm is who it says it is (issue 11 §6):
 * - `enterprise_claim`: a person's claim on a firm, PENDING until the token's verified credit code or an
 *   authority makes it VERIFIED; contests and rejections (claim.rules.ts). One live claim per `sub`, one
 *   VERIFIED claim per firm.
 * - `enterprise_claim_event`: every step of a claim (who, what, when), append-only.
 * - Bindings made before claims existed (`enterprise_user`) become PENDING claims: nobody checked them.
 * - Provenance of qualifications and sector tags: `enterprise_qualification.source` (AUTHORITY or
 *   DECLARED) and `enterprise.declared_sector_tags` beside `sector_tags` (now the authority's). Rows of
 *   demo firms (synthetic: the authority's list) are AUTHORITY; every other row came through
 *   registerEnterprise or updateEnterpriseProfile, so it is DECLARED and its tags move to the declared
 *   column — an authority records them again with setEnterpriseQualifications.
 * Append-only: never edit after it landed.
 */
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const STATUSES = ['PENDING', 'VERIFIED', 'CONTESTED', 'REJECTED'];
const EVIDENCE = ['TOKEN_CLAIM', 'AUTHORITY_DECISION'];
const ACTIONS = ['REGISTERED', 'VERIFIED_BY_TOKEN', 'CONFIRMED', 'CONTEST_FILED', 'CONTESTED', 'REINSTATED', 'REJECTED', 'SUPERSEDED', 'MIGRATED'];

export class EnterpriseClaims1764560000000 implements MigrationInterface {
  name = 'EnterpriseClaims1764560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE enterprise_claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        sub text NOT NULL,
        status text NOT NULL CHECK (status IN (${list(STATUSES)})),
        evidence text CHECK (evidence IN (${list(EVIDENCE)})),
        contest_of uuid REFERENCES enterprise_claim (id),
        resume_status text CHECK (resume_status IN ('PENDING', 'VERIFIED')),
        note varchar(500),
        decided_by text,
        decided_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (status <> 'VERIFIED' OR evidence IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_enterprise_claim_live_sub ON enterprise_claim (sub) WHERE status <> 'REJECTED'`);
    await q.query(`CREATE UNIQUE INDEX ux_enterprise_claim_verified ON enterprise_claim (enterprise_id) WHERE status = 'VERIFIED'`);
    // Matching's gate (a firm whose holder is not verified) and the authorities' queue.
    await q.query(`CREATE INDEX ix_enterprise_claim_unsettled ON enterprise_claim (enterprise_id) WHERE status IN ('PENDING', 'CONTESTED')`);
    await q.query(`CREATE INDEX ix_enterprise_claim_enterprise ON enterprise_claim (enterprise_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_enterprise_claim_queue ON enterprise_claim (status, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE enterprise_claim_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id uuid NOT NULL REFERENCES enterprise_claim (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        action text NOT NULL CHECK (action IN (${list(ACTIONS)})),
        from_status text CHECK (from_status IN (${list(STATUSES)})),
        to_status text NOT NULL CHECK (to_status IN (${list(STATUSES)})),
        actor_sub text NOT NULL,
        actor_role text NOT NULL,
        note varchar(500),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_enterprise_claim_event_claim ON enterprise_claim_event (claim_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_enterprise_claim_event_enterprise ON enterprise_claim_event (enterprise_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_enterprise_claim_event_created ON enterprise_claim_event (created_at DESC, id DESC)`);

    await q.query(`
      WITH c AS (
        INSERT INTO enterprise_claim (enterprise_id, sub, status, created_at)
        SELECT enterprise_id, sub, 'PENDING', created_at FROM enterprise_user
        RETURNING id, enterprise_id)
      INSERT INTO enterprise_claim_event (claim_id, enterprise_id, action, to_status, actor_sub, actor_role, note)
      SELECT id, enterprise_id, 'MIGRATED', 'PENDING', 'migration', 'SYSTEM', 'bound before claims were verified' FROM c`);

    await q.query(`ALTER TABLE enterprise_qualification ADD COLUMN source text CHECK (source IN ('AUTHORITY', 'DECLARED'))`);
    await q.query(`
      UPDATE enterprise_qualification q SET source = CASE WHEN e.synthetic THEN 'AUTHORITY' ELSE 'DECLARED' END
        FROM enterprise e WHERE e.id = q.enterprise_id`);
    await q.query(`ALTER TABLE enterprise_qualification ALTER COLUMN source SET NOT NULL`);
    await q.query(`ALTER TABLE enterprise ADD COLUMN declared_sector_tags text[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE enterprise SET declared_sector_tags = sector_tags, sector_tags = '{}' WHERE NOT synthetic AND cardinality(sector_tags) > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE enterprise SET sector_tags = declared_sector_tags WHERE cardinality(declared_sector_tags) > 0`);
    await q.query(`ALTER TABLE enterprise DROP COLUMN declared_sector_tags`);
    await q.query(`ALTER TABLE enterprise_qualification DROP COLUMN source`);
    await q.query(`DROP TABLE enterprise_claim_event`);
    await q.query(`DROP TABLE enterprise_claim`);
  }
}
