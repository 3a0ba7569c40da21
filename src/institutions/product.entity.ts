import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, RateColumn, TextArrayColumn, UpdatedAt } from '../database/columns';
import type { CreditRating, TaxGrade } from '../credit/grades';
import type { Sector, SizeClass } from '../enterprises/size-class';
import type { CollateralType, EquityStage, NeedKind } from '../needs/need.rules';
import type { QualificationTier } from '../whitelists/tier';
import { ProductKind } from './institution.rules';

/**
 * A financial product (R12). Eligibility sits in columns, not a JSON blob, so the matching engine can
 * narrow candidates in SQL with indexes (STYLE.md habit 3).
 */
@Entity('product')
export class ProductEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  kind: ProductKind;

  @Column({ name: 'need_kind', type: 'text' })
  needKind: NeedKind;

  @MoneyColumn('min_amount')
  minAmount: Decimal;

  @MoneyColumn('max_amount')
  maxAmount: Decimal;

  @Column({ name: 'min_term_months', type: 'int', nullable: true })
  minTermMonths: number | null;

  @Column({ name: 'max_term_months', type: 'int', nullable: true })
  maxTermMonths: number | null;

  @RateColumn('min_annual_rate', { nullable: true })
  minAnnualRate: Decimal | null;

  @RateColumn('max_annual_rate', { nullable: true })
  maxAnnualRate: Decimal | null;

  @TextArrayColumn('collateral_accepted')
  collateralAccepted: CollateralType[];

  @Column({ name: 'requires_guarantee', type: 'boolean', default: false })
  requiresGuarantee: boolean;

  // Eligibility (R12): an empty list or a null means "no restriction".
  @TextArrayColumn('region_prefixes')
  regionPrefixes: string[];

  @TextArrayColumn('sectors')
  sectors: Sector[];

  @TextArrayColumn('industry_chains')
  industryChains: string[];

  @TextArrayColumn('size_classes')
  sizeClasses: SizeClass[];

  @Column({ name: 'min_years_in_business', type: 'int', nullable: true })
  minYearsInBusiness: number | null;

  @Column({ name: 'whitelist_tier_at_least', type: 'text', nullable: true })
  whitelistTierAtLeast: QualificationTier | null;

  @TextArrayColumn('qualifications')
  qualifications: string[];

  @Column({ name: 'min_rating', type: 'text', nullable: true })
  minRating: CreditRating | null;

  @Column({ name: 'min_tax_grade', type: 'text', nullable: true })
  minTaxGrade: TaxGrade | null;

  @Column({ name: 'no_active_dishonesty', type: 'boolean', default: false })
  noActiveDishonesty: boolean;

  @Column({ name: 'max_overdue_count_12m', type: 'int', nullable: true })
  maxOverdueCount12m: number | null;

  @Column({ name: 'max_credit_data_age_days', type: 'int', nullable: true })
  maxCreditDataAgeDays: number | null;

  @Column({ name: 'first_loan_only', type: 'boolean', default: false })
  firstLoanOnly: boolean;

  @MoneyColumn('min_annual_revenue', { nullable: true })
  minAnnualRevenue: Decimal | null;

  // Equity criteria (equity products only).
  @TextArrayColumn('equity_stages')
  equityStages: EquityStage[];

  @MoneyColumn('min_ticket', { nullable: true })
  minTicket: Decimal | null;

  @MoneyColumn('max_ticket', { nullable: true })
  maxTicket: Decimal | null;

  @MoneyColumn('max_pre_money_valuation', { nullable: true })
  maxPreMoneyValuation: Decimal | null;

  @DateColumn('active_from', { nullable: true })
  activeFrom: string | null;

  @DateColumn('active_to', { nullable: true })
  activeTo: string | null;

  /** Switched off by its institution or an authority (updateProduct). */
  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Bumped on every change; matches record the version they were computed from. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
