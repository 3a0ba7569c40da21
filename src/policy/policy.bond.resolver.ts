import { ValidateNested } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { AuthedContext, byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { connectionType } from '../common/connection';
import { Decimal } from '../common/decimal';
import { toGlobalId } from '../common/ids';
import { Node, registerNode, showsAs } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PlainName } from '../common/plain-text';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { IsDateValue, IsMoney, Len, MaxItems, PayloadMutation } from '../common/validation';
import { keysetPage } from '../database/pages';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { Enterprise } from '../enterprises/enterprise.type';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { bondFigures, createCollectiveBondIssue, recordCollectiveBondLoss } from './policy.bond.service';
import { CollectiveBondIssueEntity, CollectiveBondMemberEntity } from './policy.entity';

showsAs(CollectiveBondIssueEntity, 'CollectiveBondIssue');

/** Who sees bond issues: authorities, admins and analysts (members' counter-guarantees are firms' figures). */
const BOND_READERS = ['AUTHORITY', 'ADMIN', 'ANALYST'];

@ObjectType({ description: 'One enterprise of a collective bond issue (R9, seed 004 Art. (32)).', simpleResolvers: true })
export class CollectiveBondMember {
  @Field(() => DecimalScalar, { description: 'What the enterprise counter-guaranteed, CNY.' })
  counterGuaranteed: Decimal;

  @Field(() => DecimalScalar, { description: 'Its counter-guarantee support: supportRatio × the counter-guarantee, at most perEnterpriseCap, CNY (booked as its COLLECTIVE_BOND subsidy).' })
  support: Decimal;

  enterpriseId: string;
}

@ObjectType({ description: 'How the losses recorded against an issue are shared (R9): within the mitigation fund publicShare to public finance, the rest to the guarantee centre.', simpleResolvers: true })
export class CollectiveBondLossSharing {
  @Field(() => DecimalScalar, { description: 'Borne by public finance, CNY.' })
  publicFinance: Decimal;

  @Field(() => DecimalScalar, { description: 'Borne by the guarantee centre, CNY.' })
  guaranteeCentre: Decimal;

  @Field(() => DecimalScalar, { description: 'Loss beyond the mitigation fund, CNY: reported, not shared (the article does not say who bears it).' })
  beyondFund: Decimal;
}

@ObjectType({ implements: Node, description: 'A collective bond issue (集合债, R9, seed 004 Art. (32); DOMAIN E8): its members and their counter-guarantees, the risk-mitigation fund and the sharing of its losses.' })
export class CollectiveBondIssue {
  @Field({ description: 'Name, unique.' })
  name: string;

  @Field(() => DecimalScalar, { description: 'The issue, CNY.' })
  issueAmount: Decimal;

  @Field(() => DateScalar, { description: 'When it was issued.' })
  issuedOn: string;

  @Field({ description: 'The COLLECTIVE_BOND rule version it is under (CODE@vN).' })
  ruleVersion: string;

  @Field(() => DecimalScalar, { description: 'The risk-mitigation fund: fundRatio × the issue, CNY.' })
  mitigationFund: Decimal;

  @Field(() => DecimalScalar, { description: 'Losses recorded against it so far, CNY.' })
  loss: Decimal;

  @Field(() => DateTimeScalar, { description: 'When it was recorded.' })
  createdAt: Date;
}

export const CollectiveBondIssueConnection = connectionType(CollectiveBondIssue, 'CollectiveBondIssueConnection', 'collective bond issues');

@InputType({ description: 'A member of a collective bond issue.' })
export class CollectiveBondMemberInput {
  @Field({ description: 'The enterprise\'s credit code (R1); it must be registered.' })
  @Len(18, 18)
  creditCode: string;

  @Field(() => DecimalScalar, { description: 'What it counter-guaranteed, CNY, above zero.' })
  @IsMoney({ positive: true })
  counterGuaranteed: Decimal;
}

@InputType({ description: 'A collective bond issue (R9, seed 004 Art. (32)).' })
export class CreateCollectiveBondIssueInput {
  @Field({ description: 'Name, unique.' })
  @Len(1, 200)
  @PlainName()
  name: string;

  @Field({ description: 'The COLLECTIVE_BOND rule\'s code; the version in force applies. Members must be in its regions unless it is national.' })
  ruleCode: string;

  @Field(() => DecimalScalar, { description: 'The issue, CNY, above zero.' })
  @IsMoney({ positive: true })
  issueAmount: Decimal;

  @Field(() => DateScalar, { description: 'When it was issued (not in the future).' })
  @IsDateValue()
  issuedOn: string;

  @Field(() => ID, { nullable: true, description: 'The guarantee centre sharing the losses (a GUARANTOR or RE_GUARANTOR).' })
  guaranteeCentreId?: string | null;

  @Field(() => [CollectiveBondMemberInput], { description: 'The members, each once; their counter-guarantees together at most the issue.' })
  @MaxItems(200)
  @ValidateNested()
  members: CollectiveBondMemberInput[];
}

@InputType({ description: 'A loss on a collective bond issue, added to those recorded.' })
export class RecordCollectiveBondLossInput {
  @Field(() => ID, { description: 'The issue.' })
  issueId: string;

  @Field(() => DecimalScalar, { description: 'The loss, CNY, above zero; all recorded losses together at most the issue.' })
  @IsMoney({ positive: true })
  loss: Decimal;
}

export const CollectiveBondIssuePayload = payloadType('CollectiveBondIssuePayload', 'issue', () => CollectiveBondIssue, 'Result of recording a collective bond issue or a loss on it.');

const issueById = defineLoader((ctx) => byKey(ctx, CollectiveBondIssueEntity, 'id'));
registerNode<CollectiveBondIssueEntity>({ typename: 'CollectiveBondIssue', load: (ctx, id) => issueById(ctx).load(id), visible: (ctx) => BOND_READERS.includes(ctx.viewer?.role ?? '') });

const membersByIssue = defineLoader((ctx) =>
  groupedBy<CollectiveBondMemberEntity>((m) => m.issueId, (ids) => ctx.db.getRepository(CollectiveBondMemberEntity).createQueryBuilder('m')
    .where('m.issue_id = ANY(:ids::uuid[])', { ids }).orderBy('m.counter_guaranteed', 'DESC').addOrderBy('m.enterprise_id').getMany()),
);

@Resolver(() => CollectiveBondIssue)
export class CollectiveBondIssueResolver {
  @Authorized(BOND_READERS)
  @Query(() => CollectiveBondIssueConnection, { description: 'Collective bond issues (R9, seed 004 Art. (32)), newest first.' })
  collectiveBondIssues(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return keysetPage(ctx, ctx.db.getRepository(CollectiveBondIssueEntity).createQueryBuilder('b'), 'b', { first, after });
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => CollectiveBondIssuePayload, {
    description: 'Records a collective bond issue under the COLLECTIVE_BOND rule in force (R9, seed 004 Art. (32)): its mitigation fund, and each member\'s counter-guarantee support, booked as the member\'s COLLECTIVE_BOND subsidy.',
  })
  async createCollectiveBondIssue(@Ctx() ctx: AuthedContext, @Arg('input', () => CreateCollectiveBondIssueInput) input: CreateCollectiveBondIssueInput) {
    return toPayload(ctx, 'issue', await createCollectiveBondIssue(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => CollectiveBondIssuePayload, { description: 'Records a loss on a collective bond issue; within the mitigation fund it is shared publicShare / the rest between public finance and the guarantee centre (R9).' })
  async recordCollectiveBondLoss(@Ctx() ctx: AuthedContext, @Arg('input', () => RecordCollectiveBondLossInput) input: RecordCollectiveBondLossInput) {
    return toPayload(ctx, 'issue', await recordCollectiveBondLoss(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() b: CollectiveBondIssueEntity): string {
    return toGlobalId('CollectiveBondIssue', b.id);
  }

  @FieldResolver(() => [CollectiveBondMember], { description: 'The members, largest counter-guarantee first.' })
  members(@Root() b: CollectiveBondIssueEntity, @Ctx() ctx: RequestContext): Promise<CollectiveBondMemberEntity[]> {
    return membersByIssue(ctx).load(b.id);
  }

  @FieldResolver(() => DecimalScalar, { description: 'The members\' supports together, CNY.' })
  async totalSupport(@Root() b: CollectiveBondIssueEntity, @Ctx() ctx: RequestContext): Promise<Decimal> {
    return (await membersByIssue(ctx).load(b.id)).reduce((sum, m) => sum.plus(m.support), new Decimal(0));
  }

  @FieldResolver(() => CollectiveBondLossSharing, { description: 'How the losses recorded so far are shared.' })
  async lossSharing(@Root() b: CollectiveBondIssueEntity, @Ctx() ctx: RequestContext): Promise<CollectiveBondLossSharing> {
    const { publicFinance, guaranteeCentre, beyondFund } = await bondFigures(ctx.db, b);
    return { publicFinance, guaranteeCentre, beyondFund };
  }

  @FieldResolver(() => Institution, { nullable: true, description: 'The guarantee centre sharing the losses.' })
  async guaranteeCentre(@Root() b: CollectiveBondIssueEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity | null> {
    return b.guaranteeCentreId ? institutionById(ctx).load(b.guaranteeCentreId) : null;
  }
}

@Resolver(() => CollectiveBondMember)
export class CollectiveBondMemberResolver {
  @FieldResolver(() => Enterprise, { description: 'The member.' })
  async enterprise(@Root() m: CollectiveBondMemberEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return ctx.db.getRepository(EnterpriseEntity).findOneByOrFail({ id: m.enterpriseId });
  }
}
