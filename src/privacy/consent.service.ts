/**
 * R10 — consent: an enterprise lets one institution see its contact details and full credit history,
 * until it revokes. Granting is idempotent (one live consent per pair, by a partial unique index);
 * applying to a match grants it too (`grantConsentIn`, via APPLICATION).
 */
import { EntityManager, IsNull } from 'typeorm';
import { defineLoader, groupedBy, RequestContext } from '../common/context';
import { uuidOf } from '../common/ids';
import { failure, ok, refused, Result } from '../common/user-error';
import { inTransaction } from '../database/transaction';
import { isVerifiedHolder } from '../enterprises/claim.service';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { InstitutionEntity } from '../institutions/institution.entity';
import { ConsentEntity, ConsentVia } from './privacy.entity';

/** Grants (or finds) the live consent of `enterpriseId` to `institutionId` inside a transaction. */
export async function grantConsentIn(em: EntityManager, enterpriseId: string, institutionId: string, via: ConsentVia, sub: string): Promise<ConsentEntity> {
  await em.query(
    `INSERT INTO consent (enterprise_id, institution_id, via, granted_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (enterprise_id, institution_id) WHERE revoked_at IS NULL DO NOTHING`,
    [enterpriseId, institutionId, via, sub],
  );
  return em.getRepository(ConsentEntity).findOneByOrFail({ enterpriseId, institutionId, revokedAt: IsNull() });
}

async function parties(ctx: RequestContext, em: EntityManager, institutionRef: string): Promise<Result<{ enterpriseId: string; institutionId: string }>> {
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return refused(failure([], 'NOT_REGISTERED'));
  // Consent opens the firm's credit file to an institution: only the firm's verified holder gives or takes it.
  if (!(await isVerifiedHolder(ctx, enterpriseId))) return refused(failure([], 'CLAIM_NOT_VERIFIED'));
  const institutionId = uuidOf(institutionRef, 'Institution');
  if (!institutionId) return refused(failure('institutionId', 'INVALID_ID'));
  const institution = await em.getRepository(InstitutionEntity).findOneBy({ id: institutionId });
  if (!institution) return refused(failure('institutionId', 'NOT_FOUND'));
  if (institution.kind === 'AUTHORITY') return refused(failure('institutionId', 'CONSENT_NOT_APPLICABLE'));
  return ok({ enterpriseId, institutionId });
}

/** grantConsent: the caller's enterprise consents to the institution (a repeat returns the live consent). */
export async function grantConsent(ctx: RequestContext, institutionRef: string): Promise<Result<ConsentEntity>> {
  return inTransaction(ctx, async (em) => {
    const p = await parties(ctx, em, institutionRef);
    if (!p.ok) return p;
    return ok(await grantConsentIn(em, p.value.enterpriseId, p.value.institutionId, 'GRANT', ctx.viewer!.sub));
  });
}

/** revokeConsent: ends the live consent; from then on the institution sees neither contact nor history. */
export async function revokeConsent(ctx: RequestContext, institutionRef: string): Promise<Result<ConsentEntity>> {
  return inTransaction(ctx, async (em) => {
    const p = await parties(ctx, em, institutionRef);
    if (!p.ok) return p;
    const { raw } = await em.createQueryBuilder()
      .update(ConsentEntity)
      .set({ revokedAt: () => 'now()', revokedBy: ctx.viewer!.sub })
      .where({ enterpriseId: p.value.enterpriseId, institutionId: p.value.institutionId, revokedAt: IsNull() })
      .returning('id')
      .execute();
    const updated = raw as { id: string }[];
    if (!updated.length) return refused(failure('institutionId', 'CONSENT_NOT_GRANTED'));
    return ok(await em.getRepository(ConsentEntity).findOneByOrFail({ id: updated[0].id }));
  });
}

/** Each enterprise's consents, newest first (Enterprise.consents, shown to the enterprise itself). */
export const consentsByEnterpriseId = defineLoader((ctx) =>
  groupedBy<ConsentEntity>(
    (c) => c.enterpriseId,
    (ids) => ctx.db.getRepository(ConsentEntity).createQueryBuilder('c').where('c.enterprise_id = ANY(:ids::uuid[])', { ids }).orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').getMany(),
  ),
);
