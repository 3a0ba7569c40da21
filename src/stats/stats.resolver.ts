/**
 * `stats` (API.md; issue 5 item 5) for analysts, authorities and admins (R10: analysts see aggregates).
 * The query only checks the filter and returns the root; each section is a field resolver that runs its
 * one statement when the document selects it. Institutions and pools are loaded by their request loaders.
 */
import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { authorityRegion } from '../auth/authority-region';
import { RequestContext } from '../common/context';
import type { Role } from '../auth/roles';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { RiskCompensationPoolEntity } from '../policy/policy.entity';
import { RiskCompensationPool } from '../policy/policy.resolver';
import { poolById } from '../policy/policy.service';
import { funnel, guarantorStats, institutionActivity, ledgerReconciliation, loanTotals, needGroups, needTotals, poolStats, statsScope, subsidyTotals } from './stats.service';
import {
  Funnel, GuarantorStats, InstitutionActivity, LedgerReconciliation, LoanTotals, NeedDimension, NeedDimensionEnum, NeedGroup, NeedTotals, PoolStats, Stats, StatsFilter, SubsidyTotal,
} from './stats.type';

/** Who may read the aggregates: analysts, and the managers (authority, admin). */
export const STATS_READERS: Role[] = ['ANALYST', ...MANAGERS];

@Resolver(() => Stats)
export class StatsResolver {
  @Authorized(STATS_READERS)
  @Query(() => Stats, {
    description:
      'Aggregates for analysts and authorities: needs by chain, region, size class, month and channel; the funnel; institutions\' activity and response times; guarantors\' amplification; pools; subsidies; loans. Each section is computed only when selected. A filter with `from` after `to`, a malformed date or a region prefix other than 2, 4 or 6 digits is refused (BAD_USER_INPUT).',
  })
  stats(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilter, { nullable: true, description: 'Date range (Asia/Shanghai days, inclusive) and region; none counts everything. A regional authority counts its region (its token\'s regionCode): the region defaults to it, and one outside it is refused (BAD_USER_INPUT, reason OUTSIDE_AUTHORITY_REGION).' }) filter: StatsFilter | null,
  ): Stats {
    return { scope: statsScope(filter, authorityRegion(ctx.viewer)) };
  }

  @FieldResolver(() => NeedTotals, { description: 'Financing needs posted in the range by firms in the region.' })
  needs(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<NeedTotals> {
    return needTotals(ctx, stats.scope);
  }

  @FieldResolver(() => [NeedGroup], { description: 'The same needs grouped by one dimension, by key.' })
  needsBy(
    @Root() stats: Stats,
    @Ctx() ctx: RequestContext,
    @Arg('dimension', () => NeedDimensionEnum, { description: 'What to group by.' }) dimension: NeedDimension,
  ): Promise<NeedGroup[]> {
    return needGroups(ctx, stats.scope, dimension);
  }

  @FieldResolver(() => Funnel, { description: 'Posted → matched → contacted → approved → disbursed, over the needs posted in the range.' })
  funnel(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<Funnel> {
    return funnel(ctx, stats.scope);
  }

  @FieldResolver(() => [InstitutionActivity], { description: 'Each institution whose matches saw anything in the range, by name: stages reached and median response time.' })
  institutions(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<InstitutionActivity[]> {
    return institutionActivity(ctx, stats.scope);
  }

  @FieldResolver(() => [GuarantorStats], { description: 'Every guarantor, by name: current amplification and capacity (R6), live guarantees in the range.' })
  guarantors(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<GuarantorStats[]> {
    return guarantorStats(ctx, stats.scope);
  }

  @FieldResolver(() => [PoolStats], { description: 'Every risk-compensation pool, oldest first: current capacity, reserved, paid and available (R8), its loans in the range.' })
  pools(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<PoolStats[]> {
    return poolStats(ctx, stats.scope);
  }

  @FieldResolver(() => [SubsidyTotal], { description: 'Subsidies booked in the range (R9) per kind and payee: by kind, payee, then the largest amount first.' })
  subsidies(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<SubsidyTotal[]> {
    return subsidyTotals(ctx, stats.scope);
  }

  @FieldResolver(() => LoanTotals, { description: 'Loans disbursed in the range to firms in the region, and their outcomes.' })
  loans(@Root() stats: Stats, @Ctx() ctx: RequestContext): Promise<LoanTotals> {
    return loanTotals(ctx, stats.scope);
  }

  @FieldResolver(() => LedgerReconciliation, {
    description: 'The ledger reconciled: the stored money figures (loans, guarantees, pools, guarantors\' liability) against what the postings give, and the running totals (guarantors\' fee subsidies per year, balances per borrower) against their rows, with each difference. Over the whole ledger; the filter does not apply.',
  })
  ledgerReconciliation(@Ctx() ctx: RequestContext): Promise<LedgerReconciliation> {
    return ledgerReconciliation(ctx);
  }
}

@Resolver(() => InstitutionActivity)
export class InstitutionActivityResolver {
  @FieldResolver(() => Institution, { description: 'The institution whose products the matches are of.' })
  async institution(@Root() a: InstitutionActivity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(a.institutionId))!;
  }
}

@Resolver(() => GuarantorStats)
export class GuarantorStatsResolver {
  @FieldResolver(() => Institution, { description: 'The guarantor.' })
  async guarantor(@Root() g: GuarantorStats, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(g.institutionId))!;
  }
}

@Resolver(() => PoolStats)
export class PoolStatsResolver {
  @FieldResolver(() => RiskCompensationPool, { description: 'The pool.' })
  async pool(@Root() p: PoolStats, @Ctx() ctx: RequestContext): Promise<RiskCompensationPoolEntity> {
    return (await poolById(ctx).load(p.poolId))!;
  }
}
