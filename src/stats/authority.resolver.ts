/**
 * `stats` sections for authorities (issue 17 §5; docs/AUTHORITIES.md ST1–ST7, RS3) and the targets they
 * set. Each section is a field resolver on `Stats` that runs its one statement when selected.
 *
 * Region: the `stats` root's scope already carries it — a regional authority's token (`regionCode`,
 * src/auth/authority-region.ts) makes it the filter's region by default and refuses another
 * (stats.service.ts `statsScope`); docs/AUTHORITIES.md "Region".
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { authorityRegion, covers } from '../auth/authority-region';
import { AuthedContext, RequestContext } from '../common/context';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PayloadMutation } from '../common/validation';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { RoadshowEntity } from '../roadshows/roadshow.entity';
import { roadshowById } from '../roadshows/roadshow.service';
import { Roadshow } from '../roadshows/roadshow.type';
import { amplificationHistory, funnelGroups, lendingStats, roadshowFunnels, targetProgress } from './authority.service';
import {
  AuthorityTarget, FunnelDimension, FunnelDimensionEnum, FunnelGroup, GuarantorMonths, LendingStats, RoadshowFunnel, TargetProgress,
} from './authority.type';
import { STATS_READERS } from './stats.resolver';
import { Stats } from './stats.type';
import { AuthorityTargetEntity } from './target.entity';
import { SetTargetInput } from './target.inputs';
import { setTarget, targetById } from './target.service';

export const AuthorityTargetPayload = payloadType('AuthorityTargetPayload', 'target', () => AuthorityTarget, 'Result of setting a target.');

/** Stats readers see targets; a regional authority, its region's (issue 17 §3, RV1). */
registerNode<AuthorityTargetEntity>({
  typename: 'AuthorityTarget',
  load: (ctx, id) => targetById(ctx).load(id),
  visible: (ctx, t) => STATS_READERS.includes(ctx.viewer!.role) && covers(authorityRegion(ctx.viewer), t.regionPrefix),
});

@Resolver(() => Stats)
export class AuthorityStatsResolver {
  @FieldResolver(() => LendingStats, { description: 'Loans disbursed in the range to firms in the region: credit-loan share (ST1), first-loan borrowers (ST2), average rate (ST3), median days from posting to disbursement (ST4).' })
  lending(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<LendingStats> {
    return lendingStats(ctx, stats.scope);
  }

  @FieldResolver(() => [FunnelGroup], { description: 'The funnel over the needs posted in the range, per industry chain or per product kind (ST5), by key.' })
  funnelBy(
    @Root() stats: Stats,
    @Ctx() ctx: RequestContext,
    @Arg('dimension', () => FunnelDimensionEnum, { description: 'What to group by.' }) dimension: FunnelDimension,
  ): Promise<FunnelGroup[]> {
    return funnelGroups(ctx, stats.scope, dimension);
  }

  @FieldResolver(() => [GuarantorMonths], {
    description: 'Every guarantor, by name: its amplification multiple at each month\'s end (ST6, R6), from the ledger. The months are those of the filter\'s range (default: the 12 up to the current one; at most 120; never past the current one); the region does not apply (R6 is a guarantor\'s whole book).',
  })
  amplificationHistory(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<GuarantorMonths[]> {
    return amplificationHistory(ctx, stats.scope);
  }

  @FieldResolver(() => [RoadshowFunnel], { description: 'Every roadshow whose month falls in the range, by month and chain: its funnel (RS3), over firms in the region.' })
  roadshows(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<RoadshowFunnel[]> {
    return roadshowFunnels(ctx, stats.scope);
  }

  @FieldResolver(() => [TargetProgress], { description: 'Every target authorities set, by deadline: progress computed from the data (ST7). Each target has its own window and region; the filter does not apply. A regional authority sees its region\'s targets.' })
  targets(@Ctx() ctx: RequestContext): Promise<TargetProgress[]> {
    return targetProgress(ctx);
  }
}

@Resolver(() => AuthorityTarget)
export class AuthorityTargetResolver {
  @Authorized(MANAGERS)
  @PayloadMutation(() => AuthorityTargetPayload, {
    description: 'Sets a target (ST7): a metric, a value, a window (startsOn to deadline), optionally a region and a channel. Refused: a deadline before the start (DEADLINE_BEFORE_START) or in the past (DATE_IN_PAST), a fraction of a firm (NOT_A_COUNT), the same target twice (TARGET_EXISTS). A regional authority\'s target lies in its region, which it defaults to (OUTSIDE_AUTHORITY_REGION).',
  })
  async setTarget(@Ctx() ctx: AuthedContext, @Arg('input', () => SetTargetInput) input: SetTargetInput) {
    return toPayload(ctx, 'target', await setTarget(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() t: AuthorityTargetEntity): string {
    return toGlobalId('AuthorityTarget', t.id);
  }
}

@Resolver(() => GuarantorMonths)
export class GuarantorMonthsResolver {
  @FieldResolver(() => Institution, { description: 'The guarantor.' })
  async guarantor(@Root() g: GuarantorMonths, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(g.institutionId))!;
  }
}

@Resolver(() => RoadshowFunnel)
export class RoadshowFunnelResolver {
  @FieldResolver(() => Roadshow, { description: 'The roadshow.' })
  async roadshow(@Root() f: RoadshowFunnel, @Ctx() ctx: RequestContext): Promise<RoadshowEntity> {
    return (await roadshowById(ctx).load(f.roadshowId))!;
  }
}

@Resolver(() => TargetProgress)
export class TargetProgressResolver {
  @FieldResolver(() => AuthorityTarget, { description: 'The target.' })
  target(@Root() p: TargetProgress): AuthorityTargetEntity {
    return p.target;
  }
}
