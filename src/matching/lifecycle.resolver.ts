import { Arg, Authorized, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AuthedContext, RequestContext } from '../common/context';
import { message } from '../common/messages';
import { payloadType, toPayload } from '../common/payload';
import { DateTimeScalar } from '../common/scalars';
import { PayloadMutation } from '../common/validation';
import { MatchActionInput, RespondToMatchInput } from './lifecycle.inputs';
import { applyToMatch, inbox, respondToMatch } from './lifecycle.service';
import { matchHistory, rankOfMatch } from './match.read';
import { DeclineReasonEnum, MatchStatusEnum } from './match.enums';
import { MatchEntity } from './match.entity';
import type { DeclineReason, MatchStatus } from './match.rules';
import { Match, MatchConnection } from './match.type';

export const MatchPayload = payloadType('MatchPayload', 'match', () => Match, 'Result of acting on a match.');

@ObjectType({ description: 'One step of a match\'s lifecycle (R14).', simpleResolvers: true })
export class MatchEvent {
  @Field({ description: 'VIEW, CONTACT, DECLINE, APPLY, APPROVE, DISBURSE or LAPSE (the deadline passed).' })
  action: string;

  @Field(() => MatchStatusEnum, { description: 'Status before the step.' })
  fromStatus: MatchStatus;

  @Field(() => MatchStatusEnum, { description: 'Status after it.' })
  toStatus: MatchStatus;

  @Field(() => DeclineReasonEnum, { nullable: true, description: 'Why, for a decline.' })
  declineReason: DeclineReason | null;

  @Field(() => String, { nullable: true, description: 'The note given with the step.' })
  note: string | null;

  @Field(() => DateTimeScalar, { description: 'When.' })
  at: Date;
}

@Resolver(() => Match)
export class MatchLifecycleResolver {
  @Authorized(['BANK', 'GUARANTOR', 'INVESTOR'])
  @Query(() => MatchConnection, {
    description:
      'The institution\'s inbox (R14), newest first: its products\' matches that are proposed and still qualify or that someone acted on (a guarantor also sees those routed to it). A proposal leaves it once its need stops looking for money.',
  })
  inbox(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => [MatchStatusEnum], { nullable: true, description: 'Any of these statuses.' }) status: MatchStatus[] | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return inbox(ctx, status, { first, after });
  }

  @Authorized(['BANK', 'GUARANTOR', 'INVESTOR'])
  @PayloadMutation(() => MatchPayload, {
    description:
      'The product\'s institution responds to a match (R14): VIEW, CONTACT, or DECLINE with a reason. Contacting or declining stops the response clock; a decline frees the slot and the next-ranked eligible product is proposed before this returns. Steps R14 does not allow are refused (ILLEGAL_TRANSITION).',
  })
  async respondToMatch(@Ctx() ctx: AuthedContext, @Arg('input', () => RespondToMatchInput) input: RespondToMatchInput) {
    return toPayload(ctx, 'match', await respondToMatch(ctx, input));
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => MatchPayload, {
    description:
      'The enterprise applies to a match of its own need (R14). Applying counts as consent to the product\'s institution (R10: it then sees contact details and the full credit history); the need turns IN_PROGRESS.',
  })
  async applyToMatch(@Ctx() ctx: AuthedContext, @Arg('input', () => MatchActionInput) input: MatchActionInput) {
    return toPayload(ctx, 'match', await applyToMatch(ctx, input.matchId));
  }

  @FieldResolver(() => String, { nullable: true, description: 'For a declined match: what the enterprise could do about the reason, in the request\'s language.' })
  declineAdvice(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): string | null {
    return m.declineReason ? message(ctx.lang, `DECLINE_ADVICE.${m.declineReason}`) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The note the institution gave with its decline.' })
  declineNote(@Root() m: MatchEntity): string | null {
    return m.declineNote;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the institution first contacted or declined (R14 response time).' })
  respondedAt(@Root() m: MatchEntity): Date | null {
    return m.respondedAt;
  }

  @FieldResolver(() => [MatchEvent], { description: 'Every step of the match\'s lifecycle, oldest first.' })
  history(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Promise<MatchEvent[]> {
    return matchHistory(ctx).load(m.id);
  }

  @FieldResolver(() => Int, { description: 'Place among the need\'s eligible matches, 1 = best (score, then lower all-in cost, then product id); 0 once no longer eligible.' })
  rank(@Root() m: MatchEntity & { rank?: number }, @Ctx() ctx: RequestContext): number | Promise<number> {
    return m.rank ?? rankOfMatch(ctx).load(m.id);
  }
}
