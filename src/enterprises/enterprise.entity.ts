import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, TextArrayColumn, UpdatedAt } from '../database/columns';
import type { QualificationSource } from './provenance';
import { Sector, SizeClass } from './size-class';

/** An enterprise (R3). Contact columns are private (R10): only the contact field resolver reads them. */
@Entity('enterprise')
export class EnterpriseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'credit_code', type: 'varchar', length: 18, unique: true })
  creditCode: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  sector: Sector;

  @Column({ name: 'industry_code', type: 'varchar', length: 5, nullable: true })
  industryCode: string | null;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @DateColumn('founded_on', { nullable: true })
  foundedOn: string | null;

  @Column({ type: 'int', nullable: true })
  employees: number | null;

  @MoneyColumn('revenue', { nullable: true })
  revenue: Decimal | null;

  @MoneyColumn('total_assets', { nullable: true })
  totalAssets: Decimal | null;

  @Column({ name: 'size_class', type: 'text' })
  sizeClass: SizeClass;

  /** Id of the size standard the class was computed under (R2). */
  @Column({ name: 'size_standard', type: 'text' })
  sizeStandard: string;

  @TextArrayColumn('industry_chains')
  industryChains: string[];

  /** Sector tags an authority recorded (provenance.ts): the ones policy rules read. */
  @TextArrayColumn('sector_tags')
  sectorTags: string[];

  /** Sector tags the firm declared itself: shown, never used by a rule. */
  @TextArrayColumn('declared_sector_tags')
  declaredSectorTags: string[];

  @Column({ name: 'contact_person', type: 'varchar', length: 100, nullable: true })
  contactPerson: string | null;

  @Column({ name: 'contact_phone', type: 'varchar', length: 40, nullable: true })
  contactPhone: string | null;

  @Column({ name: 'contact_email', type: 'varchar', length: 200, nullable: true })
  contactEmail: string | null;

  /**
   * False for a record a whitelist or credit import created: only the credit code, the listed name and
   * the region the code carries are known; sector and size class are unknown until the firm registers.
   */
  @Column({ name: 'profile_known', type: 'boolean', default: true })
  profileKnown: boolean;

  /** Demo data: a generated firm, not a real one. */
  @Column({ type: 'boolean', default: false })
  synthetic: boolean;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/** A qualification an enterprise holds (R3: HIGH_TECH, TECH_SME, LISTING_RESERVE …), with its validity. */
@Entity('enterprise_qualification')
export class EnterpriseQualificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text' })
  code: string;

  @DateColumn('valid_from', { nullable: true })
  validFrom: string | null;

  @DateColumn('valid_to', { nullable: true })
  validTo: string | null;

  /** AUTHORITY (counts for products' eligibility) or DECLARED by the firm (shown only). */
  @Column({ type: 'text' })
  source: QualificationSource;

  @CreatedAt()
  createdAt: Date;
}

/** A person (JWT `sub`) bound to the enterprise they act for (registerEnterprise). */
@Entity('enterprise_user')
export class EnterpriseUserEntity {
  @Column({ type: 'text', primary: true })
  sub: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @CreatedAt()
  createdAt: Date;
}

/** The list of industry chains (产业链, seed 003); data, extendable. */
@Entity('industry_chain')
export class IndustryChainEntity {
  @Column({ type: 'text', primary: true })
  code: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;
}
