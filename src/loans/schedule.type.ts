/** Issue 17 §2 through GraphQL: a loan's repayment kind, its instalments and where it stands (schedule.ts). */
import { Field, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { graphqlEnum } from '../common/enums';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { INSTALMENT_STATUSES, InstalmentStatus, REPAYMENT_KINDS, RepaymentKind } from './schedule';

export const RepaymentKindEnum = graphqlEnum<RepaymentKind>('RepaymentKind', REPAYMENT_KINDS, 'How a loan\'s principal is repaid (docs/LEDGER.md "The repayment schedule").', {
  BULLET: 'The whole principal on the maturity day (到期一次还本)',
  AMORTIZING: 'Equal monthly principal instalments (等额本金), each principal / term rounded half-up to the cent, the last taking the rest',
});

export const InstalmentStatusEnum = graphqlEnum<InstalmentStatus>('InstalmentStatus', INSTALMENT_STATUSES, 'Where an instalment stands on the database\'s day, repayments applied oldest first.', {
  PAID: 'Its principal is repaid (with every earlier instalment\'s)',
  PARTIAL: 'Part of its principal is repaid; not yet past its due day',
  OVERDUE: 'Past its due day and not fully repaid',
  UPCOMING: 'Not yet past its due day, nothing of it repaid',
});

@ObjectType({ description: 'One instalment of a loan\'s schedule.', simpleResolvers: true })
export class LoanInstalment {
  @Field(() => Int, { description: 'Its number, 1 first.' })
  seq: number;

  @Field(() => DateScalar, { description: 'The day it falls due (Asia/Shanghai).' })
  dueOn: string;

  @Field(() => DecimalScalar, { description: 'Principal due, CNY.' })
  principal: Decimal;

  @Field(() => DecimalScalar, { description: 'Interest for its period, CNY, for information: the balance before it × annualRate × the period\'s months / 12.' })
  interest: Decimal;

  @Field(() => DecimalScalar, { description: 'Principal of it the repayments so far cover, CNY.' })
  paid: Decimal;

  @Field(() => InstalmentStatusEnum, { description: 'PAID, PARTIAL, OVERDUE or UPCOMING on the database\'s day.' })
  status: InstalmentStatus;
}

@ObjectType({ description: 'What a loan owes on the database\'s day (`shanghai_today()`), by its schedule and the repayments recorded.', simpleResolvers: true })
export class LoanRepaymentStanding {
  @Field(() => DateScalar, { description: 'The day it is computed for: the database\'s day.' })
  asOf: string;

  @Field(() => DecimalScalar, { description: 'Principal due on or before that day, CNY.' })
  duePrincipal: Decimal;

  @Field(() => DecimalScalar, { description: 'Principal repaid so far, CNY.' })
  repaidPrincipal: Decimal;

  @Field(() => DecimalScalar, { description: 'Principal that fell due before that day and is not repaid, CNY.' })
  overduePrincipal: Decimal;

  @Field(() => Int, { description: 'Days since the oldest unpaid instalment fell due; 0 when nothing is overdue.' })
  overdueDays: number;

  @Field(() => DateScalar, { nullable: true, description: 'The next instalment\'s day (the first not fully repaid on or after that day).' })
  nextDueOn: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'What of the next instalment\'s principal is still to pay, CNY.' })
  nextDuePrincipal: Decimal | null;
}
