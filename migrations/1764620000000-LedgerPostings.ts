import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger derives its money state (issue 12 §5) and matches and loans store rule ids (§4):
 * - `ledger_posting`: every money movement of a loan as a posting from one account to another (the
 *   Formance ledger's model: source, destination, asset, amount), grouped by `txn_id` (one disbursement,
 *   repayment or default). Append-only (a trigger refuses UPDATE and DELETE; TRUNCATE, an
 *   administrator's reset that cascades from `loan` and `policy_rule`, stays possible); each posting moves
 *   a positive amount between two different, well-formed accounts, so debits equal credits in every
 *   transaction by construction; a deferred constraint trigger checks that a transaction leaves its
 *   transit account (a defaulted loan's `loans:<id>:loss`) at zero, i.e. the loss split covers the loss.
 *   docs/LEDGER.md has the accounts.
 * - Backfill: the postings of every loan already written, from its `ledger_entry` rows (one transaction
 *   per loan and instant, as the service wrote them) and, for a default, the write-off of the net loss
 *   and the recovery of the rest of the outstanding principal.
 * - `match.rule_ids`, `loan.rule_ids`, `ledger_entry.rule_id`: the policy rules a match or loan used, by
 *   id, backfilled from the `CODE@vN` text kept beside them for display.
 * Append-only: never edit after it landed.
 */
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const KINDS = ['DISBURSEMENT', 'REPAYMENT', 'GUARANTEE', 'GUARANTEE_RELEASE', 'RESERVE', 'RESERVE_RELEASE', 'CLAIM_PAYOUT', 'SUBSIDY', 'LOSS_SHARE', 'WRITE_OFF', 'RECOVERY'];
const ACCOUNT = '^[a-z_]+(:[A-Za-z0-9_-]+)*$';
const TRANSIT = '^loans:[^:]+:loss$';

/** The rule ids of a `CODE@vN` array, in its order (versions no rule has are left out). */
const idsOf = (column: string) =>
  `ARRAY(SELECT r.id FROM unnest(${column}) WITH ORDINALITY AS v(text, ord) JOIN policy_rule r ON r.code || '@v' || r.version = v.text ORDER BY v.ord)`;

export class LedgerPostings1764620000000 implements MigrationInterface {
  name = 'LedgerPostings1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE match ADD COLUMN rule_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE match SET rule_ids = ${idsOf('rule_versions')} WHERE cardinality(rule_versions) > 0`);
    await q.query(`ALTER TABLE loan ADD COLUMN rule_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE loan SET rule_ids = ${idsOf('rule_versions')} WHERE cardinality(rule_versions) > 0`);
    await q.query(`ALTER TABLE ledger_entry ADD COLUMN rule_id uuid REFERENCES policy_rule (id)`);
    await q.query(`UPDATE ledger_entry e SET rule_id = r.id FROM policy_rule r WHERE e.rule_version = r.code || '@v' || r.version`);

    await q.query(`
      CREATE TABLE ledger_posting (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        txn_id uuid NOT NULL,
        loan_id uuid NOT NULL REFERENCES loan (id),
        kind text NOT NULL CHECK (kind IN (${list(KINDS)})),
        source text NOT NULL CHECK (source ~ '${ACCOUNT}'),
        destination text NOT NULL CHECK (destination ~ '${ACCOUNT}'),
        asset text NOT NULL DEFAULT 'CNY' CHECK (asset = 'CNY'),
        amount numeric(18,2) NOT NULL CHECK (amount > 0),
        rule_id uuid REFERENCES policy_rule (id),
        at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (source <> destination)
      )`);
    await q.query(`CREATE INDEX ix_ledger_posting_txn ON ledger_posting (txn_id)`);
    await q.query(`CREATE INDEX ix_ledger_posting_loan ON ledger_posting (loan_id, id)`);

    // One transaction per loan and instant: the service wrote a movement's entries in one database transaction, so with one now().
    await q.query(`
      WITH txn AS MATERIALIZED (SELECT loan_id, at, gen_random_uuid() AS txn_id FROM ledger_entry GROUP BY loan_id, at)
      INSERT INTO ledger_posting (txn_id, loan_id, kind, source, destination, amount, rule_id, at)
      SELECT t.txn_id, e.loan_id, e.kind, x.source, x.destination, e.amount, e.rule_id, e.at
        FROM ledger_entry e
        JOIN txn t ON t.loan_id = e.loan_id AND t.at = e.at
        JOIN loan l ON l.id = e.loan_id
       CROSS JOIN LATERAL (SELECT
         CASE e.kind
           WHEN 'DISBURSEMENT' THEN 'banks:' || l.institution_id
           WHEN 'GUARANTEE' THEN 'guarantors:' || e.party_id
           WHEN 'RESERVE' THEN 'pools:' || e.party_id
           WHEN 'SUBSIDY' THEN coalesce('rules:' || e.rule_id, 'world')
           WHEN 'REPAYMENT' THEN 'loans:' || l.id || ':principal'
           WHEN 'GUARANTEE_RELEASE' THEN 'guarantors:' || e.party_id || ':guarantees:' || l.id
           WHEN 'RESERVE_RELEASE' THEN 'pools:' || e.party_id || ':reserved:' || l.id
           WHEN 'CLAIM_PAYOUT' THEN 'pools:' || e.party_id || ':reserved:' || l.id
           WHEN 'LOSS_SHARE' THEN 'loans:' || l.id || ':loss'
         END AS source,
         CASE e.kind
           WHEN 'DISBURSEMENT' THEN 'loans:' || l.id || ':principal'
           WHEN 'GUARANTEE' THEN 'guarantors:' || e.party_id || ':guarantees:' || l.id
           WHEN 'RESERVE' THEN 'pools:' || e.party_id || ':reserved:' || l.id
           WHEN 'SUBSIDY' THEN CASE e.party WHEN 'GUARANTOR' THEN 'guarantors:' ELSE 'enterprises:' END || e.party_id || ':subsidies'
           WHEN 'REPAYMENT' THEN 'banks:' || l.institution_id
           WHEN 'GUARANTEE_RELEASE' THEN 'guarantors:' || e.party_id
           WHEN 'RESERVE_RELEASE' THEN 'pools:' || e.party_id
           WHEN 'CLAIM_PAYOUT' THEN 'pools:' || e.party_id || ':paid:' || l.id
           WHEN 'LOSS_SHARE' THEN CASE
             WHEN e.party = 'BANK' AND e.party_id IS NOT NULL THEN 'banks:' || e.party_id || ':losses'
             WHEN e.party = 'GUARANTOR' AND e.party_id IS NOT NULL THEN 'guarantors:' || e.party_id || ':losses'
             ELSE 'parties:' || lower(e.party) || ':losses' END
         END AS destination) x
       WHERE e.amount > 0
       ORDER BY e.id`);
    // A default's write-off of the net loss and the recovery of the rest, in the transaction of its loss split.
    await q.query(`
      WITH d AS (
        SELECT l.id, l.institution_id, l.net_loss,
               l.principal - coalesce((SELECT sum(r.amount) FROM ledger_entry r WHERE r.loan_id = l.id AND r.kind = 'REPAYMENT'), 0) - l.net_loss AS recovered,
               (SELECT p.txn_id FROM ledger_posting p WHERE p.loan_id = l.id AND p.kind = 'LOSS_SHARE' LIMIT 1) AS txn_id,
               (SELECT p.at FROM ledger_posting p WHERE p.loan_id = l.id AND p.kind = 'LOSS_SHARE' LIMIT 1) AS at
          FROM loan l WHERE l.status = 'DEFAULTED' AND l.net_loss IS NOT NULL)
      INSERT INTO ledger_posting (txn_id, loan_id, kind, source, destination, amount, at)
      SELECT coalesce(d.txn_id, gen_random_uuid()), d.id, x.kind, 'loans:' || d.id || ':principal', x.destination, x.amount, coalesce(d.at, now())
        FROM d CROSS JOIN LATERAL (VALUES ('WRITE_OFF', 'loans:' || d.id || ':loss', d.net_loss), ('RECOVERY', 'banks:' || d.institution_id, d.recovered)) AS x(kind, destination, amount)
       WHERE x.amount > 0`);

    await q.query(`
      CREATE FUNCTION ledger_posting_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_posting is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER ledger_posting_append_only BEFORE UPDATE OR DELETE ON ledger_posting FOR EACH ROW EXECUTE FUNCTION ledger_posting_append_only()`);
    await q.query(`
      CREATE FUNCTION ledger_posting_transit_settled() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE left_over numeric;
      BEGIN
        SELECT coalesce(sum(CASE WHEN destination ~ '${TRANSIT}' THEN amount ELSE 0 END), 0) - coalesce(sum(CASE WHEN source ~ '${TRANSIT}' THEN amount ELSE 0 END), 0)
          INTO left_over FROM ledger_posting WHERE txn_id = NEW.txn_id;
        IF left_over <> 0 THEN
          RAISE EXCEPTION 'ledger transaction % leaves % on a transit account', NEW.txn_id, left_over USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_posting_transit_settled AFTER INSERT ON ledger_posting
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_posting_transit_settled()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ledger_posting`);
    await q.query(`DROP FUNCTION IF EXISTS ledger_posting_transit_settled()`);
    await q.query(`DROP FUNCTION IF EXISTS ledger_posting_append_only()`);
    await q.query(`ALTER TABLE ledger_entry DROP COLUMN IF EXISTS rule_id`);
    await q.query(`ALTER TABLE loan DROP COLUMN IF EXISTS rule_ids`);
    await q.query(`ALTER TABLE match DROP COLUMN IF EXISTS rule_ids`);
  }
}
