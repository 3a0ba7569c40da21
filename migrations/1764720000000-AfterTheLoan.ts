import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17 §2 — after the disbursement (docs/LEDGER.md "After the loan").
 *
 * - loan: `repayment` (BULLET, AMORTIZING), `starts_on` (the database's day of the disbursement),
 *   `maturity` (stored: an approved renewal moves it) and `extension_months` (what renewals added).
 *   Existing loans are BULLET from the Shanghai day they were disbursed, maturing `term_months` later —
 *   the maturity REPAYMENT_DUE computed until now — so their reminders do not move.
 * - loan_instalment: the schedule (src/loans/schedule.ts), one row per instalment; an existing loan
 *   gets its one bullet instalment. REPAYMENT_DUE and the overdue sweep read them.
 * - loan_renewal: 续贷 requests, the lender's answer or the lapse of its deadline, the fallback need.
 * - warning_trigger, post_loan_warning: each institution's post-loan warning conditions and its warnings.
 * Never edit after it landed.
 */
export class AfterTheLoan1764720000000 implements MigrationInterface {
  name = 'AfterTheLoan1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE loan
        ADD COLUMN repayment text NOT NULL DEFAULT 'BULLET' CHECK (repayment IN ('BULLET', 'AMORTIZING')),
        ADD COLUMN starts_on date,
        ADD COLUMN maturity date,
        ADD COLUMN extension_months int NOT NULL DEFAULT 0 CHECK (extension_months >= 0)`);
    await q.query(`
      UPDATE loan SET starts_on = (disbursed_at AT TIME ZONE 'Asia/Shanghai')::date,
                      maturity = ((disbursed_at AT TIME ZONE 'Asia/Shanghai')::date + make_interval(months => term_months))::date`);
    await q.query(`ALTER TABLE loan ALTER COLUMN starts_on SET NOT NULL, ALTER COLUMN starts_on SET DEFAULT shanghai_today(), ALTER COLUMN maturity SET NOT NULL,
                   ADD CONSTRAINT ck_loan_maturity CHECK (maturity > starts_on)`);
    // REPAYMENT_DUE reads the stored maturity now.
    await q.query(`DROP INDEX ix_loan_maturity`);
    await q.query(`CREATE INDEX ix_loan_active_maturity ON loan (maturity) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX ix_loan_active_enterprise ON loan (enterprise_id) WHERE status = 'ACTIVE'`);

    await q.query(`
      CREATE TABLE loan_instalment (
        loan_id uuid NOT NULL REFERENCES loan(id) ON DELETE CASCADE,
        seq int NOT NULL CHECK (seq > 0),
        due_on date NOT NULL,
        principal numeric(18,2) NOT NULL CHECK (principal > 0),
        interest numeric(18,2) NOT NULL CHECK (interest >= 0),
        PRIMARY KEY (loan_id, seq)
      )`);
    await q.query(`
      INSERT INTO loan_instalment (loan_id, seq, due_on, principal, interest)
      SELECT id, 1, maturity, principal, round(principal * annual_rate * term_months / 12, 2) FROM loan`);

    await q.query(`
      CREATE TABLE loan_renewal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        loan_id uuid NOT NULL REFERENCES loan(id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        institution_id uuid NOT NULL REFERENCES institution(id),
        status text NOT NULL DEFAULT 'REQUESTED' CHECK (status IN ('REQUESTED', 'APPROVED', 'REFUSED', 'LAPSED')),
        extension_months int NOT NULL CHECK (extension_months > 0),
        approved_months int CHECK (approved_months > 0),
        maturity_before date NOT NULL,
        maturity_after date,
        outstanding numeric(18,2) NOT NULL CHECK (outstanding > 0),
        requested_on date NOT NULL,
        respond_by date NOT NULL,
        note varchar(500),
        reason varchar(500),
        fallback_need_id uuid REFERENCES financing_need(id) ON DELETE SET NULL,
        requested_by text NOT NULL,
        decided_by text,
        decided_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (loan_id, maturity_before),
        CHECK ((status = 'APPROVED') = (approved_months IS NOT NULL AND maturity_after IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_loan_renewal_pending ON loan_renewal (respond_by) WHERE status = 'REQUESTED'`);
    await q.query(`CREATE INDEX ix_loan_renewal_institution ON loan_renewal (institution_id, created_at)`);

    await q.query(`
      CREATE TABLE warning_trigger (
        institution_id uuid PRIMARY KEY REFERENCES institution(id) ON DELETE CASCADE,
        kinds text[] NOT NULL CHECK (kinds <@ ARRAY['DISHONESTY', 'OVERDUE', 'RATING_DOWNGRADE', 'WHITELIST_REVOKED']),
        min_overdue_days int NOT NULL CHECK (min_overdue_days BETWEEN 1 AND 3650),
        min_rating_drop int NOT NULL CHECK (min_rating_drop BETWEEN 1 AND 8),
        updated_by text NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE post_loan_warning (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institution(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('LENDER', 'GUARANTOR')),
        loan_id uuid NOT NULL REFERENCES loan(id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        kind text NOT NULL CHECK (kind IN ('DISHONESTY', 'OVERDUE', 'RATING_DOWNGRADE', 'WHITELIST_REVOKED')),
        detail jsonb NOT NULL DEFAULT '{}',
        dedup_key text UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        acknowledged_at timestamptz(3),
        acknowledged_by text
      )`);
    await q.query(`CREATE INDEX ix_post_loan_warning_institution ON post_loan_warning (institution_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE post_loan_warning`);
    await q.query(`DROP TABLE warning_trigger`);
    await q.query(`DROP TABLE loan_renewal`);
    await q.query(`DROP TABLE loan_instalment`);
    await q.query(`DROP INDEX ix_loan_active_enterprise`);
    await q.query(`DROP INDEX ix_loan_active_maturity`);
    await q.query(`ALTER TABLE loan DROP COLUMN repayment, DROP COLUMN starts_on, DROP COLUMN maturity, DROP COLUMN extension_months`);
    await q.query(`CREATE INDEX ix_loan_maturity ON loan ((((disbursed_at AT TIME ZONE 'Asia/Shanghai')::date + make_interval(months => term_months))::date)) WHERE status = 'ACTIVE'`);
  }
}
