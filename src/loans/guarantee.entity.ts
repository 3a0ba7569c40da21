import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, MoneyColumn, RateColumn } from '../database/columns';
import type { GuaranteeStatus } from './guarantee.rules';

/**
 * A guarantee a match routed to a guarantor (issue 17 §1): the guarantor's answer before disbursement,
 * with the terms it was asked for. One per match and guarantor; a refusal routes the match onwards.
 */
@Entity('guarantee_request')
export class GuaranteeRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'match_id', type: 'uuid' })
  matchId: string;

  @Column({ name: 'guarantor_id', type: 'uuid' })
  guarantorId: string;

  @Column({ name: 'bank_id', type: 'uuid' })
  bankId: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text' })
  status: GuaranteeStatus;

  @RateColumn('coverage_ratio')
  coverageRatio: Decimal;

  @RateColumn('fee_rate')
  feeRate: Decimal;

  @MoneyColumn('guaranteed_amount')
  guaranteedAmount: Decimal;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'responded_by', type: 'text', nullable: true })
  respondedBy: string | null;

  @Column({ name: 'responded_at', type: 'timestamptz', precision: 3, nullable: true })
  respondedAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}
