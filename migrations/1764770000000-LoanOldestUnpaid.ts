import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The overdue sweep (loans/warning.service.ts `OVERDUE_WARNINGS_SQL`) read every live loan's instalments
 * every minute, on every process, to find the few whose oldest unpaid instalment is past due. Each live
 * loan now carries that instalment's due date, `oldest_unpaid_due_on`, kept by the database in the transaction
 * that moves what it depends on — the repaid principal and the status (a trigger on `loan`) or the
 * schedule (triggers on `loan_instalment`) — through one function, `loan_oldest_unpaid`, which the sweep
 * reads too. The sweep then reads only the live loans past that date, through a partial index.
 * Never edit after it landed.
 */
export class LoanOldestUnpaid1764770000000 implements MigrationInterface {
  name = 'LoanOldestUnpaid1764770000000';

  async up(q: QueryRunner): Promise<void> {
    // The oldest instalment the repaid principal does not cover: instalments are paid in order (schedule.ts `standing`).
    await q.query(`
      CREATE FUNCTION loan_oldest_unpaid(loan uuid, repaid numeric) RETURNS TABLE (seq int, due_on date) LANGUAGE sql STABLE AS $$
        SELECT s.seq, s.due_on FROM (
          SELECT i.seq, i.due_on, sum(i.principal) OVER (ORDER BY i.seq) AS through FROM loan_instalment i WHERE i.loan_id = loan
        ) s WHERE s.through > repaid ORDER BY s.seq LIMIT 1
      $$`);
    await q.query(`ALTER TABLE loan ADD COLUMN oldest_unpaid_due_on date`);
    await q.query(`COMMENT ON COLUMN loan.oldest_unpaid_due_on IS 'A live loan''s oldest unpaid instalment''s due date (loan_oldest_unpaid); null when the loan is not ACTIVE or has none. Kept by triggers.'`);
    await q.query(`
      CREATE FUNCTION loan_oldest_unpaid_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.oldest_unpaid_due_on := CASE WHEN NEW.status = 'ACTIVE' THEN (SELECT u.due_on FROM loan_oldest_unpaid(NEW.id, NEW.principal - NEW.outstanding) u) END;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER loan_oldest_unpaid BEFORE INSERT OR UPDATE OF principal, outstanding, status ON loan FOR EACH ROW EXECUTE FUNCTION loan_oldest_unpaid_of_row()`);
    // A schedule written or moved: its loans, once per statement.
    await q.query(`
      CREATE FUNCTION loan_oldest_unpaid_of_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE loan l SET oldest_unpaid_due_on = CASE WHEN l.status = 'ACTIVE' THEN (SELECT u.due_on FROM loan_oldest_unpaid(l.id, l.principal - l.outstanding) u) END
         WHERE l.id IN (SELECT loan_id FROM changed);
        RETURN NULL;
      END $$`);
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await q.query(`CREATE TRIGGER loan_oldest_unpaid_${event.toLowerCase()} AFTER ${event} ON loan_instalment
                       REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION loan_oldest_unpaid_of_schedule()`);
    }
    await q.query(`UPDATE loan SET oldest_unpaid_due_on = (SELECT u.due_on FROM loan_oldest_unpaid(id, principal - outstanding) u) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX ix_loan_oldest_unpaid ON loan (oldest_unpaid_due_on) WHERE status = 'ACTIVE'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_loan_oldest_unpaid`);
    for (const event of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER loan_oldest_unpaid_${event} ON loan_instalment`);
    await q.query(`DROP TRIGGER loan_oldest_unpaid ON loan`);
    await q.query(`DROP FUNCTION loan_oldest_unpaid_of_schedule()`);
    await q.query(`DROP FUNCTION loan_oldest_unpaid_of_row()`);
    await q.query(`ALTER TABLE loan DROP COLUMN oldest_unpaid_due_on`);
    await q.query(`DROP FUNCTION loan_oldest_unpaid(uuid, numeric)`);
  }
}
