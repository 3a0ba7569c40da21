import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation (issue 2): enterprises (R1–R3), their users, industry chains, institutions with
 * guarantor profiles (R6 figures), products with eligibility (R12), financing needs (R11), idempotency
 * keys, benchmark rates, risk-compensation pools (R8 capacity) and the app's own bookkeeping.
 * Money numeric(18,2), rates numeric(9,6) (DOMAIN §3). Enum columns are text with CHECK constraints.
 */
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

const SECTORS = ['AGRICULTURE', 'INDUSTRY', 'CONSTRUCTION', 'WHOLESALE', 'RETAIL', 'TRANSPORT', 'WAREHOUSING', 'POSTAL', 'ACCOMMODATION', 'CATERING', 'INFO_TRANSMISSION', 'SOFTWARE_IT', 'REAL_ESTATE_DEV', 'PROPERTY_MGMT', 'LEASING_BUSINESS_SERVICES', 'OTHER'];
const SIZE_CLASSES = ['LARGE', 'MEDIUM', 'SMALL', 'MICRO'];
const INSTITUTION_KINDS = ['BANK', 'GUARANTOR', 'RE_GUARANTOR', 'INVESTOR', 'GOVERNMENT_FUND', 'MICROLOAN', 'LEASING', 'INSURER', 'AUTHORITY'];
const PRODUCT_KINDS = ['CREDIT_LOAN', 'FIRST_LOAN', 'GUARANTEED_LOAN', 'IP_PLEDGE_LOAN', 'RECEIVABLES_FINANCING', 'SUPPLY_CHAIN', 'WAREHOUSE_RECEIPT', 'MORTGAGE_LOAN', 'TURNOVER_FUND', 'LEASING', 'LISTING_LOAN', 'EQUITY_INVESTMENT', 'INVESTMENT_LOAN_LINKAGE'];
const NEED_KINDS = ['LOAN', 'EQUITY'];
const NEED_STATUSES = ['OPEN', 'MATCHED', 'IN_PROGRESS', 'FUNDED', 'WITHDRAWN', 'CLOSED_UNFUNDED', 'EXPIRED'];
const PURPOSES = ['WORKING_CAPITAL', 'EQUIPMENT', 'R_AND_D', 'EXPANSION', 'REFINANCING', 'TRADE', 'OTHER'];
const STAGES = ['SEED', 'ANGEL', 'SERIES_A', 'SERIES_B', 'SERIES_C_PLUS', 'PRE_IPO'];
const CHANNELS = ['MINI_PROGRAM', 'WEB', 'BANK_REFERRAL', 'ROADSHOW'];
const TIERS = ['INNOVATIVE_SME', 'SPECIALIZED_SME', 'LITTLE_GIANT', 'SINGLE_CHAMPION'];
const RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C'];
const TAX_GRADES = ['A', 'B', 'M', 'C', 'D'];

export class Foundation1763771000000 implements MigrationInterface {
  name = 'Foundation1763771000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE app_meta (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE industry_chain (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
        name_zh text NOT NULL,
        name_en text NOT NULL
      )`);
    // The six chains of seed 003 (千亿畅融 roadshows): reference data the API validates against.
    await q.query(`
      INSERT INTO industry_chain (code, name_zh, name_en) VALUES
        ('HYDROGEN', '氢能', 'Hydrogen energy'),
        ('ENERGY_STORAGE', '储能', 'Energy storage'),
        ('WIND_EQUIPMENT', '风电装备', 'Wind-power equipment'),
        ('AI', '人工智能', 'Artificial intelligence'),
        ('BIOPHARMA', '生物药', 'Biopharmaceuticals'),
        ('MEDICAL_ROBOTICS', '医疗机器人', 'Medical robotics')`);

    await q.query(`
      CREATE TABLE enterprise (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        credit_code varchar(18) NOT NULL CONSTRAINT uq_enterprise_credit_code UNIQUE
          CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUWXY]{18}$'),
        name varchar(200) NOT NULL,
        sector text NOT NULL CHECK (sector IN (${list(SECTORS)})),
        industry_code varchar(5),
        region_code char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        founded_on date,
        employees integer CHECK (employees >= 0),
        revenue numeric(18,2) CHECK (revenue >= 0),
        total_assets numeric(18,2) CHECK (total_assets >= 0),
        size_class text NOT NULL CHECK (size_class IN (${list(SIZE_CLASSES)})),
        size_standard text NOT NULL,
        industry_chains text[] NOT NULL DEFAULT '{}',
        sector_tags text[] NOT NULL DEFAULT '{}',
        contact_person varchar(100),
        contact_phone varchar(40),
        contact_email varchar(200),
        synthetic boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_enterprise_region ON enterprise (region_code)`);
    await q.query(`CREATE INDEX ix_enterprise_chains ON enterprise USING gin (industry_chains)`);
    await q.query(`CREATE INDEX ix_enterprise_created ON enterprise (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE enterprise_qualification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id) ON DELETE CASCADE,
        code text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
        valid_from date,
        valid_to date,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
      )`);
    await q.query(`CREATE INDEX ix_enterprise_qualification_enterprise ON enterprise_qualification (enterprise_id)`);

    await q.query(`
      CREATE TABLE enterprise_user (
        sub text PRIMARY KEY,
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_enterprise_user_enterprise ON enterprise_user (enterprise_id)`);

    await q.query(`
      CREATE TABLE institution (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN (${list(INSTITUTION_KINDS)})),
        name varchar(200) NOT NULL CONSTRAINT uq_institution_name UNIQUE,
        region_code char(6) CHECK (region_code ~ '^[0-9]{6}$'),
        coverage_regions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_institution_kind ON institution (kind, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_institution_created ON institution (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE guarantor_profile (
        institution_id uuid PRIMARY KEY REFERENCES institution (id),
        net_assets numeric(18,2) NOT NULL CHECK (net_assets > 0),
        net_assets_as_of date NOT NULL,
        fee_rate numeric(9,6) NOT NULL CHECK (fee_rate >= 0 AND fee_rate <= 1),
        cap_multiple numeric(9,6) NOT NULL CHECK (cap_multiple > 0),
        target_multiple numeric(9,6) CHECK (target_multiple > 0),
        small_micro_focused boolean NOT NULL DEFAULT false,
        opening_liability numeric(18,2) NOT NULL DEFAULT 0 CHECK (opening_liability >= 0),
        liability numeric(18,2) NOT NULL DEFAULT 0 CHECK (liability >= 0),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE product (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institution (id),
        name varchar(200) NOT NULL,
        kind text NOT NULL CHECK (kind IN (${list(PRODUCT_KINDS)})),
        need_kind text NOT NULL CHECK (need_kind IN (${list(NEED_KINDS)})),
        min_amount numeric(18,2) NOT NULL CHECK (min_amount >= 0),
        max_amount numeric(18,2) NOT NULL,
        min_term_months integer CHECK (min_term_months BETWEEN 1 AND 360),
        max_term_months integer CHECK (max_term_months BETWEEN 1 AND 360),
        min_annual_rate numeric(9,6) CHECK (min_annual_rate >= 0),
        max_annual_rate numeric(9,6) CHECK (max_annual_rate >= 0),
        collateral_accepted text[] NOT NULL DEFAULT '{}',
        requires_guarantee boolean NOT NULL DEFAULT false,
        region_prefixes text[] NOT NULL DEFAULT '{}',
        sectors text[] NOT NULL DEFAULT '{}',
        industry_chains text[] NOT NULL DEFAULT '{}',
        size_classes text[] NOT NULL DEFAULT '{}',
        min_years_in_business integer CHECK (min_years_in_business >= 0),
        whitelist_tier_at_least text CHECK (whitelist_tier_at_least IN (${list(TIERS)})),
        qualifications text[] NOT NULL DEFAULT '{}',
        min_rating text CHECK (min_rating IN (${list(RATINGS)})),
        min_tax_grade text CHECK (min_tax_grade IN (${list(TAX_GRADES)})),
        no_active_dishonesty boolean NOT NULL DEFAULT false,
        max_overdue_count_12m integer CHECK (max_overdue_count_12m >= 0),
        max_credit_data_age_days integer CHECK (max_credit_data_age_days >= 0),
        first_loan_only boolean NOT NULL DEFAULT false,
        equity_stages text[] NOT NULL DEFAULT '{}',
        min_ticket numeric(18,2),
        max_ticket numeric(18,2),
        max_pre_money_valuation numeric(18,2),
        active_from date,
        active_to date,
        enabled boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (min_amount <= max_amount),
        CHECK (min_term_months IS NULL OR max_term_months IS NULL OR min_term_months <= max_term_months),
        CHECK (min_annual_rate IS NULL OR max_annual_rate IS NULL OR min_annual_rate <= max_annual_rate),
        CHECK (active_from IS NULL OR active_to IS NULL OR active_from <= active_to)
      )`);
    await q.query(`CREATE INDEX ix_product_institution ON product (institution_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_product_created ON product (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_product_need_kind_amount ON product (need_kind, min_amount, max_amount) WHERE enabled`);

    await q.query(`
      CREATE TABLE financing_need (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        kind text NOT NULL CHECK (kind IN (${list(NEED_KINDS)})),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN (${list(NEED_STATUSES)})),
        channel text NOT NULL CHECK (channel IN (${list(CHANNELS)})),
        amount numeric(18,2) NOT NULL CHECK (amount > 0),
        term_months integer CHECK (term_months BETWEEN 1 AND 360),
        purpose text CHECK (purpose IN (${list(PURPOSES)})),
        collateral_offered text[] NOT NULL DEFAULT '{}',
        max_annual_rate numeric(9,6) CHECK (max_annual_rate >= 0),
        accept_guarantee boolean NOT NULL DEFAULT true,
        needed_by date,
        equity_stage text CHECK (equity_stage IN (${list(STAGES)})),
        pre_money_valuation numeric(18,2) CHECK (pre_money_valuation > 0),
        max_share_offered numeric(9,6) CHECK (max_share_offered > 0 AND max_share_offered <= 1),
        use_of_proceeds varchar(500),
        status_reason varchar(500),
        status_changed_at timestamptz(3),
        posted_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (kind = 'LOAN' OR (term_months IS NULL AND purpose IS NULL AND max_annual_rate IS NULL)),
        CHECK (kind = 'EQUITY' OR (equity_stage IS NULL AND pre_money_valuation IS NULL AND max_share_offered IS NULL AND use_of_proceeds IS NULL))
      )`);
    // R11: an open need identical in kind, amount and term is a duplicate, whichever channel posted it.
    // A unique index (not a check-then-insert) decides, so two concurrent posts cannot both land.
    await q.query(`
      CREATE UNIQUE INDEX uq_financing_need_active_duplicate
        ON financing_need (enterprise_id, kind, amount, (coalesce(term_months, 0)))
        WHERE status IN ('OPEN', 'MATCHED', 'IN_PROGRESS')`);
    await q.query(`CREATE INDEX ix_financing_need_enterprise ON financing_need (enterprise_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_financing_need_created ON financing_need (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_financing_need_status ON financing_need (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_financing_need_expiry ON financing_need (needed_by) WHERE status IN ('OPEN', 'MATCHED', 'IN_PROGRESS')`);

    await q.query(`
      CREATE TABLE idempotency_key (
        sub text NOT NULL,
        key varchar(100) NOT NULL,
        operation text NOT NULL,
        request_hash text NOT NULL,
        result_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (sub, key)
      )`);

    await q.query(`
      CREATE TABLE benchmark_rate (
        code text NOT NULL,
        effective_from date NOT NULL,
        rate numeric(9,6) NOT NULL CHECK (rate >= 0),
        source text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (code, effective_from)
      )`);

    await q.query(`
      CREATE TABLE risk_compensation_pool (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL CONSTRAINT uq_risk_compensation_pool_name UNIQUE,
        funder varchar(200),
        capacity numeric(18,2) NOT NULL CHECK (capacity > 0),
        reserved numeric(18,2) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        paid numeric(18,2) NOT NULL DEFAULT 0 CHECK (paid >= 0),
        source text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (reserved + paid <= capacity)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'risk_compensation_pool', 'benchmark_rate', 'idempotency_key', 'financing_need', 'product', 'guarantor_profile',
      'institution', 'enterprise_user', 'enterprise_qualification', 'enterprise', 'industry_chain', 'app_meta',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
