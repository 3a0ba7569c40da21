/**
 * What an authority reports on (issue 17 §5; docs/AUTHORITIES.md ST1–ST7), as sections of `stats`: lending
 * (credit-loan share, first loans, average rate, days to money), funnels by chain and product kind, each
 * guarantor's amplification by month, each roadshow's funnel, and progress against targets.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { graphqlEnum } from '../common/enums';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { AuthorityTargetEntity } from './target.entity';
import { TARGET_METRICS, TargetMetric } from './targets';

export const TargetMetricEnum = graphqlEnum<TargetMetric>('TargetMetric', TARGET_METRICS, 'What an authority\'s target measures (ST7).', {
  NEW_FIRMS_POSTING_NEEDS: 'Firms whose first need (through the target\'s channel, if it names one) was posted in the target\'s window, in its region: seed 003\'s 新增…家中小企业发布融资需求.',
  INTENDED_FINANCING_AMOUNT: 'The amounts of the needs posted in the window (any status, withdrawn ones included: each was an intention), CNY: seed 003\'s 意向融资额.',
  LOANS_DISBURSED_AMOUNT: 'Principal disbursed in the window, CNY.',
  FIRST_LOAN_BORROWERS: 'First-loan borrowers (首贷户, ST2) whose first loan was disbursed in the window.',
});

export const FUNNEL_DIMENSIONS = ['INDUSTRY_CHAIN', 'PRODUCT_KIND'] as const;
export type FunnelDimension = (typeof FUNNEL_DIMENSIONS)[number];

export const FunnelDimensionEnum = graphqlEnum<FunnelDimension>('FunnelDimension', FUNNEL_DIMENSIONS, 'What `Stats.funnelBy` groups the funnel by (ST5).', {
  INDUSTRY_CHAIN: 'The firm\'s industry chains: a need counts once under each chain of its firm ("NONE" without one); each stage counts needs with that step on any of their matches.',
  PRODUCT_KIND: 'The kind of the matched product (R12): a need counts under each kind it was matched to; each stage counts needs with that step on a match of that kind.',
});

@ObjectType({
  description:
    'Loans disbursed in the range to firms in the region (ST1–ST4): the credit-loan share, first-loan borrowers, the amount-weighted average rate and the median days from posting to money.',
  simpleResolvers: true,
})
export class LendingStats {
  @Field(() => Int, { description: 'Loans disbursed.' })
  loans: number;

  @Field(() => DecimalScalar, { description: 'Their principal, CNY.' })
  principal: Decimal;

  @Field(() => Int, { description: 'Of those, credit loans (信用贷, ST1): no guarantee, no collateral.' })
  creditLoans: number;

  @Field(() => DecimalScalar, { description: 'Their principal, CNY.' })
  creditLoanPrincipal: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'creditLoans ÷ loans, 6 places (half-up); null without loans.' })
  creditLoanCountShare: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'creditLoanPrincipal ÷ principal, 6 places (half-up); null without loans.' })
  creditLoanAmountShare: Decimal | null;

  @Field(() => Int, { description: 'First-loan borrowers (首贷户, ST2): firms whose first loan here was disbursed in the range while their credit data said they never had a bank loan.' })
  firstLoanBorrowers: number;

  @Field(() => DecimalScalar, { description: 'The principal of those first loans, CNY.' })
  firstLoanPrincipal: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'Σ principal × annual rate ÷ Σ principal (ST3), 6 places (half-up); null without loans.' })
  averageAnnualRate: Decimal | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Median calendar days (Asia/Shanghai) from a need\'s posting to its first disbursement, over the needs whose first disbursement is in the range (ST4); a half when the count is even; null without any.',
  })
  medianDaysToDisbursement: Decimal | null;
}

@ObjectType({ description: 'One group of `Stats.funnelBy` (ST5): needs posted in the range by firms in the region.', simpleResolvers: true })
export class FunnelGroup {
  @Field({ description: 'A chain code ("NONE" for firms without one) or a product kind.' })
  key: string;

  @Field(() => Int, { description: 'Needs in the group: posted (INDUSTRY_CHAIN), or matched to a product of the kind (PRODUCT_KIND).' })
  needs: number;

  @Field(() => DecimalScalar, { description: 'Their amounts, CNY.' })
  amount: Decimal;

  @Field(() => Int, { description: 'Of those, needs that had an eligible match (R13).' })
  matched: number;

  @Field(() => Int, { description: 'Needs an institution contacted (CONTACT).' })
  contacted: number;

  @Field(() => Int, { description: 'Needs whose firm applied (APPLY).' })
  applied: number;

  @Field(() => Int, { description: 'Needs approved (APPROVE).' })
  approved: number;

  @Field(() => Int, { description: 'Needs with a disbursed loan.' })
  disbursed: number;

  @Field(() => DecimalScalar, { description: 'Principal of those loans, CNY.' })
  disbursedAmount: Decimal;
}

@ObjectType({ description: 'A guarantor\'s amplification at the end of one month (ST6, R6).', simpleResolvers: true })
export class AmplificationMonth {
  @Field({ description: 'The month, YYYY-MM; the current month is stated as of now.' })
  month: string;

  @Field(() => DecimalScalar, { description: 'Weighted guarantee liability at the month\'s end: the opening liability plus each borrower\'s guaranteed balance from the ledger, weighted (R6), CNY.' })
  liability: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'Net assets in force at the month\'s end (the latest figure dated on or before its last day), CNY; null before the first.' })
  netAssets: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'liability ÷ net assets, 6 places (half-up); null without net assets.' })
  amplificationMultiple: Decimal | null;
}

@ObjectType({ description: 'One guarantor\'s amplification month by month (ST6).', simpleResolvers: true })
export class GuarantorMonths {
  institutionId: string;

  @Field(() => [AmplificationMonth], { description: 'The months, oldest first.' })
  months: AmplificationMonth[];
}

@ObjectType({ description: 'One roadshow\'s funnel (RS3): pitching firms → needs → matches with attending institutions → contacted → applied → loans.', simpleResolvers: true })
export class RoadshowFunnel {
  roadshowId: string;

  @Field(() => Int, { description: 'Institutions invited.' })
  invited: number;

  @Field(() => Int, { description: 'Of those, attending (ACCEPTED).' })
  attending: number;

  @Field(() => Int, { description: 'Firms pitching (in the region).' })
  pitchingFirms: number;

  @Field(() => Int, { description: 'Needs attributed to it: pitched there or posted for it.' })
  needs: number;

  @Field(() => DecimalScalar, { description: 'Their amounts, CNY.' })
  needsAmount: Decimal;

  @Field(() => Int, { description: 'Matches of those needs with attending institutions\' products (the roadshow\'s matches).' })
  matches: number;

  @Field(() => Int, { description: 'Of those, matches the institution contacted the firm on.' })
  contacted: number;

  @Field(() => Int, { description: 'Matches the firm applied to.' })
  applied: number;

  @Field(() => Int, { description: 'Loans disbursed on the roadshow\'s matches.' })
  loans: number;

  @Field(() => DecimalScalar, { description: 'Their principal, CNY.' })
  loansAmount: Decimal;
}

showsAs(AuthorityTargetEntity, 'AuthorityTarget');

@ObjectType({ implements: Node, description: 'A target an authority set (ST7).' })
export class AuthorityTarget {
  @Field({ description: 'What it is called.' })
  name: string;

  @Field(() => TargetMetricEnum, { description: 'What it measures.' })
  metric: TargetMetric;

  @Field(() => DecimalScalar, { description: 'The figure to reach: firms or CNY.' })
  value: Decimal;

  @Field(() => DateScalar, { description: 'First day counted.' })
  startsOn: string;

  @Field(() => DateScalar, { description: 'Last day counted.' })
  deadline: string;

  @Field(() => String, { nullable: true, description: 'Region prefix; null: national.' })
  regionPrefix: string | null;

  @Field(() => String, { nullable: true, description: 'Channel of the needs counted; null: any.' })
  channel: string | null;

  @Field(() => String, { nullable: true, description: 'Where it comes from.' })
  source: string | null;

  @Field(() => DateTimeScalar, { description: 'When it was set.' })
  createdAt: Date;
}

@ObjectType({ description: 'Progress against one target (ST7), computed from the data up to today or the deadline.', simpleResolvers: true })
export class TargetProgress {
  target: AuthorityTargetEntity;

  @Field(() => DateScalar, { description: 'The last day counted: today (the database\'s day), or the deadline once it has passed.' })
  asOf: string;

  @Field(() => DecimalScalar, { description: 'What the data gives so far: firms or CNY.' })
  achieved: Decimal;

  @Field(() => DecimalScalar, { description: 'achieved ÷ value, 6 places (half-up).' })
  ratio: Decimal;

  @Field(() => DecimalScalar, { description: 'value − achieved, never below zero.' })
  remaining: Decimal;

  @Field({ description: 'True once achieved ≥ value.' })
  met: boolean;

  @Field({ description: 'True once the deadline has passed.' })
  closed: boolean;
}
