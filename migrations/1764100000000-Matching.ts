import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching (issue 4): the policy records (R7 risk-sharing rules, bank–guarantor cooperation agreements,
 * versioned policy rules of every PolicyRuleKind with their eligibility), the matches the engine keeps
 * (R13, one row per need and product), the two ledger facts the engine reads (live guarantees per
 * borrower for R6's weight and single-borrower limit; subsidies booked per guarantor and year for R9's
 * fee-subsidy cap), and the indexes candidate narrowing uses. Append-only: never edit after it landed.
 */
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

const RULE_KINDS = ['RISK_COMPENSATION', 'GUARANTEE_RISK_SUBSIDY', 'GUARANTEE_FEE_SUBSIDY', 'LEASING_SUBSIDY', 'TURNOVER_FUND_SUBSIDY', 'INTEREST_SUBSIDY', 'COLLECTIVE_BOND'];
const MATCH_STATUSES = ['PROPOSED', 'VIEWED', 'CONTACTED', 'APPLIED', 'APPROVED', 'DECLINED', 'DISBURSED', 'OVERDUE'];

export class Matching1764100000000 implements MigrationInterface {
  name = 'Matching1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_sharing_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL CONSTRAINT uq_risk_sharing_rule_name UNIQUE,
        shares jsonb NOT NULL CHECK (jsonb_typeof(shares) = 'array' AND jsonb_array_length(shares) > 0),
        coverage_ratio numeric(9,6) NOT NULL CHECK (coverage_ratio >= 0 AND coverage_ratio <= 1),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE cooperation_agreement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bank_id uuid NOT NULL REFERENCES institution (id),
        guarantor_id uuid NOT NULL REFERENCES institution (id),
        risk_sharing_rule_id uuid NOT NULL REFERENCES risk_sharing_rule (id),
        fee_rate numeric(9,6) CHECK (fee_rate >= 0 AND fee_rate <= 1),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT uq_cooperation_agreement_pair UNIQUE (bank_id, guarantor_id)
      )`);
    await q.query(`CREATE INDEX ix_cooperation_agreement_guarantor ON cooperation_agreement (guarantor_id)`);

    // A rule is versioned (R9): creating an existing code inserts its next version; `latest` marks the one
    // in force, and matches and loans keep the version they used.
    await q.query(`
      CREATE TABLE policy_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(60) NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{1,59}$'),
        version integer NOT NULL CHECK (version >= 1),
        latest boolean NOT NULL DEFAULT true,
        kind text NOT NULL CHECK (kind IN (${list(RULE_KINDS)})),
        pool_id uuid REFERENCES risk_compensation_pool (id),
        params jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
        product_kinds text[] NOT NULL DEFAULT '{}',
        sector_tags text[] NOT NULL DEFAULT '{}',
        size_classes text[] NOT NULL DEFAULT '{}',
        region_prefixes text[] NOT NULL DEFAULT '{}',
        industry_chains text[] NOT NULL DEFAULT '{}',
        effective_from date,
        source text,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT uq_policy_rule_version UNIQUE (code, version),
        CHECK ((kind = 'RISK_COMPENSATION') = (pool_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_policy_rule_latest ON policy_rule (code) WHERE latest`);
    await q.query(`CREATE INDEX ix_policy_rule_created ON policy_rule (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE guarantee (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        guarantor_id uuid NOT NULL REFERENCES institution (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        guaranteed_amount numeric(18,2) NOT NULL CHECK (guaranteed_amount > 0),
        outstanding numeric(18,2) NOT NULL CHECK (outstanding >= 0),
        status text NOT NULL DEFAULT 'LIVE' CHECK (status IN ('LIVE', 'RELEASED', 'CLAIMED')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_guarantee_borrower ON guarantee (guarantor_id, enterprise_id) WHERE status = 'LIVE'`);

    await q.query(`
      CREATE TABLE subsidy_booking (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN (${list(RULE_KINDS)})),
        policy_rule_id uuid NOT NULL REFERENCES policy_rule (id),
        payee_kind text NOT NULL CHECK (payee_kind IN ('GUARANTOR', 'ENTERPRISE')),
        payee_id uuid NOT NULL,
        amount numeric(18,2) NOT NULL CHECK (amount >= 0),
        year integer NOT NULL,
        booked_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_subsidy_booking_payee_year ON subsidy_booking (kind, payee_id, year)`);

    // One row per need and product the engine found eligible (R13). Terms are columns, so the inbox and
    // the statistics can read them; `eligible` turns false (instead of the row going) once an institution
    // has acted on a match that later stops qualifying, so what happened is kept.
    await q.query(`
      CREATE TABLE match (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        need_id uuid NOT NULL REFERENCES financing_need (id),
        product_id uuid NOT NULL REFERENCES product (id),
        institution_id uuid NOT NULL REFERENCES institution (id),
        eligible boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN (${list(MATCH_STATUSES)})),
        score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
        indicative_rate numeric(9,6),
        guarantor_id uuid REFERENCES institution (id),
        coverage_ratio numeric(9,6),
        guarantee_fee_rate numeric(9,6),
        guaranteed_amount numeric(18,2),
        reserve numeric(18,2) NOT NULL DEFAULT 0,
        pool_id uuid REFERENCES risk_compensation_pool (id),
        bank_net_exposure numeric(18,2),
        subsidies jsonb NOT NULL DEFAULT '[]',
        all_in_cost numeric(9,6),
        rule_versions text[] NOT NULL DEFAULT '{}',
        product_version integer NOT NULL,
        computed_at timestamptz(3) NOT NULL DEFAULT now(),
        respond_by timestamptz(3),
        decline_reason text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT uq_match_pair UNIQUE (need_id, product_id)
      )`);
    // Best first within a need (R13: score, then the lower all-in cost, then the product id).
    await q.query(`CREATE INDEX ix_match_need_rank ON match (need_id, score DESC, all_in_cost ASC NULLS LAST, product_id) WHERE eligible`);
    await q.query(`CREATE INDEX ix_match_product ON match (product_id)`);
    await q.query(`CREATE INDEX ix_match_institution ON match (institution_id, need_id) WHERE eligible`);
    await q.query(`CREATE INDEX ix_match_guarantor ON match (guarantor_id, need_id) WHERE eligible AND guarantor_id IS NOT NULL`);

    // Candidate narrowing (STYLE.md habit 3): needs still looking for money, by kind and amount; products
    // switched on, by need kind.
    await q.query(`CREATE INDEX ix_financing_need_matchable ON financing_need (kind, amount) WHERE status IN ('OPEN', 'MATCHED', 'IN_PROGRESS')`);
    await q.query(`CREATE INDEX ix_product_kind ON product (kind) WHERE enabled`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_product_kind`);
    await q.query(`DROP INDEX IF EXISTS ix_financing_need_matchable`);
    for (const table of ['match', 'subsidy_booking', 'guarantee', 'policy_rule', 'cooperation_agreement', 'risk_sharing_rule']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
