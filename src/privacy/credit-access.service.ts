/**
 * R10 — "every read of an enterprise's credit data by an institution is recorded (who, when, what)".
 * Every read by anyone but the enterprise itself is written to credit_access_log before the data is
 * returned: resolvers await `recordCreditRead`, and one DataLoader turns all reads of a request's
 * resolution step into one INSERT, so a page of 100 firms costs one statement, as a page of 5 does.
 * The audit is written on the primary (`ctx.primary`) also when the read itself is answered by a replica.
 * Authorities and admins read the log; an enterprise reads who looked at its own data.
 */
import DataLoader from 'dataloader';
import { byKey, defineLoader, RequestContext } from '../common/context';
import { Page, PageArgs, pageWindow, toPage } from '../common/connection';
import { badArgument } from '../common/errors';
import { uuidOf } from '../common/ids';
import { queryDate } from '../common/scalars';
import { afterBound, keyOf, keysetPage } from '../database/pages';
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

/** Firms one batch row may hold (the ordinal fills an entry id's last 16 bits). */
const MAX_BATCH_FIRMS = 65535;

/**
 * One credit_access_batch row per (fields, operation) of the reads given: who, when, what, and the firms
 * with each one's consent flag (migration CreditAccessBatches). The view credit_access_log shows a row
 * per firm, as the table did.
 */
const INSERT_BATCHES_SQL = `
  INSERT INTO credit_access_batch (sub, role, institution_id, enterprise_ids, consented, fields, operation)
  SELECT $1, $2, $3, array_agg(u.enterprise_id ORDER BY u.i), array_agg(u.consented ORDER BY u.i), string_to_array(u.fields, ','), u.operation
    FROM unnest($4::uuid[], $5::text[], $6::bool[], $7::text[]) WITH ORDINALITY AS u(enterprise_id, fields, consented, operation, i)
   GROUP BY u.fields, u.operation`;

const creditReads = defineLoader(
  (ctx) =>
    new DataLoader<CreditRead, true>(
      async (reads) => {
        const viewer = ctx.viewer!;
        await ctx.primary.query(INSERT_BATCHES_SQL, [
          viewer.sub, viewer.role, viewer.institutionId ?? null,
          reads.map((r) => r.enterpriseId), reads.map((r) => r.fields.join(',')), reads.map((r) => r.consented), reads.map((r) => r.operation),
        ]);
        return reads.map(() => true as const);
      },
      { cache: false, maxBatchSize: MAX_BATCH_FIRMS },
    ),
);

/** Records a read of one enterprise's credit data (no-op when the enterprise reads its own). */
export async function recordCreditRead(ctx: RequestContext, read: CreditRead): Promise<void> {
  if (await isSelf(ctx, read.enterpriseId)) return;
  if (takePreRecorded(ctx, read)) return;
  await creditReads(ctx).load(read);
}

const PRE_RECORDED = {};
// Ids, flags and field names hold no '\u0000', so the joined text is the read's key.
const readKey = (read: CreditRead) => `${read.enterpriseId}\u0000${read.consented}\u0000${read.operation ?? ''}\u0000${read.fields.join('\u0000')}`;

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
 * firms read, kept and returned; excluded = read − kept) and the returned firms as one batch naming
 * it (a credit_access_log row per firm) — one statement, whatever the page size, the counts computed inside it.
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
     INSERT INTO credit_access_batch (sub, role, institution_id, enterprise_ids, consented, fields, operation, filter_read_id)
     SELECT ${at(1)}, ${at(2)}, ${at(3)}::uuid, ${at(8)}::uuid[], array_fill(false, ARRAY[cardinality(${at(8)}::uuid[])]), ${at(9)}::text[], ${at(4)}, f.id
       FROM f WHERE cardinality(${at(8)}::uuid[]) > 0`,
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

/**
 * The audit filters in SQL over alias `a` (institution_id, created_at), with their named parameters
 * (TypeORM's `:name`): `firms` holds scalar subqueries, each yielding the one firm the reads must be of
 * (null: none).
 */
interface AuditConditions { where: string[]; firms: string[]; params: Record<string, unknown> }

function auditConditions(filter: CreditAccessFilter | null | undefined, own: string | null): AuditConditions {
  const c: AuditConditions = { where: [], firms: [], params: {} };
  if (own !== null) {
    c.firms.push(':own::uuid');
    c.params.own = own;
  }
  if (filter?.creditCode) {
    const check = checkCreditCode(filter.creditCode);
    if (!check.valid) throw badArgument('"filter.creditCode" is not a valid credit code', 'filter.creditCode');
    c.firms.push('(SELECT e.id FROM enterprise e WHERE e.credit_code = :code)');
    c.params.code = check.code;
  }
  if (filter?.institutionId) {
    const id = uuidOf(filter.institutionId, 'Institution');
    if (!id) throw badArgument('"filter.institutionId" is not an institution id', 'filter.institutionId');
    c.where.push('a.institution_id = :institutionId::uuid');
    c.params.institutionId = id;
  }
  if (filter?.from) {
    c.where.push(`a.created_at >= (:from::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
    c.params.from = queryDate(filter.from, 'filter.from');
  }
  if (filter?.to) {
    c.where.push(`a.created_at < (:to::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
    c.params.to = queryDate(filter.to, 'filter.to');
  }
  return c;
}

const and = (conditions: string[]) => (conditions.length ? conditions.join(' AND ') : 'true');

/** The firms of `batches` (a subquery of credit_access_batch rows) as credit_access_log rows (the view's second part). */
const batchRows = (batches: string) => `credit_access_batch_entry_id(a.id, u.n) AS id, a.created_at, a.sub, a.role, a.institution_id, u.enterprise_id, a.fields,
       u.consented, a.operation, a.filter_read_id
  FROM ${batches} a CROSS JOIN LATERAL unnest(a.enterprise_ids, a.consented) WITH ORDINALITY AS u(enterprise_id, consented, n)`;
const ENTRY_COLUMNS = 'a.id, a.created_at, a.sub, a.role, a.institution_id, a.enterprise_id, a.fields, a.consented, a.operation, a.filter_read_id';
/** The batch an entry id of the view names (its last 16 bits zeroed). */
const batchOf = (idSql: string) => `overlay(${idSql}::text PLACING '0000' FROM 33 FOR 4)::uuid`;

interface AccessRow {
  id: string; created_at: Date; sub: string; role: string; institution_id: string | null; enterprise_id: string;
  fields: string[]; consented: boolean; operation: string | null; filter_read_id: string | null;
}

const accessOf = (r: AccessRow): CreditAccessEntity => Object.assign(new CreditAccessEntity(), {
  id: r.id, createdAt: r.created_at, sub: r.sub, role: r.role, institutionId: r.institution_id, enterpriseId: r.enterprise_id,
  fields: r.fields, consented: r.consented, operation: r.operation, filterReadId: r.filter_read_id,
});

/**
 * `creditAccessLog`: authorities and admins see all reads; an enterprise sees reads of its own data.
 * One keyset page of the view credit_access_log, read from its two tables: the page's rows of the
 * per-firm table, and of the batches (by the GIN index when a firm is asked for) the first `limit + 2`
 * (the cursor's batch may have no firm left after the cursor), each cut into its firms; then the page of
 * the two. The view itself would unnest every batch before ordering.
 */
export async function creditAccessPage(ctx: RequestContext, filter: CreditAccessFilter | null | undefined, page: PageArgs): Promise<Page<CreditAccessEntity>> {
  const { limit, after } = pageWindow(page, ctx.config.limits);
  let own: string | null = null;
  if (ctx.viewer!.role === 'ENTERPRISE') {
    const claim = await viewerClaim(ctx);
    // Before registering, an enterprise has no data to have been read; before its claim is verified, it sees none of it.
    if (claim?.status !== 'VERIFIED') return toPage<CreditAccessEntity>([], 1, keyOf, async () => 0);
    own = claim.enterpriseId;
  }
  const c = auditConditions(filter, own);
  const bound = afterBound(after);
  const entryWhere = [...c.where, ...c.firms.map((f) => `a.enterprise_id = ${f}`)];
  const batchWhere = [...c.where, ...c.firms.map((f) => `a.enterprise_ids @> ARRAY[${f}]`)];
  const firmWhere = c.firms.map((f) => `u.enterprise_id = ${f}`);
  const countWhere = { entry: and(entryWhere), batch: and(batchWhere), firm: and(firmWhere) };
  if (bound) {
    Object.assign(c.params, { afterAt: bound.at, afterId: bound.id });
    entryWhere.push('(a.created_at, a.id) < (:afterAt::timestamptz, :afterId::uuid)');
    batchWhere.push(`(a.created_at, a.id) <= (:afterAt::timestamptz, ${batchOf(':afterId::uuid')})`);
    firmWhere.push('(a.created_at, credit_access_batch_entry_id(a.id, u.n)) < (:afterAt::timestamptz, :afterId::uuid)');
  }
  const query = (sql: string) => ctx.db.query(...ctx.db.driver.escapeQueryWithParameters(sql, c.params));
  const rows: AccessRow[] = await query(
    `SELECT x.* FROM (
       (SELECT ${ENTRY_COLUMNS} FROM credit_access_entry a WHERE ${and(entryWhere)} ORDER BY a.created_at DESC, a.id DESC LIMIT ${limit + 1})
       UNION ALL
       (SELECT ${batchRows(`(SELECT a.* FROM credit_access_batch a WHERE ${and(batchWhere)} ORDER BY a.created_at DESC, a.id DESC LIMIT ${limit + 2})`)}
         WHERE ${and(firmWhere)})
     ) x ORDER BY x.created_at DESC, x.id DESC LIMIT ${limit + 1}`,
  );
  let counted: Promise<number> | undefined;
  const count = async () => {
    const [{ n }]: { n: number }[] = await query(
      `SELECT (SELECT count(*) FROM credit_access_entry a WHERE ${countWhere.entry})::int
            + (SELECT coalesce(sum((SELECT count(*) FROM unnest(a.enterprise_ids) AS u(enterprise_id) WHERE ${countWhere.firm})), 0)
                 FROM credit_access_batch a WHERE ${countWhere.batch})::int AS n`,
    );
    return n;
  };
  return toPage(rows.map(accessOf), limit, keyOf, () => (counted ??= count()));
}

/** Reads of the audit log by id (`node`): per-firm rows by key, batch entries by their batch's key. */
export const creditAccessById = defineLoader((ctx) => new DataLoader<string, CreditAccessEntity | null>(async (ids) => {
  const rows = await ctx.db.query<AccessRow[]>(
    `SELECT ${ENTRY_COLUMNS} FROM credit_access_entry a WHERE a.id = ANY($1::uuid[])
     UNION ALL
     SELECT ${batchRows(`(SELECT a.* FROM credit_access_batch a WHERE a.id IN (SELECT ${batchOf('k')} FROM unnest($1::uuid[]) AS k))`)}
      WHERE credit_access_batch_entry_id(a.id, u.n) = ANY($1::uuid[])`,
    [[...ids]],
  );
  const byId = new Map(rows.map((r) => [r.id, accessOf(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}));

/** `creditFilterLog` (authorities and admins): filtered reads, newest first; by credit code, those that returned the firm. */
export async function creditFilterPage(ctx: RequestContext, filter: CreditAccessFilter | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(CreditFilterReadEntity).createQueryBuilder('a');
  const c = auditConditions(filter, null);
  qb.setParameters(c.params);
  for (const condition of c.where) qb.andWhere(condition);
  for (const firm of c.firms) {
    qb.andWhere(`a.id IN (SELECT l.filter_read_id FROM credit_access_entry l WHERE l.enterprise_id = ${firm}
                          UNION ALL SELECT b.filter_read_id FROM credit_access_batch b WHERE b.enterprise_ids @> ARRAY[${firm}])`);
  }
  return keysetPage(ctx, qb, 'a', page);
}

export const filterReadById = defineLoader((ctx) => byKey(ctx, CreditFilterReadEntity, 'id'));
