import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R10 — a credit filter reads the credit data of every firm it passes over, and the firms it excludes
 * were recorded nowhere. credit_filter_read keeps one row per filtered read (a whitelist page with
 * credit criteria): who, when, the criteria, the other filters that chose the firms, and how many firms
 * were read (those the page's answer depends on), kept and returned (excluded = read − kept). The per-firm rows of the firms returned stay in
 * credit_access_log and name their filter read. Append-only, like the access log. Never edit after it landed.
 */
export class CreditFilterAudit1764550000000 implements MigrationInterface {
  name = 'CreditFilterAudit1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credit_filter_read (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        sub text NOT NULL,
        role text NOT NULL,
        institution_id uuid REFERENCES institution (id),
        operation text,
        source text NOT NULL,
        criteria jsonb NOT NULL,
        scope jsonb NOT NULL,
        read_count integer NOT NULL CHECK (read_count >= 0),
        kept_count integer NOT NULL CHECK (kept_count >= 0 AND kept_count <= read_count),
        returned_count integer NOT NULL CHECK (returned_count >= 0)
      )`);
    await q.query(`CREATE INDEX ix_credit_filter_read_created ON credit_filter_read (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_credit_filter_read_institution ON credit_filter_read (institution_id, created_at DESC, id DESC)`);
    await q.query(`ALTER TABLE credit_access_log ADD COLUMN filter_read_id uuid REFERENCES credit_filter_read (id)`);
    await q.query(`
      CREATE FUNCTION credit_filter_read_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'credit_filter_read is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_credit_filter_read_append_only BEFORE UPDATE OR DELETE ON credit_filter_read
        FOR EACH ROW EXECUTE FUNCTION credit_filter_read_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credit_access_log DROP COLUMN IF EXISTS filter_read_id`);
    await q.query(`DROP TABLE IF EXISTS credit_filter_read`);
    await q.query(`DROP FUNCTION IF EXISTS credit_filter_read_append_only()`);
  }
}
