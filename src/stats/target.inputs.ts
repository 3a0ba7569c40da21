import { Field, InputType } from 'type-graphql';
import { Decimal } from '../common/decimal';
import { DateScalar, DecimalScalar } from '../common/scalars';
import { IsDateValue, IsMoney, Len } from '../common/validation';
import { TargetMetricEnum } from './authority.type';
import type { TargetMetric } from './targets';

@InputType({ description: 'A target to set (ST7), e.g. seed 003\'s "1,000 new firms posting needs through the mini-program by 2025".' })
export class SetTargetInput {
  @Field({ description: 'What it is called (1–200 characters).' })
  @Len(1, 200)
  name: string;

  @Field(() => TargetMetricEnum, { description: 'What it measures.' })
  metric: TargetMetric;

  @Field(() => DecimalScalar, { description: 'The figure to reach: firms (a whole number) or CNY, more than zero.' })
  @IsMoney({ positive: true })
  value: Decimal;

  @Field(() => DateScalar, { description: 'The first day counted (Asia/Shanghai).' })
  @IsDateValue()
  startsOn: string;

  @Field(() => DateScalar, { description: 'The last day counted: the deadline, not before `startsOn` nor today.' })
  @IsDateValue()
  deadline: string;

  @Field(() => String, { nullable: true, description: 'Firms whose region code starts with this (2, 4 or 6 digits); national when left out (a regional authority\'s: its region).' })
  regionPrefix?: string | null;

  @Field(() => String, { nullable: true, description: 'Only needs posted through this channel (MINI_PROGRAM for seed 003\'s 通过小程序); any when left out. For loans, the channel of the loan\'s need.' })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the target comes from, e.g. "北京市中小企业公共服务体系提质增效工作方案 二.(三).1".' })
  @Len(1, 500)
  source?: string | null;
}
