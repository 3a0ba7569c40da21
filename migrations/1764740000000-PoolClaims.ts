import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pool claims through the authorities' review (issue 17 §3; docs/LEDGER.md "Pool claims"):
 * - `pool_claim`: the bank's claim on a risk-compensation pool after a default (R8), one per defaulted
 *   loan whose pool owes something: OPEN at the default (what the pool keeps reserved for it: `claimed`),
 *   SUBMITTED by the bank with the documents the pool rule asks for, APPROVED (all or part) or REJECTED with
 *   a reason by an authority of the borrower's region, PAID. A payment or a rejection settles the default:
 *   the pool pays what was approved and releases the rest, and the loss net of the payout is split (E10).
 * - Defaults recorded before this migration were paid at once, as booked: they have no claim row.
 * Append-only: never edit after it landed.
 */
export class PoolClaims1764740000000 implements MigrationInterface {
  name = 'PoolClaims1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pool_claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        loan_id uuid NOT NULL UNIQUE REFERENCES loan (id),
        pool_id uuid NOT NULL REFERENCES risk_compensation_pool (id),
        policy_rule_id uuid NOT NULL REFERENCES policy_rule (id),
        rule_version text NOT NULL,
        bank_id uuid NOT NULL REFERENCES institution (id),
        region_code char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        net_loss numeric(18,2) NOT NULL CHECK (net_loss > 0),
        claimed numeric(18,2) NOT NULL CHECK (claimed > 0 AND claimed <= net_loss),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'SUBMITTED', 'APPROVED', 'REJECTED', 'PAID')),
        approved numeric(18,2) CHECK (approved > 0 AND approved <= claimed),
        documents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(documents) = 'array'),
        opened_at timestamptz(3) NOT NULL DEFAULT now(),
        submitted_by text,
        submitted_at timestamptz(3),
        decided_by text,
        decided_at timestamptz(3),
        reason text,
        paid_by text,
        paid_at timestamptz(3),
        payment_reference text,
        CHECK ((status = 'OPEN') = (submitted_at IS NULL)),
        CHECK ((status IN ('APPROVED', 'PAID')) = (approved IS NOT NULL)),
        CHECK ((status IN ('APPROVED', 'REJECTED', 'PAID')) = (decided_at IS NOT NULL)),
        CHECK ((status = 'PAID') = (paid_at IS NOT NULL AND payment_reference IS NOT NULL)),
        CHECK (status <> 'REJECTED' OR reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX ix_pool_claim_status ON pool_claim (status, opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_pool_claim_bank ON pool_claim (bank_id, opened_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pool_claim`);
  }
}
