/**
 * R10 — who may see an enterprise's private data. Contact details and the full credit history: the
 * enterprise itself, and an institution (BANK, GUARANTOR, INVESTOR token) the enterprise consented to —
 * nobody else, not analysts, authorities or admins. The credit summary (rating, tax grade, dishonesty
 * listings, first-loan flag): the enterprise, institutions, authorities and admins; never analysts, who
 * see aggregates only. An ENTERPRISE token reads its firm's credit file (summary, detail, history, who
 * read it) only as the firm's verified holder (issue 11 §6): a claim not yet verified sees none of it.
 */
import DataLoader from 'dataloader';
import { defineLoader, RequestContext } from '../auth/context';
import { isVerifiedHolder } from '../enterprises/claim.service';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';

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

/** Is the viewer the enterprise itself? */
export async function isSelf(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  return ctx.viewer?.role === 'ENTERPRISE' && (await viewerEnterpriseId(ctx)) === enterpriseId;
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
 * Rating, tax grade, dishonesty listings, first-loan flag: everyone who may see the enterprise but analysts,
 * and, of ENTERPRISE tokens, only the firm's verified holder.
 */
export async function canSeeCreditSummary(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  if (!ctx.viewer || ctx.viewer.role === 'ANALYST') return false;
  return ctx.viewer.role !== 'ENTERPRISE' || isVerifiedHolder(ctx, enterpriseId);
}
