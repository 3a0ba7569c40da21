/**
 * Issue 17 §2 through GraphQL: a loan's schedule and standing, renewals (续贷) and the authorities' report,
 * post-loan warnings and their triggers.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { AuthedContext, RequestContext } from '../common/context';
import { badArgument } from '../common/errors';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { DateScalar } from '../common/scalars';
import { PayloadMutation } from '../common/validation';
import { requestToday } from '../database/clock';
import { Institution } from '../institutions/institution.type';
import { institutionById, productById } from '../institutions/institution.service';
import { InstitutionEntity } from '../institutions/institution.entity';
import { MatchEntity } from '../matching/match.entity';
import { matchesByNeed } from '../matching/match.read';
import { Match } from '../matching/match.type';
import { FinancingNeedEntity } from '../needs/need.entity';
import { canViewNeed, needById } from '../needs/need.service';
import { FinancingNeed } from '../needs/need.type';
import {
  AcknowledgePostLoanWarningsInput, InstitutionRenewals, LoanRenewal, LoanRenewalConnection, PostLoanWarning, PostLoanWarningConnection, RenewalReport,
  RenewalStatusEnum, RequestLoanRenewalInput, RespondToLoanRenewalInput, SetWarningTriggersInput, WarningKindEnum, WarningTriggers,
} from './afterloan.type';
import { acknowledgeWarnings, renewalReport, renewalsById, renewalsByLoan, renewalsPage, setWarningTriggers, warningsById, warningsPage, warningTriggers, WarningRow } from './afterloan.read';
import { LoanEntity } from './loan.entity';
import { canViewLoan, loanById } from './loan.resolver';
import { Loan } from './loan.type';
import { RenewalRow, renewalScope, RenewalStatus, requestRenewal, respondToRenewal } from './renewal.service';
import { standing } from './schedule';
import { instalmentsByLoan, instalmentsOf } from './schedule.service';
import { LoanInstalment, LoanRepaymentStanding } from './schedule.type';
import type { WarningKind } from './warning.service';

const LOAN_READERS = ['ENTERPRISE', 'BANK', 'GUARANTOR', 'INVESTOR', 'AUTHORITY', 'ADMIN'];
const LENDERS = ['BANK', 'GUARANTOR'];

/** A loan's instalments applied to its repayments on the database's day. */
async function standingOf(ctx: RequestContext, loan: LoanEntity) {
  const { instalments, today } = instalmentsOf(await instalmentsByLoan(ctx).load(loan.id));
  return standing(instalments, loan.principal.minus(loan.outstanding), today ?? (await requestToday(ctx)));
}

@Resolver(() => Loan)
export class LoanScheduleResolver {
  @FieldResolver(() => [LoanInstalment], { description: 'The repayment schedule, first instalment first, each with what the repayments so far cover and its status on the database\'s day (docs/LEDGER.md).' })
  async schedule(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<LoanInstalment[]> {
    return (await standingOf(ctx, loan)).instalments;
  }

  @FieldResolver(() => LoanRepaymentStanding, { description: 'What is due, repaid and overdue on the database\'s day (`shanghai_today()`), and the next instalment.' })
  async repaymentStanding(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<LoanRepaymentStanding> {
    const s = await standingOf(ctx, loan);
    return {
      asOf: s.asOf, duePrincipal: s.due, repaidPrincipal: s.repaid, overduePrincipal: s.overdue, overdueDays: s.overdueDays,
      nextDueOn: s.next?.dueOn ?? null, nextDuePrincipal: s.next ? s.next.principal.minus(s.next.paid) : null,
    };
  }

  @FieldResolver(() => [LoanRenewal], { description: 'Its renewal requests (续贷), oldest first.' })
  renewals(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<RenewalRow[]> {
    return renewalsByLoan(ctx).load(loan.id);
  }
}

const RenewalPayload = payloadType('LoanRenewalPayload', 'renewal', () => LoanRenewal, 'Result of asking for or answering a renewal.');
const TriggersPayload = payloadType('WarningTriggersPayload', 'triggers', () => WarningTriggers, 'Result of setWarningTriggers.');
const AcknowledgePayload = payloadType('AcknowledgePostLoanWarningsPayload', 'warnings', () => [PostLoanWarning] as never, 'Result of acknowledgePostLoanWarnings.');

async function canViewRenewal(ctx: RequestContext, r: RenewalRow): Promise<boolean> {
  const loan = await loanById(ctx).load(r.loanId);
  return !!loan && (await renewalScope(ctx)) !== null && (await canViewLoan(ctx, loan));
}

registerNode<RenewalRow>({ typename: 'LoanRenewal', load: async (ctx, id) => (await renewalsById(ctx).load(id))[0] ?? null, visible: canViewRenewal });
registerNode<WarningRow>({
  typename: 'PostLoanWarning', load: async (ctx, id) => (await warningsById(ctx).load(id))[0] ?? null,
  visible: async (ctx, w) => !!ctx.viewer?.institutionId && ctx.viewer.institutionId === w.institutionId,
});

@Resolver(() => LoanRenewal)
export class LoanRenewalResolver {
  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => RenewalPayload, {
    description: 'The enterprise asks its lender to renew an active loan (续贷, 无还本续贷) 60 to 30 days before maturity (RENEWAL_OUTSIDE_WINDOW otherwise), with nothing overdue; the lender answers within 10 days (RENEWAL_REQUESTED).',
  })
  async requestLoanRenewal(@Ctx() ctx: AuthedContext, @Arg('input', () => RequestLoanRenewalInput) input: RequestLoanRenewalInput) {
    return toPayload(ctx, 'renewal', await requestRenewal(ctx, input));
  }

  @Authorized(['BANK'])
  @PayloadMutation(() => RenewalPayload, {
    description: 'The lender answers a renewal request by its respondBy day: APPROVE extends the loan (展期: the principal due at maturity falls due extensionMonths later); REFUSE (with a reason) posts a turnover-fund need for the enterprise (R9 Art. (26)), matched at once.',
  })
  async respondToLoanRenewal(@Ctx() ctx: AuthedContext, @Arg('input', () => RespondToLoanRenewalInput) input: RespondToLoanRenewalInput) {
    return toPayload(ctx, 'renewal', await respondToRenewal(ctx, input));
  }

  @Authorized(LOAN_READERS)
  @Query(() => LoanRenewalConnection, { description: 'Renewal requests the viewer may see, newest first: its institution\'s as lender or guarantor, its enterprise\'s, or all (authorities, admins).' })
  loanRenewals(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => [RenewalStatusEnum], { nullable: true, description: 'Only these statuses.' }) status: RenewalStatus[] | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return renewalsPage(ctx, status, { first, after });
  }

  @Authorized(['AUTHORITY', 'ADMIN'])
  @Query(() => RenewalReport, { description: 'Renewal requests asked for in a period and their decisions, per lending institution, with counts (seed 004 Art. (26): 续贷审批情况及时通报制度).' })
  async renewalReport(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateScalar, { description: 'First day (requests asked for from it).' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last day.' }) to: string,
  ) {
    if (to < from) throw badArgument('"to" is before "from"', 'to');
    return renewalReport(ctx, from, to);
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() r: RenewalRow): string {
    return toGlobalId('LoanRenewal', r.id);
  }

  @FieldResolver(() => Loan, { nullable: true, description: 'The loan, as the viewer may see it.' })
  async loan(@Root() r: RenewalRow, @Ctx() ctx: RequestContext): Promise<LoanEntity | null> {
    const loan = await loanById(ctx).load(r.loanId);
    return loan && (await canViewLoan(ctx, loan)) ? loan : null;
  }

  @FieldResolver(() => Institution, { description: 'The lender asked.' })
  async institution(@Root() r: RenewalRow, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(r.institutionId))!;
  }

  @FieldResolver(() => FinancingNeed, { nullable: true, description: 'REFUSED or LAPSED: the turnover-fund need posted for the enterprise, as the viewer may see it.' })
  async fallbackNeed(@Root() r: RenewalRow, @Ctx() ctx: RequestContext): Promise<FinancingNeedEntity | null> {
    const need = r.fallbackNeedId ? await needById(ctx).load(r.fallbackNeedId) : null;
    return need && (await canViewNeed(ctx, need)) ? need : null;
  }

  @FieldResolver(() => [Match], { description: 'REFUSED or LAPSED: the fallback need\'s eligible matches on TURNOVER_FUND products (R9\'s turnover subsidy on their terms), best first, as the viewer may see them.' })
  async fallbackMatches(@Root() r: RenewalRow, @Ctx() ctx: RequestContext): Promise<MatchEntity[]> {
    const need = r.fallbackNeedId ? await needById(ctx).load(r.fallbackNeedId) : null;
    if (!need || !(await canViewNeed(ctx, need))) return [];
    const matches = await matchesByNeed(ctx).load(need.id);
    const kinds = (await productById(ctx).loadMany(matches.map((m) => m.productId))).map((p) => (p instanceof Error ? null : p?.kind));
    return matches.filter((_, i) => kinds[i] === 'TURNOVER_FUND');
  }
}

@Resolver(() => InstitutionRenewals)
export class InstitutionRenewalsResolver {
  @FieldResolver(() => Institution, { description: 'The lender.' })
  async institution(@Root() r: InstitutionRenewals, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(r.institutionId))!;
  }

  @FieldResolver(() => [LoanRenewal], { description: 'Its requests in the period, oldest first.' })
  async renewals(@Root() r: InstitutionRenewals, @Ctx() ctx: RequestContext): Promise<RenewalRow[]> {
    return (await renewalsById(ctx).loadMany(r.renewalIds)).flatMap((x) => (Array.isArray(x) ? x : []));
  }
}

@Resolver(() => PostLoanWarning)
export class PostLoanWarningResolver {
  @Authorized(LENDERS)
  @Query(() => WarningTriggers, { description: 'The viewer\'s institution\'s post-loan warning conditions (the defaults while it has set none).' })
  warningTriggers(@Ctx() ctx: AuthedContext) {
    return warningTriggers(ctx);
  }

  @Authorized(LENDERS)
  @PayloadMutation(() => TriggersPayload, { description: 'Sets the viewer\'s institution\'s post-loan warning conditions: the kinds it is warned of and their thresholds (Qingdao 信易贷: institutions set their own).' })
  async setWarningTriggers(@Ctx() ctx: AuthedContext, @Arg('input', () => SetWarningTriggersInput) input: SetWarningTriggersInput) {
    return toPayload(ctx, 'triggers', await setWarningTriggers(ctx, input));
  }

  @Authorized(LENDERS)
  @Query(() => PostLoanWarningConnection, { description: 'The viewer\'s institution\'s post-loan warnings, newest first.' })
  postLoanWarnings(
    @Ctx() ctx: AuthedContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Arg('unacknowledgedOnly', () => Boolean, { nullable: true, description: 'Only those nobody acknowledged.' }) unacknowledgedOnly: boolean | null,
    @Arg('kinds', () => [WarningKindEnum], { nullable: true, description: 'Only these kinds.' }) kinds: WarningKind[] | null,
  ) {
    return warningsPage(ctx, unacknowledgedOnly ?? false, kinds, { first, after });
  }

  @Authorized(LENDERS)
  @PayloadMutation(() => AcknowledgePayload, { description: 'Acknowledges warnings of the viewer\'s institution (again: no change). An id that is not one of its warnings refuses the call.' })
  async acknowledgePostLoanWarnings(@Ctx() ctx: AuthedContext, @Arg('input', () => AcknowledgePostLoanWarningsInput) input: AcknowledgePostLoanWarningsInput) {
    return toPayload(ctx, 'warnings', await acknowledgeWarnings(ctx, input.ids));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id.' })
  id(@Root() w: WarningRow): string {
    return toGlobalId('PostLoanWarning', w.id);
  }

  @FieldResolver(() => Loan, { description: 'The live loan it concerns.' })
  async loan(@Root() w: WarningRow, @Ctx() ctx: RequestContext): Promise<LoanEntity> {
    return (await loanById(ctx).load(w.loanId))!;
  }
}
