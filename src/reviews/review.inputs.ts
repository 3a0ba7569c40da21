import { ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { CODE_PATTERN } from '../common/types';
import { AtLeast, AtMost, IsDateValue, IsMoney, Len, MaxItems, Pattern } from '../common/validation';
import { PoolClaimDecisionEnum, ReviewDecisionEnum } from './review.enums';
import type { ReviewDecision } from './review.rules';

@InputType({ description: 'A document a claim names (issue 17 §3): the documents themselves are kept elsewhere (a document store, the bank\'s file), the claim names them.' })
export class ClaimDocumentInput {
  @Field({ description: 'Upper-case kind, e.g. LOAN_CONTRACT, GUARANTEE_CONTRACT, FEE_RECEIPT: each kind the rule requires must be named.' })
  @Pattern(CODE_PATTERN, 'INVALID_TAG')
  kind: string;

  @Field({ description: 'Where it is: a document id, a contract or receipt number (1–200 characters).' })
  @Len(1, 200)
  reference: string;

  @Field(() => String, { nullable: true, description: 'What it is (up to 500 characters).' })
  @Len(0, 500)
  description?: string | null;
}

@InputType({ description: 'The payee applies for a subsidy it is entitled to (issue 17 §3).' })
export class ApplyForSubsidyInput {
  @Field(() => ID, { description: 'The entitlement (Loan.subsidyEntitlements).' })
  entitlementId: string;

  @Field(() => [ClaimDocumentInput], { description: 'The documents, at least those the rule requires (PolicyRule.requiredDocuments).' })
  @MaxItems(20)
  @ValidateNested({ each: true })
  documents: ClaimDocumentInput[];
}

@InputType({ description: 'An authority\'s decision on a submitted claim.' })
export class ReviewSubsidyClaimInput {
  @Field(() => ID, { description: 'The claim.' })
  claimId: string;

  @Field(() => ReviewDecisionEnum, { description: 'APPROVE or REJECT.' })
  decision: ReviewDecision;

  @Field(() => String, { nullable: true, description: 'Why (required to REJECT; up to 500 characters). The payee sees it.' })
  @Len(1, 500)
  reason?: string | null;
}

@InputType({ description: 'An authority records the payment of an approved claim.' })
export class PaySubsidyClaimInput {
  @Field(() => ID, { description: 'The claim (APPROVED).' })
  claimId: string;

  @Field({ description: 'The payment\'s reference, e.g. the treasury\'s transfer number (1–200 characters).' })
  @Len(1, 200)
  paymentReference: string;
}

@InputType({ description: 'The lending bank applies for its claim on the pool after a default (R8; issue 17 §3).' })
export class ApplyForPoolClaimInput {
  @Field(() => ID, { description: 'The defaulted loan (its claim is OPEN: Loan.poolClaim).' })
  loanId: string;

  @Field(() => [ClaimDocumentInput], { description: 'The documents, at least those the pool rule requires (PolicyRule.requiredDocuments), e.g. LOAN_CONTRACT, DEFAULT_EVIDENCE, RECOVERY_STATEMENT.' })
  @MaxItems(20)
  @ValidateNested({ each: true })
  documents: ClaimDocumentInput[];
}

@InputType({ description: 'An authority\'s decision on a submitted pool claim.' })
export class ReviewPoolClaimInput {
  @Field(() => ID, { description: 'The claim.' })
  claimId: string;

  @Field(() => PoolClaimDecisionEnum, { description: 'APPROVE (all, or `approved` of it) or REJECT (final).' })
  decision: ReviewDecision;

  @Field(() => DecimalScalar, { nullable: true, description: 'APPROVE only: the amount approved, CNY, more than 0 and at most the claim (default: all of it).' })
  @IsMoney()
  approved?: Decimal | null;

  @Field(() => String, { nullable: true, description: 'Why (required to REJECT or to approve less than claimed; up to 500 characters). The bank sees it.' })
  @Len(1, 500)
  reason?: string | null;
}

@InputType({ description: 'An authority records the pool\'s payment of an approved claim.' })
export class PayPoolClaimInput {
  @Field(() => ID, { description: 'The claim (APPROVED).' })
  claimId: string;

  @Field({ description: 'The payment\'s reference, e.g. the pool manager\'s transfer number (1–200 characters).' })
  @Len(1, 200)
  paymentReference: string;
}

@InputType({ description: 'A subsidy rule\'s budget for a calendar year.' })
export class SetPolicyBudgetInput {
  @Field({ description: 'The rule\'s code.' })
  @Len(2, 60)
  ruleCode: string;

  @Field(() => Int, { description: 'The calendar year.' })
  @AtLeast(1900)
  @AtMost(2999)
  year: number;

  @Field(() => DecimalScalar, { description: 'The budget, CNY; not below what was approved and paid.' })
  @IsMoney()
  amount: Decimal;
}

@InputType({ description: 'An authority adds a firm to the listing reserve pool (seed 003).' })
export class AddToListingReserveInput {
  @Field({ description: 'The firm\'s credit code (R1).' })
  creditCode: string;

  @Field({ description: 'Why (1–500 characters), e.g. the review that admitted it.' })
  @Len(1, 500)
  reason: string;

  @Field(() => DateScalar, { nullable: true, description: 'First day it counts (default: today).' })
  @IsDateValue()
  validFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it counts (default: until removed).' })
  @IsDateValue()
  validTo?: string | null;
}

@InputType({ description: 'An authority removes a firm from the listing reserve pool.' })
export class RemoveFromListingReserveInput {
  @Field({ description: 'The firm\'s credit code (R1).' })
  creditCode: string;

  @Field({ description: 'Why (1–500 characters), e.g. listed, or no longer qualifies.' })
  @Len(1, 500)
  reason: string;
}
