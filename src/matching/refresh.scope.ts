/**
 * R13 freshness: which needs a change's scope covers (docs/MATCHING.md "Staying current"). A scope is
 * re-decided in full (firms, a pool, a policy reach, everything) or against one product at a time (a
 * product, a bank's or a guarantor's products). Either way it is a list of need ids in id order, walked in
 * chunks, and any part of it can be cut into need-id ranges (after, upTo] — the range jobs every worker
 * shares — without listing it twice: a range re-lists only its own ids, so a need posted or changed after
 * the cut still falls in exactly one range.
 */
import type { DataSource } from 'typeorm';
import type { PolicyReach, RefreshScope } from '../common/refresh';
import { candidatesOfProductSql, MATCHABLE_NEED_SQL } from './candidates';

/** Needs per transaction when a scope re-decides needs in full, and per transaction for one product. */
export const CHUNK_SIZE = 250;
export const PRODUCT_CHUNK_SIZE = 2000;

/**
 * Needs per job: a scope with more is cut into range jobs of this many. A range is a few chunks, so a
 * job runs for seconds, far inside the queue's expiry (refresh.queue.ts), and two workers share a scope.
 */
export const RANGE_NEEDS = 1000;
export const PRODUCT_RANGE_NEEDS = 10_000;

/** A part of a scope: its needs with ids in (after, upTo]; null leaves that end open. */
export interface NeedRange {
  after: string | null;
  upTo: string | null;
}

export const WHOLE: NeedRange = { after: null, upTo: null };

/** One list of needs of a scope: `sql` selects `id` over $1 = today and $2; `productId` when decided against one product. */
interface Listing {
  sql: string;
  param: unknown;
  productId?: string;
  chunk: number;
}

const REACH_SQL = `
  EXISTS (SELECT 1 FROM enterprise e,
                        jsonb_to_recordset($2::jsonb) AS r(need_kinds text[], sector_tags text[], size_classes text[], region_prefixes text[], industry_chains text[])
           WHERE e.id = n.enterprise_id AND n.kind::text = ANY(r.need_kinds)
             AND (cardinality(r.sector_tags) = 0 OR e.sector_tags && r.sector_tags)
             AND (cardinality(r.size_classes) = 0 OR e.size_class::text = ANY(r.size_classes))
             AND (cardinality(r.region_prefixes) = 0 OR EXISTS (SELECT 1 FROM unnest(r.region_prefixes) p WHERE starts_with(e.region_code::text, p)))
             AND (cardinality(r.industry_chains) = 0 OR e.industry_chains && r.industry_chains))`;

/** Needs still looking for money that `where` (over `n`, with $2) selects. */
const inFull = (where: string, param: unknown): Listing => ({
  sql: `SELECT n.id FROM financing_need n WHERE ${MATCHABLE_NEED_SQL} AND (${where})`, param, chunk: CHUNK_SIZE,
});

/** A product's candidates now, and the needs matched to it before (they may have to go). */
const ofProduct = (productId: string): Listing => ({
  sql: `SELECT need_id AS id FROM (${candidatesOfProductSql()}) c UNION SELECT m.need_id FROM match m WHERE m.product_id = $2::uuid AND m.eligible`,
  param: productId, productId, chunk: PRODUCT_CHUNK_SIZE,
});

const reachJson = (reach: readonly PolicyReach[]) => JSON.stringify(reach.map((r) => ({
  need_kinds: r.needKinds, sector_tags: r.sectorTags, size_classes: r.sizeClasses, region_prefixes: r.regionPrefixes, industry_chains: r.industryChains,
})));

async function productIds(db: DataSource, sql: string, id: string): Promise<string[]> {
  return ((await db.query(sql, [id])) as { id: string }[]).map((r) => r.id);
}

/** The lists of needs a scope covers: one, or one per product for a bank's or a guarantor's products. */
export async function listingsOf(db: DataSource, scope: RefreshScope): Promise<Listing[]> {
  switch (scope.kind) {
    case 'enterprises':
      return [inFull('n.enterprise_id = ANY($2::uuid[])', scope.ids)];
    case 'whitelistBatch':
      return [inFull('n.enterprise_id IN (SELECT w.enterprise_id FROM whitelist_entry w WHERE w.batch_id = $2::uuid)', scope.id)];
    case 'creditImport':
      return [inFull('n.enterprise_id IN (SELECT r.enterprise_id FROM credit_record r WHERE r.import_id = $2::uuid)', scope.id)];
    case 'pool':
      return [inFull(`n.id IN (SELECT m.need_id FROM match m WHERE m.pool_id = $2::uuid AND m.eligible AND m.status = 'PROPOSED')`, scope.id)];
    case 'policy':
      return [inFull(REACH_SQL, reachJson(scope.reach))];
    case 'all':
      return [inFull('$2::text IS NULL', null)];
    case 'product':
      return [ofProduct(scope.id)];
    case 'bank':
      return (await productIds(db, `SELECT id FROM product WHERE institution_id = $1::uuid AND requires_guarantee ORDER BY id`, scope.id)).map(ofProduct);
    case 'guarantor':
      return (await productIds(db,
        `SELECT p.id FROM product p JOIN cooperation_agreement a ON a.bank_id = p.institution_id WHERE a.guarantor_id = $1::uuid AND p.requires_guarantee ORDER BY p.id`,
        scope.id,
      )).map(ofProduct);
  }
}

/** The products a scope of several products fans out to (a bank's or a guarantor's), or null for a scope that is one list. */
export async function productsOfScope(db: DataSource, scope: RefreshScope): Promise<string[] | null> {
  if (scope.kind !== 'bank' && scope.kind !== 'guarantor') return null;
  return (await listingsOf(db, scope)).map((l) => l.productId!);
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The needs of a scope within `range`, as chunks of ids in id order, each with the product it is limited
 * to. Each list is read once and cut in memory: its SQL (a product's candidate search) costs as much for
 * one page as for all of it, so paging through it would run the search again per chunk.
 */
export async function* scopeChunks(db: DataSource, scope: RefreshScope, today: string, range: NeedRange = WHOLE): AsyncGenerator<{ needIds: string[]; productId?: string }> {
  for (const listing of await listingsOf(db, scope)) {
    const rows = (await db.query(
      `SELECT x.id FROM (${listing.sql}) x WHERE x.id > $3::uuid AND ($4::uuid IS NULL OR x.id <= $4::uuid) ORDER BY x.id`,
      [today, listing.param, range.after ?? FIRST_ID, range.upTo],
    )) as { id: string }[];
    for (let i = 0; i < rows.length; i += listing.chunk) yield { needIds: rows.slice(i, i + listing.chunk).map((r) => r.id), productId: listing.productId };
  }
}

/**
 * A scope of one list cut into ranges of at most `perRange` (default `RANGE_NEEDS`, or `PRODUCT_RANGE_NEEDS`) of its needs
 * today; one range, open at both ends, when it is no larger. The first range is open below and the last
 * open above, so together they cover every id.
 */
export async function scopeRanges(db: DataSource, scope: RefreshScope, today: string, perRange?: number): Promise<NeedRange[]> {
  const listings = await listingsOf(db, scope);
  if (listings.length !== 1) throw new Error(`scope ${scope.kind} is not one list of needs`);
  const [listing] = listings;
  const size = perRange ?? (listing.productId ? PRODUCT_RANGE_NEEDS : RANGE_NEEDS);
  const rows = (await db.query(
    `SELECT y.id FROM (SELECT x.id, row_number() OVER (ORDER BY x.id) AS k, count(*) OVER () AS total FROM (${listing.sql}) x) y
      WHERE y.k % $3 = 0 AND y.k < y.total ORDER BY y.id`,
    [today, listing.param, size],
  )) as { id: string }[];
  const ranges: NeedRange[] = [];
  let after: string | null = null;
  for (const { id } of rows) {
    ranges.push({ after, upTo: id });
    after = id;
  }
  ranges.push({ after, upTo: null });
  return ranges;
}
