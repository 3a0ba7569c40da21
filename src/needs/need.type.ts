import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { CollateralTypeEnum, EquityStageEnum, LoanPurposeEnum, NeedKindEnum, NeedStatusEnum } from './need.enums';
import { FinancingNeedEntity } from './need.entity';
import type { CollateralType, EquityStage, LoanPurpose, NeedKind, NeedStatus } from './need.rules';

showsAs(FinancingNeedEntity, 'FinancingNeed');

@ObjectType({ description: 'Terms of an equity need (R11).', simpleResolvers: true })
export class EquityTerms {
  @Field(() => EquityStageEnum, { description: 'Funding round.' })
  stage: EquityStage;

  @Field(() => DecimalScalar, { nullable: true, description: 'Pre-money valuation in CNY.' })
  preMoneyValuation: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Largest share of the company offered, as a fraction (0.15 = 15 %).' })
  maxShareOffered: Decimal | null;

  @Field(() => String, { nullable: true, description: 'Use of proceeds.' })
  useOfProceeds: string | null;
}

@ObjectType({ implements: Node, description: 'A loan or equity need an enterprise posted (融资需求, R11).' })
export class FinancingNeed {
  @Field(() => NeedKindEnum, { description: 'LOAN or EQUITY.' })
  kind: NeedKind;

  @Field({ description: 'Where it was posted: MINI_PROGRAM, WEB, BANK_REFERRAL or ROADSHOW.' })
  channel: string;

  @Field(() => DecimalScalar, { description: 'Amount sought, CNY.' })
  amount: Decimal;

  @Field(() => Int, { nullable: true, description: 'Loan term in whole months (1–360); null for equity.' })
  termMonths: number | null;

  @Field(() => LoanPurposeEnum, { nullable: true, description: 'What the loan is for.' })
  purpose: LoanPurpose | null;

  @Field(() => [CollateralTypeEnum], { description: 'Security offered; empty when none was stated.' })
  collateralOffered: CollateralType[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Highest annual rate the enterprise accepts, as a fraction.' })
  maxAnnualRate: Decimal | null;

  @Field({ description: 'Whether a guaranteed loan (with a guarantor\'s fee) is acceptable.' })
  acceptGuarantee: boolean;

  @Field(() => DateScalar, { nullable: true, description: 'Date the money is needed by; the need expires after it.' })
  neededBy: string | null;

  @Field(() => String, { nullable: true, description: 'Why it left the active states, e.g. the withdrawal reason.' })
  statusReason: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the status last changed, if it did.' })
  statusChangedAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was posted.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt: Date;
}

export const FinancingNeedConnection = connectionType(FinancingNeed, 'FinancingNeed', 'financing need');

@InputType({ description: 'Filters for `financingNeeds`; all given conditions must hold.' })
export class FinancingNeedFilter {
  @Field(() => [NeedStatusEnum], { nullable: true, description: 'Any of these statuses (as readers see them: an active need past needed-by is EXPIRED).' })
  status?: NeedStatus[] | null;

  @Field(() => NeedKindEnum, { nullable: true, description: 'Only loans or only equity.' })
  kind?: NeedKind | null;

  @Field(() => String, { nullable: true, description: 'Posting channel.' })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: 'Enterprise\'s credit code.' })
  creditCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Enterprises whose region code starts with this (e.g. 1101).' })
  regionPrefix?: string | null;

  @Field(() => String, { nullable: true, description: 'Enterprises in this industry chain.' })
  industryChain?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Posted on or after this date (Asia/Shanghai).' })
  postedFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Posted on or before this date (Asia/Shanghai).' })
  postedTo?: string | null;
}
