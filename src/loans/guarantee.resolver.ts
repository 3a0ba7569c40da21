import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AuthedContext, byKey, defineLoader, RequestContext } from '../common/context';
import { connectionType } from '../common/connection';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { localize, UserError } from '../common/user-error';
import { PayloadMutation } from '../common/validation';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { MatchEntity } from '../matching/match.entity';
import { matchById } from '../matching/match.read';
import { Match } from '../matching/match.type';
import { isSelf } from '../privacy/privacy.policy';
import { GuaranteeRequestEntity } from './guarantee.entity';
import { GuaranteeStatusEnum } from './guarantee.enums';
import { RespondToGuaranteeInput } from './guarantee.inputs';
import type { GuaranteeStatus } from './guarantee.rules';
import { listGuarantees, respondToGuarantee } from './guarantee.service';
import { Guarantee } from './guarantee.type';

/** R10: the guarantor it is routed to, the lender, the enterprise itself; authorities and admins. */
async function canViewGuarantee(ctx: RequestContext, g: GuaranteeRequestEntity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (viewer.role === 'AUTHORITY' || viewer.role === 'ADMIN') return true;
  if (viewer.institutionId) return viewer.institutionId === g.guarantorId || viewer.institutionId === g.bankId;
  return isSelf(ctx, g.enterpriseId);
}

const guaranteeById = defineLoader((ctx) => byKey(ctx, GuaranteeRequestEntity, 'id'));
registerNode<GuaranteeRequestEntity>({ typename: 'Guarantee', load: (ctx, id) => guaranteeById(ctx).load(id), visible: canViewGuarantee });

/** The guarantee routed to each match's current guarantor. */
type RoutedKey = { id: string; guarantorId: string };
const routedByMatch = defineLoader((ctx) => new DataLoader<RoutedKey, GuaranteeRequestEntity | null, string>(async (matches) => {
  const rows = await ctx.db.getRepository(GuaranteeRequestEntity).createQueryBuilder('g')
    .where('g.match_id = ANY(:ids::uuid[])', { ids: matches.map((m) => m.id) }).getMany();
  const routed = new Map(rows.map((r) => [`${r.matchId}:${r.guarantorId}`, r]));
  return matches.map((m) => routed.get(`${m.id}:${m.guarantorId}`) ?? null);
}, { cacheKeyFn: (m) => `${m.id}:${m.guarantorId}` }));

export const GuaranteeConnection = connectionType(Guarantee, 'GuaranteeConnection', 'guarantees');

@ObjectType('GuaranteePayload', { description: 'Result of a guarantor\'s answer to a guarantee.', simpleResolvers: true })
export class GuaranteePayload {
  @Field(() => Guarantee, { nullable: true, description: 'The guarantee as answered, or null when the input was refused.' })
  guarantee: GuaranteeRequestEntity | null;

  @Field(() => Guarantee, { nullable: true, description: 'After a refusal, the guarantee the match was routed to next (null: no other guarantor of the lender has room; the match cannot be disbursed).' })
  nextGuarantee: GuaranteeRequestEntity | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. When present, nothing was written.' })
  userErrors: UserError[];
}

@Resolver(() => Guarantee)
export class GuaranteeResolver {
  @Authorized(['GUARANTOR', 'BANK', 'AUTHORITY', 'ADMIN'])
  @Query(() => GuaranteeConnection, { description: 'Guarantees routed to guarantors, newest first: a guarantor\'s own, a lender\'s on its matches, all for authorities and admins.' })
  guarantees(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => [GuaranteeStatusEnum], { nullable: true, description: 'Any of these statuses.' }) status: GuaranteeStatus[] | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return listGuarantees(ctx, status, { first, after });
  }

  @Authorized(['GUARANTOR'])
  @PayloadMutation(() => GuaranteePayload, {
    description:
      'The guarantor answers a guarantee routed to it (issue 17 §1): ACCEPT, or REFUSE with a reason (until a loan is disbursed under it). A refusal routes the match to the lender\'s next guarantor with room (R6), re-pricing its terms; the loan can be disbursed once its guarantee is accepted.',
  })
  async respondToGuarantee(@Ctx() ctx: AuthedContext, @Arg('input', () => RespondToGuaranteeInput) input: RespondToGuaranteeInput): Promise<GuaranteePayload> {
    const result = await respondToGuarantee(ctx, input);
    return result.ok
      ? { guarantee: result.value.guarantee, nextGuarantee: result.value.next, userErrors: [] }
      : { guarantee: null, nextGuarantee: null, userErrors: result.failures.map((f) => localize(ctx.lang, f)) };
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() g: GuaranteeRequestEntity): string {
    return toGlobalId('Guarantee', g.id);
  }

  @FieldResolver(() => Institution, { description: 'The guarantor it is routed to.' })
  async guarantor(@Root() g: GuaranteeRequestEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(g.guarantorId))!;
  }

  @FieldResolver(() => Match, { description: 'The match whose loan it guarantees.' })
  async match(@Root() g: GuaranteeRequestEntity, @Ctx() ctx: RequestContext): Promise<MatchEntity> {
    return (await matchById(ctx).load(g.matchId))!;
  }
}

@Resolver(() => Match)
export class MatchGuaranteeResolver {
  @FieldResolver(() => Guarantee, { nullable: true, description: 'The guarantee routed to the match\'s guarantor and its answer (issue 17 §1): null before the lender approves, or without a guarantor.' })
  async routedGuarantee(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Promise<GuaranteeRequestEntity | null> {
    return m.guarantorId ? routedByMatch(ctx).load({ id: m.id, guarantorId: m.guarantorId }) : null;
  }
}
