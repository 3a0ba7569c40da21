import { Field, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { graphqlEnum } from '../common/enums';
import { SectorEnum, SizeClassEnum } from './enterprise.enums';
import { QUALIFICATION_SOURCES, QualificationSource } from './provenance';
import { EnterpriseEntity } from './enterprise.entity';
import type { Sector, SizeClass } from './size-class';

showsAs(EnterpriseEntity, 'Enterprise');

export const QualificationSourceEnum = graphqlEnum<QualificationSource>('QualificationSource', QUALIFICATION_SOURCES, 'Who stated a qualification (issue 11 §6).', {
  AUTHORITY: 'Recorded by an authority (setEnterpriseQualifications, imports): counts for products\' eligibility, pools and subsidies.',
  DECLARED: 'Declared by the firm itself (registerEnterprise, updateEnterpriseProfile): shown as declared, used by no rule.',
});

@ObjectType({ description: 'A qualification an enterprise holds (R3), e.g. HIGH_TECH 高新技术企业, TECH_SME 科技型中小企业, LISTING_RESERVE 上市储备库.', simpleResolvers: true })
export class Qualification {
  @Field({ description: 'Qualification code (upper-case), e.g. HIGH_TECH.' })
  code: string;

  @Field(() => DateScalar, { nullable: true, description: 'First day it is valid; null if not stated.' })
  validFrom: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it is valid; null if open-ended.' })
  validTo: string | null;

  @Field(() => QualificationSourceEnum, { description: 'AUTHORITY (counts for products\' QUALIFICATION check) or DECLARED by the firm (shown only).' })
  source: QualificationSource;
}

@ObjectType({ description: 'How to reach the enterprise. Private (R10): shown only to the enterprise itself and to whoever it consented to.', simpleResolvers: true })
export class Contact {
  @Field(() => String, { nullable: true, description: 'Contact person.' })
  person: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number.' })
  phone: string | null;

  @Field(() => String, { nullable: true, description: 'Email address.' })
  email: string | null;
}

@ObjectType({ implements: Node, description: 'An enterprise (企业), identified by its unified social credit code (R1, R3).' })
export class Enterprise {
  @Field({ description: '统一社会信用代码: 18 characters, upper-case, check character verified (R1, GB 32100-2015).' })
  creditCode: string;

  @Field({ description: 'Registered name.' })
  name: string;

  @Field(() => SectorEnum, { description: 'Sector under the SME size standard (R2).' })
  sector: Sector;

  @Field(() => SizeClassEnum, { description: 'Size class (企业划型), computed from employees, revenue and total assets under `sizeStandard` (R2).' })
  sizeClass: SizeClass;

  @Field({ description: 'Id of the standard the size class was computed under: MIIT-2011-300 = 工信部联企业〔2011〕300号.' })
  sizeStandard: string;

  @Field(() => String, { nullable: true, description: 'Industry code under GB/T 4754 (e.g. C3562), if given.' })
  industryCode: string | null;

  @Field({ description: 'Administrative division code (GB/T 2260, six digits) of the registered address.' })
  regionCode: string;

  @Field(() => DateScalar, { nullable: true, description: 'Founding date (成立日期).' })
  foundedOn: string | null;

  @Field(() => Int, { nullable: true, description: 'Employees (从业人员, X of R2).' })
  employees: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Annual revenue in CNY (营业收入, Y of R2, which the standard states in 万元).' })
  revenue: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Total assets in CNY (资产总额, Z of R2).' })
  totalAssets: Decimal | null;

  @Field(() => [String], { description: 'Industry chains (产业链) the firm belongs to, e.g. HYDROGEN, AI (see `industryChains`).' })
  industryChains: string[];

  @Field(() => [String], { description: 'Sector tags used by policy rules, e.g. BLUE_ECONOMY, HIGH_END, EMERGING (seed 004 Art. (27)), as an authority recorded them (setEnterpriseQualifications).' })
  sectorTags: string[];

  @Field(() => [String], { description: 'Sector tags the firm declared itself (registerEnterprise, updateEnterpriseProfile): shown as declared; no pool or subsidy rule reads them.' })
  declaredSectorTags: string[];

  @Field({
    description:
      'False for a record a whitelist or credit import created before the firm registered: only its credit code, listed name and the region its code carries are known; `sector` (OTHER) and `sizeClass` (MICRO, R2 with no figures) are not real values until it registers, and size-class filters do not match it.',
  })
  profileKnown: boolean;

  @Field({ description: 'True for a generated demo firm: not a real enterprise.' })
  synthetic: boolean;

  @Field(() => DateTimeScalar, { description: 'When the record was created.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: 'When the record last changed.' })
  updatedAt: Date;
}

@ObjectType({ description: 'An industry chain (产业链) of the deployment (seed 003); the list is data.', simpleResolvers: true })
export class IndustryChain {
  @Field({ description: 'Stable code, e.g. HYDROGEN.' })
  code: string;

  @Field({ description: 'Chinese name, e.g. 氢能.' })
  nameZh: string;

  @Field({ description: 'English name.' })
  nameEn: string;
}
