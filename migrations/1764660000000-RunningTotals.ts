import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Running totals for the figures every decision and every disbursement used to sum over whole tables
 * (issue 13): the matcher summed the year's fee subsidies of every payee and the live guarantees per
 * borrower on each refresh and explainMatch; a disbursement summed the guarantor's fee subsidies and
 * re-weighed all its live guarantees.
 * - `guarantor_fee_subsidy_total`: per guarantor and year, Σ amount of its GUARANTEE_FEE_SUBSIDY bookings
 *   (R9's yearly cap per guarantor).
 * - `guarantor_borrower_balance`: per guarantor and borrower, Σ outstanding of its LIVE guarantees (R6's
 *   weight and single-borrower limit), and `weighted`, that balance as R6 weighed it when the loan
 *   service last moved it (the part of the guarantor's `liability` it accounts for).
 * The totals are kept by statement triggers on `subsidy_booking` and `guarantee` (transition tables), so
 * they move in the writing statement's transaction with whatever writes the rows; the loan service writes
 * those rows holding the guarantor's profile row (docs/LEDGER.md). TRUNCATE empties them too. Backfilled
 * from the rows; `weighted` from R6 as it stands (weight 0.75 for a small or micro borrower whose balance
 * stays ≤ 5,000,000, else 1.0; policy/amplification.ts), with the borrower's size class now.
 * - `ix_match_pool_reserve`: the largest reserve a proposed match holds on a pool, read by index after a
 *   disbursement, repayment or default that moved the pool (it was a scan of `match`).
 * Append-only: never edit after it landed.
 */
/** Each total: the table whose rows it sums, which rows count, their key and amount, and its own key columns (the same, renamed). */
const TOTALS = [
  { table: 'subsidy_booking', counts: `kind = 'GUARANTEE_FEE_SUBSIDY'`, keys: 'payee_id, year', amount: 'amount', total: 'guarantor_fee_subsidy_total', totalKeys: 'guarantor_id, year', column: 'total' },
  { table: 'guarantee', counts: `status = 'LIVE'`, keys: 'guarantor_id, enterprise_id', amount: 'outstanding', total: 'guarantor_borrower_balance', totalKeys: 'guarantor_id, enterprise_id', column: 'balance' },
];

export class RunningTotals1764660000000 implements MigrationInterface {
  name = 'RunningTotals1764660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE guarantor_fee_subsidy_total (
        guarantor_id uuid NOT NULL,
        year integer NOT NULL,
        total numeric(18,2) NOT NULL,
        PRIMARY KEY (guarantor_id, year)
      )`);
    await q.query(`
      CREATE TABLE guarantor_borrower_balance (
        guarantor_id uuid NOT NULL REFERENCES institution (id),
        enterprise_id uuid NOT NULL REFERENCES enterprise (id),
        balance numeric(18,2) NOT NULL,
        weighted numeric(18,2) NOT NULL DEFAULT 0,
        PRIMARY KEY (guarantor_id, enterprise_id)
      )`);
    // The matcher reads a need's borrower's balances with every guarantor.
    await q.query(`CREATE INDEX ix_guarantor_borrower_balance_enterprise ON guarantor_borrower_balance (enterprise_id, guarantor_id) INCLUDE (balance)`);

    // A statement's rows, netted per key (new rows added, old rows taken off), applied in key order so
    // that two writers lock the totals they share in one order.
    for (const t of TOTALS) {
      const delta = (rows: string, sign: '' | '-') => `SELECT ${t.keys}, ${sign}${t.amount} AS delta FROM ${rows} WHERE ${t.counts}`;
      const apply = (deltas: string) => `
          INSERT INTO ${t.total} AS t (${t.totalKeys}, ${t.column})
          SELECT ${t.keys}, sum(delta) FROM (${deltas}) d GROUP BY ${t.keys} HAVING sum(delta) <> 0 ORDER BY ${t.keys}
          ON CONFLICT (${t.totalKeys}) DO UPDATE SET ${t.column} = t.${t.column} + EXCLUDED.${t.column};`;
      await q.query(`
        CREATE FUNCTION ${t.total}_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN ${apply(delta('new_rows', ''))}
          ELSIF TG_OP = 'UPDATE' THEN ${apply(`${delta('new_rows', '')} UNION ALL ${delta('old_rows', '-')}`)}
          ELSE ${apply(delta('old_rows', '-'))}
          END IF;
          RETURN NULL;
        END $$`);
      const fire = `FOR EACH STATEMENT EXECUTE FUNCTION ${t.total}_apply()`;
      await q.query(`CREATE TRIGGER ${t.total}_insert AFTER INSERT ON ${t.table} REFERENCING NEW TABLE AS new_rows ${fire}`);
      await q.query(`CREATE TRIGGER ${t.total}_update AFTER UPDATE ON ${t.table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows ${fire}`);
      await q.query(`CREATE TRIGGER ${t.total}_delete AFTER DELETE ON ${t.table} REFERENCING OLD TABLE AS old_rows ${fire}`);
      await q.query(`CREATE FUNCTION ${t.total}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM ${t.total}; RETURN NULL; END $$`);
      await q.query(`CREATE TRIGGER ${t.total}_truncate AFTER TRUNCATE ON ${t.table} FOR EACH STATEMENT EXECUTE FUNCTION ${t.total}_truncate()`);
    }

    await q.query(`
      INSERT INTO guarantor_fee_subsidy_total (guarantor_id, year, total)
      SELECT payee_id, year, sum(amount) FROM subsidy_booking WHERE kind = 'GUARANTEE_FEE_SUBSIDY' GROUP BY payee_id, year HAVING sum(amount) <> 0`);
    await q.query(`
      INSERT INTO guarantor_borrower_balance (guarantor_id, enterprise_id, balance, weighted)
      SELECT b.guarantor_id, b.enterprise_id, b.balance,
             CASE WHEN e.size_class IN ('SMALL', 'MICRO') AND b.balance <= 5000000 THEN round(b.balance * 0.75, 2) ELSE b.balance END
        FROM (SELECT guarantor_id, enterprise_id, sum(outstanding) AS balance FROM guarantee WHERE status = 'LIVE'
               GROUP BY guarantor_id, enterprise_id HAVING sum(outstanding) <> 0) b
        JOIN enterprise e ON e.id = b.enterprise_id`);

    await q.query(`CREATE INDEX ix_match_pool_reserve ON match (pool_id, reserve) WHERE eligible AND status = 'PROPOSED' AND pool_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_match_pool_reserve`);
    for (const t of TOTALS) {
      for (const event of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER IF EXISTS ${t.total}_${event} ON ${t.table}`);
      await q.query(`DROP FUNCTION IF EXISTS ${t.total}_apply()`);
      await q.query(`DROP FUNCTION IF EXISTS ${t.total}_truncate()`);
      await q.query(`DROP TABLE IF EXISTS ${t.total}`);
    }
  }
}
