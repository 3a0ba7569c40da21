import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, RateColumn, UpdatedAt } from '../database/columns';
import type { RepaymentKind } from './schedule';

export const LOAN_STATUSES = ['ACTIVE', 'REPAID', 'DEFAULTED'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/**
 * One disbursement of a match (R14): principal, rate and term, the guarantee it carries (R6, R7), the
 * reserve a pool holds for it (R8) and the rule versions behind its subsidies (R9); a repayment lowers
 * `outstanding`, a default records the net loss, the pool's payout and the loss split. Its money
 * movements are in `ledger_entry`, its subsidies in `subsidy_booking`.
 */
@Entity('loan')
export class LoanEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'match_id', type: 'uuid' })
  matchId: string;

  @Column({ name: 'need_id', type: 'uuid' })
  needId: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @MoneyColumn('principal')
  principal: Decimal;

  @MoneyColumn('outstanding')
  outstanding: Decimal;

  @RateColumn('annual_rate')
  annualRate: Decimal;

  @Column({ name: 'term_months', type: 'int' })
  termMonths: number;

  @Column({ type: 'text', default: 'ACTIVE' })
  status: LoanStatus;

  /** BULLET or AMORTIZING (issue 17 §2; src/loans/schedule.ts); its instalments are in `loan_instalment`. */
  @Column({ type: 'text', default: 'BULLET' })
  repayment: RepaymentKind;

  /** The database's day of the disbursement: the schedule counts its months from it. */
  @DateColumn('starts_on')
  startsOn: string;

  /** The last instalment's day: `startsOn` + `termMonths`, moved by an approved renewal. */
  @DateColumn('maturity')
  maturity: string;

  /** Months approved renewals added to the term (展期). */
  @Column({ name: 'extension_months', type: 'int', default: 0 })
  extensionMonths: number;

  @Column({ name: 'guarantor_id', type: 'uuid', nullable: true })
  guarantorId: string | null;

  @RateColumn('coverage_ratio', { nullable: true })
  coverageRatio: Decimal | null;

  @RateColumn('guarantee_fee_rate', { nullable: true })
  guaranteeFeeRate: Decimal | null;

  @MoneyColumn('guaranteed_amount', { nullable: true })
  guaranteedAmount: Decimal | null;

  @Column({ name: 'risk_sharing_rule_id', type: 'uuid', nullable: true })
  riskSharingRuleId: string | null;

  @Column({ name: 'pool_id', type: 'uuid', nullable: true })
  poolId: string | null;

  @Column({ name: 'pool_rule_id', type: 'uuid', nullable: true })
  poolRuleId: string | null;

  /** What the pool reserved at disbursement. */
  @MoneyColumn('reserve')
  reserve: Decimal;

  /**
   * What the pool rule gave the disbursed principal had the pool had room (R8); more than `reserve` when
   * the pool ran short between the quote and the disbursement. Null for loans disbursed before it was kept.
   */
  @MoneyColumn('reserve_due', { nullable: true })
  reserveDue: Decimal | null;

  /** What the pool still holds for the loan (released on full repayment or at a claim). */
  @MoneyColumn('reserve_held')
  reserveHeld: Decimal;

  @MoneyColumn('compensation_paid')
  compensationPaid: Decimal;

  @MoneyColumn('net_loss', { nullable: true })
  netLoss: Decimal | null;

  @Column({ name: 'loss_split', type: 'jsonb', default: () => "'[]'" })
  lossSplit: { party: string; amount: string }[];

  /** `CODE@vN` of the policy rules it used, for display; `ruleIds` are the rules, in the same order. */
  @Column({ name: 'rule_versions', type: 'text', array: true, default: () => "'{}'" })
  ruleVersions: string[];

  @Column({ name: 'rule_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ruleIds: string[];

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;

  @Column({ name: 'disbursed_at', type: 'timestamptz', precision: 3 })
  disbursedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
