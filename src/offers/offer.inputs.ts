import { ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { DateTimeScalar, DecimalScalar } from '../common/scalars';
import { AtLeast, AtMost, IsMoney, IsRate, MaxItems } from '../common/validation';
import { FeeKindEnum } from './offer.enums';
import { FeeKind, MAX_FEE_RATE, MAX_FEES } from './offer.rules';

@InputType({ description: 'A one-off fee of an offer: exactly one of `amount` (CNY) and `rate` (a fraction of the offered principal, charged once).' })
export class OfferFeeInput {
  @Field(() => FeeKindEnum, { description: 'What the fee is for (seed 004 (23): no consulting or advisory fees; a guarantee\'s fee is the guarantee\'s, not an offer fee).' })
  kind: FeeKind;

  @Field(() => DecimalScalar, { nullable: true, description: 'The fee in CNY (more than 0, up to 2 places).' })
  @IsMoney({ positive: true })
  amount?: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: `The fee as a fraction of the offered principal, charged once (more than 0, at most ${MAX_FEE_RATE.toFixed()}, up to 6 places).` })
  @IsRate({ positive: true, max: MAX_FEE_RATE.toFixed() })
  rate?: Decimal | null;
}

@InputType({ description: 'A bank\'s offer on a match it contacted (issue 15 §2).' })
export class MakeOfferInput {
  @Field(() => ID, { description: 'The match (CONTACTED, or APPLIED after the bank\'s contact).' })
  matchId: string;

  @Field(() => DecimalScalar, { description: 'Principal offered, CNY: more than 0 and at most the need\'s amount.' })
  @IsMoney({ positive: true })
  amount: Decimal;

  @Field(() => DecimalScalar, { description: 'Annual rate as a fraction (0.0435 = 4.35 %): more than 0, within the product\'s rate range and at most 0.12.' })
  @IsRate({ positive: true })
  annualRate: Decimal;

  @Field(() => Int, { description: 'Term in whole months, 1–360.' })
  @AtLeast(1)
  @AtMost(360)
  termMonths: number;

  @Field(() => [OfferFeeInput], { nullable: true, description: `One-off fees, each kind at most once (at most ${MAX_FEES}); every fee is shown to the enterprise and counted in the all-in cost.` })
  @MaxItems(MAX_FEES)
  @ValidateNested()
  fees?: OfferFeeInput[] | null;

  @Field(() => [String], { nullable: true, description: 'Documents the enterprise must share before the loan: DocumentKind values (BUSINESS_LICENCE, FINANCIAL_STATEMENTS, TAX_CERTIFICATE), each once.' })
  @MaxItems(10)
  requiredDocuments?: string[] | null;

  @Field(() => DateTimeScalar, { description: 'The offer stands until this instant: after now by the database\'s clock, at most 90 days ahead. Then it expires.' })
  validUntil: Date;
}

@InputType({ description: 'An offer to act on.' })
export class AcceptOfferInput {
  @Field(() => ID, { description: 'The offer.' })
  offerId: string;
}
