import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, RateColumn, TextArrayColumn, UpdatedAt } from '../database/columns';
import { Channel, CollateralType, EquityStage, LoanPurpose, NeedKind, NeedStatus } from './need.rules';

/** A financing need (R11). Equity terms sit in the same row; they are null for a loan. */
@Entity('financing_need')
export class FinancingNeedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'text' })
  kind: NeedKind;

  @Column({ type: 'text', default: 'OPEN' })
  status: NeedStatus;

  @Column({ type: 'text' })
  channel: Channel;

  @MoneyColumn('amount')
  amount: Decimal;

  @Column({ name: 'term_months', type: 'int', nullable: true })
  termMonths: number | null;

  @Column({ type: 'text', nullable: true })
  purpose: LoanPurpose | null;

  @TextArrayColumn('collateral_offered')
  collateralOffered: CollateralType[];

  @RateColumn('max_annual_rate', { nullable: true })
  maxAnnualRate: Decimal | null;

  @Column({ name: 'accept_guarantee', type: 'boolean', default: true })
  acceptGuarantee: boolean;

  @DateColumn('needed_by', { nullable: true })
  neededBy: string | null;

  @Column({ name: 'equity_stage', type: 'text', nullable: true })
  equityStage: EquityStage | null;

  @MoneyColumn('pre_money_valuation', { nullable: true })
  preMoneyValuation: Decimal | null;

  @RateColumn('max_share_offered', { nullable: true })
  maxShareOffered: Decimal | null;

  @Column({ name: 'use_of_proceeds', type: 'varchar', length: 500, nullable: true })
  useOfProceeds: string | null;

  /** Why it left the active states (a withdrawal reason, …). */
  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', precision: 3, nullable: true })
  statusChangedAt: Date | null;

  /** When the need first had an eligible match (the statistics' funnel). */
  @Column({ name: 'first_matched_at', type: 'timestamptz', precision: 3, nullable: true })
  firstMatchedAt: Date | null;

  /** The roadshow it was posted for (channel ROADSHOW; docs/AUTHORITIES.md RS3), if any. */
  @Column({ name: 'roadshow_id', type: 'uuid', nullable: true })
  roadshowId: string | null;

  /** The `sub` that posted it. */
  @Column({ name: 'posted_by', type: 'text' })
  postedBy: string;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/**
 * One client retry key (R11): the first request under (sub, key) writes its result here in the same
 * transaction as the need; a retry finds it and returns that result. The primary key, not a
 * check-then-insert, makes concurrent retries safe.
 */
@Entity('idempotency_key')
export class IdempotencyKeyEntity {
  @Column({ type: 'text', primary: true })
  sub: string;

  @Column({ type: 'varchar', length: 100, primary: true })
  key: string;

  @Column({ type: 'text' })
  operation: string;

  /** sha256 of the request input, so the key cannot be reused for a different request. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ name: 'result_id', type: 'uuid', nullable: true })
  resultId: string | null;

  @CreatedAt()
  createdAt: Date;
}
