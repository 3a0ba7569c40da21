import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ANY_ROLE, MANAGERS, MANAGERS_AND_INSTITUTIONS } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { forbiddenBecause } from '../auth/errors';
import { requestToday } from '../database/clock';
import { badArgument } from '../common/errors';
import { decodeCursor } from '../common/connection';
import { toGlobalId } from '../common/ids';
import { anyViewer, registerNode } from '../common/node';
import { selectedFieldNames } from '../common/selection';
import { payloadType, toPayload } from '../common/payload';
import { DateScalar, queryDate } from '../common/scalars';
import { localize } from '../common/user-error';
import { PayloadMutation } from '../common/validation';
import { criteriaInUse } from '../credit/credit.conditions';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { assertCanViewEnterprise, canViewEnterprise } from '../enterprises/enterprise.policy';
import { creditCodeFailure, enterpriseById } from '../enterprises/enterprise.service';
import { Enterprise } from '../enterprises/enterprise.type';
import { recordCreditFilterRead } from '../privacy/credit-access.service';
import { mayFilterOnCredit } from '../privacy/privacy.policy';
import { isMemberOn } from './membership';
import { firmAndEntriesByCreditCode, ONE_STATEMENT_ROLES, whitelistPageInOneStatement } from './whitelist.read';
import { WhitelistBatchEntity, WhitelistEntity, WhitelistEntryEntity } from './whitelist.entity';
import { PublishWhitelistBatchInput, RevokeWhitelistEntryInput } from './whitelist.inputs';
import {
  batchById, batchesByWhitelistId, creditCriteriaOf, creditFilterCountsSql, entriesByEnterpriseId, entryById, listScopeOf, listWhitelists, memberCountByWhitelistId,
  publishBatch, qualificationStatus, QualificationAnswer, revokeEntry, whitelistById, whitelistPage, WhitelistPage,
} from './whitelist.service';
import { QualificationStatus, Whitelist, WhitelistBatch, WhitelistEntry, WhitelistEntryConnection, WhitelistFilter } from './whitelist.type';

export const WhitelistBatchPayload = payloadType('WhitelistBatchPayload', 'batch', () => WhitelistBatch, 'Result of publishing a whitelist batch.');
export const WhitelistEntryPayload = payloadType('WhitelistEntryPayload', 'entry', () => WhitelistEntry, 'Result of revoking a whitelist entry.');

/** Who pages through whitelists: institutions, authorities, analysts (without credit filters) and admins. */
const WHITELIST_READERS = [...MANAGERS_AND_INSTITUTIONS, 'ANALYST' as const];

/**
 * What a filtered page's answer depends on (R10), as the audit's count statement: from its cursor to its
 * last row, to the end of the list when it is the last page (its end says no firm further on passed),
 * and the whole list when `totalCount` is asked (the count covers every firm) — then the counts come
 * from the statement that answers totalCount.
 */
async function readCounts(ctx: RequestContext, filter: WhitelistFilter | null, page: WhitelistPage, after: string | null, counted: boolean): Promise<[string, unknown[]]> {
  if (counted && page.listCounts) {
    const { read, kept } = await page.listCounts();
    return ['SELECT $1::int AS read, $2::int AS kept', [read, kept]];
  }
  const bound = after ? (decodeCursor(after) as [string, string]) : null;
  const last = page.edges.at(-1)?.node;
  const through: [string, string] | null = page.pageInfo.hasNextPage && last ? [last.createdAt.toISOString(), last.id] : null;
  return creditFilterCountsSql(ctx, filter, { after: bound, through, rows: page.listRowsRead }, await requestToday(ctx));
}

registerNode<WhitelistEntity>({ typename: 'Whitelist', load: (ctx, id) => whitelistById(ctx).load(id), visible: anyViewer });
/** An entry says a firm is on a list: as private as the firm (R10). */
registerNode<WhitelistEntryEntity>({ typename: 'WhitelistEntry', load: (ctx, id) => entryById(ctx).load(id), visible: (ctx, entry) => canViewEnterprise(ctx, entry.enterpriseId) });

@Resolver(() => WhitelistEntry)
export class WhitelistEntryResolver {
  @Authorized(WHITELIST_READERS)
  @Query(() => WhitelistEntryConnection, {
    name: 'whitelist',
    description:
      'The whitelist page for bank front-ends (R4): entries of every whitelist whose firm is on the list at `filter.asOf` (today unless given), newest first, with tier, chain, region, size and R5 credit filters. Credit filters are an audited read (R10): each returned firm, and the filtered read with how many firms it read, kept and excluded (creditFilterLog); only banks, authorities and admins may use them.',
  })
  async whitelistQuery(
    @Ctx() ctx: AuthedContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => WhitelistFilter, { nullable: true }) filter: WhitelistFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    const used = criteriaInUse(creditCriteriaOf(filter));
    if (used.length && !mayFilterOnCredit(ctx)) {
      throw forbiddenBecause(ctx.lang, 'creditFilters');
    }
    // The one statement writes the page's audit too, so it runs where writes go: not on a read replica (READ_DATABASE_URL).
    if (ONE_STATEMENT_ROLES.includes(ctx.viewer.role) && ctx.db === ctx.primary) return whitelistPageInOneStatement(ctx, info, filter, { first, after });
    const page = await whitelistPage(ctx, filter, { first, after });
    if (used.length) {
      const criteria = creditCriteriaOf(filter);
      await recordCreditFilterRead(ctx, {
        source: 'whitelist',
        criteria: Object.fromEntries(used.map((name) => [name, criteria[name]])),
        scope: listScopeOf(filter, await requestToday(ctx)),
        counts: await readCounts(ctx, filter, page, after, selectedFieldNames(info).includes('totalCount')),
        returned: [...new Set(page.edges.map((edge) => edge.node.enterpriseId))],
        fields: used.map((name) => `whitelist.filter.${name}`),
        operation: info.operation.name?.value ?? null,
      });
    }
    return page;
  }

  @Authorized(ANY_ROLE)
  @Query(() => QualificationStatus, {
    description:
      'A bank\'s 资质查询 in one call (R4): is the firm with this credit code on a whitelist at `asOf` (today unless given), at which highest tier, until when, and all its entries. An ENTERPRISE token may ask only about itself.',
  })
  async qualificationStatus(
    @Ctx() ctx: RequestContext,
    @Arg('creditCode', { description: '统一社会信用代码 (trimmed, upper-cased).' }) creditCode: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Judge membership at this date.' }) asOf: string | null,
  ): Promise<QualificationAnswer> {
    const problem = creditCodeFailure(['creditCode'], creditCode);
    if (problem) throw badArgument(localize(ctx.lang, problem).message, 'creditCode', { reason: problem.code });
    const given = asOf ? queryDate(asOf, 'asOf') : null;
    const { enterprise } = await firmAndEntriesByCreditCode(ctx, creditCode);
    const date = given ?? (await requestToday(ctx));
    await assertCanViewEnterprise(ctx, enterprise);
    return qualificationStatus(ctx, creditCode, enterprise, date);
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => WhitelistBatchPayload, {
    description:
      'Publishes a whitelist batch (R4), all or nothing: one bad entry refuses the batch, with a userError per bad entry naming its index. Unknown credit codes create unclaimed enterprises. A regional authority lists firms of its region only (its registered region, else the division its credit code carries): OUTSIDE_AUTHORITY_REGION on each other entry. Files: npm run import:whitelist.',
  })
  async publishWhitelistBatch(@Ctx() ctx: AuthedContext, @Arg('input', () => PublishWhitelistBatchInput) input: PublishWhitelistBatchInput) {
    return toPayload(ctx, 'batch', await publishBatch(ctx, { ...input, source: 'API', publishedBy: ctx.viewer.sub }));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => WhitelistEntryPayload, { description: 'Revokes a whitelist entry from `revokedOn` on, with a reason banks will see (R4). A regional authority revokes entries of its region\'s firms only (OUTSIDE_AUTHORITY_REGION).' })
  async revokeWhitelistEntry(@Ctx() ctx: AuthedContext, @Arg('input', () => RevokeWhitelistEntryInput) input: RevokeWhitelistEntryInput) {
    return toPayload(ctx, 'entry', await revokeEntry(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() entry: WhitelistEntryEntity): string {
    return toGlobalId('WhitelistEntry', entry.id);
  }

  @FieldResolver(() => Enterprise, { description: 'The listed enterprise.' })
  async enterprise(@Root() entry: WhitelistEntryEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(entry.enterpriseId))!;
  }

  @FieldResolver(() => Whitelist, { name: 'whitelist', description: 'The whitelist it is on.' })
  async whitelistOf(@Root() entry: WhitelistEntryEntity, @Ctx() ctx: RequestContext): Promise<WhitelistEntity> {
    return (await whitelistById(ctx).load(entry.whitelistId))!;
  }

  @FieldResolver(() => String, { description: 'The batch that published it.' })
  async batch(@Root() entry: WhitelistEntryEntity, @Ctx() ctx: RequestContext): Promise<string> {
    return (await batchById(ctx).load(entry.batchId))!.batch;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the firm is on the list through this entry today (Asia/Shanghai).' })
  async activeToday(@Root() entry: WhitelistEntryEntity, @Ctx() ctx: RequestContext): Promise<boolean> {
    return isMemberOn(entry, await requestToday(ctx));
  }
}

@Resolver(() => Whitelist)
export class WhitelistResolver {
  @Authorized(ANY_ROLE)
  @Query(() => [Whitelist], { description: 'The published whitelists, by name.' })
  whitelists(@Ctx() ctx: RequestContext) {
    return listWhitelists(ctx);
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`); pass it as `filter.whitelistId`.' })
  id(@Root() w: WhitelistEntity): string {
    return toGlobalId('Whitelist', w.id);
  }

  @FieldResolver(() => [WhitelistBatch], { description: 'Its batches, newest first.' })
  batches(@Root() w: WhitelistEntity, @Ctx() ctx: RequestContext) {
    return batchesByWhitelistId(ctx).load(w.id);
  }

  @FieldResolver(() => Int, { description: 'Enterprises on it today.' })
  memberCount(@Root() w: WhitelistEntity, @Ctx() ctx: RequestContext) {
    return memberCountByWhitelistId(ctx).load(w.id);
  }
}

@Resolver(() => WhitelistBatch)
export class WhitelistBatchResolver {
  @FieldResolver(() => Whitelist, { description: 'The whitelist it belongs to.' })
  async whitelist(@Root() b: WhitelistBatchEntity, @Ctx() ctx: RequestContext): Promise<WhitelistEntity> {
    return (await whitelistById(ctx).load(b.whitelistId))!;
  }
}

@Resolver(() => Enterprise)
export class EnterpriseWhitelistResolver {
  @FieldResolver(() => [WhitelistEntry], { description: 'Its whitelist entries, newest first: all of them, or those that make it a member at `asOf` (R4).' })
  async whitelistEntries(
    @Root() e: EnterpriseEntity,
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Only entries valid and unrevoked on this date.' }) asOf: string | null,
  ): Promise<WhitelistEntryEntity[]> {
    const entries = await entriesByEnterpriseId(ctx).load(e.id);
    if (!asOf) return entries;
    const date = queryDate(asOf, 'asOf');
    return entries.filter((entry) => isMemberOn(entry, date));
  }
}
