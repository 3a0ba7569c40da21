import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Decimal } from '../common/decimal';
import { CreatedAt, DateColumn, MoneyColumn, RateColumn, TextArrayColumn } from '../database/columns';
import type { SizeClass } from '../enterprises/size-class';
import type { ProductKind } from '../institutions/institution.rules';
import type { PolicyRuleKind } from './rule-kinds';

/** A benchmark rate with its effective date (DOMAIN §3), e.g. PBOC_1Y 0.0435 from 2015-10-24. */
@Entity('benchmark_rate')
export class BenchmarkRateEntity {
  @Column({ type: 'text', primary: true })
  code: string;

  @DateColumn('effective_from', { primary: true })
  effectiveFrom: string;

  @RateColumn('rate')
  rate: Decimal;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @CreatedAt()
  createdAt: Date;
}

/** A risk-compensation pool (R8): public money that compensates banks' losses on eligible loans. */
@Entity('risk_compensation_pool')
export class RiskCompensationPoolEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  funder: string | null;

  @MoneyColumn('capacity')
  capacity: Decimal;

  @MoneyColumn('reserved')
  reserved: Decimal;

  @MoneyColumn('paid')
  paid: Decimal;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @CreatedAt()
  createdAt: Date;
}

/** R7 — a risk-sharing rule: parties and their shares (summing to exactly 1), with its coverage ratio. */
@Entity('risk_sharing_rule')
export class RiskSharingRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name: string;

  /** [{party, share}] with shares as decimal strings, in the order given. */
  @Column({ type: 'jsonb' })
  shares: { party: string; share: string }[];

  @RateColumn('coverage_ratio')
  coverageRatio: Decimal;

  @CreatedAt()
  createdAt: Date;
}

/** R7 — a bank–guarantor cooperation agreement (银担合作) naming its risk-sharing rule. */
@Entity('cooperation_agreement')
export class CooperationAgreementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'bank_id', type: 'uuid' })
  bankId: string;

  @Column({ name: 'guarantor_id', type: 'uuid' })
  guarantorId: string;

  @Column({ name: 'risk_sharing_rule_id', type: 'uuid' })
  riskSharingRuleId: string;

  /** The fee agreed for this bank's loans; null: the guarantor's own fee. */
  @RateColumn('fee_rate', { nullable: true })
  feeRate: Decimal | null;

  /** How the guarantor answers the guarantees this lender routes (issue 17 §1): AUTOMATIC (见贷即保) or REVIEW. */
  @Column({ name: 'guarantee_acceptance', type: 'text', default: 'AUTOMATIC' })
  guaranteeAcceptance: 'AUTOMATIC' | 'REVIEW';

  @CreatedAt()
  createdAt: Date;
}

/** R8, R9 — one version of a policy rule: kind, parameters, eligibility. */
@Entity('policy_rule')
export class PolicyRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60 })
  code: string;

  @Column({ type: 'int' })
  version: number;

  /** The version in force: the latest one of its code. */
  @Column({ type: 'boolean', default: true })
  latest: boolean;

  @Column({ type: 'text' })
  kind: PolicyRuleKind;

  @Column({ name: 'pool_id', type: 'uuid', nullable: true })
  poolId: string | null;

  /** Normalised parameters: decimals as strings (see params.ts). */
  @Column({ type: 'jsonb' })
  params: Record<string, string>;

  @TextArrayColumn('product_kinds')
  productKinds: ProductKind[];

  @TextArrayColumn('sector_tags')
  sectorTags: string[];

  @TextArrayColumn('size_classes')
  sizeClasses: SizeClass[];

  @TextArrayColumn('region_prefixes')
  regionPrefixes: string[];

  @TextArrayColumn('industry_chains')
  industryChains: string[];

  /** Applies in every region: a rule without region prefixes must say so (issue 17 §1). */
  @Column({ type: 'boolean', default: false })
  national: boolean;

  /** The document kinds a claim for this rule's subsidy must name (issue 17 §3), e.g. LOAN_CONTRACT. */
  @TextArrayColumn('required_documents')
  requiredDocuments: string[];

  @DateColumn('effective_from', { nullable: true })
  effectiveFrom: string | null;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;
}

/**
 * R9 — a collective bond issue (集合债, seed 004 Art. (32)) under a COLLECTIVE_BOND rule version: the
 * issue, its risk-mitigation fund (fundRatio × the issue) and the losses recorded against it.
 */
@Entity('collective_bond_issue')
export class CollectiveBondIssueEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'policy_rule_id', type: 'uuid' })
  policyRuleId: string;

  @Column({ name: 'rule_version', type: 'text' })
  ruleVersion: string;

  @Column({ name: 'guarantee_centre_id', type: 'uuid', nullable: true })
  guaranteeCentreId: string | null;

  @MoneyColumn('issue_amount')
  issueAmount: Decimal;

  @DateColumn('issued_on')
  issuedOn: string;

  @MoneyColumn('mitigation_fund')
  mitigationFund: Decimal;

  /** Losses recorded against the issue so far, CNY. */
  @MoneyColumn('loss')
  loss: Decimal;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;
}

/** One enterprise of a collective bond issue: what it counter-guaranteed and the support it gets (R9). */
@Entity('collective_bond_member')
export class CollectiveBondMemberEntity {
  @Column({ name: 'issue_id', type: 'uuid', primary: true })
  issueId: string;

  @Column({ name: 'enterprise_id', type: 'uuid', primary: true })
  enterpriseId: string;

  @MoneyColumn('counter_guaranteed')
  counterGuaranteed: Decimal;

  @MoneyColumn('support')
  support: Decimal;
}
