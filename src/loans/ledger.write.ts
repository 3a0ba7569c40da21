/**
 * Writes a movement's postings (accounts.ts) as one ledger transaction and applies them to the stored
 * figures — a loan's outstanding, reserve held and compensation paid, its guarantee's outstanding, a
 * pool's reserved and paid — in the same statement, through `FIGURES`: the columns move by exactly what
 * the postings move, so they stay the balances of their accounts (reconciliation.ts checks that they
 * are). The caller holds the locks (loan.service.ts) and recomputes the guarantor's R6 liability after.
 */
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ASSET, figureDeltasSql, FIGURES, Posting, SUBJECT_COLUMN } from './accounts';

/** `column = column + the figure's delta` for each figure of `table`, from the pivot `v`. */
const increments = (table: keyof typeof SUBJECT_COLUMN) => FIGURES.filter((f) => f.table === table).map((f) => `${f.column} = t.${f.column} + coalesce(v.${f.column}, 0)`).join(', ');
const pivot = (table: keyof typeof SUBJECT_COLUMN) =>
  `SELECT subject, ${FIGURES.filter((f) => f.table === table).map((f) => `sum(delta) FILTER (WHERE figure = '${f.figure}') AS ${f.column}`).join(', ')}
     FROM d WHERE figure IN (${FIGURES.filter((f) => f.table === table).map((f) => `'${f.figure}'`).join(', ')}) GROUP BY subject`;

const WRITE_SQL = `
  WITH posted AS (
    INSERT INTO ledger_posting (txn_id, loan_id, kind, source, destination, asset, amount, rule_id)
    SELECT $1, $2, p.kind, p.source, p.destination, '${ASSET}', p.amount, p.rule_id
      FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (kind text, source text, destination text, amount numeric, rule_id uuid))
           WITH ORDINALITY AS p(kind, source, destination, amount, rule_id, n)
     ORDER BY p.n
    RETURNING txn_id, source, destination, amount
  ), d AS (
    SELECT figure, subject, sum(delta) AS delta FROM (${figureDeltasSql('posted', 'true')}) x GROUP BY figure, subject
  ), loans AS (
    UPDATE loan t SET ${increments('loan')}, updated_at = now() FROM (${pivot('loan')}) v WHERE t.${SUBJECT_COLUMN.loan} = v.subject RETURNING 1
  ), guarantees AS (
    UPDATE guarantee t SET ${increments('guarantee')}, updated_at = now() FROM (${pivot('guarantee')}) v WHERE t.${SUBJECT_COLUMN.guarantee} = v.subject RETURNING 1
  ), pools AS (
    UPDATE risk_compensation_pool t SET ${increments('risk_compensation_pool')} FROM (${pivot('risk_compensation_pool')}) v WHERE t.${SUBJECT_COLUMN.risk_compensation_pool} = v.subject RETURNING 1
  )
  SELECT (SELECT count(*) FROM posted)::int AS postings`;

/** Posts one ledger transaction of `loanId` and applies it; returns the transaction's id. */
export async function post(em: EntityManager, loanId: string, postings: readonly Posting[]): Promise<string> {
  const txnId = randomUUID();
  if (!postings.length) return txnId;
  await em.query(WRITE_SQL, [txnId, loanId, JSON.stringify(postings.map((p) => ({
    kind: p.kind, source: p.source, destination: p.destination, amount: p.amount.toFixed(2), rule_id: p.ruleId,
  })))]);
  return txnId;
}
