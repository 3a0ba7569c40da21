/**
 * R10 — who may see an enterprise's private data. Contact details and the full credit history: the
 * enterprise itself, and an institution (BANK, GUARANTOR, INVESTOR token) the enterprise consented to —
 * nobody else, not analysts, authorities or admins. The credit summary (rating, tax grade, dishonesty
 * listings, first-loan flag): the enterprise, banks, authorities and admins; a guarantor or an investor
 * only for the firms it deals with (a match of its products or routed to it, a guarantee it carries, a
 * consent); never analysts, who see aggregates only. An ENTERPRISE token reads its firm's credit file
 * (summary, detail, history, who read it) only as the firm's verified holder (issue 11 §6).
 */
import DataLoader from 'dataloader';
import { defineLoader, RequestContext } from '../common/context';
import type { Role } from '../auth/roles';
import { isVerifiedHolder } from '../enterprises/claim.service';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { institutionSeesMatchSql } from '../matching/match.rules';

/** For an institution viewer: which enterprises have a live consent to its institution. */
export const consentedToViewer = defineLoader(
  (ctx) =>
    new DataLoader<string, boolean>(async (enterpriseIds) => {
      const institutionId = ctx.viewer?.institutionId;
      if (!institutionId) return enterpriseIds.map(() => false);
      const rows: { enterprise_id: string }[] = await ctx.db.query(
        `SELECT enterprise_id FROM consent WHERE institution_id = $1 AND enterprise_id = ANY($2::uuid[]) AND revoked_at IS NULL`,
        [institutionId, [...enterpriseIds]],
      );
      const consented = new Set(rows.map((r) => r.enterprise_id));
      return enterpriseIds.map((id) => consented.has(id));
    }),
);

/** Is the viewer an authority or an admin (who review the audit)? */
export function isManager(ctx: RequestContext): boolean {
  return ctx.viewer?.role === 'AUTHORITY' || ctx.viewer?.role === 'ADMIN';
}

/** Is the viewer the enterprise itself? */
export async function isSelf(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  return ctx.viewer?.role === 'ENTERPRISE' && (await viewerEnterpriseId(ctx)) === enterpriseId;
}

/** A consent is seen by its two parties: the enterprise that gave it and the institution it names. */
export async function canViewConsent(ctx: RequestContext, consent: { enterpriseId: string; institutionId: string }): Promise<boolean> {
  return (await isSelf(ctx, consent.enterpriseId)) || ctx.viewer?.institutionId === consent.institutionId;
}

/** A read of a credit file (the audit) is seen by authorities, admins and the enterprise read. */
export async function canViewCreditAccess(ctx: RequestContext, read: { enterpriseId: string }): Promise<boolean> {
  return isManager(ctx) || (await isSelf(ctx, read.enterpriseId));
}

/** Contact details and the full credit history (R10); for the firm itself, once its claim is verified. */
export async function canSeePrivate(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (viewer.role === 'ENTERPRISE') return isVerifiedHolder(ctx, enterpriseId);
  if (viewer.institutionId) return consentedToViewer(ctx).load(enterpriseId);
  return false;
}

/**
 * For a GUARANTOR or INVESTOR viewer: the enterprises it deals with (R10). A guarantor sees the firms
 * whose guarantees are routed to it (a match naming it as guarantor, or a guarantee it carries); an
 * investor the firms whose needs were matched to its products (the rule `needsVisibleToInstitution`
 * applies to needs); either, the firms that consented to it. One statement per request's batch.
 */
const dealsWithViewer = defineLoader(
  (ctx) =>
    new DataLoader<string, boolean>(async (enterpriseIds) => {
      const institutionId = ctx.viewer?.institutionId;
      if (!institutionId) return enterpriseIds.map(() => false);
      const rows: { enterprise_id: string }[] = await ctx.db.query(
        `SELECT n.enterprise_id FROM financing_need n JOIN match m ON m.need_id = n.id
          WHERE n.enterprise_id = ANY($1::uuid[]) AND ${institutionSeesMatchSql('m', '$2::uuid')}
         UNION
         SELECT g.enterprise_id FROM guarantee g WHERE g.enterprise_id = ANY($1::uuid[]) AND g.guarantor_id = $2::uuid
         UNION
         SELECT c.enterprise_id FROM consent c WHERE c.enterprise_id = ANY($1::uuid[]) AND c.institution_id = $2::uuid AND c.revoked_at IS NULL`,
        [[...enterpriseIds], institutionId],
      );
      const related = new Set(rows.map((r) => r.enterprise_id));
      return enterpriseIds.map((id) => related.has(id));
    }),
);

/** Roles that see the credit summary of any firm (R10: banks see rating and tax grade; managers manage the lists). */
const SUMMARY_OF_ANY_FIRM: readonly Role[] = ['BANK', 'AUTHORITY', 'ADMIN'];

/** Rating, tax grade, dishonesty listings, first-loan flag of one enterprise (R10). */
export async function canSeeCreditSummary(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (SUMMARY_OF_ANY_FIRM.includes(viewer.role)) return true;
  if (viewer.role === 'ENTERPRISE') return isVerifiedHolder(ctx, enterpriseId);
  if (viewer.role === 'GUARANTOR' || viewer.role === 'INVESTOR') return dealsWithViewer(ctx).load(enterpriseId);
  return false;
}

/**
 * Whether the viewer may select firms by credit data (the whitelist page's credit filters): only those
 * who see the summary of any firm. A filter reads the data of every firm it passes over, so a guarantor,
 * an investor or an analyst filtering would learn ratings R10 does not show them.
 */
export function mayFilterOnCredit(ctx: RequestContext): boolean {
  return !!ctx.viewer && SUMMARY_OF_ANY_FIRM.includes(ctx.viewer.role);
}
