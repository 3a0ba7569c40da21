import { ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { AtLeast, AtMost, IsDateValue, IsMoney, IsRate, Len, MaxItems, Pattern } from '../common/validation';
import { CollateralTypeEnum, EquityStageEnum, LoanPurposeEnum, NeedKindEnum } from './need.enums';
import { CollateralType, EquityStage, LoanPurpose, NeedKind, TERM_MONTHS_MAX, TERM_MONTHS_MIN } from './need.rules';

@InputType({ description: 'Terms of an equity need.' })
export class EquityTermsInput {
  @Field(() => EquityStageEnum, { description: 'Funding round.' })
  stage: EquityStage;

  @Field(() => DecimalScalar, { nullable: true, description: 'Pre-money valuation, CNY.' })
  @IsMoney({ positive: true })
  preMoneyValuation?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Largest share offered, a fraction in (0, 1].' })
  @IsRate({ positive: true })
  maxShareOffered?: Decimal | null;

  @Field(() => String, { nullable: true, description: 'Use of proceeds (up to 500 characters).' })
  @Len(1, 500)
  useOfProceeds?: string | null;
}

@InputType({ description: 'A loan or equity need to post (R11). LOAN needs a term; EQUITY needs `equity`.' })
export class PostFinancingNeedInput {
  @Field(() => NeedKindEnum, { description: 'LOAN or EQUITY.' })
  kind: NeedKind;

  @Field(() => DecimalScalar, { description: 'Amount sought, CNY, more than zero.' })
  @IsMoney({ positive: true })
  amount: Decimal;

  @Field(() => Int, { nullable: true, description: 'LOAN: term in whole months, 1–360. Required for loans.' })
  @AtLeast(TERM_MONTHS_MIN)
  @AtMost(TERM_MONTHS_MAX)
  termMonths?: number | null;

  @Field(() => LoanPurposeEnum, { nullable: true, description: 'LOAN: what the money is for.' })
  purpose?: LoanPurpose | null;

  @Field(() => [CollateralTypeEnum], { nullable: true, description: 'LOAN: security offered.' })
  @MaxItems(7)
  collateralOffered?: CollateralType[] | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'LOAN: highest acceptable annual rate, a fraction (0.06 = 6 %).' })
  @IsRate({ positive: true })
  maxAnnualRate?: Decimal | null;

  @Field(() => Boolean, { nullable: true, description: 'LOAN: whether a guaranteed loan is acceptable (default true).' })
  acceptGuarantee?: boolean | null;

  @Field(() => DateScalar, { nullable: true, description: 'Needed by this date (today or later); the need expires after it.' })
  @IsDateValue()
  neededBy?: string | null;

  @Field(() => EquityTermsInput, { nullable: true, description: 'EQUITY: stage, valuation, share offered, use of proceeds.' })
  @ValidateNested()
  equity?: EquityTermsInput | null;

  @Field(() => String, { nullable: true, description: 'MINI_PROGRAM (default), WEB, BANK_REFERRAL or ROADSHOW (the default with `roadshowId`).' })
  channel?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The roadshow the need is posted for (docs/AUTHORITIES.md RS3): the firm pitches there and posts within its window (`Roadshow.needsFrom` … `needsUntil`); the channel is ROADSHOW.',
  })
  roadshowId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Client-chosen key (1–100 of A–Z a–z 0–9 _ - : .). A retry with the same key returns the first result and creates nothing.',
  })
  @Pattern(/^[A-Za-z0-9_\-:.]{1,100}$/, 'INVALID_FORMAT', { expected: '1–100 of A–Z a–z 0–9 _ - : .' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Withdraw an active need.' })
export class WithdrawFinancingNeedInput {
  @Field(() => ID, { description: 'The need.' })
  needId: string;

  @Field(() => String, { nullable: true, description: 'Why (up to 500 characters).' })
  @Len(1, 500)
  reason?: string | null;
}
