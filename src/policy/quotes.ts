/**
 * What a set of policy rule versions gives one loan (R8, R9): the reserve of the pool rule giving the
 * largest (then the lower rule code), every subsidy with the version that gave it, and the rate the
 * interest subsidies take off. A match's terms quote the rules in force that apply to the pair; a
 * disbursement quotes the versions its match used, with the disbursed figures. Pure.
 */
import { Decimal } from '../common/decimal';
import type { LoanFigures, QuoteContext } from './calculator';
import type { ParsedParams } from './params';
import { calculatorFor } from './registry';
import type { Payee, PolicyRuleKind } from './rule-kinds';

export interface QuotedRule {
  id: string;
  code: string;
  version: number;
  kind: PolicyRuleKind;
  poolId: string | null;
  params: ParsedParams;
}

export const ruleVersion = (rule: Pick<QuotedRule, 'code' | 'version'>) => `${rule.code}@v${rule.version}`;

export interface SubsidyQuoted<R extends QuotedRule = QuotedRule> {
  kind: PolicyRuleKind;
  payee: Payee;
  payeeId: string;
  amount: Decimal;
  /** `CODE@vN` of the rule that gave it. */
  ruleVersion: string;
  rule: R;
}

export interface RulesQuote<R extends QuotedRule = QuotedRule> {
  reserve: { amount: Decimal; poolId: string; rule: R } | null;
  /** By kind, then rule version. */
  subsidies: SubsidyQuoted<R>[];
  rateReduction: Decimal;
}

export function quoteRules<R extends QuotedRule>(rules: readonly R[], loan: LoanFigures, context: QuoteContext): RulesQuote<R> {
  let reserve: RulesQuote<R>['reserve'] = null;
  const subsidies: SubsidyQuoted<R>[] = [];
  let rateReduction = new Decimal(0);
  for (const rule of rules) {
    const calculator = calculatorFor(rule.kind);
    const quote = calculator.quote?.(rule.params, loan, context, rule.poolId) ?? null;
    if (!quote) continue;
    if (quote.kind === 'RESERVE') {
      if (!reserve || quote.amount.gt(reserve.amount) || (quote.amount.eq(reserve.amount) && rule.code < reserve.rule.code)) {
        reserve = { amount: quote.amount, poolId: quote.poolId, rule };
      }
    } else {
      subsidies.push({ kind: rule.kind, payee: quote.payee, payeeId: quote.payeeId, amount: quote.amount, ruleVersion: ruleVersion(rule), rule });
      if (quote.rateReduction) rateReduction = rateReduction.plus(quote.rateReduction);
    }
  }
  subsidies.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.ruleVersion < b.ruleVersion ? -1 : a.ruleVersion > b.ruleVersion ? 1 : 0));
  return { reserve, subsidies, rateReduction };
}
