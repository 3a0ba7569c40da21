/**
 * What a set of policy rule versions gives one loan (R8, R9): the reserve of the pool rule giving the
 * largest (then the lower rule code), every subsidy with the version that gave it, and the rate the
 * interest subsidies take off. A match's terms quote the rules in force that apply to the pair; a
 * disbursement quotes the versions its match used, with the disbursed figures. Pure.
 */
import { Decimal } from '../common/decimal';
import { feeSubsidyBookedIn, LoanFigures, QuoteContext } from './calculator';
import type { ParsedParams } from './params';
import { calculatorFor } from './registry';
import type { Payee, PolicyRuleKind } from './rule-kinds';
import type { YearAmount } from './subsidies';

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
  /** The calendar years it is booked against (a fee subsidy over a guarantee's years, DOMAIN E9); absent: the loan's first year. */
  byYear?: YearAmount[];
}

export interface RulesQuote<R extends QuotedRule = QuotedRule> {
  reserve: { amount: Decimal; poolId: string; rule: R } | null;
  /** By kind, then rule version. */
  subsidies: SubsidyQuoted<R>[];
  rateReduction: Decimal;
}

/**
 * The context as a loan's later rules see it: the fee subsidies its earlier rules quoted count against
 * the guarantor's yearly caps too (R9), so two fee-subsidy rules on one loan never pass a cap together.
 */
function withQuotedFees(context: QuoteContext, thisYear: number | null): { context: QuoteContext; add(payeeId: string, byYear: { year: number | null; amount: Decimal }[]): void } {
  const quoted = new Map<string, Decimal>();
  const key = (guarantorId: string, year: number | null) => `${guarantorId}:${year ?? 'this'}`;
  const extra = (guarantorId: string, year: number | null) => quoted.get(key(guarantorId, year)) ?? new Decimal(0);
  return {
    context: {
      ...context,
      feeSubsidyBookedThisYear: (g) => context.feeSubsidyBookedThisYear(g).plus(extra(g, thisYear)),
      feeSubsidyBookedIn: (g, year) => feeSubsidyBookedIn(context, g, year, thisYear).plus(extra(g, year)),
    },
    add(payeeId, byYear) {
      for (const y of byYear) quoted.set(key(payeeId, y.year), extra(payeeId, y.year).plus(y.amount));
    },
  };
}

/** R8: the larger reserve, then the lower rule code. */
function largerReserve<R extends QuotedRule>(a: RulesQuote<R>['reserve'], b: RulesQuote<R>['reserve']): RulesQuote<R>['reserve'] {
  if (!a || !b) return a ?? b;
  return b.amount.gt(a.amount) || (b.amount.eq(a.amount) && b.rule.code < a.rule.code) ? b : a;
}

/** Subsidies by kind, then rule version. */
const subsidyOrder = (a: SubsidyQuoted, b: SubsidyQuoted) =>
  (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.ruleVersion < b.ruleVersion ? -1 : a.ruleVersion > b.ruleVersion ? 1 : 0);

/**
 * Whether a rule's quote reads the loan's rate (`RuleCalculator.readsRate`). A match's terms quote the
 * rules that do not once per product kind and guarantee, and those that do per rate (matching/engine/terms.ts),
 * then `mergeQuotes` the two: the same as quoting them together, since the rules that read the rate quote
 * subsidies that no other rule's figure reads.
 */
export const readsRate = (rule: Pick<QuotedRule, 'kind'>): boolean => calculatorFor(rule.kind).readsRate === true;

export function quoteRules<R extends QuotedRule>(rules: readonly R[], loan: LoanFigures, context: QuoteContext): RulesQuote<R> {
  let reserve: RulesQuote<R>['reserve'] = null;
  const subsidies: SubsidyQuoted<R>[] = [];
  let rateReduction = new Decimal(0);
  const thisYear = loan.startsOn ? Number(loan.startsOn.slice(0, 4)) : null;
  // Only fee subsidies read what earlier rules quoted (the hot path, a match's terms per rate, quotes none).
  const fees = rules.some((rule) => rule.kind === 'GUARANTEE_FEE_SUBSIDY') ? withQuotedFees(context, thisYear) : null;
  for (const rule of rules) {
    const calculator = calculatorFor(rule.kind);
    const quote = calculator.quote?.(rule.params, loan, fees?.context ?? context, rule.poolId) ?? null;
    if (!quote) continue;
    if (fees && quote.kind === 'SUBSIDY' && rule.kind === 'GUARANTEE_FEE_SUBSIDY') {
      fees.add(quote.payeeId, quote.byYear ?? [{ year: thisYear, amount: quote.amount }]);
    }
    if (quote.kind === 'RESERVE') {
      reserve = largerReserve(reserve, { amount: quote.amount, poolId: quote.poolId, rule });
    } else {
      subsidies.push({ kind: rule.kind, payee: quote.payee, payeeId: quote.payeeId, amount: quote.amount, ruleVersion: ruleVersion(rule), rule, ...(quote.byYear ? { byYear: quote.byYear } : {}) });
      if (quote.rateReduction) rateReduction = rateReduction.plus(quote.rateReduction);
    }
  }
  subsidies.sort(subsidyOrder);
  return { reserve, subsidies, rateReduction };
}

/** Two quotes of disjoint rules for one loan as one (see `readsRate`). */
export function mergeQuotes<R extends QuotedRule>(a: RulesQuote<R>, b: RulesQuote<R>): RulesQuote<R> {
  if (!b.reserve && !b.subsidies.length) return a;
  return {
    reserve: largerReserve(a.reserve, b.reserve),
    subsidies: [...a.subsidies, ...b.subsidies].sort(subsidyOrder),
    rateReduction: a.rateReduction.plus(b.rateReduction),
  };
}
