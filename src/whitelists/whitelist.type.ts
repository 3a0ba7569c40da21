import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { CreditRatingEnum, TaxGradeEnum } from '../credit/credit.enums';
import type { CreditRating, TaxGrade } from '../credit/grades';
import { SizeClassEnum } from '../enterprises/enterprise.enums';
import type { SizeClass } from '../enterprises/size-class';
import { QualificationTierEnum } from './whitelist.enums';
import { WhitelistEntity, WhitelistEntryEntity } from './whitelist.entity';
import type { QualificationTier } from './tier';

showsAs(WhitelistEntity, 'Whitelist');
showsAs(WhitelistEntryEntity, 'WhitelistEntry');

@ObjectType({ implements: Node, description: 'An authority\'s published list of qualified enterprises (白名单, R4), growing by batches.' })
export class Whitelist {
  @Field({ description: 'Name, unique, e.g. 上海市专精特新企业融资白名单.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'The publishing authority.' })
  publisher: string | null;

  @Field(() => DateTimeScalar, { description: 'When its first batch was published.' })
  createdAt: Date;
}

@ObjectType({ description: 'One published batch of a whitelist (immutable).', simpleResolvers: true })
export class WhitelistBatch {
  @Field({ description: 'Batch number as the authority names it, e.g. 2026-1.' })
  batch: string;

  @Field(() => Int, { description: 'Entries it published.' })
  entryCount: number;

  @Field({ description: 'How it arrived: API, or FILE:<file name> for `npm run import:whitelist`.' })
  source: string;

  @Field(() => String, { nullable: true, description: 'The region (GB/T 2260 prefix, e.g. 3702) of the regional authority that published it, whose firms alone it could list; null: a national authority, an admin or `npm run import:whitelist`.' })
  regionPrefix: string | null;

  @Field(() => DateTimeScalar, { description: 'When it was published.' })
  createdAt: Date;
}

@ObjectType({ implements: Node, description: 'An enterprise\'s place on a whitelist (R4): on the list at date D when validFrom ≤ D ≤ validTo and not revoked on or before D.' })
export class WhitelistEntry {
  @Field(() => QualificationTierEnum, { description: 'Tier listed (梯度培育).' })
  tier: QualificationTier;

  @Field(() => DateScalar, { description: 'First day of validity.' })
  validFrom: string;

  @Field(() => DateScalar, { description: 'Last day of validity (专精特新 status is typically reviewed every 3 years).' })
  validTo: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day the entry was revoked (withdrawn), if it was; from this day on the firm is off the list.' })
  revokedOn: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was revoked.' })
  revocationReason: string | null;

  @Field({ description: 'The name as the authority listed it (the registered name may differ).' })
  listedName: string;

  @Field(() => DateTimeScalar, { description: 'When the entry was published.' })
  createdAt: Date;
}

export const WhitelistEntryConnection = connectionType(WhitelistEntry, 'WhitelistEntry', 'whitelist entry');

@ObjectType({ description: 'A bank\'s 资质查询: is this firm on a whitelist at a date, at which tier, until when (R4).', simpleResolvers: true })
export class QualificationStatus {
  @Field({ description: 'The credit code asked about (normalised).' })
  creditCode: string;

  @Field(() => String, { nullable: true, description: 'The enterprise\'s name, or null when the code is unknown here.' })
  enterpriseName: string | null;

  @Field({ description: 'True when at least one entry makes the firm a member at `asOf`.' })
  onWhitelist: boolean;

  @Field(() => QualificationTierEnum, { nullable: true, description: 'Highest tier among the entries valid at `asOf`.' })
  highestTier: QualificationTier | null;

  @Field(() => DateScalar, { nullable: true, description: 'Latest validTo among the entries valid at `asOf`: the firm stays on a list at least until then, unless revoked.' })
  validTo: string | null;

  @Field(() => DateScalar, { description: 'The date membership was judged at (today in Asia/Shanghai unless given).' })
  asOf: string;

  @Field(() => [WhitelistEntry], { description: 'Every entry the firm has had on any whitelist, current or not, newest first.' })
  entries: WhitelistEntryEntity[];
}

@InputType({ description: 'Filters for `whitelist`; all given conditions must hold. Membership is judged at `asOf` (today unless given). There is no overdue-count filter: that figure is consent-only (R10), and filtering on it would disclose it.' })
export class WhitelistFilter {
  @Field(() => QualificationTierEnum, { nullable: true, description: 'Tier at least this one (order of the glossary).' })
  tierAtLeast?: QualificationTier | null;

  @Field(() => String, { nullable: true, description: 'Firms in this industry chain (code, e.g. HYDROGEN).' })
  industryChain?: string | null;

  @Field(() => String, { nullable: true, description: 'Firms whose region code starts with these 2, 4 or 6 digits (e.g. 3101 for Shanghai\'s districts).' })
  regionPrefix?: string | null;

  @Field(() => [SizeClassEnum], { nullable: true, description: 'Any of these size classes; firms whose size is not known (profileKnown false) never match.' })
  sizeClass?: SizeClass[] | null;

  @Field(() => CreditRatingEnum, { nullable: true, description: 'Current credit rating at least this (R5); firms without credit data do not match.' })
  minRating?: CreditRating | null;

  @Field(() => TaxGradeEnum, { nullable: true, description: 'Current tax credit grade at least this (A > B > M > C > D); firms without credit data do not match.' })
  minTaxGrade?: TaxGrade | null;

  @Field(() => Boolean, { nullable: true, description: 'True: only firms whose current credit profile shows no unrepaired dishonesty listing (firms without credit data do not match).' })
  noActiveDishonesty?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Credit profile at most this many days old (R5); firms without credit data do not match.' })
  maxCreditDataAgeDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'True: only firms the credit data shows never had a bank loan (首贷户, R5).' })
  firstLoanOnly?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'True: only firms with an active financing need (OPEN, MATCHED or IN_PROGRESS, not past needed-by); false: only firms without one.' })
  hasOpenNeed?: boolean | null;

  @Field(() => DateScalar, { nullable: true, description: 'Judge membership at this date (default today, Asia/Shanghai).' })
  asOf?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only entries of this whitelist.' })
  whitelistId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'True: every entry ever published, whatever its validity or revocation (asOf is then ignored).' })
  includeInactive?: boolean | null;
}
