import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17 §1, the policy figures that came out wrong:
 * - `policy_rule.national`: a subsidy or pool rule states the regions it applies to or is marked national
 *   (the API refuses one with neither). Existing rules without region prefixes: those citing Qingdao's
 *   青政发〔2012〕46号 (the demo's QD-GUARANTEE-FEE, QD-GUARANTEE-RISK, QD-TURNOVER, QD-LEASING,
 *   QD-COLLECTIVE-BOND) get Qingdao's region prefix 3702, fixed in place on every version (they paid
 *   Qingdao's subsidies on Beijing loans); every other rule without one is marked national, so it
 *   applies where it applied before.
 * - `loan.reserve_due`: what the pool rule gave the disbursed principal had the pool had room (R8), so a
 *   disbursement whose pool ran dry since the quote says so instead of reserving less without a word.
 * - Guarantors have a say: `guarantee_request`, a guarantee a match routes to a guarantor when the lender
 *   approves it, PENDING → ACCEPTED or REFUSED (one per match and guarantor); a disbursement needs it
 *   ACCEPTED. `cooperation_agreement.guarantee_acceptance`: AUTOMATIC (见贷即保: accepted when routed) or
 *   REVIEW. Existing agreements are AUTOMATIC (what they were), and the matches already approved or
 *   disbursed with a guarantor get their guarantee ACCEPTED by the agreement.
 * - `guarantee.started_on`: the database's day a guarantee started (backfilled from when it was written),
 *   so a guarantor's small and micro volume per year — R9's growth subsidy — is read from the ledger.
 * - `collective_bond_issue`, `collective_bond_member`: collective bond issues (R9, seed 004 Art. (32)) as
 *   records — the issue under a COLLECTIVE_BOND rule version, its mitigation fund, the losses recorded,
 *   and each member's counter-guaranteed amount and support (also booked as a COLLECTIVE_BOND subsidy).
 * Append-only: never edit after it landed.
 */
export class PolicyFigures1764680000000 implements MigrationInterface {
  name = 'PolicyFigures1764680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy_rule ADD COLUMN national boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE policy_rule SET region_prefixes = '{3702}' WHERE cardinality(region_prefixes) = 0 AND source LIKE '青政发〔2012〕46号%'`);
    await q.query(`UPDATE policy_rule SET national = true WHERE cardinality(region_prefixes) = 0`);
    await q.query(`ALTER TABLE loan ADD COLUMN reserve_due numeric(18,2) CHECK (reserve_due >= 0)`);

    await q.query(`ALTER TABLE cooperation_agreement ADD COLUMN guarantee_acceptance text NOT NULL DEFAULT 'AUTOMATIC' CHECK (guarantee_acceptance IN ('AUTOMATIC', 'REVIEW'))`);
    await q.query(`
      CREATE TABLE guarantee_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        match_id uuid NOT NULL REFERENCES match (id),
        guarantor_id uuid NOT NULL REFERENCES institution (id),
        bank_id uuid NOT NULL REFERENCES institution (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        status text NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'REFUSED')),
        coverage_ratio numeric(9,6) NOT NULL,
        fee_rate numeric(9,6) NOT NULL,
        guaranteed_amount numeric(18,2) NOT NULL,
        reason varchar(500),
        responded_by text,
        responded_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT uq_guarantee_request_match_guarantor UNIQUE (match_id, guarantor_id)
      )`);
    // A guarantor's list and a lender's, newest first.
    await q.query(`CREATE INDEX ix_guarantee_request_guarantor ON guarantee_request (guarantor_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_guarantee_request_bank ON guarantee_request (bank_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE collective_bond_issue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL CONSTRAINT uq_collective_bond_issue_name UNIQUE,
        policy_rule_id uuid NOT NULL REFERENCES policy_rule (id),
        rule_version text NOT NULL,
        guarantee_centre_id uuid REFERENCES institution (id),
        issue_amount numeric(18,2) NOT NULL CHECK (issue_amount > 0),
        issued_on date NOT NULL,
        mitigation_fund numeric(18,2) NOT NULL CHECK (mitigation_fund >= 0),
        loss numeric(18,2) NOT NULL DEFAULT 0 CHECK (loss >= 0 AND loss <= issue_amount),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE collective_bond_member (
        issue_id uuid NOT NULL REFERENCES collective_bond_issue (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        counter_guaranteed numeric(18,2) NOT NULL CHECK (counter_guaranteed > 0),
        support numeric(18,2) NOT NULL CHECK (support >= 0),
        PRIMARY KEY (issue_id, enterprise_id)
      )`);
    await q.query(`CREATE INDEX ix_collective_bond_member_enterprise ON collective_bond_member (enterprise_id)`);
    await q.query(`ALTER TABLE guarantee ADD COLUMN started_on date`);
    await q.query(`UPDATE guarantee SET started_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date`);
    await q.query(`ALTER TABLE guarantee ALTER COLUMN started_on SET DEFAULT shanghai_today(), ALTER COLUMN started_on SET NOT NULL`);
    await q.query(`CREATE INDEX ix_guarantee_guarantor_started ON guarantee (guarantor_id, started_on)`);
    await q.query(`
      INSERT INTO guarantee_request (match_id, guarantor_id, bank_id, enterprise_id, status, coverage_ratio, fee_rate, guaranteed_amount, responded_by, responded_at, created_at)
      SELECT m.id, m.guarantor_id, m.institution_id, n.enterprise_id, 'ACCEPTED', m.coverage_ratio, m.guarantee_fee_rate, m.guaranteed_amount, 'agreement', now(), now()
        FROM match m JOIN financing_need n ON n.id = m.need_id
       WHERE m.guarantor_id IS NOT NULL AND m.status IN ('APPROVED', 'DISBURSED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS collective_bond_member`);
    await q.query(`DROP TABLE IF EXISTS collective_bond_issue`);
    await q.query(`DROP TABLE IF EXISTS guarantee_request`);
    await q.query(`ALTER TABLE guarantee DROP COLUMN IF EXISTS started_on`);
    await q.query(`ALTER TABLE cooperation_agreement DROP COLUMN IF EXISTS guarantee_acceptance`);
    await q.query(`ALTER TABLE loan DROP COLUMN IF EXISTS reserve_due`);
    await q.query(`ALTER TABLE policy_rule DROP COLUMN IF EXISTS national`);
  }
}
