import { Field, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateTimeScalar, DecimalScalar } from '../common/scalars';
import { GuaranteeRequestEntity } from './guarantee.entity';
import { GuaranteeStatusEnum } from './guarantee.enums';
import type { GuaranteeStatus } from './guarantee.rules';

showsAs(GuaranteeRequestEntity, 'Guarantee');

@ObjectType({
  implements: Node,
  description: 'A guarantee a match routed to a guarantor (R6, R7; issue 17 §1): routed when the lender approves, it needs the guarantor\'s acceptance before the loan is disbursed; a refusal routes the match to the next guarantor with room.',
})
export class Guarantee {
  @Field(() => GuaranteeStatusEnum, { description: 'PENDING, ACCEPTED or REFUSED.' })
  status: GuaranteeStatus;

  @Field(() => DecimalScalar, { description: 'Share of a loss the bank does not bear, as routed.' })
  coverageRatio: Decimal;

  @Field(() => DecimalScalar, { description: 'Guarantee fee a year, as routed.' })
  feeRate: Decimal;

  @Field(() => DecimalScalar, { description: 'The need\'s amount × coverage when routed, CNY.' })
  guaranteedAmount: Decimal;

  @Field(() => String, { nullable: true, description: 'The guarantor\'s reason (a refusal).' })
  reason: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was answered (an AUTOMATIC agreement answers when it is routed).' })
  respondedAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was routed.' })
  createdAt: Date;
}
