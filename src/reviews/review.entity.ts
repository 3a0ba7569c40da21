/**
 * Reviews by the authorities (issue 17 §3): a loan's subsidy entitlements, the claims on them, the yearly
 * budget per rule, and the listing reserve pool (migration Reviews).
 */
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn } from '../database/columns';
import type { ClaimStatus, PoolClaimStatus } from './review.rules';

/** What a disbursement entitled a payee to under one rule in one calendar year (R9, DOMAIN E9). */
@Entity('subsidy_entitlement')
export class SubsidyEntitlementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'loan_id', type: 'uuid' })
  loanId: string;

  @Column({ name: 'policy_rule_id', type: 'uuid' })
  policyRuleId: string;

  @Column({ name: 'rule_code', type: 'varchar', length: 60 })
  ruleCode: string;

  @Column({ name: 'rule_version', type: 'text' })
  ruleVersion: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'payee_kind', type: 'text' })
  payeeKind: 'GUARANTOR' | 'ENTERPRISE';

  @Column({ name: 'payee_id', type: 'uuid' })
  payeeId: string;

  @Column({ type: 'int' })
  year: number;

  @MoneyColumn('amount')
  amount: Decimal;

  /** The borrower's region code: whose authority reviews the claim. */
  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @CreatedAt()
  createdAt: Date;
}

/** One document a claim names: its kind (one the rule asks for, or another), a reference and a description. */
export interface ClaimDocument {
  kind: string;
  reference: string;
  description: string | null;
}

/**
 * What a reviewed claim — a subsidy claim, a pool claim — keeps of its review: the amount approved, the
 * documents named, who decided and why, who paid and the payment's reference (TypeORM inherits the columns).
 */
abstract class ReviewedClaim {
  @MoneyColumn('approved', { nullable: true })
  approved: Decimal | null;

  @Column({ type: 'jsonb' })
  documents: ClaimDocument[];

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', precision: 3, nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'paid_by', type: 'text', nullable: true })
  paidBy: string | null;

  @Column({ name: 'paid_at', type: 'timestamptz', precision: 3, nullable: true })
  paidAt: Date | null;

  @Column({ name: 'payment_reference', type: 'text', nullable: true })
  paymentReference: string | null;
}

@Entity('subsidy_claim')
export class SubsidyClaimEntity extends ReviewedClaim {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'entitlement_id', type: 'uuid' })
  entitlementId: string;

  @Column({ type: 'text' })
  status: ClaimStatus;

  @MoneyColumn('claimed')
  claimed: Decimal;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy: string;

  @Column({ name: 'submitted_at', type: 'timestamptz', precision: 3 })
  submittedAt: Date;

  @Column({ name: 'booking_id', type: 'uuid', nullable: true })
  bookingId: string | null;
}

/** A bank's claim on a risk-compensation pool after a default (R8; issue 17 §3; migration PoolClaims). */
@Entity('pool_claim')
export class PoolClaimEntity extends ReviewedClaim {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'loan_id', type: 'uuid' })
  loanId: string;

  @Column({ name: 'pool_id', type: 'uuid' })
  poolId: string;

  @Column({ name: 'policy_rule_id', type: 'uuid' })
  policyRuleId: string;

  @Column({ name: 'rule_version', type: 'text' })
  ruleVersion: string;

  @Column({ name: 'bank_id', type: 'uuid' })
  bankId: string;

  /** The borrower's region code: whose authority reviews the claim. */
  @Column({ name: 'region_code', type: 'text' })
  regionCode: string;

  @MoneyColumn('net_loss')
  netLoss: Decimal;

  /** What the pool owes on it (R8: min(net loss × lossShare, the reserve held)), kept reserved until it is decided. */
  @MoneyColumn('claimed')
  claimed: Decimal;

  @Column({ type: 'text' })
  status: PoolClaimStatus;

  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3 })
  openedAt: Date;

  @Column({ name: 'submitted_by', type: 'text', nullable: true })
  submittedBy: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;
}

/** A rule's budget for a year: what approvals committed and what was paid stay within it (CHECK). */
@Entity('policy_budget')
export class PolicyBudgetEntity {
  @PrimaryColumn({ name: 'rule_code', type: 'varchar', length: 60 })
  ruleCode: string;

  @PrimaryColumn({ type: 'int' })
  year: number;

  @MoneyColumn('amount')
  amount: Decimal;

  @MoneyColumn('committed')
  committed: Decimal;

  @MoneyColumn('paid')
  paid: Decimal;

  @Column({ name: 'set_by', type: 'text' })
  setBy: string;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** A firm's time in the listing reserve pool (seed 003), as an authority added it and, later, removed it. */
@Entity('listing_reserve_entry')
export class ListingReserveEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @DateColumn('valid_from', { nullable: true })
  validFrom: string | null;

  @DateColumn('valid_to', { nullable: true })
  validTo: string | null;

  /** The adding authority's region (null: a national authority). */
  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode: string | null;

  @Column({ name: 'added_by', type: 'text' })
  addedBy: string;

  @Column({ name: 'added_at', type: 'timestamptz', precision: 3 })
  addedAt: Date;

  @Column({ name: 'add_reason', type: 'text' })
  addReason: string;

  @DateColumn('removed_on', { nullable: true })
  removedOn: string | null;

  @Column({ name: 'removed_by', type: 'text', nullable: true })
  removedBy: string | null;

  @Column({ name: 'removed_at', type: 'timestamptz', precision: 3, nullable: true })
  removedAt: Date | null;

  @Column({ name: 'remove_reason', type: 'text', nullable: true })
  removeReason: string | null;
}
