import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, RateColumn, TextArrayColumn, UpdatedAt } from '../database/columns';
import { InstitutionKind } from './institution.rules';

@Entity('institution')
export class InstitutionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: InstitutionKind;

  @Column({ type: 'varchar', length: 200, unique: true })
  name: string;

  @Column({ name: 'region_code', type: 'char', length: 6, nullable: true })
  regionCode: string | null;

  /** Region prefixes (GB/T 2260) the institution serves. */
  @TextArrayColumn('coverage_regions')
  coverageRegions: string[];

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/**
 * A guarantor's capacity figures (R6). `liability` is the weighted outstanding guarantee liability: the
 * opening liability carried in (weight 1.0) plus live guarantees, kept by the loan ledger under a row lock.
 */
@Entity('guarantor_profile')
export class GuarantorProfileEntity {
  @Column({ name: 'institution_id', type: 'uuid', primary: true })
  institutionId: string;

  @MoneyColumn('net_assets')
  netAssets: Decimal;

  @DateColumn('net_assets_as_of')
  netAssetsAsOf: string;

  @RateColumn('fee_rate')
  feeRate: Decimal;

  @RateColumn('cap_multiple')
  capMultiple: Decimal;

  @RateColumn('target_multiple', { nullable: true })
  targetMultiple: Decimal | null;

  @Column({ name: 'small_micro_focused', type: 'boolean', default: false })
  smallMicroFocused: boolean;

  @MoneyColumn('opening_liability')
  openingLiability: Decimal;

  @MoneyColumn('liability')
  liability: Decimal;

  @UpdatedAt()
  updatedAt: Date;
}
