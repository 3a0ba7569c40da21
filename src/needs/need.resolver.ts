import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { requestToday } from '../database/clock';
import { Page } from '../common/connection';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PayloadMutation } from '../common/validation';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { enterpriseById } from '../enterprises/enterprise.service';
import { Enterprise } from '../enterprises/enterprise.type';
import { NeedStatusEnum } from './need.enums';
import { FinancingNeedEntity } from './need.entity';
import { PostFinancingNeedInput, WithdrawFinancingNeedInput } from './need.inputs';
import { NeedStatus } from './need.rules';
import { canViewNeed, enterpriseNeeds, listNeeds, needById, postNeed, readerStatus, withdrawNeed } from './need.service';
import { EquityTerms, FinancingNeed, FinancingNeedConnection, FinancingNeedFilter } from './need.type';

export const FinancingNeedPayload = payloadType('FinancingNeedPayload', 'need', () => FinancingNeed, 'Result of posting or withdrawing a financing need.');

registerNode<FinancingNeedEntity>({ typename: 'FinancingNeed', load: (ctx, id) => needById(ctx).load(id), visible: canViewNeed });

@Resolver(() => FinancingNeed)
export class FinancingNeedResolver {
  @Authorized(ANY_ROLE)
  @Query(() => FinancingNeedConnection, {
    description:
      'Financing needs the viewer may see (R10), newest first: an enterprise its own; banks, guarantors and investors those matched to their products; authorities, analysts and admins all.',
  })
  async financingNeeds(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => FinancingNeedFilter, { nullable: true }) filter: FinancingNeedFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return listNeeds(ctx, filter, { first, after });
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => FinancingNeedPayload, {
    description:
      'Posts a loan or equity need for the caller\'s enterprise (R11). A retry with the same `idempotencyKey` returns the first result; an active need of the same kind, amount and term is refused (DUPLICATE_NEED) whichever channel posted it.',
  })
  async postFinancingNeed(@Ctx() ctx: AuthedContext, @Arg('input', () => PostFinancingNeedInput) input: PostFinancingNeedInput) {
    return toPayload(ctx, 'need', await postNeed(ctx, input));
  }

  @Authorized(['ENTERPRISE', 'ADMIN'])
  @PayloadMutation(() => FinancingNeedPayload, { description: 'Withdraws an active need (OPEN, MATCHED or IN_PROGRESS).' })
  async withdrawFinancingNeed(@Ctx() ctx: AuthedContext, @Arg('input', () => WithdrawFinancingNeedInput) input: WithdrawFinancingNeedInput) {
    return toPayload(ctx, 'need', await withdrawNeed(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() need: FinancingNeedEntity): string {
    return toGlobalId('FinancingNeed', need.id);
  }

  @FieldResolver(() => NeedStatusEnum, { description: 'Where the need stands (R11); an active need past its needed-by date reads EXPIRED.' })
  async status(@Root() need: FinancingNeedEntity, @Ctx() ctx: RequestContext): Promise<NeedStatus> {
    return readerStatus(need, await requestToday(ctx));
  }

  @FieldResolver(() => Enterprise, { description: 'The enterprise that posted it.' })
  async enterprise(@Root() need: FinancingNeedEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(need.enterpriseId))!;
  }

  @FieldResolver(() => EquityTerms, { nullable: true, description: 'Equity terms; null for a loan.' })
  equity(@Root() need: FinancingNeedEntity): EquityTerms | null {
    if (need.kind !== 'EQUITY' || !need.equityStage) return null;
    return { stage: need.equityStage, preMoneyValuation: need.preMoneyValuation, maxShareOffered: need.maxShareOffered, useOfProceeds: need.useOfProceeds };
  }
}

@Resolver(() => Enterprise)
export class EnterpriseNeedsResolver {
  @FieldResolver(() => FinancingNeedConnection, { description: 'The enterprise\'s needs the viewer may see (R10), newest first.' })
  async needs(
    @Root() e: EnterpriseEntity,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => [NeedStatusEnum], { nullable: true, description: 'Any of these statuses.' }) status: NeedStatus[] | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ): Promise<Page<FinancingNeedEntity>> {
    return enterpriseNeeds(ctx, e.id, status, { first, after });
  }
}
