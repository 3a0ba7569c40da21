import { Field, ID, InputType } from 'type-graphql';
import { Len } from '../common/validation';
import { DeclineReasonEnum } from './match.enums';
import type { DeclineReason } from './match.rules';

@InputType({ description: 'An institution\'s response to a match of its product (R14).' })
export class RespondToMatchInput {
  @Field(() => ID, { description: 'The match.' })
  matchId: string;

  @Field(() => String, { description: 'VIEW (opened it), CONTACT (contacted the enterprise) or DECLINE (with a reason).' })
  action: string;

  @Field(() => DeclineReasonEnum, { nullable: true, description: 'Why, for DECLINE (required there, refused otherwise); the enterprise sees it with what it could do about it.' })
  declineReason?: DeclineReason | null;

  @Field(() => String, { nullable: true, description: 'A note for the record (up to 500 characters); on a DECLINE the enterprise sees it too.' })
  @Len(1, 500)
  note?: string | null;
}

@InputType({ description: 'A match to act on.' })
export class MatchActionInput {
  @Field(() => ID, { description: 'The match.' })
  matchId: string;
}
