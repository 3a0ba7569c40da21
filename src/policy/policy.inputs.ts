import { ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { PlainName } from '../common/plain-text';
import { DateScalar, DecimalScalar, JSONScalar } from '../common/scalars';
import { CODE_PATTERN } from '../common/types';
import { IsDateValue, IsMoney, IsMultiple, IsRate, Len, MaxItems, Pattern } from '../common/validation';
import { SizeClassEnum } from '../enterprises/enterprise.enums';
import type { SizeClass } from '../enterprises/size-class';
import { ProductKindEnum } from '../institutions/institution.enums';
import type { ProductKind } from '../institutions/institution.rules';
import { GuaranteeAcceptanceEnum } from '../loans/guarantee.enums';
import type { GuaranteeAcceptance } from '../loans/guarantee.rules';
import { PolicyRuleKindEnum } from './policy.enums';
import type { PolicyRuleKind } from './rule-kinds';


@InputType({ description: 'A benchmark rate from a date on (DOMAIN §3).' })
export class SetBenchmarkRateInput {
  @Field({ description: 'Stable code that rules name, e.g. PBOC_1Y or LPR_1Y.' })
  @Pattern(CODE_PATTERN, 'INVALID_FORMAT', { expected: 'A-Z, 0-9, _' })
  code: string;

  @Field(() => DecimalScalar, { description: 'Annual rate as a fraction (0.0435 = 4.35 %).' })
  @IsRate()
  rate: Decimal;

  @Field(() => DateScalar, { description: 'First day it applies.' })
  @IsDateValue()
  effectiveFrom: string;

  @Field(() => String, { nullable: true, description: 'Where it was published.' })
  @Len(1, 500)
  source?: string | null;
}

@InputType({ description: 'One party\'s share of a loss (R7).' })
export class RiskShareInput {
  @Field({ description: 'GUARANTOR, RE_GUARANTOR, NATIONAL_FUND, BANK or LOCAL_GOVERNMENT.' })
  party: string;

  @Field(() => DecimalScalar, { description: 'Share of the loss, a fraction above 0 and at most 1.' })
  @IsRate()
  share: Decimal;
}

@InputType({ description: 'A risk-sharing rule (R7): shares that add up to exactly 1.' })
export class CreateRiskSharingRuleInput {
  @Field({ description: 'Name, unique, e.g. 安徽4321.' })
  @Len(1, 200)
  @PlainName()
  name: string;

  @Field(() => [RiskShareInput], { description: 'The parties and their shares, each party once.' })
  @MaxItems(5)
  @ValidateNested()
  shares: RiskShareInput[];
}

@InputType({ description: 'A bank–guarantor cooperation agreement (银担合作, R7).' })
export class CreateCooperationAgreementInput {
  @Field(() => ID, { description: 'The lender (a BANK, MICROLOAN or LEASING institution).' })
  bankId: string;

  @Field(() => ID, { description: 'The guarantor (GUARANTOR or RE_GUARANTOR).' })
  guarantorId: string;

  @Field(() => ID, { description: 'The risk-sharing rule the agreement uses.' })
  riskSharingRuleId: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Fee agreed for this bank\'s loans; default the guarantor\'s own fee.' })
  @IsRate()
  feeRate?: Decimal | null;

  @Field(() => GuaranteeAcceptanceEnum, {
    nullable: true,
    description: 'How the guarantor answers the guarantees this lender routes to it: AUTOMATIC (见贷即保, the default: accepted when the lender approves, refusable until a disbursement) or REVIEW (each waits for respondToGuarantee).',
  })
  guaranteeAcceptance?: GuaranteeAcceptance | null;
}

@InputType({ description: 'A risk-compensation pool (R8).' })
export class CreateRiskCompensationPoolInput {
  @Field({ description: 'Name, unique.' })
  @Len(1, 200)
  @PlainName()
  name: string;

  @Field(() => String, { nullable: true, description: 'Who funds it.' })
  @Len(1, 200)
  funder?: string | null;

  @Field(() => DecimalScalar, { description: 'Money deposited, CNY, above zero.' })
  @IsMoney({ positive: true })
  capacity: Decimal;

  @Field(() => String, { nullable: true, description: 'Policy source, e.g. 青政发〔2012〕46号 (27).' })
  @Len(1, 500)
  source?: string | null;
}

@InputType({ description: 'Which loans a policy rule concerns. An omitted or empty list does not restrict, but the regions must be named (regionPrefixes) or the rule marked national.' })
export class PolicyEligibilityInput {
  @Field(() => [ProductKindEnum], { nullable: true, description: 'Product kinds (default: the kind\'s own, e.g. LEASING for a leasing subsidy).' })
  productKinds?: ProductKind[] | null;

  @Field(() => [String], { nullable: true, description: 'Sector tags, any of (e.g. BLUE_ECONOMY, HIGH_END, EMERGING).' })
  @MaxItems(50)
  sectorTags?: string[] | null;

  @Field(() => [SizeClassEnum], { nullable: true, description: 'Size classes.' })
  sizeClasses?: SizeClass[] | null;

  @Field(() => [String], { nullable: true, description: 'Region prefixes (2, 4 or 6 digits).' })
  @MaxItems(100)
  regionPrefixes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Industry chains, any of.' })
  @MaxItems(20)
  industryChains?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'The rule applies in every region (a national policy). A rule names its region prefixes or is national, not both; one with neither is refused (REGION_REQUIRED).' })
  national?: boolean | null;
}

@InputType({ description: 'A policy rule (R8, R9). Creating an existing code makes its next version.' })
export class CreatePolicyRuleInput {
  @Field({ description: 'Stable name; creating an existing code makes its next version.' })
  @Pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,59}$/, 'INVALID_FORMAT', { expected: 'letters, digits, _ . -, 2–60 characters' })
  code: string;

  @Field(() => PolicyRuleKindEnum, { description: 'What the rule does; fixed across versions.' })
  kind: PolicyRuleKind;

  @Field(() => ID, { nullable: true, description: 'The pool a RISK_COMPENSATION rule draws on (required for that kind only).' })
  poolId?: string | null;

  @Field(() => JSONScalar, {
    description:
      'Parameters by kind: RISK_COMPENSATION commitmentRatio, lossShare, perLoanCap?; GUARANTEE_FEE_SUBSIDY benchmarkCode, ratioOfBenchmark, annualCapPerGuarantor?; GUARANTEE_RISK_SUBSIDY ratio, growthRatio?; LEASING_SUBSIDY, TURNOVER_FUND_SUBSIDY, INTEREST_SUBSIDY ratio; COLLECTIVE_BOND supportRatio, perEnterpriseCap, fundRatio, publicShare. Decimals as strings.',
  })
  params: unknown;

  @Field(() => PolicyEligibilityInput, { nullable: true, description: 'Which loans it concerns.' })
  @ValidateNested()
  eligibility?: PolicyEligibilityInput | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day the version applies (default: at once).' })
  @IsDateValue()
  effectiveFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Policy source, e.g. 青政发〔2012〕46号 (24).' })
  @Len(1, 500)
  source?: string | null;

  @Field(() => [String], { nullable: true, description: 'Document kinds a claim for the subsidy must name (issue 17 §3), upper-case codes such as LOAN_CONTRACT, GUARANTEE_CONTRACT, FEE_RECEIPT; none by default.' })
  @MaxItems(20)
  requiredDocuments?: string[] | null;
}

@InputType({ description: 'New figures for a guarantor (R6); omitted fields keep their value.' })
export class UpdateGuarantorProfileInput {
  @Field(() => ID, { description: 'The guarantor or re-guarantor.' })
  institutionId: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Net assets, CNY, above zero.' })
  @IsMoney({ positive: true })
  netAssets?: Decimal | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date the net assets are stated at (default today when netAssets is given).' })
  @IsDateValue()
  netAssetsAsOf?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Guarantee fee rate a year.' })
  @IsRate()
  feeRate?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Cap on the amplification multiple.' })
  @IsMultiple()
  capMultiple?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Policy target multiple.' })
  @IsMultiple()
  targetMultiple?: Decimal | null;
}
