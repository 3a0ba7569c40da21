import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reviews by the authorities (issue 17 §3; docs/LEDGER.md "Claims: applied for, reviewed, paid",
 * docs/AUTHORITIES.md "Regions" and "The listing reserve pool").
 *
 * - A disbursement no longer books its subsidies: it records what the loan is entitled to
 *   (`subsidy_entitlement`, one row per rule and calendar year, as the bookings were). The payee applies
 *   (`subsidy_claim`, with the documents the rule asks for: `policy_rule.required_documents`), an
 *   authority approves or rejects it with a reason, and pays it: the payment writes the `subsidy_booking`
 *   row (so the running total per guarantor and year moves then, by its trigger), the SUBSIDY ledger
 *   entry and its posting.
 * - `guarantor_fee_subsidy_entitled`: per guarantor and year, the fee subsidies entitled and not yet
 *   paid or rejected. A disbursement and an approval read it beside the booked total, under the
 *   guarantor's lock, so the yearly cap (R9) holds before the money is paid.
 * - `policy_budget`: per rule code and year, the budget, what approvals committed and what was paid;
 *   the CHECK is the last fence: committed + paid never pass the budget.
 * - The bookings made at disbursement before this change are kept (they were paid out as booked): each
 *   becomes an entitlement with a PAID claim naming it, so every loan's subsidies read one way.
 * - `listing_reserve_entry`: the listing reserve pool (seed 003, 专精特新入板和上市企业储备库) as
 *   authorities keep it, every addition and removal with its reason (history kept: a removal closes the
 *   entry, a new addition opens another). The LISTING_RESERVE qualifications authorities recorded become
 *   entries; `authority_qualification` is what the matcher reads: the authority's qualifications, with
 *   LISTING_RESERVE from the list only.
 * Never edit after it landed.
 */
export class Reviews1764730000000 implements MigrationInterface {
  name = 'Reviews1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy_rule ADD COLUMN required_documents text[] NOT NULL DEFAULT '{}'`);

    await q.query(`
      CREATE TABLE subsidy_entitlement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        loan_id uuid NOT NULL REFERENCES loan (id),
        policy_rule_id uuid NOT NULL REFERENCES policy_rule (id),
        rule_code varchar(60) NOT NULL,
        rule_version text NOT NULL,
        kind text NOT NULL,
        payee_kind text NOT NULL CHECK (payee_kind IN ('GUARANTOR', 'ENTERPRISE')),
        payee_id uuid NOT NULL,
        year integer NOT NULL,
        amount numeric(18,2) NOT NULL CHECK (amount >= 0),
        region_code text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_subsidy_entitlement_loan ON subsidy_entitlement (loan_id)`);
    await q.query(`CREATE INDEX ix_subsidy_entitlement_payee ON subsidy_entitlement (payee_id, year)`);

    await q.query(`
      CREATE TABLE subsidy_claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        entitlement_id uuid NOT NULL REFERENCES subsidy_entitlement (id),
        status text NOT NULL CHECK (status IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'PAID')),
        claimed numeric(18,2) NOT NULL CHECK (claimed >= 0),
        approved numeric(18,2) CHECK (approved >= 0 AND approved <= claimed),
        documents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(documents) = 'array'),
        submitted_by text NOT NULL,
        submitted_at timestamptz(3) NOT NULL DEFAULT now(),
        decided_by text,
        decided_at timestamptz(3),
        reason text,
        paid_by text,
        paid_at timestamptz(3),
        payment_reference text,
        -- The booking the payment wrote (no foreign key: an administrator's TRUNCATE of the bookings stays possible, as before).
        booking_id uuid,
        CHECK ((status IN ('APPROVED', 'PAID')) = (approved IS NOT NULL)),
        CHECK ((status = 'PAID') = (paid_at IS NOT NULL)),
        CHECK (status <> 'REJECTED' OR reason IS NOT NULL)
      )`);
    // One live claim per entitlement: a rejected one may be applied for again.
    await q.query(`CREATE UNIQUE INDEX uq_subsidy_claim_live ON subsidy_claim (entitlement_id) WHERE status <> 'REJECTED'`);
    await q.query(`CREATE INDEX ix_subsidy_claim_status ON subsidy_claim (status, submitted_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE guarantor_fee_subsidy_entitled (
        guarantor_id uuid NOT NULL,
        year integer NOT NULL,
        amount numeric(18,2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
        PRIMARY KEY (guarantor_id, year)
      )`);

    await q.query(`
      CREATE TABLE policy_budget (
        rule_code varchar(60) NOT NULL,
        year integer NOT NULL CHECK (year BETWEEN 1900 AND 2999),
        amount numeric(18,2) NOT NULL CHECK (amount >= 0),
        committed numeric(18,2) NOT NULL DEFAULT 0 CHECK (committed >= 0),
        paid numeric(18,2) NOT NULL DEFAULT 0 CHECK (paid >= 0),
        set_by text NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (rule_code, year),
        CHECK (committed + paid <= amount)
      )`);

    // The bookings made at disbursement: entitlements with a PAID claim each.
    await q.query(`
      WITH e AS (
        INSERT INTO subsidy_entitlement (id, loan_id, policy_rule_id, rule_code, rule_version, kind, payee_kind, payee_id, year, amount, region_code, created_at)
        SELECT b.id, b.loan_id, b.policy_rule_id, r.code, coalesce(b.rule_version, r.code || '@v' || r.version), b.kind, b.payee_kind, b.payee_id, b.year, b.amount,
               en.region_code, b.booked_at
          FROM subsidy_booking b JOIN policy_rule r ON r.id = b.policy_rule_id JOIN loan l ON l.id = b.loan_id JOIN enterprise en ON en.id = l.enterprise_id
         WHERE b.loan_id IS NOT NULL
        RETURNING id, amount, created_at
      )
      INSERT INTO subsidy_claim (entitlement_id, status, claimed, approved, submitted_by, submitted_at, decided_by, decided_at, paid_by, paid_at, booking_id, reason)
      SELECT id, 'PAID', amount, amount, 'migration', created_at, 'migration', created_at, 'migration', created_at, id, 'booked at disbursement before claims were reviewed'
        FROM e`);

    await q.query(`
      CREATE TABLE listing_reserve_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id) ON DELETE CASCADE,
        valid_from date,
        valid_to date,
        region_code text,
        added_by text NOT NULL,
        added_at timestamptz(3) NOT NULL DEFAULT now(),
        add_reason text NOT NULL,
        removed_on date,
        removed_by text,
        removed_at timestamptz(3),
        remove_reason text,
        CHECK ((removed_at IS NULL) = (remove_reason IS NULL) AND (removed_at IS NULL) = (removed_on IS NULL)),
        CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_listing_reserve_live ON listing_reserve_entry (enterprise_id) WHERE removed_at IS NULL`);
    await q.query(`CREATE INDEX ix_listing_reserve_enterprise ON listing_reserve_entry (enterprise_id, added_at)`);
    await q.query(`
      INSERT INTO listing_reserve_entry (enterprise_id, valid_from, valid_to, added_by, add_reason)
      SELECT DISTINCT ON (enterprise_id) enterprise_id, valid_from, valid_to, 'migration', 'recorded as an authority qualification before the reserve pool was a list'
        FROM enterprise_qualification WHERE code = 'LISTING_RESERVE' AND source = 'AUTHORITY'
       ORDER BY enterprise_id, valid_to DESC NULLS FIRST`);
    await q.query(`DELETE FROM enterprise_qualification WHERE code = 'LISTING_RESERVE' AND source = 'AUTHORITY'`);
    // What products, pools and subsidies read as a firm's qualifications (provenance.ts): the authority's,
    // LISTING_RESERVE from the list (a removal ends it the day before it was removed).
    await q.query(`
      CREATE VIEW authority_qualification AS
        SELECT enterprise_id, code, valid_from, valid_to FROM enterprise_qualification WHERE source = 'AUTHORITY' AND code <> 'LISTING_RESERVE'
        UNION ALL
        SELECT enterprise_id, 'LISTING_RESERVE', valid_from,
               CASE WHEN removed_on IS NULL THEN valid_to ELSE least(valid_to, removed_on - 1) END
          FROM listing_reserve_entry`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS authority_qualification`);
    await q.query(`
      INSERT INTO enterprise_qualification (enterprise_id, code, valid_from, valid_to, source)
      SELECT enterprise_id, 'LISTING_RESERVE', valid_from, valid_to, 'AUTHORITY' FROM listing_reserve_entry WHERE removed_at IS NULL`);
    await q.query(`DROP TABLE IF EXISTS listing_reserve_entry`);
    await q.query(`DROP TABLE IF EXISTS policy_budget`);
    await q.query(`DROP TABLE IF EXISTS guarantor_fee_subsidy_entitled`);
    await q.query(`DROP TABLE IF EXISTS subsidy_claim`);
    await q.query(`DROP TABLE IF EXISTS subsidy_entitlement`);
    await q.query(`ALTER TABLE policy_rule DROP COLUMN IF EXISTS required_documents`);
  }
}
