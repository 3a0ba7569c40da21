import { Field, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar, JSONScalar } from '../common/scalars';
import { SizeClassEnum } from '../enterprises/enterprise.enums';
import type { SizeClass } from '../enterprises/size-class';
import { ProductKindEnum } from '../institutions/institution.enums';
import type { ProductKind } from '../institutions/institution.rules';
import { CooperationAgreementEntity, PolicyRuleEntity, RiskSharingRuleEntity } from './policy.entity';
import { GuaranteeAcceptanceEnum } from '../loans/guarantee.enums';
import type { GuaranteeAcceptance } from '../loans/guarantee.rules';
import { PolicyRuleKindEnum } from './policy.enums';
import type { PolicyRuleKind } from './rule-kinds';

showsAs(RiskSharingRuleEntity, 'RiskSharingRule');
showsAs(CooperationAgreementEntity, 'CooperationAgreement');
showsAs(PolicyRuleEntity, 'PolicyRule');

@ObjectType({ description: 'A benchmark rate in force from a date (DOMAIN §3), e.g. PBOC_1Y 0.0435 from 2015-10-24.', simpleResolvers: true })
export class BenchmarkRate {
  @Field({ description: 'Code rules name, e.g. PBOC_1Y.' })
  code: string;

  @Field(() => DecimalScalar, { description: 'Annual rate as a fraction.' })
  rate: Decimal;

  @Field(() => DateScalar, { description: 'First day it applies.' })
  effectiveFrom: string;

  @Field(() => String, { nullable: true, description: 'Where it was published.' })
  source: string | null;
}

@ObjectType({ description: 'One party\'s share of a loss (R7).', simpleResolvers: true })
export class RiskShare {
  @Field({ description: 'GUARANTOR, RE_GUARANTOR, NATIONAL_FUND, BANK or LOCAL_GOVERNMENT.' })
  party: string;

  @Field(() => DecimalScalar, { description: 'Share of the loss, a fraction.' })
  share: Decimal;
}

@ObjectType({ implements: Node, description: 'A risk-sharing rule (风险分担, R7), e.g. Anhui 4321: shares of a loss that add up to exactly 1.' })
export class RiskSharingRule {
  @Field({ description: 'Name.' })
  name: string;

  @Field(() => DecimalScalar, { description: 'Share of a loss the bank does not bear: 1 − the bank\'s share.' })
  coverageRatio: Decimal;

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt: Date;
}

@ObjectType({ implements: Node, description: 'A bank–guarantor cooperation agreement (银担合作, R7): the guarantor serves this lender under the named risk-sharing rule.' })
export class CooperationAgreement {
  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt: Date;

  @Field(() => GuaranteeAcceptanceEnum, { description: 'How the guarantor answers the guarantees this lender routes: AUTOMATIC (见贷即保) or REVIEW (issue 17 §1).' })
  guaranteeAcceptance: GuaranteeAcceptance;
}

@ObjectType({ description: 'Which loans a policy rule concerns; an empty list does not restrict.', simpleResolvers: true })
export class PolicyEligibility {
  @Field(() => [ProductKindEnum], { description: 'Product kinds (empty: the kind\'s own default, or all).' })
  productKinds: ProductKind[];

  @Field(() => [String], { description: 'Sector tags, any of.' })
  sectorTags: string[];

  @Field(() => [SizeClassEnum], { description: 'Size classes.' })
  sizeClasses: SizeClass[];

  @Field(() => [String], { description: 'Region prefixes.' })
  regionPrefixes: string[];

  @Field(() => [String], { description: 'Industry chains, any of.' })
  industryChains: string[];

  @Field({ description: 'Whether the rule applies in every region (a national policy) rather than in its region prefixes.' })
  national: boolean;
}

@ObjectType({ implements: Node, description: 'One version of a policy rule (R8, R9): its kind, parameters and the loans it concerns. Matches and loans keep the version they used.' })
export class PolicyRule {
  @Field({ description: 'Stable name across versions.' })
  code: string;

  @Field({ description: 'Version number, from 1.' })
  version: number;

  @Field({ description: 'Whether this is the newest version of its code.' })
  latest: boolean;

  @Field(() => PolicyRuleKindEnum, { description: 'What the rule does.' })
  kind: PolicyRuleKind;

  @Field(() => JSONScalar, { description: 'Parameters as accepted (decimals as strings).' })
  params: Record<string, string>;

  @Field(() => [String], { description: 'Document kinds a claim for this rule\'s subsidy must name (issue 17 §3), e.g. LOAN_CONTRACT, GUARANTEE_CONTRACT.' })
  requiredDocuments: string[];

  @Field(() => DateScalar, { nullable: true, description: 'First day this version applies (null: from its creation).' })
  effectiveFrom: string | null;

  @Field(() => String, { nullable: true, description: 'Policy source.' })
  source: string | null;

  @Field(() => DateTimeScalar, { description: 'When this version was created.' })
  createdAt: Date;
}
