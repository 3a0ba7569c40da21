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
 * The credit import and the revocation raise them in their own transaction (`raiseWarnings`), the overdue
 * sweep in its statement (`OVERDUE_WARNINGS_SQL`); each warning is a WARNING event to its institution.
 */
import type { EntityManager } from 'typeorm';
import { ratingRank, CreditRating } from '../credit/grades';
import { DEDUPED_EVENT_INSERT, raiseEvent } from '../events/outbox';

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
  const amount = (p?: ProfileFigures) => Number(p?.currentOverdueAmount ?? 0);
  if (count(after) > count(before) || (amount(after) > 0 && amount(before) === 0)) {
    changes.push({ enterpriseId: id, kind: 'OVERDUE', detail: { overdueCount12m: after.overdueCount12m, previousOverdueCount12m: before?.overdueCount12m ?? null, currentOverdueAmount: after.currentOverdueAmount } });
  }
  if (before?.rating && after.rating) {
    const drop = ratingRank(before.rating) - ratingRank(after.rating);
    if (drop > 0) changes.push({ enterpriseId: id, kind: 'RATING_DOWNGRADE', detail: { from: before.rating, to: after.rating, notches: drop }, measure: drop });
  }
  return changes;
}

/** The profile figures of the given enterprises that have a live loan (the others cannot warn anyone). */
export async function liveBorrowerProfiles(em: EntityManager, where: string, params: unknown[]): Promise<Map<string, ProfileFigures>> {
  const rows: ProfileFigures[] = await em.query(
    `SELECT p.enterprise_id AS "enterpriseId", p.rating, p.overdue_count_12m AS "overdueCount12m", p.current_overdue_amount::text AS "currentOverdueAmount",
            coalesce((SELECT array_agg((d->>'kind') || ' ' || (d->>'listedOn')) FROM jsonb_array_elements(p.dishonesty) d WHERE d->>'repairedOn' IS NULL), '{}') AS listings
       FROM credit_profile p
      WHERE ${where} AND EXISTS (SELECT 1 FROM loan l WHERE l.enterprise_id = p.enterprise_id AND l.status = 'ACTIVE')`, params);
  return new Map(rows.map((r) => [r.enterpriseId, r]));
}

/** Whose triggers a change meets: SQL over `c` (the change) and `t` (the institution's triggers, null for none). */
const MEETS = `(t.institution_id IS NULL OR (c.kind = ANY(t.kinds)
                 AND (c.kind <> 'RATING_DOWNGRADE' OR c.measure >= t.min_rating_drop)
                 AND (c.kind <> 'OVERDUE' OR c.measure IS NULL OR c.measure >= t.min_overdue_days)))`;

/**
 * Writes the warnings `changes` give: one per change, live loan and institution (its lender, its
 * guarantor) whose triggers it meets, each raised as a WARNING event, in the caller's transaction.
 */
export async function raiseWarnings(em: EntityManager, changes: readonly BorrowerChange[]): Promise<number> {
  if (!changes.length) return 0;
  const rows: { id: string; institution_id: string; role: string; loan_id: string; enterprise_id: string; need_id: string; match_id: string; kind: string; detail: Record<string, unknown> }[] = await em.query(
    `WITH c AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS c(enterprise_id uuid, kind text, detail jsonb, measure int)),
          w AS (
            INSERT INTO post_loan_warning (institution_id, role, loan_id, enterprise_id, kind, detail)
            SELECT x.institution_id, x.role, l.id, l.enterprise_id, c.kind, c.detail
              FROM c JOIN loan l ON l.enterprise_id = c.enterprise_id AND l.status = 'ACTIVE'
              CROSS JOIN LATERAL (VALUES (l.institution_id, 'LENDER'), (l.guarantor_id, 'GUARANTOR')) AS x(institution_id, role)
              LEFT JOIN warning_trigger t ON t.institution_id = x.institution_id
             WHERE x.institution_id IS NOT NULL AND ${MEETS}
            RETURNING id, institution_id, role, loan_id, enterprise_id, kind, detail)
     SELECT w.*, l.need_id, l.match_id FROM w JOIN loan l ON l.id = w.loan_id ORDER BY w.loan_id, w.role, w.kind`,
    [JSON.stringify(changes.map((c) => ({ enterprise_id: c.enterpriseId, kind: c.kind, detail: c.detail, measure: c.measure ?? null })))],
  );
  for (const w of rows) {
    await raiseEvent(em, {
      type: 'WARNING', institutionId: w.institution_id, enterpriseId: w.enterprise_id, needId: w.need_id, matchId: w.match_id,
      payload: { warningId: w.id, loanId: w.loan_id, kind: w.kind, role: w.role, ...w.detail },
    });
  }
  return rows.length;
}

/**
 * The overdue sweep (events/dispatcher.ts, by the database's clock): a live loan whose oldest unpaid
 * instalment is at least the institution's `minOverdueDays` past due warns its lender and guarantor, once
 * per instalment and institution (`dedup_key`), with its WARNING event in the same statement.
 */
export const OVERDUE_WARNINGS_SQL = `
  WITH o AS (
    SELECT l.id AS loan_id, l.enterprise_id, l.need_id, l.match_id, l.institution_id AS lender, l.guarantor_id, i.seq, i.due_on,
           (shanghai_today() - i.due_on) AS days
      FROM loan l
      JOIN LATERAL (
        SELECT seq, due_on FROM (
          SELECT seq, due_on, sum(principal) OVER (ORDER BY seq) AS through FROM loan_instalment WHERE loan_id = l.id
        ) s WHERE s.through > l.principal - l.outstanding ORDER BY seq LIMIT 1
      ) i ON i.due_on < shanghai_today()
     WHERE l.status = 'ACTIVE'
  ), c AS (
    SELECT o.*, x.institution_id, x.role, 'OVERDUE'::text AS kind, o.days AS measure
      FROM o CROSS JOIN LATERAL (VALUES (o.lender, 'LENDER'), (o.guarantor_id, 'GUARANTOR')) AS x(institution_id, role)
     WHERE x.institution_id IS NOT NULL
  ), w AS (
    INSERT INTO post_loan_warning (institution_id, role, loan_id, enterprise_id, kind, detail, dedup_key)
    SELECT c.institution_id, c.role, c.loan_id, c.enterprise_id, 'OVERDUE',
           jsonb_build_object('instalment', c.seq, 'dueOn', to_char(c.due_on, 'YYYY-MM-DD'), 'overdueDays', c.days),
           'OVERDUE:' || c.loan_id || ':' || c.seq || ':' || c.institution_id
      FROM c LEFT JOIN warning_trigger t ON t.institution_id = c.institution_id
     WHERE (t.institution_id IS NULL OR ('OVERDUE' = ANY(t.kinds) AND c.measure >= t.min_overdue_days))
    ON CONFLICT (dedup_key) DO NOTHING
    RETURNING id, institution_id, role, loan_id, enterprise_id, detail
  )
  ${DEDUPED_EVENT_INSERT}
  SELECT 'WARNING', w.institution_id, NULL, w.enterprise_id, l.need_id, l.match_id,
         jsonb_build_object('warningId', w.id, 'loanId', w.loan_id, 'kind', 'OVERDUE', 'role', w.role) || w.detail, 'WARNING:' || w.id
    FROM w JOIN loan l ON l.id = w.loan_id
  ON CONFLICT (dedup_key) DO NOTHING`;
