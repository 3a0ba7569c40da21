import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R10's audit of credit reads, one row per read instead of one row per firm (issue 14). A bank's
 * whitelist page of 50 firms wrote 100 rows to credit_access_log (a filter row and a profile row per
 * firm), each with four index entries (two of them at random places in indexes larger than memory) and
 * three foreign-key checks: 22 of the page statement's 26 ms at DOMAIN §6 scale. Now a read of many
 * firms is one credit_access_batch row holding the firms' ids (with each firm's consent flag), indexed
 * per firm by GIN, so it stays reviewable per firm.
 *
 * - credit_access_log becomes a view with the same columns: the rows written before (the table, renamed
 *   credit_access_entry) and one row per firm of each batch, whose id is the batch's id with its last
 *   16 bits replaced by the firm's ordinal (`credit_access_batch_entry_id`). A batch id ends in 0000, so
 *   an entry id names its batch and its place in it, and entries sort as their batch does.
 * - The view refuses updates and deletes with the same message as the table (an audit trail that can be
 *   edited is not one); so do both tables.
 * - The ids a batch holds are checked on write by the writer's own statement (they come from the rows it
 *   read), not by foreign keys: a key check per firm is what made the rows expensive. The batch keeps its
 *   foreign key to the filter read (one check per batch).
 * Never edit after it landed.
 */
export class CreditAccessBatches1764700000000 implements MigrationInterface {
  name = 'CreditAccessBatches1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credit_access_log RENAME TO credit_access_entry`);
    await q.query(`
      CREATE TABLE credit_access_batch (
        id uuid PRIMARY KEY DEFAULT overlay(gen_random_uuid()::text PLACING '0000' FROM 33 FOR 4)::uuid
          CHECK (right(id::text, 4) = '0000'),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        sub text NOT NULL,
        role text NOT NULL,
        institution_id uuid,
        operation text,
        fields text[] NOT NULL,
        filter_read_id uuid REFERENCES credit_filter_read (id),
        enterprise_ids uuid[] NOT NULL,
        consented boolean[] NOT NULL,
        CHECK (cardinality(enterprise_ids) BETWEEN 1 AND 65535 AND cardinality(consented) = cardinality(enterprise_ids)
               AND array_position(enterprise_ids, NULL) IS NULL AND array_position(consented, NULL) IS NULL)
      )`);
    await q.query(`CREATE INDEX ix_credit_access_batch_created ON credit_access_batch (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_credit_access_batch_institution ON credit_access_batch (institution_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_credit_access_batch_enterprises ON credit_access_batch USING gin (enterprise_ids)`);
    await q.query(`CREATE INDEX ix_credit_access_batch_filter_read ON credit_access_batch (filter_read_id) WHERE filter_read_id IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION credit_access_batch_entry_id(batch uuid, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN overlay(batch::text PLACING lpad(to_hex(n), 4, '0') FROM 33 FOR 4)::uuid`);
    await q.query(`
      CREATE VIEW credit_access_log AS
        SELECT e.id, e.created_at, e.sub, e.role, e.institution_id, e.enterprise_id, e.fields, e.consented, e.operation, e.filter_read_id
          FROM credit_access_entry e
        UNION ALL
        SELECT credit_access_batch_entry_id(b.id, u.n), b.created_at, b.sub, b.role, b.institution_id, u.enterprise_id, b.fields, u.consented, b.operation, b.filter_read_id
          FROM credit_access_batch b CROSS JOIN LATERAL unnest(b.enterprise_ids, b.consented) WITH ORDINALITY AS u(enterprise_id, consented, n)`);
    await q.query(`
      CREATE FUNCTION credit_access_batch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'credit_access_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_credit_access_batch_append_only BEFORE UPDATE OR DELETE ON credit_access_batch
        FOR EACH ROW EXECUTE FUNCTION credit_access_batch_append_only()`);
    await q.query(`
      CREATE TRIGGER tr_credit_access_log_append_only INSTEAD OF UPDATE OR DELETE ON credit_access_log
        FOR EACH ROW EXECUTE FUNCTION credit_access_batch_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The batches' reads go back to one row per firm, with the ids the view gave them: nothing audited is lost.
    await q.query(`
      INSERT INTO credit_access_entry (id, created_at, sub, role, institution_id, enterprise_id, fields, consented, operation, filter_read_id)
      SELECT credit_access_batch_entry_id(b.id, u.n), b.created_at, b.sub, b.role, b.institution_id, u.enterprise_id, b.fields, u.consented, b.operation, b.filter_read_id
        FROM credit_access_batch b CROSS JOIN LATERAL unnest(b.enterprise_ids, b.consented) WITH ORDINALITY AS u(enterprise_id, consented, n)`);
    await q.query(`DROP VIEW IF EXISTS credit_access_log`);
    await q.query(`DROP TABLE IF EXISTS credit_access_batch`);
    await q.query(`DROP FUNCTION IF EXISTS credit_access_batch_append_only()`);
    await q.query(`DROP FUNCTION IF EXISTS credit_access_batch_entry_id(uuid, bigint)`);
    await q.query(`ALTER TABLE credit_access_entry RENAME TO credit_access_log`);
  }
}
