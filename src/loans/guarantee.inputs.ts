import { Field, ID, InputType } from 'type-graphql';
import { Len } from '../common/validation';
import { GuaranteeActionEnum } from './guarantee.enums';
import type { GuaranteeAction } from './guarantee.rules';

@InputType({ description: 'A guarantor\'s answer to a guarantee routed to it (issue 17 §1).' })
export class RespondToGuaranteeInput {
  @Field(() => ID, { description: 'The guarantee (see `guarantees`, `Match.routedGuarantee`).' })
  guaranteeId: string;

  @Field(() => GuaranteeActionEnum, { description: 'ACCEPT or REFUSE.' })
  action: GuaranteeAction;

  @Field(() => String, { nullable: true, description: 'Why (required to REFUSE; up to 500 characters). The lender sees it.' })
  @Len(1, 500)
  reason?: string | null;
}
