/**
 * Issue 12 §5 — the ledger's postings against its stored figures, on the demo's loans (disbursed,
 * partly and fully repaid, one defaulted with a pool payout, all through the loan service): they
 * reconcile; the migration's backfill gives the same postings for loans written before it; the database
 * refuses postings that are not balanced movements and any change to a posting; and a tampered posting
 * or column is reported with both figures.
 */
import pino from 'pino';
import { ensureDemoData } from '../../src/demo/ensure-demo';
import { reconcileLedger } from '../../src/loans/reconciliation';
import { LedgerPostings1764620000000 } from '../../migrations/1764620000000-LedgerPostings';
import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await ensureDemoData(app.dataSource, pino({ level: 'silent' }));
}, 300_000);
afterAll(() => app?.close());

type Db = Pick<TestApp['dataSource'], 'query'>;
/**
 * A pool claim's loan is left out of the migration's round trip: its default parks the loss in the claim
 * account while the claim is reviewed (issue 17 §3, migration PoolClaims), which a backfill written before
 * reviews existed cannot know.
 */
const WITHOUT_CLAIMS = `NOT EXISTS (SELECT 1 FROM pool_claim c WHERE c.loan_id = p.loan_id)`;
const balances = (db: Db = app.dataSource) => db.query(
  `SELECT account, sum(delta)::text AS balance FROM ledger_posting p CROSS JOIN LATERAL (VALUES (destination, amount), (source, -amount)) s(account, delta)
    WHERE ${WITHOUT_CLAIMS} GROUP BY account ORDER BY account`);
const postingShapes = (db: Db = app.dataSource) => db.query(
  `SELECT loan_id, kind, source, destination, amount::text, rule_id, at FROM ledger_posting p WHERE ${WITHOUT_CLAIMS} ORDER BY loan_id, at, kind, source, destination, amount`);
const ruleIds = (db: Db = app.dataSource) => db.query(
  `SELECT 'match' AS t, id::text AS id, rule_ids::text FROM match WHERE cardinality(rule_versions) > 0 UNION ALL SELECT 'loan', id::text, rule_ids::text FROM loan UNION ALL SELECT 'entry', id::text, rule_id::text FROM ledger_entry WHERE rule_version IS NOT NULL ORDER BY 1, 2`);

describe('the demo\'s loans, written by the loan service', () => {
  it('reconcile: every loan\'s, guarantee\'s, pool\'s and guarantor\'s figure is what the postings give', async () => {
    const [{ loans, repaid, defaulted }] = await app.dataSource.query(
      `SELECT count(*)::int AS loans, count(*) FILTER (WHERE status = 'REPAID')::int AS repaid, count(*) FILTER (WHERE status = 'DEFAULTED')::int AS defaulted FROM loan`);
    expect([loans > 0, repaid > 0, defaulted]).toEqual([true, true, 1]);
    const r = await reconcileLedger(app.dataSource);
    expect(r.differences).toEqual([]);
    expect(r.balanced).toBe(true);
    expect(r.checked).toBeGreaterThanOrEqual(loans * 3);
  });
});

describe('migration 1764620000000 on loans written before it', () => {
  it('backfills the same postings from the ledger entries, and the rule ids from their CODE@vN, so the ledger reconciles after the upgrade', async () => {
    const [postingsBefore, balancesBefore, idsBefore] = [await postingShapes(), await balances(), await ruleIds()];
    expect(idsBefore.filter((r: { rule_ids: string | null }) => r.rule_ids && r.rule_ids !== '{}').length).toBeGreaterThan(0);
    const [claims] = await app.dataSource.query(`SELECT count(*)::int AS n FROM pool_claim`);
    const migration = new LedgerPostings1764620000000();
    const runner = app.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // The database as the previous migration left it: no postings, no rule ids. Rolled back at the end: later tests read the ledger as written.
      await migration.down(runner);
      const [{ n }] = await runner.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'ledger_posting'`);
      expect(n).toBe(0);
      await migration.up(runner);
      expect(await postingShapes(runner)).toEqual(postingsBefore);
      expect(await balances(runner)).toEqual(balancesBefore);
      expect(await ruleIds(runner)).toEqual(idsBefore);
      const r = await reconcileLedger(runner);
      // Only the claim accounts of pool claims under review differ: the backfill wrote their loss where defaults wrote it before reviews.
      expect(r.differences.filter((d) => d.figure !== 'LOAN_AWAITING_POOL')).toEqual([]);
      expect(r.differences.length).toBeLessThanOrEqual(claims.n);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }, 120_000);
});

describe('the database keeps postings balanced and append-only', () => {
  const anyPosting = async () => (await app.dataSource.query(`SELECT id, txn_id, loan_id, source, destination FROM ledger_posting ORDER BY id LIMIT 1`))[0];
  const insert = (p: { txn_id: string; loan_id: string }, source: string, destination: string, amount: string) =>
    app.dataSource.query(`INSERT INTO ledger_posting (txn_id, loan_id, kind, source, destination, amount) VALUES ($1, $2, 'REPAYMENT', $3, $4, $5)`, [p.txn_id, p.loan_id, source, destination, amount]);

  it.each([
    ['a zero amount', 'banks:x', 'loans:y:principal', '0'],
    ['a negative amount', 'banks:x', 'loans:y:principal', '-5'],
    ['one account on both sides', 'banks:x', 'banks:x', '5'],
    ['a malformed account', 'Banks x', 'loans:y:principal', '5'],
  ])('refuses %s', async (_what, source, destination, amount) => {
    await expect(insert(await anyPosting(), source, destination, amount)).rejects.toThrow(/check constraint/);
  });

  it('refuses to change or delete a posting', async () => {
    const p = await anyPosting();
    await expect(app.dataSource.query(`UPDATE ledger_posting SET amount = amount + 1 WHERE id = $1`, [p.id])).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query(`DELETE FROM ledger_posting WHERE id = $1`, [p.id])).rejects.toThrow(/append-only/);
  });

  it('refuses, at commit, a transaction that leaves a loss on a loan\'s loss account (a write-off without its split)', async () => {
    const p = await anyPosting();
    await expect(app.dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO ledger_posting (txn_id, loan_id, kind, source, destination, amount) VALUES (gen_random_uuid(), $1, 'WRITE_OFF', $2, $3, 10)`,
        [p.loan_id, `loans:${p.loan_id}:principal`, `loans:${p.loan_id}:loss`]);
    })).rejects.toThrow(/transit account/);
  });
});

describe('a tampered posting or column is reported', () => {
  it('an extra posting on a loan, a pool\'s paid and a guarantor\'s liability moved by hand: each reported with the stored and the recomputed figure', async () => {
    const [loan] = await app.dataSource.query(`SELECT id, institution_id, outstanding::text FROM loan WHERE status = 'ACTIVE' AND outstanding > 100 ORDER BY id LIMIT 1`);
    const [pool] = await app.dataSource.query(`SELECT id, paid::text FROM risk_compensation_pool ORDER BY id LIMIT 1`);
    const [guarantor] = await app.dataSource.query(`SELECT institution_id AS id, liability::text FROM guarantor_profile ORDER BY institution_id LIMIT 1`);
    await app.dataSource.query(`INSERT INTO ledger_posting (txn_id, loan_id, kind, source, destination, amount) VALUES (gen_random_uuid(), $1, 'REPAYMENT', $2, $3, 100)`,
      [loan.id, `loans:${loan.id}:principal`, `banks:${loan.institution_id}`]);
    await app.dataSource.query(`UPDATE risk_compensation_pool SET paid = paid + 1 WHERE id = $1`, [pool.id]);
    await app.dataSource.query(`UPDATE guarantor_profile SET liability = liability + 0.01 WHERE institution_id = $1`, [guarantor.id]);
    const r = await reconcileLedger(app.dataSource);
    expect(r.balanced).toBe(false);
    const shown = r.differences.map((d) => [d.figure, d.subjectId, d.stored?.toFixed(2) ?? null, d.recomputed.toFixed(2)]);
    const plus = (v: string, d: string) => (Number(v) + Number(d)).toFixed(2);
    expect(shown).toEqual([
      ['LOAN_OUTSTANDING', loan.id, loan.outstanding, plus(loan.outstanding, '-100')],
      ['POOL_PAID', pool.id, plus(pool.paid, '1'), pool.paid],
      ['GUARANTOR_LIABILITY', guarantor.id, plus(guarantor.liability, '0.01'), guarantor.liability],
    ]);
  });
});
