/**
 * The listing reserve pool (seed 003: 专精特新入板和上市企业储备库; issue 17 §3; docs/AUTHORITIES.md): kept by
 * authorities, never declared by firms. An authority adds a firm of its region (a national one, any
 * firm) with a reason, and removes it with a reason; each membership is an entry, and a removal closes it
 * (from the day of the removal), so the history stays. The matcher reads the list through the view
 * `authority_qualification` as the firm's LISTING_RESERVE qualification (R12's QUALIFICATION check), and
 * the firm's matches are refreshed when it joins or leaves.
 */
import { EntityManager } from 'typeorm';
import { authorityRegion, coveredSql, outsideRegion } from '../auth/authority-region';
import { RequestContext } from '../common/context';
import { failure, ok, refused, Result } from '../common/user-error';
import { requestToday } from '../database/clock';
import { constraintOf, inTransaction, sqlState, UNIQUE_VIOLATION } from '../database/transaction';
import { checkCreditCode, creditCodeFailure } from '../enterprises/credit-code';
import { ListingReserveEntryEntity } from './review.entity';

export interface AddToReserveInput {
  creditCode: string;
  reason: string;
  validFrom?: string | null;
  validTo?: string | null;
}

export interface RemoveFromReserveInput {
  creditCode: string;
  reason: string;
}

/** The firm with this credit code, locked, if the viewer's region covers it. */
async function lockFirm(ctx: RequestContext, em: EntityManager, creditCode: string): Promise<Result<{ id: string; regionCode: string }>> {
  const problem = creditCodeFailure(['creditCode'], creditCode);
  if (problem) return refused(problem);
  const [firm]: { id: string; region_code: string }[] = await em.query(
    `SELECT id, region_code FROM enterprise WHERE credit_code = $1 FOR UPDATE`, [checkCreditCode(creditCode).code]);
  if (!firm) return refused(failure('creditCode', 'NOT_FOUND'));
  const outside = outsideRegion(ctx.viewer, 'creditCode', firm.region_code);
  return outside ? refused(outside) : ok({ id: firm.id, regionCode: firm.region_code });
}

/** addToListingReserve: opens an entry (from validFrom, default today, to validTo if given). */
export async function addToListingReserve(ctx: RequestContext, input: AddToReserveInput): Promise<Result<ListingReserveEntryEntity>> {
  const reason = input.reason?.trim();
  if (!reason) return refused(failure('reason', 'REQUIRED'));
  try {
    return await inTransaction(ctx, async (em) => {
      const firm = await lockFirm(ctx, em, input.creditCode);
      if (!firm.ok) return firm;
      const validFrom = input.validFrom ?? (await requestToday(ctx));
      if (input.validTo && input.validTo < validFrom) return refused(failure('validTo', 'MIN_GREATER_THAN_MAX', { min: validFrom, max: input.validTo }));
      const [live]: { since: string }[] = await em.query(
        `SELECT coalesce(to_char(valid_from, 'YYYY-MM-DD'), to_char(added_at, 'YYYY-MM-DD')) AS since FROM listing_reserve_entry WHERE enterprise_id = $1 AND removed_at IS NULL`, [firm.value.id]);
      if (live) return refused(failure('creditCode', 'ALREADY_IN_RESERVE', { since: live.since }));
      const [{ id }] = await em.query(
        `INSERT INTO listing_reserve_entry (enterprise_id, valid_from, valid_to, region_code, added_by, add_reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [firm.value.id, validFrom, input.validTo ?? null, authorityRegion(ctx.viewer), ctx.viewer!.sub, reason]);
      await ctx.refresh.enqueue(em, { kind: 'enterprises', ids: [firm.value.id] });
      return ok(await em.getRepository(ListingReserveEntryEntity).findOneByOrFail({ id }));
    });
  } catch (error) {
    // Two additions at once: the unique index keeps one live entry.
    if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === 'uq_listing_reserve_live') return refused(failure('creditCode', 'ALREADY_IN_RESERVE', { since: 'now' }));
    throw error;
  }
}

/** removeFromListingReserve: closes the firm's live entry from today, with the reason. */
export async function removeFromListingReserve(ctx: RequestContext, input: RemoveFromReserveInput): Promise<Result<ListingReserveEntryEntity>> {
  const reason = input.reason?.trim();
  if (!reason) return refused(failure('reason', 'REQUIRED'));
  return inTransaction(ctx, async (em) => {
    const firm = await lockFirm(ctx, em, input.creditCode);
    if (!firm.ok) return firm;
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's PostgreSQL driver.
    const [[row]]: [{ id: string }[], number] = await em.query(
      `UPDATE listing_reserve_entry SET removed_on = shanghai_today(), removed_at = now(), removed_by = $2, remove_reason = $3
        WHERE enterprise_id = $1 AND removed_at IS NULL RETURNING id`, [firm.value.id, ctx.viewer!.sub, reason]);
    if (!row) return refused(failure('creditCode', 'NOT_IN_RESERVE'));
    await ctx.refresh.enqueue(em, { kind: 'enterprises', ids: [firm.value.id] });
    return ok(await em.getRepository(ListingReserveEntryEntity).findOneByOrFail({ id: row.id }));
  });
}

export interface ReserveFilter {
  creditCode?: string | null;
  includeRemoved: boolean;
  first: number;
}

/** listingReserve: the entries, newest first; a regional authority sees its region's firms. */
export async function listReserve(ctx: RequestContext, filter: ReserveFilter): Promise<ListingReserveEntryEntity[]> {
  const code = filter.creditCode ? checkCreditCode(filter.creditCode) : null;
  if (code && !code.valid) return [];
  const qb = ctx.db.getRepository(ListingReserveEntryEntity).createQueryBuilder('r').innerJoin('enterprise', 'e', 'e.id = r.enterprise_id')
    .where(coveredSql('e.region_code', ':region'), { region: authorityRegion(ctx.viewer) });
  if (code) qb.andWhere('e.credit_code = :code', { code: code.code });
  if (!filter.includeRemoved) qb.andWhere('r.removed_at IS NULL');
  return qb.orderBy('r.added_at', 'DESC').addOrderBy('r.id', 'DESC').limit(filter.first).getMany();
}

