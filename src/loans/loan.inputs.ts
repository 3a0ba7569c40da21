import { Field, ID, InputType, Int } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { DecimalScalar } from '../common/scalars';
import { AtLeast, AtMost, IsMoney, IsRate, Len, Pattern } from '../common/validation';
import { DeclineReasonEnum } from '../matching/match.enums';
import type { DeclineReason } from '../matching/match.rules';
import { TERM_MONTHS_MAX, TERM_MONTHS_MIN } from '../needs/need.rules';
import type { RepaymentKind } from './schedule';
import { RepaymentKindEnum } from './schedule.type';

@InputType({ description: 'The institution\'s decision on an applied match, or a disbursement (R14).' })
export class RecordLoanOutcomeInput {
  @Field(() => ID, { description: 'The match.' })
  matchId: string;

  @Field(() => String, { description: 'APPROVED (after the enterprise applied), DECLINED (with a reason) or DISBURSED (after approval; again for a further tranche).' })
  outcome: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'DISBURSED: principal paid out, CNY (required). All disbursements of a need together cannot exceed its amount.' })
  @IsMoney({ positive: true })
  principal?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'DISBURSED: the annual rate agreed (default: the match\'s indicative rate).' })
  @IsRate()
  annualRate?: Decimal | null;

  @Field(() => Int, { nullable: true, description: 'DISBURSED: term in months, 1–360 (default: the need\'s).' })
  @AtLeast(TERM_MONTHS_MIN)
  @AtMost(TERM_MONTHS_MAX)
  termMonths?: number | null;

  @Field(() => RepaymentKindEnum, { nullable: true, description: 'DISBURSED: BULLET (the whole principal at maturity; the default) or AMORTIZING (equal monthly principal instalments, the last taking the cents); docs/LEDGER.md.' })
  repayment?: RepaymentKind | null;

  @Field(() => DeclineReasonEnum, { nullable: true, description: 'DECLINED: why (required there).' })
  declineReason?: DeclineReason | null;

  @Field(() => String, { nullable: true, description: 'A note for the record (up to 500 characters); on a decline the enterprise sees it.' })
  @Len(1, 500)
  note?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Client-chosen key (1–100 of A–Z a–z 0–9 _ - : .). A retry with the same key and input returns the first result and records nothing twice.',
  })
  @Pattern(/^[A-Za-z0-9_\-:.]{1,100}$/, 'INVALID_FORMAT', { expected: '1–100 of A–Z a–z 0–9 _ - : .' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Principal repaid on a loan.' })
export class RecordRepaymentInput {
  @Field(() => ID, { description: 'The loan.' })
  loanId: string;

  @Field(() => DecimalScalar, { description: 'Principal repaid, CNY, at most what is outstanding.' })
  @IsMoney({ positive: true })
  principalRepaid: Decimal;

  @Field(() => String, {
    nullable: true,
    description: 'Client-chosen key (1–100 of A–Z a–z 0–9 _ - : .). A retry with the same key and input returns the first result and records nothing twice.',
  })
  @Pattern(/^[A-Za-z0-9_\-:.]{1,100}$/, 'INVALID_FORMAT', { expected: '1–100 of A–Z a–z 0–9 _ - : .' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A loan in default (≥ 90 days overdue, 不良), written off with its net loss (R8 claim, R7 split).' })
export class RecordDefaultInput {
  @Field(() => ID, { description: 'The loan.' })
  loanId: string;

  @Field(() => DecimalScalar, { description: 'Net principal loss after recovery, CNY, at most what is outstanding.' })
  @IsMoney({ positive: true })
  netLoss: Decimal;
}
