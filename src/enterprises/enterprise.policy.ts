/**
 * R10 for enterprise records: an enterprise sees its own data; institutions, authorities, analysts and
 * admins see profiles. Contact details and credit data have their own guards in privacy/.
 */
import { RequestContext } from '../common/context';
import { forbiddenBecause } from '../auth/errors';
import { viewerEnterpriseId } from './enterprise.service';

/**
 * Throws FORBIDDEN when an ENTERPRISE token asks for anything but its own enterprise, the same way whether
 * the asked-for enterprise exists or not, so the answer does not tell.
 */
export async function assertCanViewEnterprise(ctx: RequestContext, enterprise: { id: string } | null): Promise<void> {
  if (ctx.viewer?.role !== 'ENTERPRISE') return;
  if (!enterprise || !(await canViewEnterprise(ctx, enterprise.id))) {
    throw forbiddenBecause(ctx.lang, 'ownEnterpriseOnly');
  }
}

export async function canViewEnterprise(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (viewer.role !== 'ENTERPRISE') return true;
  return (await viewerEnterpriseId(ctx)) === enterpriseId;
}
