/**
 * R4 — whitelists: publishing a batch (all or nothing), revoking an entry, a bank's 资质查询, and the
 * whitelist page. Publishing is one bulk path shared by the mutation, `npm run import:whitelist` and the
 * demo loader: enterprises are ensured and entries inserted with one statement per chunk, whatever the
 * batch size; triggers keep whitelist_search in step (see the migration).
 */
import DataLoader from 'dataloader';
import { authorityRegion } from '../auth/authority-region';
import { EntityManager, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { distinct } from '../common/collections';
import { Page, PageArgs, pageWindow, toPage } from '../common/connection';
import { plainTextFailure } from '../common/plain-text';
import { requestToday } from '../database/clock';
import { badArgument } from '../common/errors';
import { uuidOf } from '../common/ids';
import { isRegionPrefix } from '../common/region';
import { queryDate } from '../common/scalars';
import { CODE_PATTERN } from '../common/types';
import { Failure, failure, ok, refused, Result } from '../common/user-error';
import { creditConditions, CreditCriteria } from '../credit/credit.conditions';
import { afterBound, keyOf, keysetPage } from '../database/pages';
import { raiseWarnings } from '../loans/warning.service';
import { inTransaction } from '../database/transaction';
import { checkCreditCode } from '../enterprises/credit-code';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { activeNeedSql } from '../needs/need.lifecycle';
import { creditCodeFailure, ensureEnterprises, repeatedCodes } from '../enterprises/enterprise.service';
import { BATCH_MAX, PUBLISHER_MAX, WHITELIST_NAME_MAX } from './limits';
import { memberOnSql, membershipOn } from './membership';
import { QualificationTier, tierRank } from './tier';
import { WhitelistBatchEntity, WhitelistEntity, WhitelistEntryEntity, WhitelistSearchEntity } from './whitelist.entity';
import { RevokeWhitelistEntryInput } from './whitelist.inputs';
import { WhitelistFilter } from './whitelist.type';
import { codesOutsideRegion, enterpriseOutsideRegion } from '../enterprises/firm-region';

/** One entry to publish, as the mutation and the file import both deliver it. */
export interface EntryDraft {
  creditCode: string;
  name: string;
  tier: QualificationTier;
  validFrom: string;
  validTo: string;
}

export interface BatchRequest {
  whitelistName: string;
  batch: string;
  publisher?: string | null;
  entries: EntryDraft[];
  /** API, or FILE:<name>. */
  source: string;
  publishedBy: string;
  /** The publishing authority's region prefix (RV1) when a regional authority publishes; null otherwise. */
  regionPrefix?: string | null;
}

/** Rows per INSERT: large enough to amortise round trips, small enough to report progress. */
const CHUNK = 10_000;

export const whitelistById = defineLoader((ctx) => byKey(ctx, WhitelistEntity, 'id'));
export const batchById = defineLoader((ctx) => byKey(ctx, WhitelistBatchEntity, 'id'));
export const entryById = defineLoader((ctx) => byKey(ctx, WhitelistEntryEntity, 'id'));

/** Every entry of each enterprise, newest first (Enterprise.whitelistEntries, qualificationStatus). */
export const entriesByEnterpriseId = defineLoader((ctx) =>
  groupedBy<WhitelistEntryEntity>(
    (e) => e.enterpriseId,
    (ids) => ctx.db.getRepository(WhitelistEntryEntity).find({ where: { enterpriseId: In(ids) }, order: { createdAt: 'DESC', id: 'DESC' } }),
  ),
);

/**
 * The per-entry rules of R4: R1 on every code, a name that is plain text (no leading = + - @, no control
 * characters: plain-text.ts), validTo not before validFrom. Failures point at
 * ['entries', index, field]. Format rules (name length, dates) are on the input classes and in the file
 * reader; "one entry per enterprise in a batch" is `repeatedCodes`, which the file import runs over
 * every row, parsed or not.
 */
export function entryFailures(entries: readonly EntryDraft[]): Failure[] {
  const failures: Failure[] = [];
  entries.forEach((entry, i) => {
    const at = (field: string) => ['entries', String(i), field];
    const codeProblem = creditCodeFailure(at('creditCode'), entry.creditCode);
    if (codeProblem) failures.push(codeProblem);
    if (!entry.name.trim()) failures.push(failure(at('name'), 'REQUIRED'));
    const nameProblem = plainTextFailure(at('name'), entry.name);
    if (nameProblem) failures.push(nameProblem);
    if (entry.validTo < entry.validFrom) failures.push(failure(at('validTo'), 'VALID_TO_BEFORE_VALID_FROM', { validFrom: entry.validFrom, validTo: entry.validTo }));
  });
  return failures;
}

/**
 * Writes a validated batch inside the caller's transaction: the whitelist (created on first use), the
 * batch row (BATCH_EXISTS when the number is taken: a published batch is never changed), unclaimed
 * enterprises for unknown codes (counted), and the entries. `onProgress` hears how many entries are written.
 */
export async function writeBatch(
  em: EntityManager, req: BatchRequest, onProgress?: (written: number) => void,
): Promise<Result<{ batch: WhitelistBatchEntity; newEnterprises: number }>> {
  const whitelistName = req.whitelistName.trim();
  await em.query(
    `INSERT INTO whitelist (name, publisher, created_by) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
    [whitelistName, req.publisher?.trim() || null, req.publishedBy],
  );
  const whitelist = await em.getRepository(WhitelistEntity).findOneByOrFail({ name: whitelistName });
  // The unique (whitelist, batch) decides between two publishers of the same number: the second waits, then finds it taken.
  const inserted: { id: string }[] = await em.query(
    `INSERT INTO whitelist_batch (whitelist_id, batch, entry_count, source, published_by, region_prefix) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (whitelist_id, batch) DO NOTHING RETURNING id`,
    [whitelist.id, req.batch.trim(), req.entries.length, req.source, req.publishedBy, req.regionPrefix ?? null],
  );
  if (!inserted.length) return refused(failure('batch', 'BATCH_EXISTS', { batch: req.batch.trim(), whitelist: whitelistName }));
  const batchId = inserted[0].id;

  // In credit-code order, so two imports touching the same firms lock them in the same order (no deadlock).
  const entries = req.entries
    .map((e) => ({ ...e, creditCode: checkCreditCode(e.creditCode).code, name: e.name.trim() }))
    .sort((a, b) => (a.creditCode < b.creditCode ? -1 : a.creditCode > b.creditCode ? 1 : 0));
  let written = 0;
  let newEnterprises = 0;
  for (let start = 0; start < entries.length; start += CHUNK) {
    const chunk = entries.slice(start, start + CHUNK);
    newEnterprises += await ensureEnterprises(em, chunk);
    await em.query(
      `INSERT INTO whitelist_entry (whitelist_id, batch_id, enterprise_id, listed_name, tier, valid_from, valid_to)
       SELECT $1, $2, e.id, u.name, u.tier, u.valid_from, u.valid_to
         FROM unnest($3::text[], $4::text[], $5::text[], $6::date[], $7::date[]) AS u(code, name, tier, valid_from, valid_to)
         JOIN enterprise e ON e.credit_code = u.code`,
      [whitelist.id, batchId, chunk.map((e) => e.creditCode), chunk.map((e) => e.name), chunk.map((e) => e.tier), chunk.map((e) => e.validFrom), chunk.map((e) => e.validTo)],
    );
    written += chunk.length;
    onProgress?.(written);
  }
  return ok({ batch: await em.getRepository(WhitelistBatchEntity).findOneByOrFail({ id: batchId }), newEnterprises });
}

/** The batch's own fields (the list's name, the batch number, the publisher): present and within their lengths. */
export function batchFieldFailures(req: Pick<BatchRequest, 'whitelistName' | 'batch' | 'publisher'>): Failure[] {
  const failures: Failure[] = [];
  const check = (field: string, value: string | null | undefined, max: number, required: boolean) => {
    const text = value?.trim() ?? '';
    if (!text) {
      if (required) failures.push(failure(field, 'REQUIRED'));
    } else if ([...text].length > max) failures.push(failure(field, 'INVALID_LENGTH', { min: 1, max }));
    else {
      const problem = plainTextFailure([field], text);
      if (problem) failures.push(problem);
    }
  };
  check('whitelistName', req.whitelistName, WHITELIST_NAME_MAX, true);
  check('batch', req.batch, BATCH_MAX, true);
  check('publisher', req.publisher, PUBLISHER_MAX, false);
  return failures;
}

/**
 * publishWhitelistBatch: validate the batch and every entry, then write the batch in one transaction, or
 * nothing. A regional authority lists firms of its region only (RV1: OUTSIDE_AUTHORITY_REGION on each
 * entry outside it, reported with the other bad entries) and the batch records its region.
 */
export async function publishBatch(ctx: RequestContext, req: BatchRequest): Promise<Result<WhitelistBatchEntity>> {
  const failures = [...batchFieldFailures(req), ...entryFailures(req.entries), ...repeatedCodes('entries', req.entries.map((e) => e.creditCode))];
  const regionPrefix = authorityRegion(ctx.viewer);
  if (failures.length && regionPrefix === null) return refused(...failures);
  return inTransaction(ctx, async (em) => {
    const outside = await codesOutsideRegion(em, ctx.viewer, 'entries', req.entries.map((e) => e.creditCode));
    if (failures.length || outside.length) return refused(...failures, ...outside);
    const written = await writeBatch(em, { ...req, regionPrefix });
    if (!written.ok) return written;
    await ctx.refresh.enqueue(em, { kind: 'whitelistBatch', id: written.value.batch.id });
    return ok(written.value.batch);
  });
}

/** revokeWhitelistEntry: from `revokedOn` (within the entry's validity) the firm is off that list. */
export async function revokeEntry(ctx: RequestContext, input: RevokeWhitelistEntryInput): Promise<Result<WhitelistEntryEntity>> {
  const id = uuidOf(input.entryId, 'WhitelistEntry');
  if (!id) return refused(failure('entryId', 'INVALID_ID'));
  const reason = input.reason.trim();
  if (!reason) return refused(failure('reason', 'REQUIRED'));
  return inTransaction(ctx, async (em) => {
    const repo = em.getRepository(WhitelistEntryEntity);
    const entry = await repo.createQueryBuilder('we').setLock('pessimistic_write').where('we.id = :id', { id }).getOne();
    if (!entry) return refused(failure('entryId', 'NOT_FOUND'));
    const outside = await enterpriseOutsideRegion(em, ctx.viewer, 'entryId', entry.enterpriseId);
    if (outside) return refused(outside);
    if (entry.revokedOn) return refused(failure('entryId', 'ALREADY_REVOKED', { revokedOn: entry.revokedOn }));
    if (input.revokedOn < entry.validFrom || input.revokedOn > entry.validTo) {
      return refused(failure('revokedOn', 'REVOCATION_OUTSIDE_VALIDITY', { validFrom: entry.validFrom, validTo: entry.validTo }));
    }
    entry.revokedOn = input.revokedOn;
    entry.revocationReason = reason;
    entry.revokedBy = ctx.viewer!.sub;
    entry.revokedAt = new Date();
    await repo.save(entry);
    // Issue 17 §2: a revocation warns the lenders and guarantors of the firm's live loans.
    const [list] = await em.query(`SELECT name FROM whitelist WHERE id = $1`, [entry.whitelistId]);
    await raiseWarnings(em, [{ enterpriseId: entry.enterpriseId, kind: 'WHITELIST_REVOKED', detail: { whitelist: list?.name ?? null, tier: entry.tier, revokedOn: entry.revokedOn, reason } }]);
    await ctx.refresh.enqueue(em, { kind: 'enterprises', ids: [entry.enterpriseId] });
    return ok(entry);
  });
}

export interface QualificationAnswer {
  creditCode: string;
  enterpriseName: string | null;
  onWhitelist: boolean;
  highestTier: QualificationTier | null;
  validTo: string | null;
  asOf: string;
  entries: WhitelistEntryEntity[];
}

/** qualificationStatus: the firm's entries and what they make it at `asOf` (R4); `enterprise` null when the code is unknown. */
export async function qualificationStatus(ctx: RequestContext, creditCode: string, enterprise: EnterpriseEntity | null, asOf: string): Promise<QualificationAnswer> {
  const entries = enterprise ? await entriesByEnterpriseId(ctx).load(enterprise.id) : [];
  return { creditCode: checkCreditCode(creditCode).code, enterpriseName: enterprise?.name ?? null, asOf, entries, ...membershipOn(entries, asOf) };
}

/**
 * The credit criteria a whitelist filter carries (R5 conditions, shared with the matching engine): the
 * summary a bank may see anyway, never the consent-only overdue count (R10).
 */
export function creditCriteriaOf(filter: WhitelistFilter | null | undefined): CreditCriteria {
  return {
    minRating: filter?.minRating,
    minTaxGrade: filter?.minTaxGrade,
    noActiveDishonesty: filter?.noActiveDishonesty,
    maxCreditDataAgeDays: filter?.maxCreditDataAgeDays,
    firstLoanOnly: filter?.firstLoanOnly,
  };
}

/** The filters that choose firms by the list and their profile (everything but the credit criteria). */
export function applyListFilters(qb: SelectQueryBuilder<ObjectLiteral>, filter: WhitelistFilter | null | undefined, today: string): void {
  const asOf = filter?.asOf ? queryDate(filter.asOf, 'filter.asOf') : today;
  if (!filter?.includeInactive) qb.andWhere(memberOnSql('s', ':asOf'), { asOf });
  if (!filter) return;
  if (filter.whitelistId) {
    const id = uuidOf(filter.whitelistId, 'Whitelist');
    if (!id) throw badArgument('"filter.whitelistId" is not a whitelist id', 'filter.whitelistId');
    qb.andWhere('s.whitelist_id = :whitelistId', { whitelistId: id });
  }
  if (filter.maxCreditDataAgeDays != null && filter.maxCreditDataAgeDays < 0) throw badArgument('"filter.maxCreditDataAgeDays" cannot be negative', 'filter.maxCreditDataAgeDays');
  if (filter.tierAtLeast) qb.andWhere('s.tier_rank >= :tierRank', { tierRank: tierRank(filter.tierAtLeast) });
  if (filter.industryChain) {
    if (!CODE_PATTERN.test(filter.industryChain)) throw badArgument('"filter.industryChain" is a chain code such as HYDROGEN', 'filter.industryChain');
    qb.andWhere('s.industry_chains @> ARRAY[:industryChain]::text[]', { industryChain: filter.industryChain });
  }
  if (filter.regionPrefix) {
    if (!isRegionPrefix(filter.regionPrefix)) throw badArgument('"filter.regionPrefix" is 2, 4 or 6 digits', 'filter.regionPrefix');
    // A range on the code (not LIKE or left()) so the region index serves it.
    qb.andWhere('s.region_code BETWEEN :regionLow::bpchar AND :regionHigh::bpchar', {
      regionLow: filter.regionPrefix.padEnd(6, '0'),
      regionHigh: filter.regionPrefix.padEnd(6, '9'),
    });
  }
  if (filter.sizeClass?.length) qb.andWhere('s.size_class IN (:...sizeClasses)', { sizeClasses: distinct(filter.sizeClass) });
  if (filter.hasOpenNeed != null) {
    qb.andWhere(
      `${filter.hasOpenNeed ? '' : 'NOT '}EXISTS (SELECT 1 FROM financing_need n WHERE n.enterprise_id = s.enterprise_id
         AND ${activeNeedSql('n', ':today')})`,
      { today },
    );
  }
}

/** The credit criteria as SQL over whitelist_search `s` (R5 conditions shared with the matching engine). */
export const creditSql = (filter: WhitelistFilter | null | undefined, today: string) =>
  creditConditions(creditCriteriaOf(filter), { alias: 's', asOfColumn: 'credit_as_of', paramPrefix: 'wl_' }, today);

/**
 * `whitelist`: a keyset page of entries, newest first, read from whitelist_search (every filter is a
 * column there) joined to the entries on the same key, with the cursor bound stated on both. With credit
 * criteria, see `creditFilteredPage`.
 */
export async function whitelistPage(ctx: RequestContext, filter: WhitelistFilter | null | undefined, page: PageArgs): Promise<WhitelistPage> {
  const today = await requestToday(ctx);
  const credit = creditSql(filter, today);
  if (credit.conditions.length) return creditFilteredPage(ctx, filter, page, today);
  const qb = ctx.db.getRepository(WhitelistEntryEntity).createQueryBuilder('we').innerJoin(WhitelistSearchEntity, 's', 's.id = we.id');
  applyListFilters(qb, filter, today);
  return { ...(await keysetPage(ctx, qb, 's', page, { repeatOn: ['we'] })), listRowsRead: null, listCounts: null };
}

export interface WhitelistPage extends Page<WhitelistEntryEntity> {
  /**
   * With credit criteria, when more rows follow: the rows of the list (those the list filters let
   * through, kept or not) from the cursor through the page's last row — what the audit's count reads.
   */
  listRowsRead: number | null;
  /** With credit criteria: the whole list's counts, one statement shared by totalCount and the audit. */
  listCounts: (() => Promise<ListCounts>) | null;
}

export interface ListCounts {
  /** Entries the criteria keep (totalCount). */
  total: number;
  /** Firms the list filters let through, and those of them the criteria keep. */
  read: number;
  kept: number;
}

/**
 * A page with credit criteria, in one ordered scan of the list's keyset index: the rows the list
 * filters let through, from the cursor on, each numbered (a running count) before the credit criteria
 * choose the kept ones; the first `first + 1` kept rows are the page. The number at the page's last row
 * is how many rows of the list its answer read, which bounds the audit's count of the firms read
 * (`creditFilterCountsSql`) to the same range of the same index.
 */
async function creditFilteredPage(ctx: RequestContext, filter: WhitelistFilter | null | undefined, args: PageArgs, today: string): Promise<WhitelistPage> {
  const { limit, after } = pageWindow(args, ctx.config.limits);
  const qb = creditFilteredPageQuery(ctx, filter, limit, afterBound(after), today);
  const { entities, raw } = await qb.getRawAndEntities<{ we_id: string; p_scanned: string }>();
  const scanned = new Map(raw.map((r) => [r.we_id, Number(r.p_scanned)]));
  let counted: Promise<ListCounts> | undefined;
  const listCounts = () => (counted ??= filteredListCounts(ctx, filter, today));
  const page = toPage(entities, limit, keyOf, async () => (await listCounts()).total);
  const last = page.edges.at(-1)?.node;
  return { ...page, listRowsRead: page.pageInfo.hasNextPage && last ? scanned.get(last.id)! : null, listCounts };
}

/**
 * The statement of `creditFilteredPage` (exported for bench:privacy --explain): the kept rows, each
 * with `p_scanned`. The LIMIT sits on a query with neither sort nor join over the numbered scan, so
 * PostgreSQL plans that scan for its first rows (the keyset index, read from the cursor) rather than
 * for the whole list; the kept rows come out of it in the index's order, and the final sort orders 21.
 */
export function creditFilteredPageQuery(
  ctx: RequestContext, filter: WhitelistFilter | null | undefined, limit: number, bound: { at: string; id: string } | null, today: string,
): SelectQueryBuilder<WhitelistEntryEntity> {
  const credit = creditSql(filter, today);
  return ctx.db.getRepository(WhitelistEntryEntity).createQueryBuilder('we')
    .innerJoin((kept) => kept
      .select('w.id', 'id').addSelect('w.created_at', 'created_at').addSelect('w.scanned', 'scanned')
      .from((scan) => {
        scan.from(WhitelistSearchEntity, 's')
          .select('s.id', 'id').addSelect('s.created_at', 'created_at')
          .addSelect(`(${credit.conditions.join(' AND ')})`, 'kept')
          .addSelect('count(*) OVER (ORDER BY s.created_at DESC, s.id DESC ROWS UNBOUNDED PRECEDING)', 'scanned');
        applyListFilters(scan, filter, today);
        if (bound) scan.andWhere('(s.created_at, s.id) < (:afterAt::timestamptz, :afterId::uuid)', { afterAt: bound.at, afterId: bound.id });
        return scan.setParameters(credit.params);
      }, 'w')
      .where('w.kept')
      .limit(limit + 1), 'p', 'p.id = we.id')
    .addSelect('p.scanned', 'p_scanned')
    .orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC');
}

/** Where a filtered page's answer ends in the list's order (newest first): keys (created_at ISO, id). */
export interface ReadWindow {
  /** The cursor the page continued after (null: from the top). */
  after: [string, string] | null;
  /** The page's last row, when the page is not the list's last one (null: to the end of the list). */
  through: [string, string] | null;
  /** The rows of the list from `after` through `through` (WhitelistPage.listRowsRead), when known. */
  rows?: number | null;
}

/**
 * What a filtered page read (R10): one statement (with its parameters) yielding `read`, the firms the
 * list filters let through inside `window` — the firms whose credit data decided the page's answer — and
 * `kept`, those the criteria kept. For the audit of the page, which embeds it in its INSERT. Given the
 * window's row count, the rows are read in the page's order with that LIMIT, so PostgreSQL reads the same
 * range of the keyset index the page did (a batch's entries share one created_at, which leaves the
 * bounds alone without an estimate and the planner with a scan of the list).
 */
export function creditFilterCountsSql(ctx: RequestContext, filter: WhitelistFilter | null | undefined, window: ReadWindow, today: string): [string, unknown[]] {
  const credit = creditSql(filter, today);
  const rows = ctx.db.createQueryBuilder().from(WhitelistSearchEntity, 's')
    .select('s.enterprise_id', 'enterprise_id')
    .addSelect(`(${credit.conditions.join(' AND ') || 'true'})`, 'kept');
  applyListFilters(rows, filter, today);
  if (window.after) rows.andWhere('(s.created_at, s.id) < (:windowAfterAt::timestamptz, :windowAfterId::uuid)', { windowAfterAt: window.after[0], windowAfterId: window.after[1] });
  if (window.through) rows.andWhere('(s.created_at, s.id) >= (:windowThroughAt::timestamptz, :windowThroughId::uuid)', { windowThroughAt: window.through[0], windowThroughId: window.through[1] });
  if (window.through && window.rows != null) rows.orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'DESC').limit(window.rows);
  rows.setParameters(credit.params);
  const [sql, params] = rows.getQueryAndParameters();
  // One group per firm (a firm on several lists, or with several entries, is one firm read); its credit
  // columns are the same on each of its rows.
  return [
    `SELECT count(*)::int AS read, count(*) FILTER (WHERE f.kept)::int AS kept
       FROM (SELECT r.enterprise_id, bool_or(r.kept) AS kept FROM (${sql}) r GROUP BY r.enterprise_id) f`,
    params,
  ];
}

/**
 * The whole filtered list in one statement: `total`, the entries the criteria keep (the page's
 * totalCount), and for the audit the firms read (every firm the list filters let through) and kept.
 */
export async function filteredListCounts(ctx: RequestContext, filter: WhitelistFilter | null | undefined, today: string): Promise<ListCounts> {
  const credit = creditSql(filter, today);
  const firms = ctx.db.createQueryBuilder().from(WhitelistSearchEntity, 's')
    .select('s.enterprise_id', 'enterprise_id')
    .addSelect(`count(*) FILTER (WHERE ${credit.conditions.join(' AND ') || 'true'})`, 'kept_rows')
    .groupBy('s.enterprise_id');
  applyListFilters(firms, filter, today);
  firms.setParameters(credit.params);
  const [sql, params] = firms.getQueryAndParameters();
  const [row]: ListCounts[] = await ctx.db.query(
    `SELECT coalesce(sum(f.kept_rows), 0)::int AS total, count(*)::int AS read, count(*) FILTER (WHERE f.kept_rows > 0)::int AS kept FROM (${sql}) f`,
    params,
  );
  return row;
}

/** The list filters of a page as the audit states them: those given, with the date membership was judged at. */
export function listScopeOf(filter: WhitelistFilter | null | undefined, today: string): Record<string, unknown> {
  const credit = new Set<string>(Object.keys(creditCriteriaOf(filter)));
  const scope: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filter ?? {})) if (!credit.has(name) && value != null) scope[name] = value;
  scope.asOf ??= today;
  return scope;
}

/** Batches of each whitelist, newest first (Whitelist.batches). */
export const batchesByWhitelistId = defineLoader((ctx) =>
  groupedBy<WhitelistBatchEntity>(
    (b) => b.whitelistId,
    (ids) => ctx.db.getRepository(WhitelistBatchEntity).find({ where: { whitelistId: In(ids) }, order: { createdAt: 'DESC', id: 'DESC' } }),
  ),
);

/** Entries on each whitelist at today's date (Whitelist.memberCount), one statement per page. */
export const memberCountByWhitelistId = defineLoader(
  (ctx) =>
    new DataLoader<string, number>(async (ids) => {
      const rows: { whitelist_id: string; n: number }[] = await ctx.db.query(
        `SELECT whitelist_id, count(DISTINCT enterprise_id)::int AS n FROM whitelist_search s
          WHERE whitelist_id = ANY($1::uuid[]) AND ${memberOnSql('s', '$2')}
          GROUP BY whitelist_id`,
        [[...ids], await requestToday(ctx)],
      );
      const map = new Map(rows.map((r) => [r.whitelist_id, r.n]));
      return ids.map((id) => map.get(id) ?? 0);
    }),
);

export async function listWhitelists(ctx: RequestContext): Promise<WhitelistEntity[]> {
  return ctx.db.getRepository(WhitelistEntity).find({ order: { name: 'ASC' } });
}
