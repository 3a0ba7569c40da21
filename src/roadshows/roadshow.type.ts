import { Field, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { graphqlEnum } from '../common/enums';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { RoadshowEntity, RoadshowInvitationEntity, RoadshowPitchEntity } from './roadshow.entity';
import { INVITATION_STATUSES, InvitationStatus, PITCH_BASES, PitchBasis } from './roadshow.rules';

showsAs(RoadshowEntity, 'Roadshow');

export const InvitationStatusEnum = graphqlEnum<InvitationStatus>('RoadshowInvitationStatus', INVITATION_STATUSES, 'Where an invitation stands.', {
  INVITED: 'Invited, no answer yet.',
  ACCEPTED: 'It attends (RS2): the matches of the roadshow\'s needs with its products are the roadshow\'s (RS3).',
  DECLINED: 'It does not attend.',
});

export const PitchBasisEnum = graphqlEnum<PitchBasis>('RoadshowPitchBasis', PITCH_BASES, 'Why a firm may pitch (RS4).', {
  WHITELIST: 'On a whitelist (R4) on the day it was picked, and in the roadshow\'s chain.',
  OPEN_NEED: 'It pitches one of its open needs (R11).',
});

@ObjectType({
  implements: Node,
  description: 'A 千亿畅融 一月一链 financing roadshow (seed 003 二.(三).1): one industry chain, one month; the institutions invited and the firms pitching (docs/AUTHORITIES.md RS1–RS4).',
})
export class Roadshow {
  @Field({ description: 'The industry chain\'s code.' })
  industryChain: string;

  @Field(() => DateScalar, { nullable: true, description: 'The day it is held, when known.' })
  heldOn: string | null;

  @Field({ description: 'Its title.' })
  title: string;

  @Field(() => String, { nullable: true, description: 'The co-hosting region\'s prefix; null for a national one.' })
  regionPrefix: string | null;

  @Field(() => Int, { description: 'Days after the roadshow (its day, else its month\'s last day) during which its pitching firms may post needs for it (RS3).' })
  attributionDays: number;

  @Field(() => DateTimeScalar, { description: 'When it was scheduled.' })
  createdAt: Date;
}

export const RoadshowConnection = connectionType(Roadshow, 'RoadshowConnection', 'roadshow');

showsAs(RoadshowInvitationEntity, 'RoadshowInvitation');

@ObjectType({ description: 'An institution invited to a roadshow (RS2).' })
export class RoadshowInvitation {
  @Field(() => InvitationStatusEnum, { description: 'INVITED, ACCEPTED (attending) or DECLINED.' })
  status: InvitationStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it answered.' })
  respondedAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was invited.' })
  createdAt: Date;
}

showsAs(RoadshowPitchEntity, 'RoadshowPitch');

@ObjectType({ description: 'A firm pitching at a roadshow (RS4).' })
export class RoadshowPitch {
  @Field(() => PitchBasisEnum, { description: 'WHITELIST or OPEN_NEED.' })
  basis: PitchBasis;

  @Field(() => DateTimeScalar, { description: 'When it was picked.' })
  createdAt: Date;
}
