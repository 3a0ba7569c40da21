/**
 * The analysts' aggregates (issue 5 item 5; DOMAIN §1 "analyst", R10: aggregates, never contact
 * details): needs by chain, region, size class, month and channel; the funnel from posted to disbursed;
 * each institution's activity and response time; amplification per guarantor (R6); pool utilisation
 * (R8); subsidy totals (R9); loan outcomes (R14). No row here names a person or carries contact or
 * credit data: the finest grain is an institution, a pool, or a subsidy payee (a guarantor or a firm).
 */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../common/enums';
import { Decimal } from '../common/decimal';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { PolicyRuleKindEnum } from '../policy/policy.enums';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { LEDGER_FIGURES, LedgerFigure } from '../loans/accounts';

export const NEED_DIMENSIONS = ['INDUSTRY_CHAIN', 'REGION', 'SIZE_CLASS', 'MONTH', 'CHANNEL'] as const;
export type NeedDimension = (typeof NEED_DIMENSIONS)[number];

export const NeedDimensionEnum = graphqlEnum<NeedDimension>('NeedDimension', NEED_DIMENSIONS, 'What `Stats.needsBy` groups financing needs by.', {
  INDUSTRY_CHAIN:
    'The firm\'s industry chains (产业链): a need counts once under each chain of its firm, so the groups add up to more than `needs`; firms without a chain under "NONE".',
  REGION:
    'The firm\'s administrative division (GB/T 2260): by province ("370000") without a region filter; with `regionPrefix`, one level below it ("37" → cities "370200", "3702" → districts "370212"; a 6-digit prefix is its own group).',
  SIZE_CLASS: 'The firm\'s size class (R2): LARGE, MEDIUM, SMALL, MICRO, or "UNKNOWN" for a firm whose profile nobody has filled in yet (created by an import, unclaimed).',
  MONTH: 'The month the need was posted, YYYY-MM in Asia/Shanghai.',
  CHANNEL: 'Where the need was posted: MINI_PROGRAM, WEB, BANK_REFERRAL or ROADSHOW.',
});

/** The parsed filter every section reads: calendar days (Asia/Shanghai) and a region prefix, each optional. */
export interface StatsScope {
  from: string | null;
  to: string | null;
  regionPrefix: string | null;
}

@InputType({
  description:
    'Which activity `stats` counts. Dates are inclusive calendar days in Asia/Shanghai and apply to when each thing happened: a need\'s posting, a match\'s proposal or step, a loan\'s disbursement, a guarantee\'s start, a subsidy\'s booking. The region applies to the enterprise concerned.',
})
export class StatsFilter {
  @Field(() => DateScalar, { nullable: true, description: 'From this day on (inclusive).' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Up to and including this day; not before `from`.' })
  to?: string | null;

  @Field(() => String, { nullable: true, description: 'Enterprises whose region code starts with this: 2, 4 or 6 digits (e.g. "37" Shandong, "3702" Qingdao).' })
  regionPrefix?: string | null;
}

/** The root of a `stats` answer: each field is a section, computed (one SQL statement) only when selected. */
@ObjectType({
  description:
    'Aggregates for analysts and authorities (issue 5): each field is computed only when selected, over the `stats` filter. Nothing here identifies a person or carries contact or credit data.',
})
export class Stats {
  scope: StatsScope;
}

@ObjectType({ description: 'How many financing needs were posted and for how much.', simpleResolvers: true })
export class NeedTotals {
  @Field(() => Int, { description: 'Needs posted (any kind and status, withdrawn and expired included).' })
  count: number;

  @Field(() => DecimalScalar, { description: 'Sum of their amounts, CNY.' })
  amount: Decimal;
}

@ObjectType({ description: 'The needs of one group of `Stats.needsBy`.', simpleResolvers: true })
export class NeedGroup {
  @Field({ description: 'The group: a chain code, region code, size class, YYYY-MM month or channel (see NeedDimension).' })
  key: string;

  @Field(() => Int, { description: 'Needs posted in the group.' })
  count: number;

  @Field(() => DecimalScalar, { description: 'Sum of their amounts, CNY.' })
  amount: Decimal;
}

@ObjectType({
  description:
    'The conversion funnel over the needs posted in the filter\'s range (R13, R14). Each stage counts needs with that step recorded, whenever it happened; a need the enterprise applied to directly can be approved without a recorded contact.',
  simpleResolvers: true,
})
export class Funnel {
  @Field(() => Int, { description: 'Needs posted.' })
  posted: number;

  @Field(() => Int, { description: 'Of those, needs that have had an eligible match (R13).' })
  matched: number;

  @Field(() => Int, { description: 'Needs an institution contacted (a CONTACT step on any of their matches).' })
  contacted: number;

  @Field(() => Int, { description: 'Needs an institution approved (an APPROVE step).' })
  approved: number;

  @Field(() => Int, { description: 'Needs with a disbursed loan.' })
  disbursed: number;

  @Field(() => DecimalScalar, { description: 'Principal of those needs\' loans, CNY.' })
  disbursedAmount: Decimal;
}

@ObjectType({
  description:
    'What happened to one institution\'s matches (R14): `proposed` counts matches proposed in the range, each other stage the matches whose step happened in the range.',
  simpleResolvers: true,
})
export class InstitutionActivity {
  institutionId: string;

  @Field(() => Int, { description: 'Matches of its products proposed.' })
  proposed: number;

  @Field(() => Int, { description: 'Matches it opened (VIEW).' })
  viewed: number;

  @Field(() => Int, { description: 'Matches it contacted the enterprise about (CONTACT).' })
  contacted: number;

  @Field(() => Int, { description: 'Matches it declined (DECLINE).' })
  declined: number;

  @Field(() => Int, { description: 'Matches that lapsed unanswered past the response deadline (OVERDUE).' })
  overdue: number;

  @Field(() => Int, { description: 'Matches it approved (APPROVE).' })
  approved: number;

  @Field(() => Int, { description: 'Matches it disbursed a loan on (DISBURSE).' })
  disbursed: number;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Median hours from proposal to its first contact or decline, over matches proposed in the range that it answered (2 places); null when it answered none.',
  })
  medianResponseHours: Decimal | null;
}

@ObjectType({
  description:
    'One guarantor\'s amplification (R6). The capacity figures are current, whatever the filter; the live guarantees are those that started in the range for firms in the region.',
  simpleResolvers: true,
})
export class GuarantorStats {
  institutionId: string;

  @Field(() => DecimalScalar, { description: 'Net assets now, CNY.' })
  netAssets: Decimal;

  @Field(() => DecimalScalar, { description: 'Weighted guarantee liability outstanding now, CNY (risk weights 1.0 / 0.75, R6).' })
  liability: Decimal;

  @Field(() => DecimalScalar, { description: 'liability ÷ net assets now.' })
  amplificationMultiple: Decimal;

  @Field(() => DecimalScalar, { description: 'Regulatory cap on the multiple: 10, or 15 for a guarantor mainly serving small, micro and agricultural borrowers.' })
  capMultiple: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'Policy floor on the multiple, if any.' })
  targetMultiple: Decimal | null;

  @Field(() => DecimalScalar, { description: 'netAssets × capMultiple − liability now, CNY.' })
  remainingCapacity: Decimal;

  @Field(() => DecimalScalar, { description: 'Most one borrower\'s guaranteed liability may reach: 10 % of net assets, CNY.' })
  singleBorrowerLimit: Decimal;

  @Field({ description: 'UNDER_TARGET (multiple below target), WITHIN, or AT_CAP (no room left), now.' })
  status: string;

  @Field(() => Int, { description: 'Live guarantees that started in the range, for firms in the region.' })
  liveGuarantees: number;

  @Field(() => DecimalScalar, { description: 'Guaranteed principal those guarantees still cover, CNY (unweighted).' })
  guaranteedOutstanding: Decimal;
}

@ObjectType({
  description:
    'One risk-compensation pool (R8). capacity, reserved, paid and available are current, whatever the filter; the loan figures are over its loans disbursed in the range to firms in the region (without a filter they add up to `reserved` and `paid`).',
  simpleResolvers: true,
})
export class PoolStats {
  poolId: string;

  @Field(() => DecimalScalar, { description: 'Money deposited now, CNY.' })
  capacity: Decimal;

  @Field(() => DecimalScalar, { description: 'Reserved now for live eligible loans, CNY.' })
  reserved: Decimal;

  @Field(() => DecimalScalar, { description: 'Paid out on claims so far, CNY.' })
  paid: Decimal;

  @Field(() => DecimalScalar, { description: 'capacity − paid − reserved now, never below zero, CNY.' })
  available: Decimal;

  @Field(() => Int, { description: 'Loans it holds or held a reserve for.' })
  loans: number;

  @Field(() => DecimalScalar, { description: 'Reserve those loans still hold, CNY.' })
  reserveHeld: Decimal;

  @Field(() => DecimalScalar, { description: 'Compensation it paid on those loans, CNY.' })
  compensationPaid: Decimal;
}

@ObjectType({ description: 'Subsidies booked (R9) of one kind to one payee.', simpleResolvers: true })
export class SubsidyTotal {
  @Field(() => PolicyRuleKindEnum, { description: 'Which subsidy.' })
  kind: PolicyRuleKind;

  @Field({ description: 'GUARANTOR or ENTERPRISE.' })
  payee: string;

  @Field(() => ID, { description: 'The payee\'s id: an Institution for a guarantor, an Enterprise for a firm (see `node`).' })
  payeeId: string;

  @Field({ description: 'The payee\'s name: the institution\'s or the firm\'s registered name.' })
  payeeName: string;

  @Field(() => Int, { description: 'Bookings counted.' })
  bookings: number;

  @Field(() => DecimalScalar, { description: 'Their sum, CNY.' })
  amount: Decimal;
}

@ObjectType({ description: 'Loans disbursed (R14) in the range to firms in the region, and what became of them.', simpleResolvers: true })
export class LoanTotals {
  @Field(() => Int, { description: 'Loans disbursed.' })
  count: number;

  @Field(() => DecimalScalar, { description: 'Their principal, CNY.' })
  principal: Decimal;

  @Field(() => DecimalScalar, { description: 'Principal still outstanding on them now, CNY.' })
  outstanding: Decimal;

  @Field(() => Int, { description: 'Of those, loans repaid in full.' })
  repaid: number;

  @Field(() => Int, { description: 'Of those, loans in default (≥ 90 days overdue, R8).' })
  defaulted: number;

  @Field(() => DecimalScalar, { description: 'Net principal loss after recovery on the defaulted ones, CNY.' })
  netLoss: Decimal;

  @Field(() => DecimalScalar, { description: 'Risk-compensation paid on them (R8), CNY.' })
  compensationPaid: Decimal;
}

export const LedgerFigureEnum = graphqlEnum<LedgerFigure>('LedgerFigure', LEDGER_FIGURES, 'A stored money figure that the ledger\'s postings also give (docs/LEDGER.md: the accounts).', {
  LOAN_OUTSTANDING: 'A loan\'s outstanding principal: the balance of `loans:<loan>:principal`.',
  LOAN_RESERVE_HELD: 'The reserve a pool still holds for a loan (R8): the balance of `pools:<pool>:reserved:<loan>`.',
  LOAN_COMPENSATION_PAID: 'What a pool paid on a loan\'s claim (R8): the balance of `pools:<pool>:paid:<loan>`.',
  GUARANTEE_OUTSTANDING: 'A loan\'s guarantee outstanding (R6): the balance of `guarantors:<guarantor>:guarantees:<loan>`.',
  POOL_RESERVED: 'A pool\'s reserved (R8): the sum of its `reserved` accounts.',
  POOL_PAID: 'A pool\'s paid (R8): the sum of its `paid` accounts.',
  GUARANTOR_LIABILITY: 'A guarantor\'s liability (R6): its opening liability plus its guarantee accounts per borrower, risk-weighted.',
  GUARANTOR_FEE_SUBSIDIES: 'A running total (R9): a guarantor\'s guarantee fee subsidies booked in a year (`year`), against the sum of its bookings.',
  GUARANTOR_BORROWER_BALANCE: 'A running total (R6): a guarantor\'s live guaranteed balance with a borrower (`borrowerId`), against the sum of its live guarantees.',
  GUARANTOR_FEE_SUBSIDIES_ENTITLED: 'A running total (R9, issue 17 §3): a guarantor\'s fee subsidies entitled in a year (`year`) and not yet paid or rejected, against its entitlements and their claims.',
  LOAN_AWAITING_POOL: 'A defaulted loan\'s net loss waiting for its pool claim\'s decision (issue 17 §3): the claim\'s net loss while it is open, submitted or approved, 0 once paid or rejected, against the balance of `loans:<loan>:claim`.',
});

@ObjectType({ description: 'A stored figure that differs from what the postings give.', simpleResolvers: true })
export class LedgerDifference {
  @Field(() => LedgerFigureEnum, { description: 'Which figure.' })
  figure: LedgerFigure;

  @Field(() => ID, { description: 'Whose: a Loan (LOAN_*, GUARANTEE_OUTSTANDING), a RiskCompensationPool (POOL_*) or an Institution (GUARANTOR_*); see `node`.' })
  subjectId: string;

  @Field(() => Int, { nullable: true, description: 'The year of a GUARANTOR_FEE_SUBSIDIES total; null for the other figures.' })
  year: number | null;

  @Field(() => ID, { nullable: true, description: 'The borrower (an Enterprise) of a GUARANTOR_BORROWER_BALANCE total; null for the other figures.' })
  borrowerId: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'The stored column, CNY; null when postings name a loan or pool that has no row.' })
  stored: Decimal | null;

  @Field(() => DecimalScalar, { description: 'What the postings give, CNY (a running total: the sum of the rows it totals).' })
  recomputed: Decimal;
}

@ObjectType({
  description:
    'The ledger reconciled (issue 12): every loan\'s outstanding, reserve held and compensation paid, every guarantee\'s outstanding, every pool\'s reserved and paid and every guarantor\'s liability, recomputed from the postings and compared with the stored figures; and the running totals the matcher reads (a guarantor\'s fee subsidies per year, its balance per borrower) against the rows they sum. Over the whole ledger, whatever the filter.',
  simpleResolvers: true,
})
export class LedgerReconciliation {
  @Field({ description: 'True when every stored figure equals what the postings give, and every running total the sum of its rows.' })
  balanced: boolean;

  @Field(() => Int, { description: 'Postings read.' })
  postings: number;

  @Field(() => Int, { description: 'Figures compared with the postings.' })
  checked: number;

  @Field(() => Int, { description: 'Running totals compared with the rows they sum (a guarantor\'s fee subsidies per year, its balance per borrower).' })
  totalsChecked: number;

  @Field(() => [LedgerDifference], { description: 'The figures that differ, by figure and subject (at most 100 listed).' })
  differences: LedgerDifference[];
}
