import { Arg, Authorized, Ctx, Field, FieldResolver, Info, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { MANAGERS } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { Decimal } from '../common/decimal';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { selectedFieldNames } from '../common/selection';
import { localize, UserError } from '../common/user-error';
import { PayloadMutation } from '../common/validation';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { Enterprise } from '../enterprises/enterprise.type';
import { recordCreditRead } from '../privacy/credit-access.service';
import { canSeeCreditSummary, canSeePrivate } from '../privacy/privacy.policy';
import { CreditRatingEnum, TaxGradeEnum } from './credit.enums';
import { CreditRecordEntity, DishonestyListing as Listing } from './credit.entity';
import { ImportCreditRecordsInput } from './credit.inputs';
import { creditHistoryByEnterpriseId, creditProfileByEnterpriseId, importCredit } from './credit.service';
import { CreditProfile, CreditProfileView, CreditRecord, DishonestyListing } from './credit.type';
import type { CreditRating, TaxGrade } from './grades';

@ObjectType({ description: 'Result of importCreditRecords: how many records changed profiles, how many went to the history only.', simpleResolvers: true })
export class CreditImportPayload {
  @Field(() => Int, { description: 'Records that became (or, same as-of, corrected) their enterprise\'s current profile. 0 when refused.' })
  imported: number;

  @Field(() => Int, { description: 'Records older than the profile already held (R5): kept in the history, the profile unchanged. 0 when refused.' })
  skipped: number;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. When present, nothing was written.' })
  userErrors: UserError[];
}

const listing = (l: Listing): DishonestyListing => ({ ...l, active: l.repairedOn === null });

@Resolver(() => CreditProfile)
export class CreditProfileResolver {
  @Authorized(MANAGERS)
  @PayloadMutation(() => CreditImportPayload, {
    refused: { imported: 0, skipped: 0 },
    description:
      'Imports credit records as of a date from a source (R5), all or nothing. Unknown credit codes create unclaimed enterprises. A regional authority imports its region\'s firms only (a registered firm\'s region code, else the division in characters 3–8 of the credit code): OUTSIDE_AUTHORITY_REGION on each record outside it, nothing written. Larger files: npm run import:credit.',
  })
  async importCreditRecords(@Ctx() ctx: AuthedContext, @Arg('input', () => ImportCreditRecordsInput) input: ImportCreditRecordsInput): Promise<CreditImportPayload> {
    const result = await importCredit(ctx, { ...input, importedBy: ctx.viewer.sub });
    if (!result.ok) return { imported: 0, skipped: 0, userErrors: result.failures.map((f) => localize(ctx.lang, f)) };
    return { imported: result.value.imported, skipped: result.value.skipped, userErrors: [] };
  }

  @FieldResolver(() => DateScalar, { description: 'The date the profile describes.' })
  asOf(@Root() v: CreditProfileView): string {
    return v.profile.asOf;
  }

  @FieldResolver(() => String, { description: 'The source of the newest record.' })
  source(@Root() v: CreditProfileView): string {
    return v.profile.source;
  }

  @FieldResolver(() => CreditRatingEnum, { nullable: true, description: 'Credit rating (AAA best … C worst).' })
  rating(@Root() v: CreditProfileView): CreditRating | null {
    return v.profile.rating;
  }

  @FieldResolver(() => TaxGradeEnum, { nullable: true, description: 'Tax credit grade (A best … D worst; M new taxpayer).' })
  taxGrade(@Root() v: CreditProfileView): TaxGrade | null {
    return v.profile.taxGrade;
  }

  @FieldResolver(() => [DishonestyListing], { description: 'Listings not yet repaired (public lists: 失信被执行人, 重大税收违法, 经营异常).' })
  activeDishonesty(@Root() v: CreditProfileView): DishonestyListing[] {
    return v.profile.dishonesty.filter((l) => l.repairedOn === null).map(listing);
  }

  @FieldResolver(() => Boolean, { description: 'True when the data says the firm never had a bank loan (首贷户); false when it had one or the data does not say.' })
  firstLoan(@Root() v: CreditProfileView): boolean {
    return v.profile.hadBankLoan === false;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer may see the detail below (the enterprise itself, or an institution it consented to). When false those fields are null.' })
  detailVisible(@Root() v: CreditProfileView): boolean {
    return v.detailVisible;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Detail: overdue repayments in the last 12 months.' })
  overdueCount12m(@Root() v: CreditProfileView): number | null {
    return v.detailVisible ? v.profile.overdueCount12m : null;
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: 'Detail: amount overdue at asOf, CNY.' })
  currentOverdueAmount(@Root() v: CreditProfileView): Decimal | null {
    return v.detailVisible ? v.profile.currentOverdueAmount : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Detail: months of continuous social-security payments.' })
  socialSecurityMonths(@Root() v: CreditProfileView): number | null {
    return v.detailVisible ? v.profile.socialSecurityMonths : null;
  }

  @FieldResolver(() => [DishonestyListing], { nullable: true, description: 'Detail: every listing of the current record, repaired ones included.' })
  dishonesty(@Root() v: CreditProfileView): DishonestyListing[] | null {
    return v.detailVisible ? v.profile.dishonesty.map(listing) : null;
  }

  @FieldResolver(() => [CreditRecord], { nullable: true, description: 'Detail: the full history, every source and as-of date, newest first.' })
  async history(@Root() v: CreditProfileView, @Ctx() ctx: RequestContext): Promise<CreditRecordEntity[] | null> {
    return v.detailVisible ? creditHistoryByEnterpriseId(ctx).load(v.profile.enterpriseId) : null;
  }
}

@Resolver(() => CreditRecord)
export class CreditRecordResolver {
  @FieldResolver(() => [DishonestyListing], { description: 'Listings in this record, repaired ones included.' })
  dishonesty(@Root() r: CreditRecordEntity): DishonestyListing[] {
    return r.dishonesty.map(listing);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseCreditResolver {
  @FieldResolver(() => CreditProfile, {
    nullable: true,
    description:
      'Current credit profile (R5); null when there is no credit data or the viewer may not see it (R10): analysts (aggregates only), and guarantors and investors for firms they do not deal with (no guarantee routed to them, no need matched to their products, no consent), and an enterprise whose claim on the firm is not verified. The detail needs the enterprise\'s consent; every read by anyone but the enterprise itself is recorded.',
  })
  async creditProfile(@Root() e: EnterpriseEntity, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<CreditProfileView | null> {
    if (!(await canSeeCreditSummary(ctx, e.id))) return null;
    const profile = await creditProfileByEnterpriseId(ctx).load(e.id);
    if (!profile) return null;
    const detailVisible = await canSeePrivate(ctx, e.id);
    await recordCreditRead(ctx, {
      enterpriseId: e.id,
      fields: selectedFieldNames(info).map((f) => `creditProfile.${f}`),
      consented: detailVisible,
      operation: info.operation.name?.value ?? null,
    });
    return { profile, detailVisible };
  }
}
