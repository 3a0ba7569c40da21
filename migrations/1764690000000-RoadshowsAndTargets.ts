import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roadshows and what authorities report on (issue 17 §4, §5; docs/AUTHORITIES.md):
 * - `roadshow`: an authority's 一月一链 融资路演 (seed 003 二.(三).1): one industry chain, one month (its first
 *   day), an optional day and co-hosting region, and the attribution window in days after it. One per chain,
 *   month and region.
 * - `roadshow_invitation`: the institutions invited, and their answer (attendance = ACCEPTED).
 * - `roadshow_pitch`: the firms picked to pitch, each on what basis (the whitelist or an open need), with
 *   the need it pitches, if any; a need is pitched at one roadshow at most.
 * - `financing_need.roadshow_id`: a need posted for a roadshow (channel ROADSHOW with the roadshow's id).
 * - `authority_target`: targets an authority sets (metric, value, window, region, channel); progress is
 *   computed from the data.
 * - `guarantor_net_assets`: every net-assets figure a guarantor had (R6's denominator), kept by a trigger on
 *   `guarantor_profile`, so the amplification multiple can be stated per month; backfilled with today's.
 * Append-only: never edit after it landed.
 */
export class RoadshowsAndTargets1764690000000 implements MigrationInterface {
  name = 'RoadshowsAndTargets1764690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE roadshow (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        industry_chain text NOT NULL REFERENCES industry_chain (code),
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        held_on date CHECK (held_on IS NULL OR date_trunc('month', held_on)::date = month),
        title varchar(200) NOT NULL,
        region_prefix varchar(6) CHECK (region_prefix ~ '^([0-9]{2}){1,3}$'),
        attribution_days integer NOT NULL DEFAULT 90 CHECK (attribution_days BETWEEN 1 AND 365),
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_roadshow_chain_month ON roadshow (industry_chain, month, (coalesce(region_prefix, '')))`);
    await q.query(`CREATE INDEX ix_roadshow_created ON roadshow (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_roadshow_month ON roadshow (month)`);

    await q.query(`
      CREATE TABLE roadshow_invitation (
        roadshow_id uuid NOT NULL REFERENCES roadshow (id),
        institution_id uuid NOT NULL REFERENCES institution (id),
        status text NOT NULL DEFAULT 'INVITED' CHECK (status IN ('INVITED', 'ACCEPTED', 'DECLINED')),
        invited_by text NOT NULL,
        responded_by text,
        responded_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (roadshow_id, institution_id)
      )`);
    await q.query(`CREATE INDEX ix_roadshow_invitation_institution ON roadshow_invitation (institution_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE roadshow_pitch (
        roadshow_id uuid NOT NULL REFERENCES roadshow (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        need_id uuid REFERENCES financing_need (id),
        basis text NOT NULL CHECK (basis IN ('WHITELIST', 'OPEN_NEED')),
        added_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (roadshow_id, enterprise_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_roadshow_pitch_need ON roadshow_pitch (need_id) WHERE need_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_roadshow_pitch_enterprise ON roadshow_pitch (enterprise_id)`);

    await q.query(`ALTER TABLE financing_need ADD COLUMN roadshow_id uuid REFERENCES roadshow (id)`);
    await q.query(`CREATE INDEX ix_financing_need_roadshow ON financing_need (roadshow_id) WHERE roadshow_id IS NOT NULL`);
    await q.query(`ALTER TABLE financing_need ADD CONSTRAINT ck_financing_need_roadshow_channel CHECK (roadshow_id IS NULL OR channel = 'ROADSHOW')`);

    await q.query(`
      CREATE TABLE authority_target (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        metric text NOT NULL CHECK (metric IN ('NEW_FIRMS_POSTING_NEEDS', 'INTENDED_FINANCING_AMOUNT', 'LOANS_DISBURSED_AMOUNT', 'FIRST_LOAN_BORROWERS')),
        value numeric(18,2) NOT NULL CHECK (value > 0),
        starts_on date NOT NULL,
        deadline date NOT NULL,
        region_prefix varchar(6) CHECK (region_prefix ~ '^([0-9]{2}){1,3}$'),
        channel text CHECK (channel IN ('MINI_PROGRAM', 'WEB', 'BANK_REFERRAL', 'ROADSHOW')),
        source text,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (starts_on <= deadline)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_authority_target ON authority_target (metric, starts_on, deadline, (coalesce(region_prefix, '')), (coalesce(channel, '')))`);
    await q.query(`CREATE INDEX ix_authority_target_created ON authority_target (created_at DESC, id DESC)`);
    // The statistics' range scans: needs by posting time (ix_financing_need_created) and loans by disbursement.
    await q.query(`CREATE INDEX ix_loan_disbursed ON loan (disbursed_at)`);

    await q.query(`
      CREATE TABLE guarantor_net_assets (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        institution_id uuid NOT NULL REFERENCES institution (id),
        net_assets numeric(18,2) NOT NULL CHECK (net_assets > 0),
        as_of date NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_guarantor_net_assets ON guarantor_net_assets (institution_id, as_of, id)`);
    await q.query(`INSERT INTO guarantor_net_assets (institution_id, net_assets, as_of) SELECT institution_id, net_assets, net_assets_as_of FROM guarantor_profile`);
    await q.query(`
      CREATE FUNCTION guarantor_net_assets_history() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR NEW.net_assets IS DISTINCT FROM OLD.net_assets OR NEW.net_assets_as_of IS DISTINCT FROM OLD.net_assets_as_of THEN
          INSERT INTO guarantor_net_assets (institution_id, net_assets, as_of) VALUES (NEW.institution_id, NEW.net_assets, NEW.net_assets_as_of);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_guarantor_net_assets_history AFTER INSERT OR UPDATE OF net_assets, net_assets_as_of ON guarantor_profile
        FOR EACH ROW EXECUTE FUNCTION guarantor_net_assets_history()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_guarantor_net_assets_history ON guarantor_profile`);
    await q.query(`DROP FUNCTION IF EXISTS guarantor_net_assets_history()`);
    await q.query(`DROP TABLE IF EXISTS guarantor_net_assets`);
    await q.query(`DROP INDEX IF EXISTS ix_loan_disbursed`);
    await q.query(`DROP TABLE IF EXISTS authority_target`);
    await q.query(`ALTER TABLE financing_need DROP CONSTRAINT IF EXISTS ck_financing_need_roadshow_channel`);
    await q.query(`ALTER TABLE financing_need DROP COLUMN IF EXISTS roadshow_id`);
    await q.query(`DROP TABLE IF EXISTS roadshow_pitch`);
    await q.query(`DROP TABLE IF EXISTS roadshow_invitation`);
    await q.query(`DROP TABLE IF EXISTS roadshow`);
  }
}
