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
 * Append-only: never edit after it landed.
 */
export class PolicyFigures1764680000000 implements MigrationInterface {
  name = 'PolicyFigures1764680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy_rule ADD COLUMN national boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE policy_rule SET region_prefixes = '{3702}' WHERE cardinality(region_prefixes) = 0 AND source LIKE '青政发〔2012〕46号%'`);
    await q.query(`UPDATE policy_rule SET national = true WHERE cardinality(region_prefixes) = 0`);
    await q.query(`ALTER TABLE loan ADD COLUMN reserve_due numeric(18,2) CHECK (reserve_due >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loan DROP COLUMN IF EXISTS reserve_due`);
    await q.query(`ALTER TABLE policy_rule DROP COLUMN IF EXISTS national`);
  }
}
