/**
 * Roadshows (issue 17 §4; docs/AUTHORITIES.md RS1–RS4): scheduling, invitations, pitches, and the
 * attribution shown on needs, matches and loans.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE, MANAGERS } from '../auth/auth-checker';
import { INSTITUTION_ROLES } from '../auth/roles';
import { AuthedContext, RequestContext } from '../common/context';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PayloadMutation } from '../common/validation';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { enterpriseById, viewerEnterpriseId } from '../enterprises/enterprise.service';
import { Enterprise } from '../enterprises/enterprise.type';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { LoanEntity } from '../loans/loan.entity';
import { Loan } from '../loans/loan.type';
import { MatchEntity } from '../matching/match.entity';
import { Match } from '../matching/match.type';
import { FinancingNeedEntity } from '../needs/need.entity';
import { canViewNeed, needById } from '../needs/need.service';
import { FinancingNeed } from '../needs/need.type';
import { RoadshowEntity, RoadshowInvitationEntity, RoadshowPitchEntity } from './roadshow.entity';
import { AddRoadshowPitchesInput, CreateRoadshowInput, InviteToRoadshowInput, RespondToRoadshowInvitationInput, RoadshowFilter } from './roadshow.inputs';
import { monthEnd, postingWindow } from './roadshow.rules';
import {
  addRoadshowPitches, canSeeRoadshow, createRoadshow, inviteToRoadshow, listRoadshows, respondToInvitation, roadshowById, roadshowOfMatch, roadshowOfNeed,
  visibleInvitations, visiblePitches,
} from './roadshow.service';
import { Roadshow, RoadshowConnection, RoadshowInvitation, RoadshowPitch } from './roadshow.type';
import { DateScalar } from '../common/scalars';

export const RoadshowPayload = payloadType('RoadshowPayload', 'roadshow', () => Roadshow, 'Result of scheduling a roadshow, inviting institutions to it or adding pitching firms.');
export const RoadshowInvitationPayload = payloadType('RoadshowInvitationPayload', 'invitation', () => RoadshowInvitation, 'Result of answering a roadshow invitation.');

registerNode<RoadshowEntity>({ typename: 'Roadshow', load: (ctx, id) => roadshowById(ctx).load(id), visible: canSeeRoadshow });

/** The roadshow behind an attribution, when the viewer may see it. */
async function visibleRoadshow(ctx: RequestContext, id: string | null): Promise<RoadshowEntity | null> {
  const roadshow = id ? await roadshowById(ctx).load(id) : null;
  return roadshow && (await canSeeRoadshow(ctx, roadshow)) ? roadshow : null;
}

@Resolver(() => Roadshow)
export class RoadshowResolver {
  @Authorized(ANY_ROLE)
  @Query(() => RoadshowConnection, { description: 'Roadshows, newest first: every one for authorities, analysts and firms; those it is invited to for an institution.' })
  roadshows(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => RoadshowFilter, { nullable: true }) filter: RoadshowFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return listRoadshows(ctx, filter, { first, after });
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => RoadshowPayload, { description: 'Schedules a 一月一链 roadshow (RS1): a known chain (UNKNOWN_INDUSTRY_CHAIN), a YYYY-MM month (INVALID_MONTH) not in the past (MONTH_IN_PAST), one per chain, month and region (ROADSHOW_EXISTS).' })
  async createRoadshow(@Ctx() ctx: AuthedContext, @Arg('input', () => CreateRoadshowInput) input: CreateRoadshowInput) {
    return toPayload(ctx, 'roadshow', await createRoadshow(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => RoadshowPayload, { description: 'Invites institutions to a roadshow (RS2) until its day has passed (ROADSHOW_OVER); authorities cannot be invited (NOT_INVITABLE).' })
  async inviteToRoadshow(@Ctx() ctx: AuthedContext, @Arg('input', () => InviteToRoadshowInput) input: InviteToRoadshowInput) {
    return toPayload(ctx, 'roadshow', await inviteToRoadshow(ctx, input));
  }

  @Authorized(INSTITUTION_ROLES as never)
  @PayloadMutation(() => RoadshowInvitationPayload, { description: 'The invited institution (its token\'s) accepts or declines (RS2), and may change its answer until the roadshow\'s day (ROADSHOW_OVER after it; NOT_INVITED when it was not invited).' })
  async respondToRoadshowInvitation(@Ctx() ctx: AuthedContext, @Arg('input', () => RespondToRoadshowInvitationInput) input: RespondToRoadshowInvitationInput) {
    return toPayload(ctx, 'invitation', await respondToInvitation(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => RoadshowPayload, { description: 'Picks firms to pitch (RS4): each on a whitelist and in the roadshow\'s chain, or pitching one of its open needs; all or nothing (NOT_ELIGIBLE_TO_PITCH, NEED_NOT_OPEN, NEED_AT_OTHER_ROADSHOW, ALREADY_PITCHING).' })
  async addRoadshowPitches(@Ctx() ctx: AuthedContext, @Arg('input', () => AddRoadshowPitchesInput) input: AddRoadshowPitchesInput) {
    return toPayload(ctx, 'roadshow', await addRoadshowPitches(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`); pass it as `roadshowId` when posting a need for it.' })
  id(@Root() r: RoadshowEntity): string {
    return toGlobalId('Roadshow', r.id);
  }

  @FieldResolver(() => String, { description: 'The month, YYYY-MM.' })
  month(@Root() r: RoadshowEntity): string {
    return r.month.slice(0, 7);
  }

  @FieldResolver(() => DateScalar, { description: 'The first day on which its pitching firms may post needs for it: its month\'s first day (RS3).' })
  needsFrom(@Root() r: RoadshowEntity): string {
    return postingWindow(r).from;
  }

  @FieldResolver(() => DateScalar, { description: 'The last such day: its day (else its month\'s last day) plus `attributionDays` (RS3).' })
  needsUntil(@Root() r: RoadshowEntity): string {
    return postingWindow(r).to;
  }

  @FieldResolver(() => DateScalar, { description: 'Its month\'s last day.' })
  monthEnd(@Root() r: RoadshowEntity): string {
    return monthEnd(r.month);
  }

  @FieldResolver(() => [RoadshowInvitation], { description: 'Institutions invited, by name: all for authorities and analysts, its own for an institution, none for a firm.' })
  invitations(@Root() r: RoadshowEntity, @Ctx() ctx: RequestContext): Promise<RoadshowInvitationEntity[]> {
    return visibleInvitations(ctx, r.id);
  }

  @FieldResolver(() => [RoadshowPitch], { description: 'Firms pitching, by when they were picked, then by credit code: all for authorities, analysts and invited institutions; a firm sees its own.' })
  async pitches(@Root() r: RoadshowEntity, @Ctx() ctx: RequestContext): Promise<RoadshowPitchEntity[]> {
    const own = ctx.viewer?.role === 'ENTERPRISE' ? await viewerEnterpriseId(ctx) : null;
    return visiblePitches(ctx, r.id, own);
  }
}

@Resolver(() => RoadshowInvitation)
export class RoadshowInvitationResolver {
  @FieldResolver(() => Institution, { description: 'The institution invited.' })
  async institution(@Root() i: RoadshowInvitationEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(i.institutionId))!;
  }

  @FieldResolver(() => Roadshow, { description: 'The roadshow.' })
  async roadshow(@Root() i: RoadshowInvitationEntity, @Ctx() ctx: RequestContext): Promise<RoadshowEntity> {
    return (await roadshowById(ctx).load(i.roadshowId))!;
  }
}

@Resolver(() => RoadshowPitch)
export class RoadshowPitchResolver {
  @FieldResolver(() => Enterprise, { description: 'The firm pitching.' })
  async enterprise(@Root() p: RoadshowPitchEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(p.enterpriseId))!;
  }

  @FieldResolver(() => FinancingNeed, { nullable: true, description: 'The open need it pitches; null when it pitches on the whitelist, or when the viewer may not see the need (R10).' })
  async need(@Root() p: RoadshowPitchEntity, @Ctx() ctx: RequestContext): Promise<FinancingNeedEntity | null> {
    const need = p.needId ? await needById(ctx).load(p.needId) : null;
    return need && (await canViewNeed(ctx, need)) ? need : null;
  }
}

@Resolver(() => FinancingNeed)
export class NeedRoadshowResolver {
  @FieldResolver(() => Roadshow, { nullable: true, description: 'The roadshow the need is attributed to (RS3): the one it was posted for (channel ROADSHOW) or pitched at; null otherwise.' })
  async roadshow(@Root() n: FinancingNeedEntity, @Ctx() ctx: RequestContext): Promise<RoadshowEntity | null> {
    return visibleRoadshow(ctx, await roadshowOfNeed(ctx).load(n.id));
  }
}

@Resolver(() => Match)
export class MatchRoadshowResolver {
  @FieldResolver(() => Roadshow, { nullable: true, description: 'The roadshow the match is attributed to (RS3): its need is the roadshow\'s and its institution attended; null otherwise.' })
  async roadshow(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Promise<RoadshowEntity | null> {
    return visibleRoadshow(ctx, await roadshowOfMatch(ctx).load(m.id));
  }
}

@Resolver(() => Loan)
export class LoanRoadshowResolver {
  @FieldResolver(() => Roadshow, { nullable: true, description: 'The roadshow the loan is attributed to: its match\'s (RS3); null otherwise.' })
  async roadshow(@Root() l: LoanEntity, @Ctx() ctx: RequestContext): Promise<RoadshowEntity | null> {
    return visibleRoadshow(ctx, await roadshowOfMatch(ctx).load(l.matchId));
  }
}
