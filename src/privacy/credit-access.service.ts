/**
 * R10 — "every read of an enterprise's credit data by an institution is recorded (who, when, what)".
 * Every read by anyone but the enterprise itself is written to credit_access_log before the data is
 * returned: resolvers await `recordCreditRead`, and one DataLoader turns all reads of a request's
 * resolution step into one INSERT, so a page of 100 firms costs one statement, as a page of 5 does.
 * The audit is written on the primary (`ctx.primary`) also when the read itself is answered by a replica.
 * Authorities and admins read the log; an enterprise reads who looked at its own data.
 */
import DataLoader from 'dataloader';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { byKey, defineLoader, RequestContext } from '../common/context';
import { PageArgs } from '../common/connection';
import { badArgument } from '../common/errors';
import { uuidOf } from '../common/ids';
import { queryDate } from '../common/scalars';
import { keysetPage } from '../database/pages';
import { checkCreditCode } from '../enterprises/credit-code';
import { viewerClaim } from '../enterprises/claim.service';
import { CreditAccessEntity, CreditFilterReadEntity } from './privacy.entity';
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
        await ctx.primary.query(
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
  if (takePreRecorded(ctx, read)) return;
  await creditReads(ctx).load(read);
}

const PRE_RECORDED = {};
const readKey = (read: CreditRead) => JSON.stringify([read.enterpriseId, read.fields, read.consented, read.operation]);

/**
 * Reads a statement of this request has already written to credit_access_log (the one-statement
 * whitelist page, issue 14): `recordCreditRead` of the same firm, fields, consent and operation then
 * writes nothing, once per read so recorded. Anything else is recorded as always.
 */
export function preRecordCreditReads(ctx: RequestContext, reads: CreditRead[]): void {
  let recorded = ctx.loaders.get(PRE_RECORDED) as Map<string, number> | undefined;
  if (!recorded) ctx.loaders.set(PRE_RECORDED, (recorded = new Map()));
  for (const read of reads) recorded.set(readKey(read), (recorded.get(readKey(read)) ?? 0) + 1);
}

function takePreRecorded(ctx: RequestContext, read: CreditRead): boolean {
  const recorded = ctx.loaders.get(PRE_RECORDED) as Map<string, number> | undefined;
  const key = recorded && readKey(read);
  const left = key ? recorded.get(key) ?? 0 : 0;
  if (!left) return false;
  recorded!.set(key!, left - 1);
  return true;
}

/** A filtered read of many firms' credit data (R10), as the page that made it reports it. */
export interface CreditFilterRead {
  /** What was filtered: `whitelist`. */
  source: string;
  /** The credit criteria in use, by name. */
  criteria: Record<string, unknown>;
  /** The other filters, which chose the firms the criteria read. */
  scope: Record<string, unknown>;
  /** One statement and its parameters yielding one row (read int, kept int): firms read, and those the criteria kept. */
  counts: [string, unknown[]];
  /** The firms returned, each recorded as a read of the `fields` named. */
  returned: string[];
  fields: string[];
  operation: string | null;
}

/**
 * Records a filtered read before its page is returned: the filter read (who, when, criteria, scope,
 * firms read, kept and returned; excluded = read − kept) and one credit_access_log row per returned firm
 * naming it — one statement, whatever the page size, the counts computed inside it.
 */
export async function recordCreditFilterRead(ctx: RequestContext, read: CreditFilterRead): Promise<void> {
  const viewer = ctx.viewer!;
  const [countSql, countParams] = read.counts;
  const at = (i: number) => `$${countParams.length + i}`;
  await ctx.primary.query(
    `WITH counts AS (${countSql}),
     f AS (INSERT INTO credit_filter_read (sub, role, institution_id, operation, source, criteria, scope, read_count, kept_count, returned_count)
           SELECT ${at(1)}, ${at(2)}, ${at(3)}::uuid, ${at(4)}, ${at(5)}, ${at(6)}::jsonb, ${at(7)}::jsonb, counts.read, counts.kept, cardinality(${at(8)}::uuid[]) FROM counts
           RETURNING id)
     INSERT INTO credit_access_log (sub, role, institution_id, enterprise_id, fields, consented, operation, filter_read_id)
     SELECT ${at(1)}, ${at(2)}, ${at(3)}::uuid, u.enterprise_id, ${at(9)}::text[], false, ${at(4)}, f.id FROM f CROSS JOIN unnest(${at(8)}::uuid[]) AS u(enterprise_id)`,
    [
      ...countParams,
      viewer.sub, viewer.role, viewer.institutionId ?? null, read.operation, read.source,
      JSON.stringify(read.criteria), JSON.stringify(read.scope), read.returned, read.fields,
    ],
  );
}

export interface CreditAccessFilter {
  creditCode?: string | null;
  institutionId?: string | null;
  from?: string | null;
  to?: string | null;
}

/** The filters both audit logs share, over alias `a` (institution_id, created_at). */
function applyAuditFilter(qb: SelectQueryBuilder<ObjectLiteral>, filter: CreditAccessFilter | null | undefined, ofEnterprises: (idsSql: string) => string): void {
  if (filter?.creditCode) {
    const check = checkCreditCode(filter.creditCode);
    if (!check.valid) throw badArgument('"filter.creditCode" is not a valid credit code', 'filter.creditCode');
    qb.andWhere(ofEnterprises('SELECT e.id FROM enterprise e WHERE e.credit_code = :code'), { code: check.code });
  }
  if (filter?.institutionId) {
    const id = uuidOf(filter.institutionId, 'Institution');
    if (!id) throw badArgument('"filter.institutionId" is not an institution id', 'filter.institutionId');
    qb.andWhere('a.institution_id = :institutionId', { institutionId: id });
  }
  if (filter?.from) qb.andWhere(`a.created_at >= (:from::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { from: queryDate(filter.from, 'filter.from') });
  if (filter?.to) qb.andWhere(`a.created_at < (:to::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { to: queryDate(filter.to, 'filter.to') });
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
  applyAuditFilter(qb, filter, (ids) => `a.enterprise_id IN (${ids})`);
  return keysetPage(ctx, qb, 'a', page);
}

/** `creditFilterLog` (authorities and admins): filtered reads, newest first; by credit code, those that returned the firm. */
export async function creditFilterPage(ctx: RequestContext, filter: CreditAccessFilter | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(CreditFilterReadEntity).createQueryBuilder('a');
  applyAuditFilter(qb, filter, (ids) => `a.id IN (SELECT l.filter_read_id FROM credit_access_log l WHERE l.enterprise_id IN (${ids}))`);
  return keysetPage(ctx, qb, 'a', page);
}

export const filterReadById = defineLoader((ctx) => byKey(ctx, CreditFilterReadEntity, 'id'));
