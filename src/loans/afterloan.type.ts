/** Issue 17 §2 through GraphQL: renewals (续贷), the authorities' renewal report, post-loan warnings and their triggers. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Decimal } from '../common/decimal';
import { graphqlEnum } from '../common/enums';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar, JSONScalar } from '../common/scalars';
import { AtLeast, AtMost, Len, MaxItems } from '../common/validation';
import { TERM_MONTHS_MAX } from '../needs/need.rules';
import { WarningRecord } from './afterloan.read';
import { RENEWAL_ACTIONS, RENEWAL_STATUSES, RenewalAction, RenewalRecord, RenewalStatus } from './renewal.service';
import { WARNING_KINDS, WarningKind } from './warning.service';

showsAs(RenewalRecord, 'LoanRenewal');
showsAs(WarningRecord, 'PostLoanWarning');

export const RenewalStatusEnum = graphqlEnum<RenewalStatus>('RenewalStatus', RENEWAL_STATUSES, 'Where a renewal request (续贷) stands.', {
  REQUESTED: 'Waiting for the lender\'s answer until respondBy',
  APPROVED: 'The lender extended the loan (展期): its maturity moved',
  REFUSED: 'The lender refused, with a reason: a turnover-fund need was posted',
  LAPSED: 'The lender did not answer by respondBy: a turnover-fund need was posted',
});

export const RenewalActionEnum = graphqlEnum<RenewalAction>('RenewalAction', RENEWAL_ACTIONS, 'The lender\'s answer to a renewal request.', {
  APPROVE: 'Extend the loan by the months asked for (or extensionMonths)',
  REFUSE: 'Refuse, with a reason; the enterprise falls back to turnover funds',
});

export const WarningKindEnum = graphqlEnum<WarningKind>('WarningKind', WARNING_KINDS, 'What raises a post-loan warning (贷后预警) for a borrower with a live loan.', {
  DISHONESTY: 'A dishonesty listing became active on its credit profile',
  OVERDUE: 'A new overdue on its credit profile, or its loan past an unpaid instalment for the institution\'s minOverdueDays',
  RATING_DOWNGRADE: 'Its credit rating fell by at least the institution\'s minRatingDrop notches',
  WHITELIST_REVOKED: 'One of its whitelist entries was revoked',
});

@ObjectType({ implements: Node, description: 'A renewal request (续贷, 无还本续贷; seed 004 Art. (26), (34)): asked of the current lender 60 to 30 days before maturity; approved as an extension, or refused or lapsed into a turnover-fund need.', simpleResolvers: true })
export class LoanRenewal {
  @Field(() => RenewalStatusEnum, { description: 'REQUESTED, APPROVED, REFUSED or LAPSED.' })
  status: RenewalStatus;

  @Field(() => Int, { description: 'Months of extension asked for.' })
  extensionMonths: number;

  @Field(() => Int, { nullable: true, description: 'Months the lender approved (APPROVED).' })
  approvedMonths: number | null;

  @Field(() => DateScalar, { description: 'The loan\'s maturity when it was asked for.' })
  maturityBefore: string;

  @Field(() => DateScalar, { nullable: true, description: 'The new maturity (APPROVED).' })
  maturityAfter: string | null;

  @Field(() => DecimalScalar, { description: 'Principal outstanding when it was asked for, CNY.' })
  outstanding: Decimal;

  @Field(() => DateScalar, { description: 'The database\'s day it was asked for.' })
  requestedOn: string;

  @Field(() => DateScalar, { description: 'The last day the lender may answer; after it the request lapses.' })
  respondBy: string;

  @Field(() => String, { nullable: true, description: 'The enterprise\'s note.' })
  note: string | null;

  @Field(() => String, { nullable: true, description: 'The lender\'s reason (required to refuse).' })
  reason: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was answered or lapsed.' })
  decidedAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was asked for.' })
  createdAt: Date;
}

export const LoanRenewalConnection = connectionType(LoanRenewal, 'LoanRenewal', 'renewal request');

@ObjectType({ description: 'Renewal requests counted by status.', simpleResolvers: true })
export class RenewalCounts {
  @Field(() => Int, { description: 'Requests asked for in the period.' })
  requested: number;

  @Field(() => Int, { description: 'Approved (extended).' })
  approved: number;

  @Field(() => Int, { description: 'Refused by the lender.' })
  refused: number;

  @Field(() => Int, { description: 'Not answered by the deadline.' })
  lapsed: number;

  @Field(() => Int, { description: 'Still waiting for an answer.' })
  pending: number;
}

@ObjectType({ description: 'One lender\'s renewal decisions in the period (通报制度).', simpleResolvers: true })
export class InstitutionRenewals extends RenewalCounts {
  institutionId: string;
  renewalIds: string[];
}

@ObjectType({ description: 'Renewal requests and decisions per lending institution, for the authorities (seed 004 Art. (26): 续贷审批情况及时通报制度).', simpleResolvers: true })
export class RenewalReport {
  @Field(() => DateScalar, { description: 'First day of the period (requests asked for from it).' })
  from: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  to: string;

  @Field(() => RenewalCounts, { description: 'All institutions together.' })
  totals: RenewalCounts;

  @Field(() => [InstitutionRenewals], { description: 'Per lending institution, most requests first.' })
  institutions: InstitutionRenewals[];
}

@ObjectType({ description: 'An institution\'s post-loan warning conditions (Qingdao 信易贷: each institution sets its own).', simpleResolvers: true })
export class WarningTriggers {
  @Field(() => [WarningKindEnum], { description: 'The kinds it is warned of.' })
  kinds: WarningKind[];

  @Field(() => Int, { description: 'OVERDUE from its loans: days past an unpaid instalment before it is warned.' })
  minOverdueDays: number;

  @Field(() => Int, { description: 'RATING_DOWNGRADE: notches the rating must fall (AAA … C) to warn.' })
  minRatingDrop: number;

  @Field({ description: 'False while the institution has set none: every kind at the lowest thresholds.' })
  custom: boolean;
}

@ObjectType({ implements: Node, description: 'A post-loan warning for an institution about a borrower of one of its live loans (its lender\'s or guarantor\'s).', simpleResolvers: true })
export class PostLoanWarning {
  @Field(() => WarningKindEnum, { description: 'What happened.' })
  kind: WarningKind;

  @Field({ description: 'LENDER or GUARANTOR: the institution\'s part in the loan.' })
  role: string;

  @Field(() => JSONScalar, { description: 'The figures behind it: the listings, the overdue count or instalment and days, the ratings and notches, the whitelist and reason.' })
  detail: Record<string, unknown>;

  @Field(() => DateTimeScalar, { description: 'When it was raised.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When someone of the institution acknowledged it.' })
  acknowledgedAt: Date | null;
}

export const PostLoanWarningConnection = connectionType(PostLoanWarning, 'PostLoanWarning', 'post-loan warning');

@InputType({ description: 'The borrower asks its lender to renew a loan (续贷), 60 to 30 days before maturity.' })
export class RequestLoanRenewalInput {
  @Field(() => ID, { description: 'The loan (the viewer\'s enterprise\'s, ACTIVE, nothing overdue).' })
  loanId: string;

  @Field(() => Int, { description: 'Months of extension asked for: within 贷款通则\'s limit (a term up to 12 months: the term; up to 60: half of it; longer: 36), less earlier extensions.' })
  @AtLeast(1)
  @AtMost(TERM_MONTHS_MAX)
  extensionMonths: number;

  @Field(() => String, { nullable: true, description: 'A note for the lender (up to 500 characters).' })
  @Len(1, 500)
  note?: string | null;
}

@InputType({ description: 'The lender\'s answer to a renewal request, by its respondBy day.' })
export class RespondToLoanRenewalInput {
  @Field(() => ID, { description: 'The renewal request.' })
  renewalId: string;

  @Field(() => RenewalActionEnum, { description: 'APPROVE or REFUSE.' })
  action: RenewalAction;

  @Field(() => String, { nullable: true, description: 'Why (required to refuse; up to 500 characters).' })
  @Len(1, 500)
  reason?: string | null;

  @Field(() => Int, { nullable: true, description: 'APPROVE: months to extend (default: those asked for).' })
  @AtLeast(1)
  @AtMost(TERM_MONTHS_MAX)
  extensionMonths?: number | null;
}

@InputType({ description: 'The viewer\'s institution\'s post-loan warning conditions.' })
export class SetWarningTriggersInput {
  @Field(() => [WarningKindEnum], { description: 'The kinds to be warned of (at least one).' })
  @MaxItems(4)
  kinds: WarningKind[];

  @Field(() => Int, { nullable: true, description: 'OVERDUE from its loans: days past an unpaid instalment, 1–3650 (default 1).' })
  @AtLeast(1)
  @AtMost(3650)
  minOverdueDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'RATING_DOWNGRADE: notches, 1–8 (default 1).' })
  @AtLeast(1)
  @AtMost(8)
  minRatingDrop?: number | null;
}

@InputType({ description: 'Warnings of the viewer\'s institution to acknowledge.' })
export class AcknowledgePostLoanWarningsInput {
  @Field(() => [ID], { description: 'The warnings (1–100), all the institution\'s own.' })
  @MaxItems(100)
  ids: string[];
}
