import { Field, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { CreditRatingEnum, DishonestyKindEnum, TaxGradeEnum } from './credit.enums';
import { CreditProfileEntity } from './credit.entity';
import type { CreditRating, DishonestyKind, TaxGrade } from './grades';

@ObjectType({ description: 'A dishonesty listing (R5): active until repaired (信用修复).', simpleResolvers: true })
export class DishonestyListing {
  @Field(() => DishonestyKindEnum, { description: 'What list the firm is on.' })
  kind: DishonestyKind;

  @Field(() => DateScalar, { description: 'Day it was listed.' })
  listedOn: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day the credit was repaired (信用修复); null while active.' })
  repairedOn: string | null;

  @Field({ description: 'True while not repaired.' })
  active: boolean;
}

@ObjectType({ description: 'One credit record of the history (R5): what a source said as of a date.' })
export class CreditRecord {
  @Field({ description: 'Where the data came from, e.g. PBOC-CRC, TAX-BUREAU.' })
  source: string;

  @Field(() => DateScalar, { description: 'The date the data describes.' })
  asOf: string;

  @Field(() => CreditRatingEnum, { nullable: true, description: 'Credit rating.' })
  rating: CreditRating | null;

  @Field(() => TaxGradeEnum, { nullable: true, description: 'Tax credit grade.' })
  taxGrade: TaxGrade | null;

  @Field(() => Int, { nullable: true, description: 'Overdue repayments in the 12 months before asOf.' })
  overdueCount12m: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Amount overdue at asOf, CNY.' })
  currentOverdueAmount: Decimal | null;

  @Field(() => Int, { nullable: true, description: 'Months of continuous social-security payments.' })
  socialSecurityMonths: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the firm ever had a bank loan; null when the source does not say.' })
  hadBankLoan: boolean | null;

  @Field(() => DateTimeScalar, { description: 'When this record was last written (a same-day import replaces it).' })
  updatedAt: Date;
}

/** What `Enterprise.creditProfile` resolves to: the profile and whether the viewer may see its detail. */
export interface CreditProfileView {
  profile: CreditProfileEntity;
  detailVisible: boolean;
}

@ObjectType({
  description:
    'The enterprise\'s current credit profile (R5): its newest record. Rating, tax grade, dishonesty listings and the first-loan flag are shown to institutions, authorities and admins; the detail (overdue figures, social security, repaired listings, history) only to the enterprise itself and institutions it consented to (R10). Every read by anyone else is recorded in `creditAccessLog`.',
})
export class CreditProfile {}
