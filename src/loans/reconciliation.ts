/**
 * Reconciliation (issue 12 §5): every stored money figure recomputed from the postings alone and
 * compared with its column — each loan's outstanding, reserve held and compensation paid, each
 * guarantee's outstanding, each pool's reserved and paid (R8), each guarantor's liability (R6: its
 * opening liability plus its guarantee accounts' balances per borrower, weighted as `liabilityOf`
 * weighs them). Then the running totals the matcher and the disbursements read instead of sums
 * (migration RunningTotals): each guarantor's fee subsidies per year against its GUARANTEE_FEE_SUBSIDY
 * bookings (R9), each guarantor's balance per borrower against its LIVE guarantees (R6), and each pool
 * claim against its loan's claim account (what a default parked while the claim is reviewed). Three
 * statements, whatever the number of loans; any difference is reported with both figures. The stored
 * columns stay the fast read path (they are the rows the writers lock for R6 and R8); this is what
 * proves they are the ledger's balances and the totals the sums of their rows.
 */
import type { EntityManager } from 'typeorm';
import { Decimal } from '../common/decimal';
import type { SizeClass } from '../enterprises/size-class';
import { liabilityOf } from '../policy/amplification';
import { CLAIM_ACCOUNT, figureDeltasSql, FIGURES, GUARANTEE_ACCOUNT, LedgerFigure, RunningTotal, SUBJECT_COLUMN } from './accounts';

export interface LedgerDifference {
  figure: LedgerFigure;
  /** The loan (LOAN_*, GUARANTEE_OUTSTANDING), pool (POOL_*) or guarantor (GUARANTOR_*). */
  subjectId: string;
  /** A running total's year (GUARANTOR_FEE_SUBSIDIES), else null. */
  year: number | null;
  /** A running total's borrower (GUARANTOR_BORROWER_BALANCE), else null. */
  borrowerId: string | null;
  /** The column's value; null when postings (or rows) name a subject that has no row. */
  stored: Decimal | null;
  /** What the postings give (a running total: the sum of its rows). */
  recomputed: Decimal;
}

export interface LedgerReconciliation {
  balanced: boolean;
  /** Postings read. */
  postings: number;
  /** Figures compared with the postings. */
  checked: number;
  /** Running totals compared with the rows they sum. */
  totalsChecked: number;
  differences: LedgerDifference[];
}

/** At most this many differences are listed (ordered by figure and subject); `balanced` counts them all. */
export const DIFFERENCES_LISTED = 100;

const STORED_SQL = FIGURES.map((f) =>
  `SELECT '${f.figure}' AS figure, ${SUBJECT_COLUMN[f.table]} AS subject, ${f.column} AS amount FROM ${f.table} WHERE ${SUBJECT_COLUMN[f.table]} IS NOT NULL`).join('\n UNION ALL ');

const FIGURES_SQL = `
  WITH recomputed AS (
    SELECT figure, subject, sum(delta) AS amount FROM (${figureDeltasSql('ledger_posting', 'true')}) d GROUP BY figure, subject
  ), stored AS (${STORED_SQL}
  ), compared AS (
    SELECT figure, subject, s.amount AS stored, coalesce(r.amount, 0) AS recomputed FROM stored s FULL JOIN recomputed r USING (figure, subject)
  )
  SELECT (SELECT count(*) FROM ledger_posting)::int AS postings, (SELECT count(*) FROM compared)::int AS checked,
         coalesce((SELECT json_agg(json_build_object('figure', figure, 'subjectId', subject, 'stored', stored::text, 'recomputed', recomputed::text) ORDER BY figure, subject)
                     FROM compared WHERE stored IS DISTINCT FROM recomputed), '[]') AS differences`;

const LIABILITY_SQL = `
  WITH g AS (
    SELECT m.parts[1]::uuid AS guarantor_id, m.parts[2]::uuid AS loan_id, s.delta
      FROM ledger_posting p
     CROSS JOIN LATERAL (VALUES (p.destination, p.amount), (p.source, -p.amount)) AS s(account, delta)
     CROSS JOIN LATERAL regexp_match(s.account, '${GUARANTEE_ACCOUNT}') AS m(parts)
     WHERE m.parts IS NOT NULL
  ), borrower AS (
    SELECT g.guarantor_id, e.size_class, sum(g.delta) AS balance
      FROM g JOIN loan l ON l.id = g.loan_id JOIN enterprise e ON e.id = l.enterprise_id GROUP BY g.guarantor_id, l.enterprise_id, e.size_class
  )
  SELECT p.institution_id AS id, p.opening_liability::text AS opening, p.liability::text AS stored,
         coalesce((SELECT json_agg(json_build_object('sizeClass', b.size_class, 'balance', b.balance::text)) FROM borrower b WHERE b.guarantor_id = p.institution_id), '[]') AS borrowers
    FROM guarantor_profile p ORDER BY p.institution_id`;

/**
 * Each running total against the sum of its rows, per key (a missing total row is a total of 0: the
 * totals skip keys whose rows net to 0).
 */
const TOTALS_SQL = `
  WITH compared AS (
    SELECT 'GUARANTOR_FEE_SUBSIDIES' AS figure, guarantor_id AS subject, year, NULL::uuid AS borrower, t.total AS stored, coalesce(s.amount, 0) AS recomputed
      FROM guarantor_fee_subsidy_total t
      FULL JOIN (SELECT payee_id AS guarantor_id, year, sum(amount) AS amount FROM subsidy_booking WHERE kind = 'GUARANTEE_FEE_SUBSIDY' GROUP BY payee_id, year) s
        USING (guarantor_id, year)
    UNION ALL
    -- Open: an entitlement without a live claim or with a submitted one holds its amount, an approved one what was approved.
    SELECT 'GUARANTOR_FEE_SUBSIDIES_ENTITLED', guarantor_id, year, NULL, t.amount, coalesce(s.amount, 0)
      FROM guarantor_fee_subsidy_entitled t
      FULL JOIN (SELECT e.payee_id AS guarantor_id, e.year,
                        sum(CASE WHEN c.status IS NULL OR c.status = 'SUBMITTED' THEN e.amount WHEN c.status = 'APPROVED' THEN c.approved ELSE 0 END) AS amount
                   FROM subsidy_entitlement e LEFT JOIN subsidy_claim c ON c.entitlement_id = e.id AND c.status <> 'REJECTED'
                  WHERE e.kind = 'GUARANTEE_FEE_SUBSIDY' AND NOT (c.id IS NULL AND EXISTS (SELECT 1 FROM subsidy_claim r WHERE r.entitlement_id = e.id))
                  GROUP BY e.payee_id, e.year) s
        USING (guarantor_id, year)
    UNION ALL
    SELECT 'GUARANTOR_BORROWER_BALANCE', guarantor_id, NULL, enterprise_id, t.balance, coalesce(s.amount, 0)
      FROM guarantor_borrower_balance t
      FULL JOIN (SELECT guarantor_id, enterprise_id, sum(outstanding) AS amount FROM guarantee WHERE status = 'LIVE' GROUP BY guarantor_id, enterprise_id) s
        USING (guarantor_id, enterprise_id)
    UNION ALL
    -- A pool claim under review holds its loan's net loss in the claim account; a decided one (paid, rejected) nothing (docs/LEDGER.md PC3).
    SELECT 'LOAN_AWAITING_POOL', loan_id, NULL, NULL, t.amount, coalesce(s.amount, 0)
      FROM (SELECT loan_id, CASE WHEN status IN ('PAID', 'REJECTED') THEN 0 ELSE net_loss END AS amount FROM pool_claim) t
      FULL JOIN (SELECT (regexp_match(x.account, '${CLAIM_ACCOUNT}'))[1]::uuid AS loan_id, sum(x.delta) AS amount
                   FROM ledger_posting p CROSS JOIN LATERAL (VALUES (p.destination, p.amount), (p.source, -p.amount)) AS x(account, delta)
                  WHERE p.kind IN ('WRITE_OFF', 'RECOVERY') AND x.account ~ '${CLAIM_ACCOUNT}' GROUP BY 1) s
        USING (loan_id)
  )
  SELECT (SELECT count(*) FROM compared)::int AS checked,
         coalesce((SELECT json_agg(json_build_object('figure', figure, 'subjectId', subject, 'year', year, 'borrowerId', borrower, 'stored', stored::text, 'recomputed', recomputed::text)
                                   ORDER BY figure, subject, year, borrower)
                     FROM compared WHERE coalesce(stored, 0) <> recomputed), '[]') AS differences`;

interface FigureRow { figure: LedgerFigure; subjectId: string; year?: number | null; borrowerId?: string | null; stored: string | null; recomputed: string }

const differenceOf = (d: FigureRow): LedgerDifference => ({
  figure: d.figure, subjectId: d.subjectId, year: d.year ?? null, borrowerId: d.borrowerId ?? null,
  stored: d.stored === null ? null : new Decimal(d.stored), recomputed: new Decimal(d.recomputed),
});

/** Reconciles over `db` (a DataSource, or a transaction's EntityManager to see its own writes). */
export async function reconcileLedger(db: Pick<EntityManager, 'query'>): Promise<LedgerReconciliation> {
  const [row]: { postings: number; checked: number; differences: FigureRow[] }[] = await db.query(FIGURES_SQL);
  const guarantors: { id: string; opening: string; stored: string; borrowers: { sizeClass: SizeClass; balance: string }[] }[] = await db.query(LIABILITY_SQL);
  const [totals]: { checked: number; differences: (FigureRow & { figure: RunningTotal })[] }[] = await db.query(TOTALS_SQL);
  const differences: LedgerDifference[] = row.differences.map(differenceOf);
  for (const g of guarantors) {
    const recomputed = liabilityOf(new Decimal(g.opening), g.borrowers.map((b) => ({ sizeClass: b.sizeClass, balance: new Decimal(b.balance) })));
    if (recomputed.toFixed(2) !== new Decimal(g.stored).toFixed(2)) {
      differences.push(differenceOf({ figure: 'GUARANTOR_LIABILITY', subjectId: g.id, stored: g.stored, recomputed: recomputed.toFixed(2) }));
    }
  }
  differences.push(...totals.differences.map(differenceOf));
  return {
    balanced: differences.length === 0, postings: row.postings, checked: row.checked + guarantors.length, totalsChecked: totals.checked,
    differences: differences.slice(0, DIFFERENCES_LISTED),
  };
}
