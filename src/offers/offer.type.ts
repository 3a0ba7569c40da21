import { Field, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateTimeScalar, DecimalScalar } from '../common/scalars';
import { FeeKindEnum, OfferDeclineReasonEnum } from './offer.enums';
import { OfferEntity } from './offer.entity';
import type { FeeKind, OfferDeclineReason } from './offer.rules';

showsAs(OfferEntity, 'Offer');

@ObjectType({ description: 'A one-off fee of an offer, with what it charges (seed 004 (23): fees are visible).', simpleResolvers: true })
export class OfferFee {
  @Field(() => FeeKindEnum, { description: 'What the fee is for.' })
  kind: FeeKind;

  @Field(() => DecimalScalar, { nullable: true, description: 'The fee as quoted in CNY, when quoted as an amount.' })
  amount: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'The fee as quoted as a fraction of the principal (once), when quoted as a rate.' })
  rate: Decimal | null;

  @Field(() => DecimalScalar, { description: 'What it charges in CNY on the offered principal (a rate: rate × principal, half-up to the cent).' })
  charged: Decimal;
}

@ObjectType({
  implements: Node,
  description:
    'A bank\'s offer on a match it contacted (issue 15 §2; docs/OFFERS.md): amount, rate, term, fees and the documents it requires, with the all-in annual cost the enterprise compares offers by.',
})
export class Offer {
  @Field(() => DecimalScalar, { description: 'Principal offered, CNY.' })
  amount: Decimal;

  @Field(() => DecimalScalar, { description: 'Annual rate offered, a fraction.' })
  annualRate: Decimal;

  @Field(() => Int, { description: 'Term in whole months.' })
  termMonths: number;

  @Field(() => DecimalScalar, { description: 'All fees together, CNY.' })
  feeTotal: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'The guarantor\'s fee a year on the match\'s guarantee, when the loan carries one (counted in the all-in cost).' })
  guaranteeFeeRate: Decimal | null;

  @Field(() => DecimalScalar, { description: 'What the match\'s interest subsidies (R9 贴息) take off the offered rate: ratio × rate per rule version; 0 when none applies.' })
  interestSubsidyRate: Decimal;

  @Field(() => [String], { description: 'Documents the enterprise must share before the loan (DocumentKind values).' })
  requiredDocuments: string[];

  @Field(() => DateTimeScalar, { description: 'The offer stands until this instant (the database\'s clock); then it expires.' })
  validUntil: Date;

  @Field(() => OfferDeclineReasonEnum, { nullable: true, description: 'Why it was declined, when it was.' })
  declineReason: OfferDeclineReason | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the status last changed, if it did.' })
  statusChangedAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When the bank made it.' })
  createdAt: Date;
}

export const OfferConnection = connectionType(Offer, 'Offer', 'offer');
