import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { Decimal } from '../common/decimal';
import { badArgument } from '../common/errors';
import { payloadType, toPayload } from '../common/payload';
import { DateTimeScalar, DecimalScalar } from '../common/scalars';
import { localize } from '../common/user-error';
import { AtLeast, AtMost, PayloadMutation } from '../common/validation';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { bookGuaranteeGrowthSubsidy, GrowthSubsidy, guaranteeGrowthSubsidy } from './policy.growth.service';

@ObjectType({ description: 'The growth part of a guarantee risk subsidy (R9, seed 004 Art. (24)): growthRatio × the growth of a guarantor\'s small and micro guarantee volume in a year over the year before.', simpleResolvers: true })
export class GuaranteeGrowthSubsidy {
  @Field(() => Int, { description: 'The year (over).' })
  year: number;

  @Field(() => DecimalScalar, { description: 'Small and micro guaranteed principal whose guarantee started that year, of borrowers in the rule\'s regions, CNY (from the ledger\'s guarantees).' })
  volume: Decimal;

  @Field(() => DecimalScalar, { description: 'The same the year before, CNY.' })
  previousVolume: Decimal;

  @Field(() => DecimalScalar, { description: 'volume − previousVolume, never below zero, CNY.' })
  growth: Decimal;

  @Field(() => DecimalScalar, { description: 'growthRatio × growth, CNY.' })
  amount: Decimal;

  @Field({ description: 'The rule version (CODE@vN) it is computed under: the version of the code in force today.' })
  ruleVersion: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was booked (bookGuaranteeGrowthSubsidy); null if not yet.' })
  bookedAt: Date | null;
}

@InputType({ description: 'A guarantor, a year that is over, and the GUARANTEE_RISK_SUBSIDY rule whose growthRatio applies.' })
export class GuaranteeGrowthSubsidyInput {
  @Field(() => ID, { description: 'The guarantor.' })
  guarantorId: string;

  @Field({ description: 'The GUARANTEE_RISK_SUBSIDY rule\'s code, e.g. QD-GUARANTEE-RISK.' })
  ruleCode: string;

  @Field(() => Int, { description: 'The year, before the current one.' })
  @AtLeast(1900)
  @AtMost(2999)
  year: number;
}

export const GuaranteeGrowthSubsidyPayload = payloadType('GuaranteeGrowthSubsidyPayload', 'subsidy', () => GuaranteeGrowthSubsidy, 'Result of booking a guarantor\'s growth subsidy for a year.');

@Resolver(() => GuaranteeGrowthSubsidy)
export class GuaranteeGrowthSubsidyResolver {
  @Authorized(MANAGERS)
  @Query(() => GuaranteeGrowthSubsidy, { description: 'A guarantor\'s small and micro guarantee volume in a year and the year before, and the growth subsidy it earns (R9), without booking it.' })
  async guaranteeGrowthSubsidy(@Ctx() ctx: RequestContext, @Arg('input', () => GuaranteeGrowthSubsidyInput) input: GuaranteeGrowthSubsidyInput): Promise<GrowthSubsidy> {
    const result = await guaranteeGrowthSubsidy(ctx, input);
    if (!result.ok) {
      const refusal = localize(ctx.lang, result.failures[0]);
      throw badArgument(refusal.message, ['input', ...result.failures[0].field].join('.'), { reason: refusal.code });
    }
    return result.value;
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => GuaranteeGrowthSubsidyPayload, {
    description: 'Books a guarantor\'s growth subsidy for a year that is over (R9, seed 004 Art. (24)): growthRatio × the growth of its small and micro guarantee volume over the year before; once per guarantor, year and rule.',
  })
  async bookGuaranteeGrowthSubsidy(@Ctx() ctx: AuthedContext, @Arg('input', () => GuaranteeGrowthSubsidyInput) input: GuaranteeGrowthSubsidyInput) {
    return toPayload(ctx, 'subsidy', await bookGuaranteeGrowthSubsidy(ctx, input));
  }

  @FieldResolver(() => Institution, { description: 'The guarantor.' })
  async guarantor(@Root() s: GrowthSubsidy, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(s.guarantorId))!;
  }
}
