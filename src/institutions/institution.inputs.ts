import { ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { PlainName } from '../common/plain-text';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { AtLeast, AtMost, IsDateValue, IsMoney, IsMultiple, IsRate, Len, MaxItems } from '../common/validation';
import { CreditRatingEnum, TaxGradeEnum } from '../credit/credit.enums';
import type { CreditRating, TaxGrade } from '../credit/grades';
import { SectorEnum, SizeClassEnum } from '../enterprises/enterprise.enums';
import type { Sector, SizeClass } from '../enterprises/size-class';
import { CollateralTypeEnum, EquityStageEnum, NeedKindEnum } from '../needs/need.enums';
import type { CollateralType, EquityStage, NeedKind } from '../needs/need.rules';
import { QualificationTierEnum } from '../whitelists/whitelist.enums';
import type { QualificationTier } from '../whitelists/tier';
import { InstitutionKindEnum, ProductKindEnum } from './institution.enums';
import type { InstitutionKind, ProductKind } from './institution.rules';

@InputType({ description: 'A guarantor\'s figures (R6).' })
export class GuaranteeProfileInput {
  @Field(() => DecimalScalar, { description: 'Net assets, CNY, more than zero.' })
  @IsMoney({ positive: true })
  netAssets: Decimal;

  @Field(() => DateScalar, { nullable: true, description: 'Date the net assets are stated at (default today).' })
  @IsDateValue()
  netAssetsAsOf?: string | null;

  @Field(() => DecimalScalar, { description: 'Guarantee fee rate a year, a fraction (0.01 = 1 %).' })
  @IsRate()
  feeRate: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'Cap on the amplification multiple (default 10, or 15 when smallMicroFocused).' })
  @IsMultiple()
  capMultiple?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Policy target multiple (e.g. 5).' })
  @IsMultiple()
  targetMultiple?: Decimal | null;

  @Field(() => Boolean, { nullable: true, description: 'Mainly serves small, micro and agricultural borrowers (cap 15).' })
  smallMicroFocused?: boolean | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Guarantee liability carried in from before, CNY, weight 1.0.' })
  @IsMoney()
  openingLiability?: Decimal | null;
}

@InputType({ description: 'A new institution.' })
export class CreateInstitutionInput {
  @Field(() => InstitutionKindEnum, { description: 'What it is.' })
  kind: InstitutionKind;

  @Field({ description: 'Name, unique.' })
  @Len(1, 200)
  @PlainName()
  name: string;

  @Field(() => String, { nullable: true, description: 'Region code of its seat, six digits.' })
  regionCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'Region prefixes it serves (2, 4 or 6 digits).' })
  @MaxItems(100)
  coverageRegions?: string[] | null;

  @Field(() => GuaranteeProfileInput, { nullable: true, description: 'Required for GUARANTOR and RE_GUARANTOR; refused for other kinds.' })
  @ValidateNested()
  guarantee?: GuaranteeProfileInput | null;
}

@InputType({ description: 'Who a product is for (R12). Omitted or empty = no restriction.' })
export class EligibilityInput {
  @Field(() => [String], { nullable: true, description: 'Region prefixes (2, 4 or 6 digits).' })
  @MaxItems(100)
  regionPrefixes?: string[] | null;

  @Field(() => [SectorEnum], { nullable: true, description: 'Sectors.' })
  sectors?: Sector[] | null;

  @Field(() => [String], { nullable: true, description: 'Industry chains.' })
  @MaxItems(20)
  industryChains?: string[] | null;

  @Field(() => [SizeClassEnum], { nullable: true, description: 'Size classes.' })
  sizeClasses?: SizeClass[] | null;

  @Field(() => Int, { nullable: true, description: 'Minimum whole years since founding.' })
  @AtLeast(0)
  @AtMost(100)
  minYearsInBusiness?: number | null;

  @Field(() => QualificationTierEnum, { nullable: true, description: 'Whitelist tier at least this.' })
  whitelistTierAtLeast?: QualificationTier | null;

  @Field(() => [String], { nullable: true, description: 'Qualifications required, e.g. HIGH_TECH.' })
  @MaxItems(20)
  qualifications?: string[] | null;

  @Field(() => CreditRatingEnum, { nullable: true, description: 'Minimum credit rating.' })
  minRating?: CreditRating | null;

  @Field(() => TaxGradeEnum, { nullable: true, description: 'Minimum tax credit grade.' })
  minTaxGrade?: TaxGrade | null;

  @Field(() => Boolean, { nullable: true, description: 'No active dishonesty listing.' })
  noActiveDishonesty?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Most overdue events in the last 12 months.' })
  @AtLeast(0)
  @AtMost(1000)
  maxOverdueCount12m?: number | null;

  @Field(() => Int, { nullable: true, description: 'Credit data no older than this many days.' })
  @AtLeast(0)
  @AtMost(3650)
  maxCreditDataAgeDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Only firms that never had a bank loan.' })
  firstLoanOnly?: boolean | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Minimum annual revenue, CNY (R3); a firm that states no revenue does not qualify.' })
  @IsMoney()
  minAnnualRevenue?: Decimal | null;
}

@InputType({ description: 'What an equity product invests in.' })
export class EquityCriteriaInput {
  @Field(() => [EquityStageEnum], { nullable: true, description: 'Rounds; empty = any.' })
  stages?: EquityStage[] | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Smallest ticket, CNY.' })
  @IsMoney()
  minTicket?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Largest ticket, CNY.' })
  @IsMoney()
  maxTicket?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Highest pre-money valuation, CNY.' })
  @IsMoney()
  maxPreMoneyValuation?: Decimal | null;
}

/** Product fields shared by create and update. */
@InputType()
abstract class ProductFields {
  @Field(() => Int, { nullable: true, description: 'Shortest term, months (1–360).' })
  @AtLeast(1)
  @AtMost(360)
  minTermMonths?: number | null;

  @Field(() => Int, { nullable: true, description: 'Longest term, months (1–360).' })
  @AtLeast(1)
  @AtMost(360)
  maxTermMonths?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Lowest annual rate, a fraction.' })
  @IsRate()
  minAnnualRate?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Highest annual rate, a fraction.' })
  @IsRate()
  maxAnnualRate?: Decimal | null;

  @Field(() => [CollateralTypeEnum], { nullable: true, description: 'Security accepted.' })
  collateralAccepted?: CollateralType[] | null;

  @Field(() => Boolean, { nullable: true, description: 'A guarantor must cover the loan (default: true for GUARANTEED_LOAN).' })
  requiresGuarantee?: boolean | null;

  @Field(() => EligibilityInput, { nullable: true, description: 'Who it is for; on update, replaces the whole eligibility.' })
  @ValidateNested()
  eligibility?: EligibilityInput | null;

  @Field(() => EquityCriteriaInput, { nullable: true, description: 'Equity products only.' })
  @ValidateNested()
  equity?: EquityCriteriaInput | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day offered.' })
  @IsDateValue()
  activeFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day offered.' })
  @IsDateValue()
  activeTo?: string | null;
}

@InputType({ description: 'A new product (R12).' })
export class CreateProductInput extends ProductFields {
  @Field(() => ID, { description: 'Institution offering it; an institution token may name only its own.' })
  institutionId: string;

  @Field({ description: 'Product name.' })
  @Len(1, 200)
  @PlainName()
  name: string;

  @Field(() => ProductKindEnum, { description: 'Kind of product.' })
  kind: ProductKind;

  @Field(() => NeedKindEnum, { description: 'Kind of need it serves (EQUITY for equity investment).' })
  needKind: NeedKind;

  @Field(() => DecimalScalar, { description: 'Smallest amount, CNY.' })
  @IsMoney()
  minAmount: Decimal;

  @Field(() => DecimalScalar, { description: 'Largest amount, CNY, more than zero.' })
  @IsMoney({ positive: true })
  maxAmount: Decimal;
}

@InputType({ description: 'Changes to a product: omitted fields stay; null clears an optional one. Bumps its version.' })
export class UpdateProductInput extends ProductFields {
  @Field(() => ID, { description: 'The product.' })
  productId: string;

  @Field(() => String, { nullable: true, description: 'Product name.' })
  @Len(1, 200)
  @PlainName()
  name?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Smallest amount, CNY.' })
  @IsMoney()
  minAmount?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Largest amount, CNY.' })
  @IsMoney({ positive: true })
  maxAmount?: Decimal | null;

  @Field(() => Boolean, { nullable: true, description: 'False switches the product off; true back on.' })
  enabled?: boolean | null;
}
