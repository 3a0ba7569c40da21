import { ArrayMinSize, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { AtLeast, AtMost, IsDateValue, IsMoney, Len, MaxItems } from '../common/validation';
import { CreditRatingEnum, DishonestyKindEnum, TaxGradeEnum } from './credit.enums';
import type { CreditRating, DishonestyKind, TaxGrade } from './grades';

/** Records per importCreditRecords call; larger files go through `npm run import:credit`. */
export const MAX_RECORDS_PER_MUTATION = 10_000;

@InputType({ description: 'A dishonesty listing in a credit record.' })
export class DishonestyInput {
  @Field(() => DishonestyKindEnum, { description: 'What list.' })
  kind: DishonestyKind;

  @Field(() => DateScalar, { description: 'Day listed; not after the import\'s asOf.' })
  @IsDateValue()
  listedOn: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day repaired (信用修复), between listedOn and asOf; omit while active.' })
  @IsDateValue()
  repairedOn?: string | null;
}

@InputType({ description: 'One enterprise\'s credit record (R5). At least one figure or listing.' })
export class CreditRecordInput {
  @Field({ description: '统一社会信用代码 (R1); an unknown code creates an unclaimed enterprise.' })
  creditCode: string;

  @Field(() => String, { nullable: true, description: 'Enterprise name, used only when this import creates the enterprise.' })
  @Len(1, 200)
  name?: string | null;

  @Field(() => CreditRatingEnum, { nullable: true, description: 'Credit rating.' })
  rating?: CreditRating | null;

  @Field(() => TaxGradeEnum, { nullable: true, description: 'Tax credit grade.' })
  taxGrade?: TaxGrade | null;

  @Field(() => Int, { nullable: true, description: 'Overdue repayments in the last 12 months, 0–366.' })
  @AtLeast(0)
  @AtMost(366)
  overdueCount12m?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Amount currently overdue, CNY.' })
  @IsMoney()
  currentOverdueAmount?: Decimal | null;

  @Field(() => Int, { nullable: true, description: 'Months of continuous social-security payments, 0–1200.' })
  @AtLeast(0)
  @AtMost(1200)
  socialSecurityMonths?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the firm ever had a bank loan (false: 首贷户).' })
  hadBankLoan?: boolean | null;

  @Field(() => [DishonestyInput], { nullable: true, description: 'Dishonesty listings as of the import date, repaired ones included.' })
  @MaxItems(50)
  @ValidateNested({ each: true })
  dishonesty?: DishonestyInput[] | null;
}

@InputType({ description: 'A credit import (R5), all or nothing. An older asOf than a firm\'s profile goes to its history only; the same asOf replaces that day\'s record.' })
export class ImportCreditRecordsInput {
  @Field({ description: 'Data source, e.g. PBOC-CRC (1–100 characters).' })
  @Len(1, 100)
  source: string;

  @Field(() => DateScalar, { description: 'The date the data describes; not in the future.' })
  @IsDateValue()
  asOf: string;

  @Field(() => [CreditRecordInput], { description: `The records, 1–${MAX_RECORDS_PER_MUTATION} (larger files: npm run import:credit).` })
  @ArrayMinSize(1, { context: { code: 'REQUIRED' } })
  @MaxItems(MAX_RECORDS_PER_MUTATION)
  @ValidateNested({ each: true })
  records: CreditRecordInput[];
}
