/**
 * Issue 17 §2 — post-loan warnings (贷后预警; Qingdao 信易贷 lets each institution set its own warning
 * conditions). A change to a borrower with a live (ACTIVE) loan warns the loan's lender and its guarantor,
 * each by its own triggers (`warning_trigger`; an institution without a row gets every kind at the lowest
 * thresholds):
 * - DISHONESTY: a dishonesty listing becomes active on the credit profile (a listing not active before);
 * - OVERDUE: the credit profile shows a new overdue (its 12-month overdue count rises, or a current overdue
 *   amount appears), or the loan itself is `minOverdueDays` days past an unpaid instalment (the sweep);
 * - RATING_DOWNGRADE: the credit rating falls by at least `minRatingDrop` notches (AAA … C);
 * - WHITELIST_REVOKED: one of the borrower's whitelist entries is revoked.
 * The credit import (`profileMovesSql`, `movesChanges`) and the revocation raise them in their own
 * transaction (`raiseWarnings`), the overdue sweep in its statement (`OVERDUE_WARNINGS_SQL`); both write
 * the warnings and their WARNING events (one to each institution) in one statement (`WARN_SQL`).
 */
import type { EntityManager } from 'typeorm';
import { Decimal } from '../common/decimal';
import { ratingRank, CreditRating } from '../credit/grades';
import { DEDUPED_EVENT_INSERT } from '../events/outbox';

export const WARNING_KINDS = ['DISHONESTY', 'OVERDUE', 'RATING_DOWNGRADE', 'WHITELIST_REVOKED'] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

/** Triggers of an institution that set none: every kind, overdue from its first day, any downgrade. */
export const DEFAULT_TRIGGERS = { kinds: [...WARNING_KINDS] as WarningKind[], minOverdueDays: 1, minRatingDrop: 1 };

/** A change to a borrower that may warn its lenders and guarantors; `measure` is what a threshold compares (notches dropped). */
export interface BorrowerChange {
  enterpriseId: string;
  kind: WarningKind;
  detail: Record<string, unknown>;
  measure?: number | null;
}

/** The figures of a credit profile a warning compares, before and after an import. */
export interface ProfileFigures {
  enterpriseId: string;
  rating: CreditRating | null;
  overdueCount12m: number | null;
  currentOverdueAmount: string | null;
  /** Active listings as `KIND listedOn`. */
  listings: string[];
}

/** What changed for the worse between two profiles of one borrower (pure). */
export function profileChanges(before: ProfileFigures | undefined, after: ProfileFigures): BorrowerChange[] {
  const changes: BorrowerChange[] = [];
  const id = after.enterpriseId;
  const newListings = after.listings.filter((l) => !(before?.listings ?? []).includes(l));
  if (newListings.length) changes.push({ enterpriseId: id, kind: 'DISHONESTY', detail: { listings: newListings.map((l) => ({ kind: l.split(' ')[0], listedOn: l.split(' ')[1] })) } });
  const count = (p?: ProfileFigures) => p?.overdueCount12m ?? 0;
  const amount = (p?: ProfileFigures) => new Decimal(p?.currentOverdueAmount ?? 0);
  if (count(after) > count(before) || (amount(after).gt(0) && amount(before).isZero())) {
    changes.push({ enterpriseId: id, kind: 'OVERDUE', detail: { overdueCount12m: after.overdueCount12m, previousOverdueCount12m: before?.overdueCount12m ?? null, currentOverdueAmount: after.currentOverdueAmount } });
  }
  if (before?.rating && after.rating) {
    const drop = ratingRank(before.rating) - ratingRank(after.rating);
    if (drop > 0) changes.push({ enterpriseId: id, kind: 'RATING_DOWNGRADE', detail: { from: before.rating, to: after.rating, notches: drop }, measure: drop });
  }
  return changes;
}

/** A borrower with a live loan: SQL over its enterprise id (nobody is warned about the others). */
const liveBorrowerSql = (enterpriseId: string) => `EXISTS (SELECT 1 FROM loan l WHERE l.enterprise_id = ${enterpriseId} AND l.status = 'ACTIVE')`;

/** The `ProfileFigures` of credit_profile row `p`, as a select list. */
const figuresSql = (p: string) => `${p}.enterprise_id AS "enterpriseId", ${p}.rating, ${p}.overdue_count_12m AS "overdueCount12m",
  ${p}.current_overdue_amount::text AS "currentOverdueAmount",
  coalesce((SELECT array_agg((d->>'kind') || ' ' || (d->>'listedOn')) FROM jsonb_array_elements(${p}.dishonesty) d WHERE d->>'repairedOn' IS NULL), '{}') AS listings`;

/** A profile an import moved: its figures before (null for a first profile) and after (null when the borrower has no live loan). */
export interface ProfileMove {
  enterprise_id: string;
  before: ProfileFigures | null;
  after: ProfileFigures | null;
}

/**
 * The credit import's profile upsert (`upsert`: INSERT INTO credit_profile … RETURNING *, over the
 * enterprises `enterprises` selects) made to say, in the same statement, what it moved for borrowers with
 * a live loan: the figures before are read by the statement's snapshot, before the move, and the figures
 * after from what it returns. One row per profile moved (`ProfileMove`).
 */
export const profileMovesSql = (upsert: string, enterprises: string): string => `
  WITH before AS (
    SELECT ${figuresSql('p')} FROM credit_profile p WHERE p.enterprise_id IN (${enterprises}) AND ${liveBorrowerSql('p.enterprise_id')}
  ), moved AS (${upsert})
  SELECT m.enterprise_id, to_jsonb(b) AS before,
         CASE WHEN ${liveBorrowerSql('m.enterprise_id')} THEN (SELECT to_jsonb(a) FROM (SELECT ${figuresSql('m')}) a) END AS after
    FROM moved m LEFT JOIN before b ON b."enterpriseId" = m.enterprise_id`;

/** What worsened for the live borrowers among `moves` (`profileChanges` of each). */
export const movesChanges = (moves: readonly ProfileMove[]): BorrowerChange[] =>
  moves.flatMap((m) => (m.after ? profileChanges(m.before ?? undefined, m.after) : []));

/** Whose triggers a change meets: SQL over `c` (the change) and `t` (the institution's triggers, null for none). */
const MEETS = `(t.institution_id IS NULL OR (c.kind = ANY(t.kinds)
                 AND (c.kind <> 'RATING_DOWNGRADE' OR c.measure >= t.min_rating_drop)
                 AND (c.kind <> 'OVERDUE' OR c.measure IS NULL OR c.measure >= t.min_overdue_days)))`;

/**
 * The end of a statement that warns, after a CTE `c` of changes (loan_id, kind, detail, measure, dedup):
 * one warning per change and institution of the loan — its lender, its guarantor — whose triggers the
 * change meets, each with its WARNING event to that institution alone. `dedup` (null for none) keys a
 * change that may be seen again (the sweep's): each institution is warned of it once. Returns the count.
 */
const WARN_SQL = `
  w AS (
    INSERT INTO post_loan_warning (institution_id, role, loan_id, enterprise_id, kind, detail, dedup_key)
    SELECT x.institution_id, x.role, l.id, l.enterprise_id, c.kind, c.detail, c.dedup || ':' || x.institution_id
      FROM c JOIN loan l ON l.id = c.loan_id
      CROSS JOIN LATERAL (VALUES (l.institution_id, 'LENDER'), (l.guarantor_id, 'GUARANTOR')) AS x(institution_id, role)
      LEFT JOIN warning_trigger t ON t.institution_id = x.institution_id
     WHERE x.institution_id IS NOT NULL AND ${MEETS}
    ON CONFLICT (dedup_key) DO NOTHING
    RETURNING id, institution_id, role, loan_id, enterprise_id, kind, detail
  ), raised AS (
    ${DEDUPED_EVENT_INSERT}
    SELECT 'WARNING', w.institution_id, NULL, w.enterprise_id, l.need_id, l.match_id,
           jsonb_build_object('warningId', w.id, 'loanId', w.loan_id, 'kind', w.kind, 'role', w.role) || w.detail, 'WARNING:' || w.id
      FROM w JOIN loan l ON l.id = w.loan_id ORDER BY w.loan_id, w.role, w.kind
    ON CONFLICT (dedup_key) DO NOTHING
  )
  SELECT count(*)::int AS warned FROM w`;

/**
 * Writes the warnings `changes` give: one per change, live loan and institution (its lender, its
 * guarantor) whose triggers it meets, each raised as a WARNING event, in the caller's transaction and
 * one statement.
 */
export async function raiseWarnings(em: EntityManager, changes: readonly BorrowerChange[]): Promise<number> {
  if (!changes.length) return 0;
  const [{ warned }]: { warned: number }[] = await em.query(
    `WITH c AS (
       SELECT l.id AS loan_id, ch.kind, ch.detail, ch.measure, NULL::text AS dedup
         FROM jsonb_to_recordset($1::jsonb) AS ch(enterprise_id uuid, kind text, detail jsonb, measure int)
         JOIN loan l ON l.enterprise_id = ch.enterprise_id AND l.status = 'ACTIVE'
     ), ${WARN_SQL}`,
    [JSON.stringify(changes.map((c) => ({ enterprise_id: c.enterpriseId, kind: c.kind, detail: c.detail, measure: c.measure ?? null })))],
  );
  return warned;
}

/**
 * The overdue sweep (events/dispatcher.ts, by the database's clock): a live loan whose oldest unpaid
 * instalment is at least the institution's `minOverdueDays` past due warns its lender and guarantor, once
 * per instalment and institution (`dedup_key`), with its WARNING event in the same statement. One row:
 * `warned`, how many. Only the live loans past due are read: each carries its oldest unpaid instalment's
 * date, `oldest_unpaid_due_on`, kept by the database (migration LoanOldestUnpaid), through a partial index.
 */
export const OVERDUE_WARNINGS_SQL = `
  WITH c AS (
    SELECT l.id AS loan_id, 'OVERDUE'::text AS kind, (shanghai_today() - i.due_on) AS measure, 'OVERDUE:' || l.id || ':' || i.seq AS dedup,
           jsonb_build_object('instalment', i.seq, 'dueOn', to_char(i.due_on, 'YYYY-MM-DD'), 'overdueDays', shanghai_today() - i.due_on) AS detail
      FROM loan l
      CROSS JOIN LATERAL loan_oldest_unpaid(l.id, l.principal - l.outstanding) i
     WHERE l.status = 'ACTIVE' AND l.oldest_unpaid_due_on < shanghai_today()
  ), ${WARN_SQL}`;
