import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * From match to loan (issue 5; R14 with R6–R9):
 * - `match_event`: every step of a match's lifecycle (who, when, from which status, why), append-only; the
 *   funnel and the response times read it. `match.responded_at` is the institution's first contact or
 *   decline, `match.status_changed_at` the last step. A match's response deadline is derived (created_at
 *   plus the configured window), so the stored `respond_by` goes.
 * - `financing_need.first_matched_at`: when the need first had an eligible match (the funnel's "matched").
 * - `loan`: one disbursement of a match, with the guarantee, reserve and rule versions it used and what a
 *   repayment or a default did to it.
 * - `guarantee.loan_id`, `subsidy_booking.loan_id` and `rule_version`: the ledger facts point at their loan.
 * - `ledger_entry`: every money movement of a loan, append-only (disbursement, repayment, guarantee,
 *   reserve, claim payout, subsidy, loss share); the statistics reproduce its totals.
 * - Index order fixed for the readers: a borrower's live balance with a guarantor (enterprise first), the
 *   fee subsidies of a year per payee (kind, year, payee).
 * Append-only: never edit after it landed.
 */
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const ACTIONS = ['VIEW', 'CONTACT', 'DECLINE', 'APPLY', 'APPROVE', 'DISBURSE', 'LAPSE'];
const MATCH_STATUSES = ['PROPOSED', 'VIEWED', 'CONTACTED', 'APPLIED', 'APPROVED', 'DECLINED', 'DISBURSED', 'OVERDUE'];
const ENTRY_KINDS = ['DISBURSEMENT', 'REPAYMENT', 'GUARANTEE', 'GUARANTEE_RELEASE', 'RESERVE', 'RESERVE_RELEASE', 'CLAIM_PAYOUT', 'SUBSIDY', 'LOSS_SHARE'];

export class LoansAndLedger1764400000000 implements MigrationInterface {
  name = 'LoansAndLedger1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE match DROP COLUMN respond_by`);
    await q.query(`ALTER TABLE match ADD COLUMN responded_at timestamptz(3), ADD COLUMN status_changed_at timestamptz(3), ADD COLUMN decline_note varchar(500)`);
    // The inbox: an institution's matches (and a guarantor's routed ones), newest first; the deadline sweep.
    await q.query(`CREATE INDEX ix_match_inbox ON match (institution_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_match_guarantor_inbox ON match (guarantor_id, created_at DESC, id DESC) WHERE guarantor_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_match_awaiting_response ON match (created_at) WHERE status IN ('PROPOSED', 'VIEWED') AND eligible`);

    await q.query(`
      CREATE TABLE match_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        match_id uuid NOT NULL REFERENCES match (id),
        need_id uuid NOT NULL REFERENCES financing_need (id),
        institution_id uuid NOT NULL REFERENCES institution (id),
        action text NOT NULL CHECK (action IN (${list(ACTIONS)})),
        from_status text NOT NULL CHECK (from_status IN (${list(MATCH_STATUSES)})),
        to_status text NOT NULL CHECK (to_status IN (${list(MATCH_STATUSES)})),
        decline_reason text,
        note varchar(500),
        actor text NOT NULL,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_match_event_match ON match_event (match_id, at)`);
    await q.query(`CREATE INDEX ix_match_event_need ON match_event (need_id, action)`);
    await q.query(`CREATE INDEX ix_match_event_institution ON match_event (institution_id, at)`);

    await q.query(`ALTER TABLE financing_need ADD COLUMN first_matched_at timestamptz(3)`);
    await q.query(`UPDATE financing_need n SET first_matched_at = m.first FROM (SELECT need_id, min(created_at) AS first FROM match GROUP BY need_id) m WHERE m.need_id = n.id`);

    await q.query(`
      CREATE TABLE loan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        match_id uuid NOT NULL REFERENCES match (id),
        need_id uuid NOT NULL REFERENCES financing_need (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        institution_id uuid NOT NULL REFERENCES institution (id),
        product_id uuid NOT NULL REFERENCES product (id),
        principal numeric(18,2) NOT NULL CHECK (principal > 0),
        outstanding numeric(18,2) NOT NULL CHECK (outstanding >= 0 AND outstanding <= principal),
        annual_rate numeric(9,6) NOT NULL CHECK (annual_rate >= 0 AND annual_rate <= 1),
        term_months integer NOT NULL CHECK (term_months BETWEEN 1 AND 360),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REPAID', 'DEFAULTED')),
        guarantor_id uuid REFERENCES institution (id),
        coverage_ratio numeric(9,6),
        guarantee_fee_rate numeric(9,6),
        guaranteed_amount numeric(18,2),
        risk_sharing_rule_id uuid REFERENCES risk_sharing_rule (id),
        pool_id uuid REFERENCES risk_compensation_pool (id),
        pool_rule_id uuid REFERENCES policy_rule (id),
        reserve numeric(18,2) NOT NULL DEFAULT 0 CHECK (reserve >= 0),
        reserve_held numeric(18,2) NOT NULL DEFAULT 0 CHECK (reserve_held >= 0 AND reserve_held <= reserve),
        compensation_paid numeric(18,2) NOT NULL DEFAULT 0 CHECK (compensation_paid >= 0),
        net_loss numeric(18,2) CHECK (net_loss > 0),
        loss_split jsonb NOT NULL DEFAULT '[]',
        rule_versions text[] NOT NULL DEFAULT '{}',
        recorded_by text NOT NULL,
        disbursed_at timestamptz(3) NOT NULL DEFAULT now(),
        closed_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((guarantor_id IS NULL) = (guaranteed_amount IS NULL)),
        CHECK ((pool_id IS NULL) = (pool_rule_id IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_loan_match ON loan (match_id)`);
    await q.query(`CREATE INDEX ix_loan_need ON loan (need_id)`);
    await q.query(`CREATE INDEX ix_loan_institution ON loan (institution_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_loan_enterprise ON loan (enterprise_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_loan_guarantor ON loan (guarantor_id) WHERE guarantor_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_loan_pool ON loan (pool_id) WHERE pool_id IS NOT NULL`);

    await q.query(`ALTER TABLE guarantee ADD COLUMN loan_id uuid REFERENCES loan (id)`);
    await q.query(`CREATE UNIQUE INDEX uq_guarantee_loan ON guarantee (loan_id)`);
    await q.query(`DROP INDEX ix_guarantee_borrower`);
    await q.query(`CREATE INDEX ix_guarantee_borrower ON guarantee (enterprise_id, guarantor_id) WHERE status = 'LIVE'`);
    await q.query(`CREATE INDEX ix_guarantee_guarantor_live ON guarantee (guarantor_id) WHERE status = 'LIVE'`);

    await q.query(`ALTER TABLE subsidy_booking ADD COLUMN loan_id uuid REFERENCES loan (id), ADD COLUMN rule_version text`);
    await q.query(`DROP INDEX ix_subsidy_booking_payee_year`);
    await q.query(`CREATE INDEX ix_subsidy_booking_year_payee ON subsidy_booking (kind, year, payee_id)`);
    await q.query(`CREATE INDEX ix_subsidy_booking_loan ON subsidy_booking (loan_id)`);

    await q.query(`
      CREATE TABLE ledger_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        loan_id uuid NOT NULL REFERENCES loan (id),
        kind text NOT NULL CHECK (kind IN (${list(ENTRY_KINDS)})),
        party text NOT NULL,
        party_id uuid,
        amount numeric(18,2) NOT NULL CHECK (amount >= 0),
        rule_version text,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_ledger_entry_loan ON ledger_entry (loan_id, id)`);
    await q.query(`CREATE INDEX ix_ledger_entry_kind ON ledger_entry (kind, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ledger_entry`);
    await q.query(`DROP INDEX IF EXISTS ix_subsidy_booking_loan`);
    await q.query(`DROP INDEX IF EXISTS ix_subsidy_booking_year_payee`);
    await q.query(`CREATE INDEX ix_subsidy_booking_payee_year ON subsidy_booking (kind, payee_id, year)`);
    await q.query(`ALTER TABLE subsidy_booking DROP COLUMN IF EXISTS loan_id, DROP COLUMN IF EXISTS rule_version`);
    await q.query(`DROP INDEX IF EXISTS ix_guarantee_guarantor_live`);
    await q.query(`DROP INDEX IF EXISTS ix_guarantee_borrower`);
    await q.query(`CREATE INDEX ix_guarantee_borrower ON guarantee (guarantor_id, enterprise_id) WHERE status = 'LIVE'`);
    await q.query(`DROP INDEX IF EXISTS uq_guarantee_loan`);
    await q.query(`ALTER TABLE guarantee DROP COLUMN IF EXISTS loan_id`);
    await q.query(`DROP TABLE IF EXISTS loan`);
    await q.query(`ALTER TABLE financing_need DROP COLUMN IF EXISTS first_matched_at`);
    await q.query(`DROP TABLE IF EXISTS match_event`);
    for (const index of ['ix_match_awaiting_response', 'ix_match_guarantor_inbox', 'ix_match_inbox']) await q.query(`DROP INDEX IF EXISTS ${index}`);
    await q.query(`ALTER TABLE match DROP COLUMN IF EXISTS responded_at, DROP COLUMN IF EXISTS status_changed_at, DROP COLUMN IF EXISTS decline_note`);
    await q.query(`ALTER TABLE match ADD COLUMN respond_by timestamptz(3)`);
  }
}
