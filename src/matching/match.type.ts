import { Field, ID, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { Decimal } from '../common/decimal';
import { Node, showsAs } from '../common/node';
import { DateTimeScalar, DecimalScalar } from '../common/scalars';
import { PolicyRuleKindEnum } from '../policy/policy.enums';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import type { MatchCheckCode } from './engine/checks';
import { MatchCheckCodeEnum } from './match.enums';
import { MatchEntity } from './match.entity';
import type { MatchTerms as MatchTermsData } from './engine/terms';

showsAs(MatchEntity, 'Match');

@ObjectType({ description: 'One R13 check of a need against a product.', simpleResolvers: true })
export class MatchCheck {
  @Field(() => MatchCheckCodeEnum, { description: 'Which check.' })
  code: MatchCheckCode;

  @Field({ description: 'Whether the pair passes it (a check that does not apply passes, and so does a withheld one).' })
  passed: boolean;

  @Field({
    description:
      'True when the outcome is not shown: the check reads a figure only the firm and the institutions it consented to may see (R10: the overdue count). `passed` then reads true and the pair is judged without that criterion, so nothing here depends on the figure.',
  })
  withheld: boolean;

  @Field({ description: 'What was found, in words a person can act on (Chinese, or English with Accept-Language: en).' })
  detail: string;
}

/** The terms as the resolvers read them: the engine's, from a fresh decision or read back from a stored match. */
export type TermsView = MatchTermsData;

@ObjectType({ description: 'The guarantee a loan would carry (R6, R7).' })
export class GuaranteeQuote {
  @Field(() => DecimalScalar, { description: 'Share of a loss the bank does not bear (1 − the bank\'s share under the agreement\'s rule).' })
  coverageRatio: Decimal;

  @Field(() => DecimalScalar, { description: 'Guarantee fee a year, a fraction of the guaranteed amount.' })
  feeRate: Decimal;

  @Field(() => DecimalScalar, { description: 'Principal × coverage, CNY.' })
  guaranteedAmount: Decimal;
}

@ObjectType({ description: 'One calendar year\'s part of a subsidy (R9, DOMAIN E9).', simpleResolvers: true })
export class SubsidyYear {
  @Field(() => Int, { description: 'The calendar year.' })
  year: number;

  @Field(() => DecimalScalar, { description: 'The part booked against that year, CNY.' })
  amount: Decimal;
}

@ObjectType({ description: 'A subsidy a loan would bring (R9).', simpleResolvers: true })
export class SubsidyQuote {
  @Field(() => PolicyRuleKindEnum, { description: 'Which subsidy.' })
  kind: PolicyRuleKind;

  @Field({ description: 'Who receives it: GUARANTOR or ENTERPRISE.' })
  payee: string;

  @Field(() => ID, { description: 'The receiving institution or enterprise (an id for `node`).' })
  payeeId: string;

  @Field(() => DecimalScalar, { description: 'Amount, CNY.' })
  amount: Decimal;

  @Field({ description: 'The rule version it was computed under: CODE@vN.' })
  ruleVersion: string;

  @Field(() => [SubsidyYear], {
    description: 'The calendar years it is booked against, each against its own year\'s cap (R9): a guarantee fee subsidy is allocated to the years the guarantee covers by months (DOMAIN E9). Empty for a quote that is not allocated (it counts against the year the loan starts).',
  })
  years: SubsidyYear[];
}

@ObjectType({ description: 'What an eligible loan would look like to the banker (R13): rate, guarantee, reserve, exposure, subsidies, all-in cost.' })
export class MatchTerms {
  @Field(() => DecimalScalar, { nullable: true, description: 'Indicative annual rate: the product\'s minimum (null when the product states none, or for equity).' })
  indicativeAnnualRate: Decimal | null;

  @Field(() => DecimalScalar, { description: 'Risk-compensation reserve a pool would set aside at disbursement (R8), CNY.' })
  riskCompensationReserve: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'max(0, principal × (1 − coverage) − reserve), CNY; null for equity.' })
  bankNetExposure: Decimal | null;

  @Field(() => [SubsidyQuote], { description: 'Subsidies the loan would bring (R9).' })
  subsidies: SubsidyQuote[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Rate + guarantee fee − interest-subsidy rate, a year; null when no rate is known.' })
  allInAnnualCostRate: Decimal | null;

  @Field(() => [String], { description: 'Policy rule versions the terms used (CODE@vN).' })
  policyRuleVersions: string[];
}

@ObjectType({ implements: Node, description: 'A financing need matched to a product (R13), with the terms a banker needs; its lifecycle is R14\'s.' })
export class Match {
  @Field(() => Int, { description: 'Score 0–100 (docs/MATCHING.md); higher is better.' })
  score: number;

  @Field({ description: 'Whether the pair still qualifies. A match an institution acted on stays when it stops qualifying, with false here.' })
  eligible: boolean;

  @Field(() => DateTimeScalar, { description: 'When the terms were last computed.' })
  computedAt: Date;
}

export const MatchConnection = connectionType(Match, 'MatchConnection', 'matches');

@ObjectType({ description: 'Every R13 check for a need and a product, and the terms when the pair is eligible.' })
export class MatchExplanation {
  @Field({ description: 'Whether every check passes (a withheld check is left out: see MatchCheck.withheld; the platform\'s own decision is on the stored Match).' })
  eligible: boolean;

  @Field(() => [MatchCheck], { description: 'Every check, in R13\'s order.' })
  checks: MatchCheck[];

  @Field(() => MatchTerms, { nullable: true, description: 'The terms, for an eligible pair.' })
  terms: TermsView | null;
}
