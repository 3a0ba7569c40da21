import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE } from '../auth/auth-checker';
import { RequestContext } from '../common/context';
import { Page } from '../common/connection';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { DateTimeScalar } from '../common/scalars';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById, productById } from '../institutions/institution.service';
import { Institution, FinancialProduct } from '../institutions/institution.type';
import { ProductEntity } from '../institutions/product.entity';
import { FinancingNeedEntity } from '../needs/need.entity';
import { needById } from '../needs/need.service';
import { FinancingNeed } from '../needs/need.type';
import { RiskCompensationPoolEntity } from '../policy/policy.entity';
import { RiskCompensationPool } from '../policy/policy.resolver';
import { poolById } from '../policy/policy.service';
import { DeclineReasonEnum, MatchStatusEnum } from './match.enums';
import { MatchEntity } from './match.entity';
import { canViewMatch, explainMatch, matchById, matchChecks, needMatches, payeeGlobalId, RankedMatch, storedTermsView } from './match.read';
import { respondBy, type DeclineReason, type MatchStatus } from './match.rules';
import { GuaranteeQuote, Match, MatchCheck, MatchConnection, MatchExplanation, MatchTerms, SubsidyQuote, TermsView } from './match.type';

/** `Match.rank` resolves by `rankOfMatch` for a match fetched alone. */
registerNode<MatchEntity>({ typename: 'Match', load: (ctx, id) => matchById(ctx).load(id), visible: canViewMatch });

@Resolver(() => Match)
export class MatchResolver {
  @Authorized(ANY_ROLE)
  @Query(() => MatchExplanation, {
    description:
      'Every R13 check of a need against a product, eligible or not, with the terms when eligible. The enterprise for its own needs; an institution for its own products and needs it can see; authorities and admins. Not analysts. A check that reads a consent-only figure (OVERDUE) is withheld from anyone but the firm and the institutions it consented to, and the pair is judged for them without it (R10).',
  })
  explainMatch(
    @Ctx() ctx: RequestContext,
    @Arg('needId', () => ID, { description: 'The financing need.' }) needId: string,
    @Arg('productId', () => ID, { description: 'The product.' }) productId: string,
  ) {
    return explainMatch(ctx, needId, productId);
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() m: MatchEntity): string {
    return toGlobalId('Match', m.id);
  }

  @FieldResolver(() => FinancingNeed, { description: 'The need.' })
  async need(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Promise<FinancingNeedEntity> {
    return (await needById(ctx).load(m.needId))!;
  }

  @FieldResolver(() => FinancialProduct, { description: 'The product.' })
  async product(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Promise<ProductEntity> {
    return (await productById(ctx).load(m.productId))!;
  }

  @FieldResolver(() => MatchStatusEnum, { description: 'Where the match stands (R14).' })
  status(@Root() m: MatchEntity): MatchStatus {
    return m.status;
  }

  @FieldResolver(() => MatchTerms, { description: 'The terms as last computed (R13), with the rule versions they used.' })
  terms(@Root() m: MatchEntity): TermsView {
    return storedTermsView(m);
  }

  @Authorized(['ENTERPRISE', 'BANK', 'GUARANTOR', 'INVESTOR', 'AUTHORITY', 'ADMIN'])
  @FieldResolver(() => [MatchCheck], { description: 'Every R13 check of the pair, decided now. Not for analysts (they see aggregates).' })
  checks(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Promise<MatchCheck[]> {
    return matchChecks(ctx, m);
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description: 'When the institution must contact or decline by (R14: MATCH_RESPONSE_HOURS, 48 by default, after the match was proposed); null once it has responded.',
  })
  respondBy(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Date | null {
    return respondBy(m, ctx.config.matchResponseHours);
  }

  @FieldResolver(() => DeclineReasonEnum, { nullable: true, description: 'Why the institution declined (R14).' })
  declineReason(@Root() m: MatchEntity): DeclineReason | null {
    return m.declineReason as DeclineReason | null;
  }
}

@Resolver(() => MatchTerms)
export class MatchTermsResolver {
  @FieldResolver(() => GuaranteeQuote, { nullable: true, description: 'The guarantee, where the product requires one: the guarantor with the lowest fee, then the most room (R6, R7).' })
  guarantee(@Root() t: TermsView): TermsView['guarantee'] {
    return t.guarantee;
  }

  @FieldResolver(() => RiskCompensationPool, { nullable: true, description: 'The pool that would hold the reserve (R8).' })
  async riskCompensationPool(@Root() t: TermsView, @Ctx() ctx: RequestContext): Promise<RiskCompensationPoolEntity | null> {
    return t.poolId ? poolById(ctx).load(t.poolId) : null;
  }

  @FieldResolver(() => [SubsidyQuote], { description: 'Subsidies the loan would bring (R9).' })
  subsidies(@Root() t: TermsView): SubsidyQuote[] {
    return t.subsidies.map(({ byYear, ...s }) => ({ ...s, payeeId: payeeGlobalId(s.payee, s.payeeId), years: byYear ?? [] }));
  }
}

@Resolver(() => GuaranteeQuote)
export class GuaranteeQuoteResolver {
  @FieldResolver(() => Institution, { description: 'The guarantor.' })
  async guarantor(@Root() g: NonNullable<TermsView['guarantee']>, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(g.guarantorId))!;
  }
}

@Resolver(() => FinancingNeed)
export class NeedMatchesResolver {
  @FieldResolver(() => MatchConnection, {
    description: 'Eligible matches, best first (rank 1..n): the best 10 the need is proposed with and those someone acted on (R14; explainMatch answers for any product). The enterprise and managers see all; an institution its own products\' (a guarantor those routed to it).',
  })
  matches(
    @Root() need: FinancingNeedEntity,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ): Promise<Page<RankedMatch>> {
    return needMatches(ctx, need.id, { first, after });
  }
}
