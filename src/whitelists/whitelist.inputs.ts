import { ArrayMinSize, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { DateScalar } from '../common/scalars';
import { IsDateValue, Len, MaxItems } from '../common/validation';
import { BATCH_MAX, PUBLISHER_MAX, WHITELIST_NAME_MAX } from './limits';
import { QualificationTierEnum } from './whitelist.enums';
import type { QualificationTier } from './tier';

/** Entries per publishWhitelistBatch call; larger lists go through `npm run import:whitelist`. */
export const MAX_ENTRIES_PER_MUTATION = 10_000;

@InputType({ description: 'One row of a whitelist batch (R4).' })
export class WhitelistEntryInput {
  @Field({ description: '统一社会信用代码 (R1); an unknown code creates an unclaimed enterprise its owner can claim by registering.' })
  creditCode: string;

  @Field({ description: 'Enterprise name as listed (1–200 characters).' })
  @Len(1, 200)
  name: string;

  @Field(() => QualificationTierEnum, { description: 'Tier listed.' })
  tier: QualificationTier;

  @Field(() => DateScalar, { description: 'First day of validity.' })
  @IsDateValue()
  validFrom: string;

  @Field(() => DateScalar, { description: 'Last day of validity; not before validFrom.' })
  @IsDateValue()
  validTo: string;
}

@InputType({ description: 'A whitelist batch to publish, all or nothing: one bad entry refuses the batch with a userError per bad entry.' })
export class PublishWhitelistBatchInput {
  @Field({ description: 'Whitelist to publish to (created on its first batch).' })
  @Len(1, WHITELIST_NAME_MAX)
  whitelistName: string;

  @Field({ description: 'Batch number, unique within the whitelist (e.g. 2026-1).' })
  @Len(1, BATCH_MAX)
  batch: string;

  @Field(() => String, { nullable: true, description: 'Publishing authority, recorded when the whitelist is created.' })
  @Len(1, PUBLISHER_MAX)
  publisher?: string | null;

  @Field(() => [WhitelistEntryInput], { description: `The entries, 1–${MAX_ENTRIES_PER_MUTATION} (larger lists: npm run import:whitelist).` })
  @ArrayMinSize(1, { context: { code: 'REQUIRED' } })
  @MaxItems(MAX_ENTRIES_PER_MUTATION)
  @ValidateNested({ each: true })
  entries: WhitelistEntryInput[];
}

@InputType({ description: 'Revokes (withdraws) one whitelist entry from a date on.' })
export class RevokeWhitelistEntryInput {
  @Field(() => ID, { description: 'The entry.' })
  entryId: string;

  @Field(() => DateScalar, { description: 'First day the firm is off the list; within the entry\'s validity.' })
  @IsDateValue()
  revokedOn: string;

  @Field({ description: 'Why (1–500 characters), shown to banks.' })
  @Len(1, 500)
  reason: string;
}
