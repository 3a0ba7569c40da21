import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { ConsentEntity, CreditAccessEntity, ConsentVia } from './privacy.entity';

showsAs(ConsentEntity, 'Consent');
showsAs(CreditAccessEntity, 'CreditAccess');

@ObjectType({ implements: Node, description: 'An enterprise\'s consent to one institution seeing its contact details and full credit history (R10).' })
export class Consent {
  @Field(() => String, { description: 'GRANT (grantConsent) or APPLICATION (the enterprise applied to the institution\'s match).' })
  via: ConsentVia;

  @Field(() => DateTimeScalar, { description: 'When it was granted.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was revoked; null while in force.' })
  revokedAt: Date | null;
}

@InputType({ description: 'The institution a consent is for.' })
export class ConsentInput {
  @Field(() => ID, { description: 'Institution id.' })
  institutionId: string;
}

@ObjectType({ implements: Node, description: 'One read of an enterprise\'s credit data by someone other than the enterprise (R10): who, when, which fields.' })
export class CreditAccess {
  @Field(() => DateTimeScalar, { description: 'When.' })
  createdAt: Date;

  @Field({ description: 'Role of the reader.' })
  role: string;

  @Field(() => [String], { description: 'What was read, e.g. creditProfile.rating, creditProfile.history, whitelist.filter.minRating.' })
  fields: string[];

  @Field(() => String, { nullable: true, description: 'The GraphQL operation name the client gave, if any.' })
  operation: string | null;
}

export const CreditAccessConnection = connectionType(CreditAccess, 'CreditAccess', 'credit-data read');

@InputType({ description: 'Filters for `creditAccessLog`.' })
export class CreditAccessFilter {
  @Field(() => String, { nullable: true, description: 'Reads of this enterprise (credit code).' })
  creditCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Reads by this institution (id).' })
  institutionId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'From this day on (Asia/Shanghai).' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Up to and including this day.' })
  to?: string | null;
}
