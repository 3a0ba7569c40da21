import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15 §2 — offers and documents (docs/OFFERS.md).
 *
 * - `offer`: what a bank offers on a match it contacted (R14): amount, rate, term, its one-off fees
 *   (jsonb, each with the CNY it charges) and the documents it requires, valid until an instant. The
 *   figures the enterprise compares are stored as computed when the offer was made (fee total, the
 *   guarantee fee and interest-subsidy rates, the all-in annual cost): an offer is a fixed quote. At most
 *   one OPEN offer per match, at most one ACCEPTED per need (partial unique indexes, so two concurrent
 *   accepts cannot both win).
 * - `document`: a file an enterprise uploaded once (kind, name, type, size, sha256, where it is stored);
 *   the same content of the same kind is one document (unique per enterprise, kind and sha256).
 * - `document_share`: a document shared with the bank of an offer.
 * - `document_download`: every download by an institution (who, when, which document, under which
 *   offer), append-only like the credit-read audit (R10).
 * Never edit after it landed.
 */
export class OffersAndDocuments1764710000000 implements MigrationInterface {
  name = 'OffersAndDocuments1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE offer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        match_id uuid NOT NULL REFERENCES match (id),
        need_id uuid NOT NULL REFERENCES financing_need (id),
        product_id uuid NOT NULL REFERENCES product (id),
        institution_id uuid NOT NULL REFERENCES institution (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        amount numeric(18,2) NOT NULL CHECK (amount > 0),
        annual_rate numeric(9,6) NOT NULL CHECK (annual_rate > 0),
        term_months integer NOT NULL CHECK (term_months BETWEEN 1 AND 360),
        fees jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(fees) = 'array'),
        fee_total numeric(18,2) NOT NULL CHECK (fee_total >= 0),
        guarantee_fee_rate numeric(9,6),
        interest_subsidy_rate numeric(9,6) NOT NULL DEFAULT 0,
        all_in_cost numeric(9,6) NOT NULL,
        required_documents text[] NOT NULL DEFAULT '{}',
        valid_until timestamptz(3) NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACCEPTED', 'DECLINED', 'EXPIRED')),
        decline_reason text CHECK ((status = 'DECLINED') = (decline_reason IS NOT NULL)),
        status_changed_at timestamptz(3),
        made_by text NOT NULL,
        accepted_by text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_offer_open_per_match ON offer (match_id) WHERE status = 'OPEN'`);
    await q.query(`CREATE UNIQUE INDEX ux_offer_accepted_per_need ON offer (need_id) WHERE status = 'ACCEPTED'`);
    await q.query(`CREATE INDEX ix_offer_need ON offer (need_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_offer_institution ON offer (institution_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_offer_open_until ON offer (valid_until) WHERE status = 'OPEN'`);

    await q.query(`
      CREATE TABLE document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        kind text NOT NULL CHECK (kind IN ('BUSINESS_LICENCE', 'FINANCIAL_STATEMENTS', 'TAX_CERTIFICATE')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        content_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text NOT NULL UNIQUE,
        uploaded_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_document_content ON document (enterprise_id, kind, sha256)`);
    await q.query(`CREATE INDEX ix_document_enterprise ON document (enterprise_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE document_share (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id uuid NOT NULL REFERENCES document (id),
        offer_id uuid NOT NULL REFERENCES offer (id),
        institution_id uuid NOT NULL REFERENCES institution (id),
        shared_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (document_id, offer_id)
      )`);
    await q.query(`CREATE INDEX ix_document_share_institution ON document_share (document_id, institution_id)`);
    await q.query(`CREATE INDEX ix_document_share_offer ON document_share (offer_id)`);

    await q.query(`
      CREATE TABLE document_download (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        document_id uuid NOT NULL REFERENCES document (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        offer_id uuid REFERENCES offer (id),
        sub text NOT NULL,
        role text NOT NULL,
        institution_id uuid REFERENCES institution (id)
      )`);
    await q.query(`CREATE INDEX ix_document_download_document ON document_download (document_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_document_download_enterprise ON document_download (enterprise_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION document_download_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'document_download is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_document_download_append_only BEFORE UPDATE OR DELETE ON document_download
        FOR EACH ROW EXECUTE FUNCTION document_download_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS document_download`);
    await q.query(`DROP FUNCTION IF EXISTS document_download_append_only()`);
    await q.query(`DROP TABLE IF EXISTS document_share`);
    await q.query(`DROP TABLE IF EXISTS document`);
    await q.query(`DROP TABLE IF EXISTS offer`);
  }
}
