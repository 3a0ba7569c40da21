import { ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { PlainName } from '../common/plain-text';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { AtLeast, AtMost, Email, IsDateValue, IsMoney, Len, MaxItems, Pattern } from '../common/validation';
import { SectorEnum } from './enterprise.enums';
import type { Sector } from './size-class';

@InputType({ description: 'How to reach the enterprise (private, R10).' })
export class ContactInput {
  @Field(() => String, { nullable: true, description: 'Contact person.' })
  @Len(1, 100)
  person?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number: digits, spaces, dashes, optional leading +.' })
  @Pattern(/^\+?[0-9][0-9 -]{4,30}$/, 'INVALID_PHONE')
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Email address.' })
  @Email()
  email?: string | null;
}

@InputType({ description: 'A qualification with its validity (R3).' })
export class QualificationInput {
  @Field({ description: 'Upper-case code, e.g. HIGH_TECH, TECH_SME, LISTING_RESERVE.' })
  @Pattern(/^[A-Z][A-Z0-9_]{1,39}$/, 'INVALID_TAG', { value: 'code' })
  code: string;

  @Field(() => DateScalar, { nullable: true, description: 'First valid day.' })
  @IsDateValue()
  validFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last valid day.' })
  @IsDateValue()
  validTo?: string | null;
}

/** Fields shared by registration and profile updates. */
/** Fields shared by registration and updates (type-graphql 2 needs the base decorated; unreferenced, it is not emitted). */
@InputType()
abstract class ProfileFields {
  @Field(() => DateScalar, { nullable: true, description: 'Founding date; not in the future.' })
  @IsDateValue()
  foundedOn?: string | null;

  @Field(() => Int, { nullable: true, description: 'Employees (X of R2).' })
  @AtLeast(0)
  @AtMost(10_000_000)
  employees?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Annual revenue in CNY, not 万元 (Y of R2).' })
  @IsMoney()
  revenue?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Total assets in CNY, not 万元 (Z of R2).' })
  @IsMoney()
  totalAssets?: Decimal | null;

  @Field(() => String, { nullable: true, description: 'GB/T 4754 industry code: section letter and 2–4 digits, e.g. C3562.' })
  @Pattern(/^[A-T][0-9]{2,4}$/, 'INVALID_INDUSTRY_CODE')
  industryCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'Industry chain codes (see the `industryChains` query).' })
  @MaxItems(10)
  industryChains?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Sector tags the firm declares (shown as `declaredSectorTags`; policy rules read only the ones an authority records).' })
  @MaxItems(20)
  sectorTags?: string[] | null;

  @Field(() => ContactInput, { nullable: true, description: 'Contact (private, R10).' })
  @ValidateNested()
  contact?: ContactInput | null;

  @Field(() => [QualificationInput], { nullable: true, description: 'Qualifications the firm declares (source DECLARED); replaces its declared list. Products count only those an authority records.' })
  @MaxItems(20)
  @ValidateNested({ each: true })
  qualifications?: QualificationInput[] | null;
}

@InputType({ description: 'Register the caller\'s enterprise, or claim one a whitelist or credit import created without an owner.' })
export class RegisterEnterpriseInput extends ProfileFields {
  @Field({ description: '统一社会信用代码; trimmed and upper-cased, then checked (R1).' })
  creditCode: string;

  @Field({ description: 'Registered name.' })
  @Len(1, 200)
  @PlainName()
  name: string;

  @Field(() => SectorEnum, { description: 'Sector under the size standard (R2).' })
  sector: Sector;

  @Field({ description: 'Administrative division code, six digits (GB/T 2260).' })
  regionCode: string;
}

@InputType({ description: 'Change an enterprise profile. Omitted fields stay as they are; null clears an optional one. The size class is recomputed.' })
export class UpdateEnterpriseProfileInput extends ProfileFields {
  @Field(() => ID, { nullable: true, description: 'The enterprise to change: ADMIN only; an ENTERPRISE token changes its own.' })
  enterpriseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Registered name.' })
  @Len(1, 200)
  @PlainName()
  name?: string | null;

  @Field(() => SectorEnum, { nullable: true, description: 'Sector under the size standard (R2).' })
  sector?: Sector | null;

  @Field(() => String, { nullable: true, description: 'Administrative division code, six digits (GB/T 2260).' })
  regionCode?: string | null;
}

@InputType({ description: 'An authority records the sector tags and qualifications it vouches for: the only ones products, pools and subsidies read.' })
export class SetEnterpriseQualificationsInput {
  @Field({ description: 'The firm (统一社会信用代码, R1).' })
  creditCode: string;

  @Field(() => [String], { nullable: true, description: 'Sector tags, e.g. EMERGING, BLUE_ECONOMY, HIGH_END; replaces the authority\'s list (omit to keep it).' })
  @MaxItems(20)
  sectorTags?: string[] | null;

  @Field(() => [QualificationInput], { nullable: true, description: 'Qualifications, e.g. HIGH_TECH, LISTING_RESERVE; replaces the authority\'s list (omit to keep it).' })
  @MaxItems(20)
  @ValidateNested({ each: true })
  qualifications?: QualificationInput[] | null;
}
