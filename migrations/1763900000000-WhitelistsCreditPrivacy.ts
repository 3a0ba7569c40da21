import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whitelists (R4), credit data (R5) and privacy (R10), issue 3.
 *
 * - whitelist / whitelist_batch / whitelist_entry: an authority's list grows by immutable batches; an
 *   entry is revoked, never deleted.
 * - whitelist_search: one row per entry with the enterprise and credit columns the bank's whitelist
 *   page filters on, kept in step by triggers on whitelist_entry, enterprise and credit_profile (so
 *   every write path — mutation, file import, demo loader — keeps it right). The page reads this
 *   table alone plus an EXISTS on open needs.
 * - credit_import / credit_record (the history, one row per enterprise, source and as-of date) and
 *   credit_profile (the newest record per enterprise: what filters and banks read).
 * - consent (enterprise → institution, revocable) and credit_access_log (append-only audit of every
 *   credit-data read by an institution).
 * Ranks are stored as generated columns so "at least" filters are index-friendly comparisons; the
 * orders are those of DOMAIN.md (R4 tiers, R5 ratings and tax grades), best = highest rank.
 */
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const rank = (column: string, ascending: string[]) =>
  `CASE ${column} ${ascending.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} END`;

// Lowest first, so rank 1 is the worst / lowest.
const TIERS = ['INNOVATIVE_SME', 'SPECIALIZED_SME', 'LITTLE_GIANT', 'SINGLE_CHAMPION'];
const RATINGS = ['C', 'CC', 'CCC', 'B', 'BB', 'BBB', 'A', 'AA', 'AAA'];
const TAX_GRADES = ['D', 'C', 'M', 'B', 'A'];
const SIZE_CLASSES = ['LARGE', 'MEDIUM', 'SMALL', 'MICRO'];

export class WhitelistsCreditPrivacy1763900000000 implements MigrationInterface {
  name = 'WhitelistsCreditPrivacy1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // A record a whitelist or credit import created knows only the code, the name and the region the
    // code carries: sector and size class are not known until the enterprise registers.
    await q.query(`ALTER TABLE enterprise ADD COLUMN profile_known boolean NOT NULL DEFAULT true`);

    await q.query(`
      CREATE TABLE whitelist (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL CONSTRAINT uq_whitelist_name UNIQUE,
        publisher varchar(200),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE whitelist_batch (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        whitelist_id uuid NOT NULL REFERENCES whitelist (id),
        batch varchar(100) NOT NULL,
        entry_count integer NOT NULL CHECK (entry_count > 0),
        source text NOT NULL,
        published_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT uq_whitelist_batch UNIQUE (whitelist_id, batch)
      )`);
    await q.query(`CREATE INDEX ix_whitelist_batch_whitelist ON whitelist_batch (whitelist_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE whitelist_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        whitelist_id uuid NOT NULL REFERENCES whitelist (id),
        batch_id uuid NOT NULL REFERENCES whitelist_batch (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        listed_name varchar(200) NOT NULL,
        tier text NOT NULL CHECK (tier IN (${list(TIERS)})),
        tier_rank smallint GENERATED ALWAYS AS (${rank('tier', TIERS)}) STORED,
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        revoked_on date,
        revocation_reason varchar(500),
        revoked_by text,
        revoked_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT ck_whitelist_entry_validity CHECK (valid_from <= valid_to),
        CONSTRAINT ck_whitelist_entry_revocation CHECK ((revoked_on IS NULL) = (revocation_reason IS NULL)),
        CONSTRAINT uq_whitelist_entry_batch_enterprise UNIQUE (batch_id, enterprise_id)
      )`);
    await q.query(`CREATE INDEX ix_whitelist_entry_enterprise ON whitelist_entry (enterprise_id, valid_from)`);

    await q.query(`
      CREATE TABLE credit_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source varchar(100) NOT NULL,
        as_of date NOT NULL,
        record_count integer NOT NULL,
        imported integer NOT NULL,
        skipped integer NOT NULL,
        file_name text,
        imported_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    const creditColumns = `
        rating text CHECK (rating IN (${list(RATINGS)})),
        tax_grade text CHECK (tax_grade IN (${list(TAX_GRADES)})),
        overdue_count_12m integer CHECK (overdue_count_12m BETWEEN 0 AND 366),
        current_overdue_amount numeric(18,2) CHECK (current_overdue_amount >= 0),
        social_security_months integer CHECK (social_security_months BETWEEN 0 AND 1200),
        had_bank_loan boolean,
        dishonesty jsonb NOT NULL DEFAULT '[]'`;

    await q.query(`
      CREATE TABLE credit_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        source varchar(100) NOT NULL,
        as_of date NOT NULL,
        import_id uuid NOT NULL REFERENCES credit_import (id),
        ${creditColumns},
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT uq_credit_record UNIQUE (enterprise_id, source, as_of)
      )`);
    await q.query(`CREATE INDEX ix_credit_record_enterprise ON credit_record (enterprise_id, as_of DESC, source)`);

    await q.query(`
      CREATE TABLE credit_profile (
        enterprise_id uuid PRIMARY KEY REFERENCES enterprise (id),
        record_id uuid NOT NULL REFERENCES credit_record (id),
        source varchar(100) NOT NULL,
        as_of date NOT NULL,
        ${creditColumns},
        rating_rank smallint GENERATED ALWAYS AS (${rank('rating', RATINGS)}) STORED,
        tax_rank smallint GENERATED ALWAYS AS (${rank('tax_grade', TAX_GRADES)}) STORED,
        active_dishonesty boolean NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE whitelist_search (
        id uuid PRIMARY KEY REFERENCES whitelist_entry (id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL,
        whitelist_id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL,
        tier_rank smallint NOT NULL,
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        revoked_on date,
        region_code char(6) NOT NULL,
        industry_chains text[] NOT NULL,
        size_class text CHECK (size_class IN (${list(SIZE_CLASSES)})),
        credit_as_of date,
        rating_rank smallint,
        tax_rank smallint,
        active_dishonesty boolean,
        overdue_count_12m integer,
        had_bank_loan boolean
      )`);
    await q.query(`CREATE INDEX ix_whitelist_search_page ON whitelist_search (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_whitelist_search_enterprise ON whitelist_search (enterprise_id)`);
    await q.query(`CREATE INDEX ix_whitelist_search_region ON whitelist_search (region_code, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_whitelist_search_tier ON whitelist_search (tier_rank, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_whitelist_search_chains ON whitelist_search USING gin (industry_chains)`);

    // Entries arrive in batches of up to 100,000 rows: one statement-level trigger fills their rows.
    await q.query(`
      CREATE FUNCTION whitelist_search_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO whitelist_search (id, enterprise_id, whitelist_id, created_at, tier_rank, valid_from, valid_to,
          revoked_on, region_code, industry_chains, size_class, credit_as_of, rating_rank, tax_rank, active_dishonesty,
          overdue_count_12m, had_bank_loan)
        SELECT n.id, n.enterprise_id, n.whitelist_id, n.created_at, n.tier_rank, n.valid_from, n.valid_to, n.revoked_on,
          e.region_code, e.industry_chains, CASE WHEN e.profile_known THEN e.size_class END,
          c.as_of, c.rating_rank, c.tax_rank, c.active_dishonesty, c.overdue_count_12m, c.had_bank_loan
        FROM added n
        JOIN enterprise e ON e.id = n.enterprise_id
        LEFT JOIN credit_profile c ON c.enterprise_id = n.enterprise_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_whitelist_entry_search_add AFTER INSERT ON whitelist_entry
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION whitelist_search_add()`);

    await q.query(`
      CREATE FUNCTION whitelist_search_revoke() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE whitelist_search SET revoked_on = NEW.revoked_on WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_whitelist_entry_search_revoke AFTER UPDATE OF revoked_on ON whitelist_entry
        FOR EACH ROW WHEN (OLD.revoked_on IS DISTINCT FROM NEW.revoked_on) EXECUTE FUNCTION whitelist_search_revoke()`);

    await q.query(`
      CREATE FUNCTION whitelist_search_enterprise() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE whitelist_search
           SET region_code = NEW.region_code, industry_chains = NEW.industry_chains,
               size_class = CASE WHEN NEW.profile_known THEN NEW.size_class END
         WHERE enterprise_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_enterprise_search AFTER UPDATE ON enterprise FOR EACH ROW
        WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code OR OLD.industry_chains IS DISTINCT FROM NEW.industry_chains
              OR OLD.size_class IS DISTINCT FROM NEW.size_class OR OLD.profile_known IS DISTINCT FROM NEW.profile_known)
        EXECUTE FUNCTION whitelist_search_enterprise()`);

    // A credit import upserts profiles in bulk (INSERT … ON CONFLICT DO UPDATE fires both statement triggers).
    await q.query(`
      CREATE FUNCTION whitelist_search_credit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE whitelist_search s
           SET credit_as_of = c.as_of, rating_rank = c.rating_rank, tax_rank = c.tax_rank,
               active_dishonesty = c.active_dishonesty, overdue_count_12m = c.overdue_count_12m, had_bank_loan = c.had_bank_loan
          FROM changed c
         WHERE s.enterprise_id = c.enterprise_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_credit_profile_search_insert AFTER INSERT ON credit_profile
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION whitelist_search_credit()`);
    await q.query(`
      CREATE TRIGGER tr_credit_profile_search_update AFTER UPDATE ON credit_profile
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION whitelist_search_credit()`);

    // hasOpenNeed: an EXISTS per candidate row, served by this index.
    await q.query(`
      CREATE INDEX ix_financing_need_enterprise_active ON financing_need (enterprise_id, needed_by)
        WHERE status IN ('OPEN', 'MATCHED', 'IN_PROGRESS')`);

    await q.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        institution_id uuid NOT NULL REFERENCES institution (id),
        via text NOT NULL CHECK (via IN ('GRANT', 'APPLICATION')),
        granted_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        revoked_by text
      )`);
    // One live consent per pair: granting twice cannot make two, whatever the timing.
    await q.query(`CREATE UNIQUE INDEX uq_consent_active ON consent (enterprise_id, institution_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX ix_consent_enterprise ON consent (enterprise_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE credit_access_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        sub text NOT NULL,
        role text NOT NULL,
        institution_id uuid REFERENCES institution (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        fields text[] NOT NULL,
        consented boolean NOT NULL,
        operation text
      )`);
    await q.query(`CREATE INDEX ix_credit_access_log_created ON credit_access_log (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_credit_access_log_enterprise ON credit_access_log (enterprise_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_credit_access_log_institution ON credit_access_log (institution_id, created_at DESC, id DESC)`);
    // An audit trail that can be edited is not one.
    await q.query(`
      CREATE FUNCTION credit_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'credit_access_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_credit_access_log_append_only BEFORE UPDATE OR DELETE ON credit_access_log
        FOR EACH ROW EXECUTE FUNCTION credit_access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_enterprise_search ON enterprise`);
    for (const table of [
      'credit_access_log', 'consent', 'whitelist_search', 'credit_profile', 'credit_record', 'credit_import',
      'whitelist_entry', 'whitelist_batch', 'whitelist',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    for (const fn of ['credit_access_log_append_only', 'whitelist_search_credit', 'whitelist_search_enterprise', 'whitelist_search_revoke', 'whitelist_search_add']) {
      await q.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    }
    await q.query(`DROP INDEX IF EXISTS ix_financing_need_enterprise_active`);
    await q.query(`ALTER TABLE enterprise DROP COLUMN IF EXISTS profile_known`);
  }
}
