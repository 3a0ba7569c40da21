import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, JSONScalar } from '../common/scalars';
import { ConsentEntity, CreditAccessEntity, CreditFilterReadEntity, ConsentVia } from './privacy.entity';

showsAs(ConsentEntity, 'Consent');
showsAs(CreditAccessEntity, 'CreditAccess');
showsAs(CreditFilterReadEntity, 'CreditFilterRead');

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

@ObjectType({
  implements: Node,
  description:
    'One filtered read of many firms\' credit data (R10): a whitelist page with credit criteria reads the data of the firms its other filters let through, returned or excluded. Who, when, the criteria, the other filters, and how many firms were read, kept, excluded and returned; each returned firm also has its CreditAccess row. For authorities and admins.',
})
export class CreditFilterRead {
  @Field(() => DateTimeScalar, { description: 'When.' })
  createdAt: Date;

  @Field({ description: 'The reader (JWT `sub`).' })
  sub: string;

  @Field({ description: 'Role of the reader.' })
  role: string;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation name the client gave, if any.' })
  operation: string | null;

  @Field({ description: 'What was filtered: `whitelist` (the whitelist page).' })
  source: string;

  @Field(() => JSONScalar, { description: 'The credit criteria, by WhitelistFilter field name: e.g. { "minRating": "A", "noActiveDishonesty": true }.' })
  criteria: Record<string, unknown>;

  @Field(() => JSONScalar, { description: 'The other filters, which chose the firms the criteria read, by WhitelistFilter field name; `asOf` is always stated.' })
  scope: Record<string, unknown>;

  @Field(() => Int, {
    description:
      'Firms whose credit data decided the answer: those the other filters let through from the page\'s cursor to its last row — to the end of the list on its last page, the whole list when `totalCount` was asked.',
  })
  firmsRead: number;

  @Field(() => Int, { description: 'Of those, firms the criteria kept.' })
  firmsKept: number;

  @Field(() => Int, { description: 'Firms the criteria excluded: firmsRead − firmsKept.' })
  firmsExcluded: number;

  @Field(() => Int, { description: 'Firms on the page returned; each has a CreditAccess row naming this read.' })
  firmsReturned: number;
}

export const CreditFilterReadConnection = connectionType(CreditFilterRead, 'CreditFilterRead', 'filtered credit-data read');

@InputType({ description: 'Filters for `creditAccessLog` and `creditFilterLog`.' })
export class CreditAccessFilter {
  @Field(() => String, { nullable: true, description: 'Reads of this enterprise (credit code); for `creditFilterLog`, the filtered reads that returned it (excluded firms are counted, not named).' })
  creditCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Reads by this institution (id).' })
  institutionId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'From this day on (Asia/Shanghai).' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Up to and including this day.' })
  to?: string | null;
}
