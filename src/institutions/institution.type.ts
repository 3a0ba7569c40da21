import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { CreditRatingEnum, TaxGradeEnum } from '../credit/credit.enums';
import type { CreditRating, TaxGrade } from '../credit/grades';
import { SectorEnum, SizeClassEnum } from '../enterprises/enterprise.enums';
import type { Sector, SizeClass } from '../enterprises/size-class';
import { CollateralTypeEnum, EquityStageEnum, NeedKindEnum } from '../needs/need.enums';
import type { CollateralType, EquityStage, NeedKind } from '../needs/need.rules';
import { QualificationTierEnum } from '../whitelists/whitelist.enums';
import type { QualificationTier } from '../whitelists/tier';
import { InstitutionKindEnum, ProductKindEnum } from './institution.enums';
import { InstitutionEntity } from './institution.entity';
import type { InstitutionKind, ProductKind } from './institution.rules';
import { ProductEntity } from './product.entity';

showsAs(InstitutionEntity, 'Institution');
showsAs(ProductEntity, 'FinancialProduct');

@ObjectType({ description: 'A guarantor\'s capacity under its amplification cap (放大倍数, R6).', simpleResolvers: true })
export class GuaranteeCapacity {
  @Field(() => DecimalScalar, { description: 'Net assets, CNY.' })
  netAssets: Decimal;

  @Field(() => DateScalar, { description: 'Date the net assets were stated at.' })
  netAssetsAsOf: string;

  @Field(() => DecimalScalar, { description: 'Weighted outstanding guarantee liability, CNY (risk weights 1.0 / 0.75, R6).' })
  liability: Decimal;

  @Field(() => DecimalScalar, { description: 'liability ÷ net assets.' })
  amplificationMultiple: Decimal;

  @Field(() => DecimalScalar, { description: 'Regulatory cap on the multiple: 10, or 15 for a guarantor mainly serving small, micro and agricultural borrowers.' })
  capMultiple: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'Policy floor on the multiple (e.g. 5 for the Shanghai policy fund), if any.' })
  targetMultiple: Decimal | null;

  @Field(() => DecimalScalar, { description: 'netAssets × capMultiple − liability: room for new weighted guarantees, CNY.' })
  remainingCapacity: Decimal;

  @Field(() => DecimalScalar, { description: 'Most one borrower\'s guaranteed liability may reach: 10 % of net assets.' })
  singleBorrowerLimit: Decimal;

  @Field({ description: 'UNDER_TARGET (multiple below target), WITHIN, or AT_CAP (no room left).' })
  status: string;

  @Field(() => DecimalScalar, { description: 'Guarantee fee rate a year, a fraction of the guaranteed amount.' })
  feeRate: Decimal;

  @Field({ description: 'Designated as mainly serving small, micro and agricultural borrowers.' })
  smallMicroFocused: boolean;
}

@ObjectType({ implements: Node, description: 'A bank, guarantor, investor or other institution (R12).' })
export class Institution {
  @Field(() => InstitutionKindEnum, { description: 'What the institution is.' })
  kind: InstitutionKind;

  @Field({ description: 'Name (unique).' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Region code of its seat (GB/T 2260).' })
  regionCode: string | null;

  @Field(() => [String], { description: 'Region prefixes it serves.' })
  coverageRegions: string[];

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt: Date;
}

@ObjectType({ description: 'Who a product is for (R12): every stated condition must hold; empty lists and nulls do not restrict.', simpleResolvers: true })
export class Eligibility {
  @Field(() => [String], { description: 'Region prefixes (GB/T 2260); `1101` covers every code starting with it.' })
  regionPrefixes: string[];

  @Field(() => [SectorEnum], { description: 'Sectors.' })
  sectors: Sector[];

  @Field(() => [String], { description: 'Industry chains.' })
  industryChains: string[];

  @Field(() => [SizeClassEnum], { description: 'Size classes.' })
  sizeClasses: SizeClass[];

  @Field(() => Int, { nullable: true, description: 'Minimum whole years since founding.' })
  minYearsInBusiness: number | null;

  @Field(() => QualificationTierEnum, { nullable: true, description: 'Whitelist tier at least this (R4).' })
  whitelistTierAtLeast: QualificationTier | null;

  @Field(() => [String], { description: 'Qualifications required (all of them).' })
  qualifications: string[];

  @Field(() => CreditRatingEnum, { nullable: true, description: 'Minimum credit rating (R5).' })
  minRating: CreditRating | null;

  @Field(() => TaxGradeEnum, { nullable: true, description: 'Minimum tax credit grade (R5).' })
  minTaxGrade: TaxGrade | null;

  @Field({ description: 'No active dishonesty listing (R5).' })
  noActiveDishonesty: boolean;

  @Field(() => Int, { nullable: true, description: 'Most overdue events in the last 12 months (R5).' })
  maxOverdueCount12m: number | null;

  @Field(() => Int, { nullable: true, description: 'Credit data no older than this many days (R5).' })
  maxCreditDataAgeDays: number | null;

  @Field({ description: 'Only firms that never had a bank loan (首贷户).' })
  firstLoanOnly: boolean;

  @Field(() => DecimalScalar, { nullable: true, description: 'Minimum annual revenue, CNY (营业收入, R3); a firm that states no revenue does not qualify.' })
  minAnnualRevenue: Decimal | null;
}

@ObjectType({ description: 'What an equity product invests in.', simpleResolvers: true })
export class EquityCriteria {
  @Field(() => [EquityStageEnum], { description: 'Rounds it invests in; empty = any.' })
  stages: EquityStage[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Smallest ticket, CNY.' })
  minTicket: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Largest ticket, CNY.' })
  maxTicket: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Highest pre-money valuation it invests at, CNY.' })
  maxPreMoneyValuation: Decimal | null;
}

@ObjectType({ implements: Node, description: 'A financial product an institution offers (金融产品, R12).' })
export class FinancialProduct {
  @Field({ description: 'Product name.' })
  name: string;

  @Field(() => ProductKindEnum, { description: 'Kind of product.' })
  kind: ProductKind;

  @Field(() => NeedKindEnum, { description: 'Kind of need it serves.' })
  needKind: NeedKind;

  @Field(() => DecimalScalar, { description: 'Smallest amount, CNY.' })
  minAmount: Decimal;

  @Field(() => DecimalScalar, { description: 'Largest amount, CNY.' })
  maxAmount: Decimal;

  @Field(() => Int, { nullable: true, description: 'Shortest term, months.' })
  minTermMonths: number | null;

  @Field(() => Int, { nullable: true, description: 'Longest term, months.' })
  maxTermMonths: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Lowest annual rate, a fraction (the indicative rate of a match).' })
  minAnnualRate: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Highest annual rate, a fraction.' })
  maxAnnualRate: Decimal | null;

  @Field(() => [CollateralTypeEnum], { description: 'Security accepted; empty = none required.' })
  collateralAccepted: CollateralType[];

  @Field({ description: 'Whether a guarantor must cover the loan.' })
  requiresGuarantee: boolean;

  @Field(() => DateScalar, { nullable: true, description: 'First day it is offered.' })
  activeFrom: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it is offered.' })
  activeTo: string | null;

  @Field({ description: 'False once its institution or an authority switched it off.' })
  enabled: boolean;

  @Field(() => Int, { description: 'Revision, bumped by every change.' })
  version: number;

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt: Date;
}

export const InstitutionConnection = connectionType(Institution, 'Institution', 'institution');
export const FinancialProductConnection = connectionType(FinancialProduct, 'FinancialProduct', 'financial product');

@InputType({ description: 'Filters for `institutions`.' })
export class InstitutionFilter {
  @Field(() => [InstitutionKindEnum], { nullable: true, description: 'Any of these kinds.' })
  kind?: InstitutionKind[] | null;

  @Field(() => String, { nullable: true, description: 'Name contains this text.' })
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'Seat\'s region code starts with this.' })
  regionPrefix?: string | null;
}

@InputType({ description: 'Filters for `products`.' })
export class ProductFilter {
  @Field(() => String, { nullable: true, description: 'Offered by this institution (id).' })
  institutionId?: string | null;

  @Field(() => [ProductKindEnum], { nullable: true, description: 'Any of these kinds.' })
  kind?: ProductKind[] | null;

  @Field(() => NeedKindEnum, { nullable: true, description: 'Serves this kind of need.' })
  needKind?: NeedKind | null;

  @Field(() => DateScalar, { nullable: true, description: 'Enabled and within its active window on this date.' })
  activeOn?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Amount range contains this amount.' })
  amount?: Decimal | null;

  @Field(() => String, { nullable: true, description: 'Open to an enterprise with this region code (no region restriction, or a prefix of it).' })
  regionCode?: string | null;
}
