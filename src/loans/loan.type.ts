import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../common/scalars';
import { UserError } from '../common/user-error';
import { MatchEntity } from '../matching/match.entity';
import { Match } from '../matching/match.type';
import { LoanEntity } from './loan.entity';
import type { RepaymentKind } from './schedule';
import { RepaymentKindEnum } from './schedule.type';

showsAs(LoanEntity, 'Loan');

@ObjectType({ implements: Node, description: 'A disbursement of a match (R14), with its guarantee (R6, R7), reserve (R8), subsidies (R9) and what repayments or a default did to it.' })
export class Loan {
  @Field(() => DecimalScalar, { description: 'Principal paid out, CNY.' })
  principal: Decimal;

  @Field(() => DecimalScalar, { description: 'Principal still owed, CNY (0 once repaid or written off).' })
  outstanding: Decimal;

  @Field(() => DecimalScalar, { description: 'Annual rate agreed.' })
  annualRate: Decimal;

  @Field(() => Int, { description: 'Term in months.' })
  termMonths: number;

  @Field({ description: 'ACTIVE, REPAID or DEFAULTED.' })
  status: string;

  @Field(() => RepaymentKindEnum, { description: 'BULLET or AMORTIZING (docs/LEDGER.md "The repayment schedule").' })
  repayment: RepaymentKind;

  @Field(() => DateScalar, { description: 'The database\'s day of the disbursement: the schedule counts its months from it.' })
  startsOn: string;

  @Field(() => DateScalar, { description: 'The day the last instalment falls due: startsOn + termMonths, moved by an approved renewal (展期).' })
  maturity: string;

  @Field(() => Int, { description: 'Months approved renewals added to the term.' })
  extensionMonths: number;

  @Field(() => DecimalScalar, { description: 'What the pool still holds for the loan, CNY (released on full repayment or at a default; after a default, what it keeps for the bank\'s claim until the claim is decided).' })
  reserveHeld: Decimal;

  @Field(() => DecimalScalar, { description: 'What the pool paid the bank on a default (R8), CNY: when its claim is paid (poolClaim).' })
  compensationPaid: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'Net principal loss after recovery, on a default.' })
  netLoss: Decimal | null;

  @Field(() => DateTimeScalar, { description: 'When it was disbursed.' })
  disbursedAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was repaid in full or written off.' })
  closedAt: Date | null;
}

@ObjectType({ description: 'A party\'s part of a loss (R7).', simpleResolvers: true })
export class LossShare {
  @Field({ description: 'GUARANTOR, RE_GUARANTOR, NATIONAL_FUND, BANK or LOCAL_GOVERNMENT.' })
  party: string;

  @Field(() => DecimalScalar, { description: 'CNY.' })
  amount: Decimal;
}

@ObjectType({ description: 'One money movement of a loan in the policy ledger.', simpleResolvers: true })
export class LedgerEntry {
  @Field({ description: 'DISBURSEMENT, REPAYMENT, GUARANTEE, GUARANTEE_RELEASE, RESERVE, RESERVE_RELEASE, CLAIM_PAYOUT, SUBSIDY or LOSS_SHARE.' })
  kind: string;

  @Field({ description: 'Who: BANK, ENTERPRISE, GUARANTOR, POOL, or an R7 party.' })
  party: string;

  @Field(() => ID, { nullable: true, description: 'The institution, enterprise or pool (an id for `node`), where there is one.' })
  partyId: string | null;

  @Field(() => DecimalScalar, { description: 'CNY.' })
  amount: Decimal;

  @Field(() => String, { nullable: true, description: 'The policy rule version behind it (CODE@vN).' })
  ruleVersion: string | null;

  @Field(() => DateTimeScalar, { description: 'When.' })
  at: Date;
}

@ObjectType({ description: 'Something a mutation did that the caller should know although it was not refused: a code and a message.', simpleResolvers: true })
export class PayloadWarning {
  @Field({ description: 'Stable code, e.g. POOL_RESERVE_SHORT.' })
  code: string;

  @Field({ description: 'What happened (Chinese, or English with Accept-Language: en).' })
  message: string;
}

@ObjectType({ description: 'A disbursement\'s risk-compensation reserve (R8): what the match quoted, what the loan was due and what the pool reserved.', simpleResolvers: true })
export class DisbursementReserve {
  @Field(() => DecimalScalar, { description: 'The reserve the match\'s terms quoted (on the need\'s amount, when the match was last priced), CNY.' })
  quoted: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'What the pool rule gives the disbursed principal had the pool room enough, CNY (null for a loan disbursed before this was kept).' })
  due: Decimal | null;

  @Field(() => DecimalScalar, { description: 'What the pool reserved for the loan, CNY: less than `due` when the pool ran short since the quote (warning POOL_RESERVE_SHORT).' })
  reserved: Decimal;
}

@ObjectType('LoanPayload', { description: 'Result of recording a loan outcome, a repayment or a default.', simpleResolvers: true })
export class LoanPayload {
  @Field(() => Loan, { nullable: true, description: 'The loan (a disbursement, repayment or default), or null when refused or when the outcome was an approval or a decline.' })
  loan: LoanEntity | null;

  @Field(() => Match, { nullable: true, description: 'The match the outcome was recorded on (recordLoanOutcome).' })
  match: MatchEntity | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. When present, nothing was written.' })
  userErrors: UserError[];

  @Field(() => DisbursementReserve, { nullable: true, description: 'A disbursement\'s reserve: quoted, due and reserved (R8); null for other outcomes, repayments and defaults.' })
  reserve?: DisbursementReserve | null;

  /** Resolved by LoanPayloadResolver (a payload refused by input validation carries none). */
  warnings?: PayloadWarning[];
}
