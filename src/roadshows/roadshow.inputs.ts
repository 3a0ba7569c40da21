import { ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { graphqlEnum } from '../common/enums';
import { DateScalar } from '../common/scalars';
import { AtLeast, AtMost, IsDateValue, Len, MaxItems, Pattern } from '../common/validation';
import { INVITATION_ANSWERS, InvitationAnswer, MAX_ATTRIBUTION_DAYS, MONTH_PATTERN } from './roadshow.rules';

export const InvitationAnswerEnum = graphqlEnum<InvitationAnswer>('RoadshowInvitationAnswer', INVITATION_ANSWERS, 'An invited institution\'s answer.', {
  ACCEPT: 'It attends: the matches of the roadshow\'s needs with its products count as the roadshow\'s (RS3).',
  DECLINE: 'It does not attend.',
});

@InputType({ description: 'A 一月一链 financing roadshow to schedule (RS1).' })
export class CreateRoadshowInput {
  @Field({ description: 'The industry chain (a code of the `industryChains` list, e.g. HYDROGEN).' })
  industryChain: string;

  @Field(() => String, { nullable: true, description: 'The month, YYYY-MM; not before the current month (the database\'s day, Asia/Shanghai), which it is when left out.' })
  @Pattern(MONTH_PATTERN, 'INVALID_MONTH')
  month?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day it is held, in that month and not in the past; unknown yet when left out.' })
  @IsDateValue()
  heldOn?: string | null;

  @Field({ description: 'Its title, e.g. "千亿畅融·氢能产业链融资路演" (1–200 characters).' })
  @Len(1, 200)
  title: string;

  @Field(() => String, { nullable: true, description: 'The region co-hosting it (a district, 2, 4 or 6 digits); national when left out. One roadshow per chain, month and region.' })
  regionPrefix?: string | null;

  @Field(() => Int, { nullable: true, description: `Days after the roadshow during which firms pitching there may post needs for it (RS3): 1–${MAX_ATTRIBUTION_DAYS}, default 90.` })
  @AtLeast(1)
  @AtMost(MAX_ATTRIBUTION_DAYS)
  attributionDays?: number | null;
}

@InputType({ description: 'Institutions to invite to a roadshow (RS2).' })
export class InviteToRoadshowInput {
  @Field(() => ID, { description: 'The roadshow.' })
  roadshowId: string;

  @Field(() => [ID], { description: 'Institutions (banks, guarantors, investors, …; not authorities), 1–100.' })
  @MaxItems(100)
  institutionIds: string[];
}

@InputType({ description: 'An invited institution\'s answer (RS2); its token names the institution.' })
export class RespondToRoadshowInvitationInput {
  @Field(() => ID, { description: 'The roadshow.' })
  roadshowId: string;

  @Field(() => InvitationAnswerEnum, { description: 'ACCEPT (attend) or DECLINE.' })
  answer: InvitationAnswer;
}

@InputType({ description: 'A firm to pitch (RS4).' })
export class RoadshowPitchInput {
  @Field({ description: 'The firm\'s unified social credit code (R1).' })
  creditCode: string;

  @Field(() => ID, { nullable: true, description: 'The open need it pitches. Required unless the firm is on a whitelist and in the roadshow\'s chain.' })
  needId?: string | null;
}

@InputType({ description: 'Firms to pitch at a roadshow (RS4), all or nothing.' })
export class AddRoadshowPitchesInput {
  @Field(() => ID, { description: 'The roadshow.' })
  roadshowId: string;

  @Field(() => [RoadshowPitchInput], { description: 'The firms, 1–100.' })
  @MaxItems(100)
  @ValidateNested()
  pitches: RoadshowPitchInput[];
}

@InputType({ description: 'Which roadshows `roadshows` lists.' })
export class RoadshowFilter {
  @Field(() => String, { nullable: true, description: 'Only this industry chain.' })
  industryChain?: string | null;

  @Field(() => String, { nullable: true, description: 'From this month on (YYYY-MM).' })
  @Pattern(MONTH_PATTERN, 'INVALID_MONTH')
  fromMonth?: string | null;

  @Field(() => String, { nullable: true, description: 'Up to this month (YYYY-MM).' })
  @Pattern(MONTH_PATTERN, 'INVALID_MONTH')
  toMonth?: string | null;
}
