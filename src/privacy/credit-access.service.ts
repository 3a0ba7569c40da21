/**
 * R10 — "every read of an enterprise's credit data by an institution is recorded (who, when, what)".
 * Every read by anyone but the enterprise itself is written to credit_access_log before the data is
 * returned: resolvers await `recordCreditRead`, and one DataLoader turns all reads of a request's
 * resolution step into one INSERT, so a page of 100 firms costs one statement, as a page of 5 does.
 * Authorities and admins read the log; an enterprise reads who looked at its own data.
 */
import DataLoader from 'dataloader';
import { defineLoader, RequestContext } from '../auth/context';
import { PageArgs } from '../common/connection';
import { badArgument } from '../common/errors';
import { uuidOf } from '../common/ids';
import { queryDate } from '../common/scalars';
import { keysetPage } from '../database/pages';
import { checkCreditCode } from '../enterprises/credit-code';
import { viewerClaim } from '../enterprises/claim.service';
import { CreditAccessEntity } from './privacy.entity';
import { isSelf } from './privacy.policy';

interface CreditRead {
  enterpriseId: string;
  fields: string[];
  consented: boolean;
  operation: string | null;
}

const creditReads = defineLoader(
  (ctx) =>
    new DataLoader<CreditRead, true>(
      async (reads) => {
        const viewer = ctx.viewer!;
        await ctx.db.query(
          `INSERT INTO credit_access_log (sub, role, institution_id, enterprise_id, fields, consented, operation)
           SELECT $1, $2, $3, u.enterprise_id, string_to_array(u.fields, ','), u.consented, u.operation
             FROM unnest($4::uuid[], $5::text[], $6::bool[], $7::text[]) AS u(enterprise_id, fields, consented, operation)`,
          [
            viewer.sub, viewer.role, viewer.institutionId ?? null,
            reads.map((r) => r.enterpriseId), reads.map((r) => r.fields.join(',')), reads.map((r) => r.consented), reads.map((r) => r.operation),
          ],
        );
        return reads.map(() => true as const);
      },
      { cache: false },
    ),
);

/** Records a read of one enterprise's credit data (no-op when the enterprise reads its own). */
export async function recordCreditRead(ctx: RequestContext, read: CreditRead): Promise<void> {
  if (await isSelf(ctx, read.enterpriseId)) return;
  await creditReads(ctx).load(read);
}

export interface CreditAccessFilter {
  creditCode?: string | null;
  institutionId?: string | null;
  from?: string | null;
  to?: string | null;
}

/** `creditAccessLog`: authorities and admins see all reads; an enterprise sees reads of its own data. */
export async function creditAccessPage(ctx: RequestContext, filter: CreditAccessFilter | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(CreditAccessEntity).createQueryBuilder('a');
  if (ctx.viewer!.role === 'ENTERPRISE') {
    const own = await viewerClaim(ctx);
    // Before registering, an enterprise has no data to have been read; before its claim is verified, it sees none of it.
    if (own?.status === 'VERIFIED') qb.andWhere('a.enterprise_id = :own', { own: own.enterpriseId });
    else qb.andWhere('false');
  }
  if (filter?.creditCode) {
    const check = checkCreditCode(filter.creditCode);
    if (!check.valid) throw badArgument('"filter.creditCode" is not a valid credit code', 'filter.creditCode');
    qb.andWhere('a.enterprise_id IN (SELECT e.id FROM enterprise e WHERE e.credit_code = :code)', { code: check.code });
  }
  if (filter?.institutionId) {
    const id = uuidOf(filter.institutionId, 'Institution');
    if (!id) throw badArgument('"filter.institutionId" is not an institution id', 'filter.institutionId');
    qb.andWhere('a.institution_id = :institutionId', { institutionId: id });
  }
  if (filter?.from) qb.andWhere(`a.created_at >= (:from::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { from: queryDate(filter.from, 'filter.from') });
  if (filter?.to) qb.andWhere(`a.created_at < (:to::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { to: queryDate(filter.to, 'filter.to') });
  return keysetPage(ctx, qb, 'a', page);
}

