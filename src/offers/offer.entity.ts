import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, MoneyColumn, RateColumn, TextArrayColumn } from '../database/columns';
import type { FeeKind, OfferDeclineReason, OfferStatus } from './offer.rules';

/** A fee as stored in `offer.fees` (decimals as strings). */
export interface StoredFee {
  kind: FeeKind;
  amount: string | null;
  rate: string | null;
  charged: string;
}

/** A bank's offer on a match it contacted (issue 15 §2), with the cost figures computed when it was made. */
@Entity('offer')
export class OfferEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'match_id', type: 'uuid' })
  matchId: string;

  @Column({ name: 'need_id', type: 'uuid' })
  needId: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @MoneyColumn('amount')
  amount: Decimal;

  @RateColumn('annual_rate')
  annualRate: Decimal;

  @Column({ name: 'term_months', type: 'integer' })
  termMonths: number;

  @Column({ type: 'jsonb' })
  fees: StoredFee[];

  @MoneyColumn('fee_total')
  feeTotal: Decimal;

  @RateColumn('guarantee_fee_rate', { nullable: true })
  guaranteeFeeRate: Decimal | null;

  @RateColumn('interest_subsidy_rate')
  interestSubsidyRate: Decimal;

  @RateColumn('all_in_cost')
  allInCost: Decimal;

  @TextArrayColumn('required_documents')
  requiredDocuments: string[];

  @Column({ name: 'valid_until', type: 'timestamptz', precision: 3 })
  validUntil: Date;

  @Column({ type: 'text' })
  status: OfferStatus;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: OfferDeclineReason | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', precision: 3, nullable: true })
  statusChangedAt: Date | null;

  @Column({ name: 'made_by', type: 'text' })
  madeBy: string;

  @Column({ name: 'accepted_by', type: 'text', nullable: true })
  acceptedBy: string | null;

  @CreatedAt()
  createdAt: Date;
}
