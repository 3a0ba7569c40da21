import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, MoneyColumn, RateColumn, UpdatedAt } from '../database/columns';
import type { Payee, PolicyRuleKind } from '../policy/rule-kinds';
import type { MatchStatus } from './match.rules';

/** A subsidy on a match's terms, as stored (decimals as strings). */
export interface StoredSubsidy {
  kind: PolicyRuleKind;
  payee: Payee;
  payeeId: string;
  amount: string;
  ruleVersion: string;
  /** The calendar years it would be booked against (DOMAIN E9), when allocated. */
  byYear?: { year: number; amount: string }[];
}

/**
 * A match (R13): a need and a product the engine found eligible, with the terms it computed and the
 * versions they came from (the product's and the policy rules'). Rank is not stored: it is the match's
 * place among its need's eligible matches, read in SQL (score, all-in cost, product id).
 */
@Entity('match')
export class MatchEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'need_id', type: 'uuid' })
  needId: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @Column({ type: 'boolean', default: true })
  eligible: boolean;

  @Column({ type: 'text', default: 'PROPOSED' })
  status: MatchStatus;

  @Column({ type: 'smallint' })
  score: number;

  @RateColumn('indicative_rate', { nullable: true })
  indicativeRate: Decimal | null;

  @Column({ name: 'guarantor_id', type: 'uuid', nullable: true })
  guarantorId: string | null;

  @RateColumn('coverage_ratio', { nullable: true })
  coverageRatio: Decimal | null;

  @RateColumn('guarantee_fee_rate', { nullable: true })
  guaranteeFeeRate: Decimal | null;

  @MoneyColumn('guaranteed_amount', { nullable: true })
  guaranteedAmount: Decimal | null;

  @MoneyColumn('reserve')
  reserve: Decimal;

  @Column({ name: 'pool_id', type: 'uuid', nullable: true })
  poolId: string | null;

  @MoneyColumn('bank_net_exposure', { nullable: true })
  bankNetExposure: Decimal | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  subsidies: StoredSubsidy[];

  @RateColumn('all_in_cost', { nullable: true })
  allInCost: Decimal | null;

  @Column({ name: 'rule_versions', type: 'text', array: true, default: () => "'{}'" })
  ruleVersions: string[];

  /** The policy rules the terms used, by id, in the order of `ruleVersions` (their `CODE@vN`, for display). */
  @Column({ name: 'rule_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ruleIds: string[];

  /** The product's version when the terms were last priced (a product change that leaves them as they were does not rewrite the row). */
  @Column({ name: 'product_version', type: 'int' })
  productVersion: number;

  @Column({ name: 'computed_at', type: 'timestamptz', precision: 3 })
  computedAt: Date;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: string | null;

  @Column({ name: 'decline_note', type: 'varchar', length: 500, nullable: true })
  declineNote: string | null;

  /** The institution's first contact or decline (R14 response time). */
  @Column({ name: 'responded_at', type: 'timestamptz', precision: 3, nullable: true })
  respondedAt: Date | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', precision: 3, nullable: true })
  statusChangedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
