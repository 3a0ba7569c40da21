import { Arg, Authorized, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE, MANAGERS } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { Decimal } from '../common/decimal';
import { toGlobalId } from '../common/ids';
import { anyViewer, Node, registerNode, showsAs } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { DecimalScalar } from '../common/scalars';
import { PayloadMutation } from '../common/validation';
import { InstitutionEntity } from '../institutions/institution.entity';
import { InstitutionPayload } from '../institutions/institution.resolver';
import { institutionById, guarantorProfileByInstitutionId } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { PolicyRuleKindEnum } from './policy.enums';
import { BenchmarkRateEntity, CooperationAgreementEntity, PolicyRuleEntity, RiskCompensationPoolEntity, RiskSharingRuleEntity } from './policy.entity';
import {
  CreateCooperationAgreementInput, CreatePolicyRuleInput, CreateRiskCompensationPoolInput, CreateRiskSharingRuleInput, SetBenchmarkRateInput,
  UpdateGuarantorProfileInput,
} from './policy.inputs';
import {
  createCooperationAgreement, createPolicyRule, listCooperationAgreements, createPool, createRiskSharingRule, poolById, riskSharingRuleById, setBenchmarkRate, updateGuarantorProfile,
} from './policy.service';
import { BenchmarkRate, CooperationAgreement, PolicyEligibility, PolicyRule, RiskShare, RiskSharingRule } from './policy.type';
import { poolAvailable } from './pool';
import type { PolicyRuleKind } from './rule-kinds';

showsAs(RiskCompensationPoolEntity, 'RiskCompensationPool');

@ObjectType({ implements: Node, description: 'A risk-compensation pool (风险补偿资金池, R8): public money that compensates banks\' losses on eligible loans.' })
export class RiskCompensationPool {
  @Field({ description: 'Name.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Who funds it (e.g. 青岛市财政).' })
  funder: string | null;

  @Field(() => DecimalScalar, { description: 'Total money deposited, CNY.' })
  capacity: Decimal;

  @Field(() => DecimalScalar, { description: 'Reserved for live eligible loans, CNY.' })
  reserved: Decimal;

  @Field(() => DecimalScalar, { description: 'Paid out on claims, CNY.' })
  paid: Decimal;

  @Field(() => String, { nullable: true, description: 'Policy source, e.g. 青政发〔2012〕46号 (27).' })
  source: string | null;
}

export const BenchmarkRatePayload = payloadType('BenchmarkRatePayload', 'benchmarkRate', () => BenchmarkRate, 'Result of setting a benchmark rate.');
export const RiskSharingRulePayload = payloadType('RiskSharingRulePayload', 'rule', () => RiskSharingRule, 'Result of creating a risk-sharing rule.');
export const CooperationAgreementPayload = payloadType('CooperationAgreementPayload', 'agreement', () => CooperationAgreement, 'Result of creating a cooperation agreement.');
export const RiskCompensationPoolPayload = payloadType('RiskCompensationPoolPayload', 'pool', () => RiskCompensationPool, 'Result of creating a risk-compensation pool.');
export const PolicyRulePayload = payloadType('PolicyRulePayload', 'rule', () => PolicyRule, 'Result of creating a policy rule or its next version.');

registerNode<RiskCompensationPoolEntity>({ typename: 'RiskCompensationPool', load: (ctx, id) => poolById(ctx).load(id), visible: anyViewer });
registerNode<RiskSharingRuleEntity>({ typename: 'RiskSharingRule', load: (ctx, id) => riskSharingRuleById(ctx).load(id), visible: anyViewer });
registerNode<CooperationAgreementEntity>({ typename: 'CooperationAgreement', load: (ctx, id) => ctx.db.getRepository(CooperationAgreementEntity).findOneBy({ id }), visible: anyViewer });
registerNode<PolicyRuleEntity>({ typename: 'PolicyRule', load: (ctx, id) => ctx.db.getRepository(PolicyRuleEntity).findOneBy({ id }), visible: anyViewer });

@Resolver(() => RiskCompensationPool)
export class RiskCompensationPoolResolver {
  @Authorized(ANY_ROLE)
  @Query(() => [RiskCompensationPool], { description: 'Risk-compensation pools with their capacity, reserves, payouts and what is available (R8).' })
  riskCompensationPools(@Ctx() ctx: RequestContext) {
    return ctx.db.getRepository(RiskCompensationPoolEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => RiskCompensationPoolPayload, { description: 'Creates a risk-compensation pool (R8); RISK_COMPENSATION rules then draw on it.' })
  async createRiskCompensationPool(@Ctx() ctx: AuthedContext, @Arg('input', () => CreateRiskCompensationPoolInput) input: CreateRiskCompensationPoolInput) {
    return toPayload(ctx, 'pool', await createPool(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() pool: RiskCompensationPoolEntity): string {
    return toGlobalId('RiskCompensationPool', pool.id);
  }

  @FieldResolver(() => DecimalScalar, { description: 'capacity − paid − reserved, never below zero, CNY.' })
  available(@Root() pool: RiskCompensationPoolEntity): Decimal {
    return poolAvailable(pool.capacity, pool.paid, pool.reserved);
  }
}

@Resolver(() => BenchmarkRate)
export class BenchmarkRateResolver {
  @Authorized(ANY_ROLE)
  @Query(() => [BenchmarkRate], { description: 'Benchmark rates by code, newest first within a code.' })
  benchmarkRates(@Ctx() ctx: RequestContext) {
    return ctx.db.getRepository(BenchmarkRateEntity).find({ order: { code: 'ASC', effectiveFrom: 'DESC' } });
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => BenchmarkRatePayload, { description: 'Records a benchmark rate from a date on; rules that name the code use the rate in force. Matches are refreshed. A national figure: a regional authority is refused (NATIONAL_AUTHORITY_ONLY).' })
  async setBenchmarkRate(@Ctx() ctx: AuthedContext, @Arg('input', () => SetBenchmarkRateInput) input: SetBenchmarkRateInput) {
    return toPayload(ctx, 'benchmarkRate', await setBenchmarkRate(ctx, input));
  }
}

@Resolver(() => RiskSharingRule)
export class RiskSharingRuleResolver {
  @Authorized(ANY_ROLE)
  @Query(() => [RiskSharingRule], { description: 'Risk-sharing rules (R7), oldest first.' })
  riskSharingRules(@Ctx() ctx: RequestContext) {
    return ctx.db.getRepository(RiskSharingRuleEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => RiskSharingRulePayload, { description: 'Creates a risk-sharing rule (R7); its shares must add up to exactly 1. Rules are national or provincial schemes any region\'s agreements name: a regional authority is refused (NATIONAL_AUTHORITY_ONLY).' })
  async createRiskSharingRule(@Ctx() ctx: AuthedContext, @Arg('input', () => CreateRiskSharingRuleInput) input: CreateRiskSharingRuleInput) {
    return toPayload(ctx, 'rule', await createRiskSharingRule(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() rule: RiskSharingRuleEntity): string {
    return toGlobalId('RiskSharingRule', rule.id);
  }

  @FieldResolver(() => [RiskShare], { description: 'The parties and their shares, in the order given.' })
  shares(@Root() rule: RiskSharingRuleEntity): RiskShare[] {
    return rule.shares.map((s) => ({ party: s.party, share: new Decimal(s.share) }));
  }
}

@Resolver(() => CooperationAgreement)
export class CooperationAgreementResolver {
  @Authorized(ANY_ROLE)
  @Query(() => [CooperationAgreement], { description: 'Bank–guarantor cooperation agreements, oldest first; optionally of one institution (as lender or guarantor).' })
  cooperationAgreements(
    @Ctx() ctx: RequestContext,
    @Arg('institutionId', () => ID, { nullable: true, description: 'Only agreements this institution is party to.' }) institutionId: string | null,
  ) {
    return listCooperationAgreements(ctx, institutionId);
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => CooperationAgreementPayload, { description: 'Records that a guarantor serves a lender under a risk-sharing rule (R7). Matches of the lender\'s guaranteed products are refreshed.' })
  async createCooperationAgreement(@Ctx() ctx: AuthedContext, @Arg('input', () => CreateCooperationAgreementInput) input: CreateCooperationAgreementInput) {
    return toPayload(ctx, 'agreement', await createCooperationAgreement(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() a: CooperationAgreementEntity): string {
    return toGlobalId('CooperationAgreement', a.id);
  }

  @FieldResolver(() => Institution, { description: 'The lender.' })
  async bank(@Root() a: CooperationAgreementEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(a.bankId))!;
  }

  @FieldResolver(() => Institution, { description: 'The guarantor.' })
  async guarantor(@Root() a: CooperationAgreementEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(a.guarantorId))!;
  }

  @FieldResolver(() => RiskSharingRule, { description: 'How a loss is split.' })
  async riskSharingRule(@Root() a: CooperationAgreementEntity, @Ctx() ctx: RequestContext): Promise<RiskSharingRuleEntity> {
    return (await riskSharingRuleById(ctx).load(a.riskSharingRuleId))!;
  }

  @FieldResolver(() => DecimalScalar, { description: 'The fee this lender\'s borrowers pay: the agreed fee, else the guarantor\'s own.' })
  async feeRate(@Root() a: CooperationAgreementEntity, @Ctx() ctx: RequestContext): Promise<Decimal> {
    return a.feeRate ?? (await guarantorProfileByInstitutionId(ctx).load(a.guarantorId))!.feeRate;
  }
}

@Resolver(() => PolicyRule)
export class PolicyRuleResolver {
  @Authorized(ANY_ROLE)
  @Query(() => [PolicyRule], { description: 'Policy rules (R8, R9): the newest version of each code, or every version with `history: true`.' })
  policyRules(
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => PolicyRuleKindEnum, { nullable: true, description: 'Only this kind.' }) kind: PolicyRuleKind | null,
    @Arg('history', () => Boolean, { nullable: true, description: 'Include earlier versions.' }) history: boolean | null,
  ) {
    const qb = ctx.db.getRepository(PolicyRuleEntity).createQueryBuilder('r').orderBy('r.code', 'ASC').addOrderBy('r.version', 'DESC');
    if (!history) qb.andWhere('r.latest');
    if (kind) qb.andWhere('r.kind = :kind', { kind });
    return qb.getMany();
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => PolicyRulePayload, { description: 'Creates a policy rule, or the next version of an existing code (same kind). Matches are refreshed; earlier matches and loans keep the version they used.' })
  async createPolicyRule(@Ctx() ctx: AuthedContext, @Arg('input', () => CreatePolicyRuleInput) input: CreatePolicyRuleInput) {
    return toPayload(ctx, 'rule', await createPolicyRule(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => InstitutionPayload, { description: 'Changes a guarantor\'s figures (net assets, fee, multiples; R6). Matches routed through its lenders are refreshed.' })
  async updateGuarantorProfile(@Ctx() ctx: AuthedContext, @Arg('input', () => UpdateGuarantorProfileInput) input: UpdateGuarantorProfileInput) {
    return toPayload(ctx, 'institution', await updateGuarantorProfile(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() r: PolicyRuleEntity): string {
    return toGlobalId('PolicyRule', r.id);
  }

  @FieldResolver(() => String, { description: 'The version as matches and loans cite it: CODE@vN.' })
  ruleVersion(@Root() r: PolicyRuleEntity): string {
    return `${r.code}@v${r.version}`;
  }

  @FieldResolver(() => RiskCompensationPool, { nullable: true, description: 'The pool a RISK_COMPENSATION rule draws on.' })
  async pool(@Root() r: PolicyRuleEntity, @Ctx() ctx: RequestContext): Promise<RiskCompensationPoolEntity | null> {
    return r.poolId ? poolById(ctx).load(r.poolId) : null;
  }

  @FieldResolver(() => PolicyEligibility, { description: 'Which loans it concerns.' })
  eligibility(@Root() r: PolicyRuleEntity): PolicyEligibility {
    return r;
  }
}
