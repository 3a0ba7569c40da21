/**
 * Issue 17 §2 — the lists and settings behind the API: renewal requests (paged, per viewer), the
 * authorities' renewal report, an institution's warning triggers and its warnings (paged, acknowledged).
 */
import { AuthedContext, defineLoader, groupedBy, RequestContext } from '../common/context';
import { Page, PageArgs, pageWindow, toPage } from '../common/connection';
import { distinct } from '../common/collections';
import { uuidOf } from '../common/ids';
import { failure, ok, refused, Result } from '../common/user-error';
import { keyOf, sqlKeysetPage } from '../database/pages';
import { RENEWAL_COLUMNS, renewalOf, RenewalRow, renewalScope, RenewalStatus } from './renewal.service';
import { DEFAULT_TRIGGERS, WarningKind } from './warning.service';

export async function renewalsPage(ctx: RequestContext, statuses: RenewalStatus[] | null, args: PageArgs): Promise<Page<RenewalRow>> {
  const scope = await renewalScope(ctx);
  if (!scope) return toPage<RenewalRow>([], pageWindow(args, ctx.config.limits).limit, keyOf, async () => 0);
  const n = scope.params.length;
  const page = await sqlKeysetPage<RenewalRow>(ctx, {
    select: RENEWAL_COLUMNS, from: 'loan_renewal r', alias: 'r',
    where: `${scope.where} AND ($${n + 1}::text[] IS NULL OR r.status = ANY($${n + 1}::text[]))`, params: [...scope.params, statuses?.length ? statuses : null],
  }, args);
  return { ...page, edges: page.edges.map((e) => ({ ...e, node: renewalOf(e.node) })) };
}

/** A loan's renewal requests, oldest first, one statement per page of loans. */
export const renewalsByLoan = defineLoader((ctx) =>
  groupedBy<RenewalRow>((r) => r.loanId, async (ids) => (await ctx.db.query(`SELECT ${RENEWAL_COLUMNS} FROM loan_renewal r WHERE r.loan_id = ANY($1::uuid[]) ORDER BY r.loan_id, r.created_at`, [ids])).map(renewalOf)),
);

export const renewalsById = defineLoader((ctx) =>
  groupedBy<RenewalRow>((r) => r.id, async (ids) => (await ctx.db.query(`SELECT ${RENEWAL_COLUMNS} FROM loan_renewal r WHERE r.id = ANY($1::uuid[])`, [ids])).map(renewalOf)),
);

interface CountRow { institutionId: string; requested: number; approved: number; refused: number; lapsed: number; pending: number; renewalIds: string[] }

/** renewalReport: requests asked for from `from` to `to`, counted per lender and status (通报制度). */
export async function renewalReport(ctx: RequestContext, from: string, to: string) {
  const rows: CountRow[] = await ctx.db.query(
    `SELECT r.institution_id AS "institutionId", count(*)::int AS requested,
            count(*) FILTER (WHERE r.status = 'APPROVED')::int AS approved, count(*) FILTER (WHERE r.status = 'REFUSED')::int AS refused,
            count(*) FILTER (WHERE r.status = 'LAPSED')::int AS lapsed, count(*) FILTER (WHERE r.status = 'REQUESTED')::int AS pending,
            array_agg(r.id ORDER BY r.created_at, r.id) AS "renewalIds"
       FROM loan_renewal r WHERE r.requested_on BETWEEN $1::date AND $2::date
      GROUP BY r.institution_id ORDER BY requested DESC, r.institution_id`, [from, to]);
  const sum = (k: keyof Omit<CountRow, 'institutionId' | 'renewalIds'>) => rows.reduce((s, r) => s + r[k], 0);
  return {
    from, to, institutions: rows,
    totals: { requested: sum('requested'), approved: sum('approved'), refused: sum('refused'), lapsed: sum('lapsed'), pending: sum('pending') },
  };
}

export interface TriggersView { kinds: WarningKind[]; minOverdueDays: number; minRatingDrop: number; custom: boolean }

export async function warningTriggers(ctx: AuthedContext): Promise<TriggersView> {
  const [row] = await ctx.db.query(`SELECT kinds, min_overdue_days AS "minOverdueDays", min_rating_drop AS "minRatingDrop" FROM warning_trigger WHERE institution_id = $1`, [ctx.viewer.institutionId]);
  return row ? { ...row, custom: true } : { ...DEFAULT_TRIGGERS, custom: false };
}

export async function setWarningTriggers(ctx: AuthedContext, input: { kinds: WarningKind[]; minOverdueDays?: number | null; minRatingDrop?: number | null }): Promise<Result<TriggersView>> {
  if (!input.kinds.length) return refused(failure('kinds', 'WARNING_TRIGGERS_EMPTY'));
  const kinds = distinct(input.kinds);
  const [row] = await ctx.primary.query(
    `INSERT INTO warning_trigger (institution_id, kinds, min_overdue_days, min_rating_drop, updated_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (institution_id) DO UPDATE SET kinds = EXCLUDED.kinds, min_overdue_days = EXCLUDED.min_overdue_days, min_rating_drop = EXCLUDED.min_rating_drop,
       updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING kinds, min_overdue_days AS "minOverdueDays", min_rating_drop AS "minRatingDrop"`,
    [ctx.viewer.institutionId, kinds, input.minOverdueDays ?? DEFAULT_TRIGGERS.minOverdueDays, input.minRatingDrop ?? DEFAULT_TRIGGERS.minRatingDrop, ctx.viewer.sub]);
  return ok({ ...row, custom: true });
}

export interface WarningRow { id: string; institutionId: string; kind: WarningKind; role: string; loanId: string; detail: Record<string, unknown>; createdAt: Date; acknowledgedAt: Date | null }

/** A warning as the API shows it (a class, so that `node` knows its type: common/node.ts). */
export class WarningRecord {}
const warningOf = (row: WarningRow): WarningRow => Object.assign(new WarningRecord(), row);

const WARNING_COLUMNS = `w.id, w.institution_id AS "institutionId", w.kind, w.role, w.loan_id AS "loanId", w.detail, w.created_at AS "createdAt", w.acknowledged_at AS "acknowledgedAt"`;

export const warningsById = defineLoader((ctx) =>
  groupedBy<WarningRow>((r) => r.id, async (ids) => (await ctx.db.query(`SELECT ${WARNING_COLUMNS} FROM post_loan_warning w WHERE w.id = ANY($1::uuid[])`, [ids])).map(warningOf)),
);

export async function warningsPage(ctx: AuthedContext, unacknowledgedOnly: boolean, kinds: WarningKind[] | null, args: PageArgs): Promise<Page<WarningRow>> {
  const page = await sqlKeysetPage<WarningRow>(ctx, {
    select: WARNING_COLUMNS, from: 'post_loan_warning w', alias: 'w',
    where: `w.institution_id = $1 AND (NOT $2 OR w.acknowledged_at IS NULL) AND ($3::text[] IS NULL OR w.kind = ANY($3::text[]))`,
    params: [ctx.viewer.institutionId, unacknowledgedOnly, kinds?.length ? kinds : null],
  }, args);
  return { ...page, edges: page.edges.map((e) => ({ ...e, node: warningOf(e.node) })) };
}

/** acknowledgePostLoanWarnings: marks the institution's warnings seen (again: no change); an id not its own refuses the call. */
export async function acknowledgeWarnings(ctx: AuthedContext, ids: readonly string[]): Promise<Result<WarningRow[]>> {
  if (!ids.length) return refused(failure('ids', 'REQUIRED'));
  const uuids = ids.map((id) => uuidOf(id, 'PostLoanWarning'));
  const bad = uuids.map((u, i) => (u ? null : failure(['ids', String(i)], 'INVALID_ID'))).filter((f) => f !== null);
  if (bad.length) return refused(...bad);
  const wanted = distinct(uuids as string[]);
  const rows: WarningRow[] = await ctx.primary.query(
    `WITH mine AS (SELECT id FROM post_loan_warning WHERE id = ANY($1::uuid[]) AND institution_id = $2),
          marked AS (UPDATE post_loan_warning w SET acknowledged_at = coalesce(w.acknowledged_at, now()), acknowledged_by = coalesce(w.acknowledged_by, $4)
                       FROM mine WHERE w.id = mine.id AND (SELECT count(*) FROM mine) = $3 RETURNING w.*)
     SELECT ${WARNING_COLUMNS} FROM marked w ORDER BY w.created_at DESC, w.id DESC`,
    [wanted, ctx.viewer.institutionId, wanted.length, ctx.viewer.sub]);
  if (rows.length !== wanted.length) {
    const found = new Set((await ctx.primary.query(`SELECT id FROM post_loan_warning WHERE id = ANY($1::uuid[]) AND institution_id = $2`, [wanted, ctx.viewer.institutionId])).map((r: { id: string }) => r.id));
    return refused(...uuids.map((u, i) => (found.has(u!) ? null : failure(['ids', String(i)], 'NOT_FOUND'))).filter((f) => f !== null));
  }
  return ok(rows.map(warningOf));
}
