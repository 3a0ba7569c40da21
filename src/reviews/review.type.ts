import { Field, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { PolicyRuleKindEnum } from '../policy/policy.enums';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { ClaimStatusEnum, PoolClaimStatusEnum } from './review.enums';
import type { ClaimStatus, PoolClaimStatus } from './review.rules';
import { ListingReserveEntryEntity, PoolClaimEntity, SubsidyClaimEntity, SubsidyEntitlementEntity } from './review.entity';

showsAs(SubsidyEntitlementEntity, 'SubsidyEntitlement');
showsAs(SubsidyClaimEntity, 'SubsidyClaim');
showsAs(ListingReserveEntryEntity, 'ListingReserveEntry');
showsAs(PoolClaimEntity, 'PoolClaim');

@ObjectType({ implements: Node, description: 'What a disbursement entitled a payee to under one subsidy rule in one calendar year (R9, DOMAIN E9; issue 17 §3): booked only when an authority pays its claim.' })
export class SubsidyEntitlement {
  @Field(() => PolicyRuleKindEnum, { description: 'The subsidy\'s kind.' })
  kind: PolicyRuleKind;

  @Field({ description: 'GUARANTOR or ENTERPRISE.' })
  payeeKind: string;

  @Field(() => Int, { description: 'The calendar year it is allocated to.' })
  year: number;

  @Field(() => DecimalScalar, { description: 'The amount, CNY.' })
  amount: Decimal;

  @Field({ description: 'The rule version (CODE@vN).' })
  ruleVersion: string;

  @Field({ description: 'The rule\'s code: its budget is per code and year.' })
  ruleCode: string;

  @Field({ description: 'The borrower\'s region code: an authority of that region reviews the claim.' })
  regionCode: string;
}

@ObjectType({ description: 'A document a claim names: its kind, a reference (a file id, a contract number) and a description.', simpleResolvers: true })
export class ClaimDocumentView {
  @Field({ description: 'Upper-case kind, e.g. LOAN_CONTRACT.' })
  kind: string;

  @Field({ description: 'Where it is: a document id, a contract or receipt number.' })
  reference: string;

  @Field(() => String, { nullable: true, description: 'What it is.' })
  description: string | null;
}

@ObjectType({ implements: Node, description: 'A payee\'s claim on an entitlement (issue 17 §3): SUBMITTED with documents, APPROVED or REJECTED with a reason by an authority of the borrower\'s region, PAID.' })
export class SubsidyClaim {
  @Field(() => ClaimStatusEnum, { description: 'Where it stands.' })
  status: ClaimStatus;

  @Field(() => DecimalScalar, { description: 'What was claimed: the entitlement, CNY.' })
  claimed: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'What was approved (at most the claim; less when the guarantor\'s yearly cap leaves less), CNY.' })
  approved: Decimal | null;

  @Field(() => [ClaimDocumentView], { description: 'The documents it names.' })
  documents: ClaimDocumentView[];

  @Field(() => DateTimeScalar, { description: 'When it was submitted.' })
  submittedAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was approved or rejected.' })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The authority\'s reason (required for a rejection).' })
  reason: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was paid (and booked).' })
  paidAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The payment\'s reference (the treasury\'s transfer number).' })
  paymentReference: string | null;
}

@ObjectType({
  implements: Node,
  description: 'A bank\'s claim on a risk-compensation pool after a default (R8; issue 17 §3): OPEN at the default, SUBMITTED by the bank with documents, APPROVED (all or part) or REJECTED by an authority of the borrower\'s region, PAID. The pool keeps `claimed` reserved until then; the payment (or the rejection) settles the default: the loss net of the payout is split (DOMAIN E10).',
})
export class PoolClaim {
  @Field(() => PoolClaimStatusEnum, { description: 'Where it stands.' })
  status: PoolClaimStatus;

  @Field(() => DecimalScalar, { description: 'The net principal loss the default recorded, CNY.' })
  netLoss: Decimal;

  @Field(() => DecimalScalar, { description: 'What the pool owes on it (R8: min(net loss × lossShare, the reserve held)), CNY: kept reserved until it is decided.' })
  claimed: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'What was approved (more than 0, at most the claim), CNY.' })
  approved: Decimal | null;

  @Field({ description: 'The pool rule version it is claimed under (CODE@vN).' })
  ruleVersion: string;

  @Field({ description: 'The borrower\'s region code: an authority of that region reviews the claim.' })
  regionCode: string;

  @Field(() => DateTimeScalar, { description: 'When the default opened it.' })
  openedAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the bank applied.' })
  submittedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was approved or rejected.' })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The authority\'s reason (a rejection, a partial approval).' })
  reason: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the pool paid it.' })
  paidAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The payment\'s reference.' })
  paymentReference: string | null;
}

@ObjectType({ description: 'A subsidy rule\'s budget for a calendar year (issue 17 §3): approvals commit against it, payments turn commitments into payments.', simpleResolvers: true })
export class PolicyBudget {
  @Field({ description: 'The rule\'s code (every version).' })
  ruleCode: string;

  @Field(() => Int, { description: 'The calendar year.' })
  year: number;

  @Field(() => DecimalScalar, { description: 'The budget, CNY.' })
  budget: Decimal;

  @Field(() => DecimalScalar, { description: 'Approved and not yet paid, CNY.' })
  committed: Decimal;

  @Field(() => DecimalScalar, { description: 'Paid, CNY.' })
  paid: Decimal;

  @Field(() => DecimalScalar, { description: 'budget − committed − paid, CNY: what further approvals may take.' })
  remaining: Decimal;

  @Field(() => DateTimeScalar, { description: 'When it was last set or moved.' })
  updatedAt: Date;
}

@ObjectType({ implements: Node, description: 'A firm\'s time in the listing reserve pool (seed 003: 专精特新入板和上市企业储备库), kept by authorities (issue 17 §3).' })
export class ListingReserveEntry {
  @Field(() => DateScalar, { nullable: true, description: 'First day it counts.' })
  validFrom: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it counts, if the term is set.' })
  validTo: string | null;

  @Field(() => DateTimeScalar, { description: 'When an authority added it.' })
  addedAt: Date;

  @Field({ description: 'Why it was added.' })
  addReason: string;

  @Field(() => DateScalar, { nullable: true, description: 'The day it was removed (it no longer counts from that day).' })
  removedOn: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was removed.' })
  removeReason: string | null;
}
