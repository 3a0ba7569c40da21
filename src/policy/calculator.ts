/**
 * What every policy-rule kind provides (STYLE.md habit 2: rules are data plus a small pure function):
 * its parameters, the product kinds it concerns when a rule names none, and what it gives one loan on a
 * match's terms. Pure: no database, no GraphQL. The registry (`registry.ts`) finds one by kind.
 */
import { Decimal } from '../common/decimal';
import type { ProductKind } from '../institutions/institution.rules';
import type { ParamSpecs, ParsedParams } from './params';
import type { Payee, PolicyRuleKind } from './rule-kinds';
import type { YearAmount } from './subsidies';

/** The loan a match proposes, as a rule sees it. */
export interface LoanFigures {
  principal: Decimal;
  termMonths: number;
  /** The indicative annual rate (null when the product states none). */
  annualRate: Decimal | null;
  productKind: ProductKind;
  enterpriseId: string;
  guarantee: { guarantorId: string; feeRate: Decimal; guaranteedAmount: Decimal } | null;
  /**
   * The day the loan and its guarantee start (a match: the decision's day; a disbursement: its day), so
   * a fee subsidy is allocated to the calendar years the guarantee covers (DOMAIN E9). Absent: the whole
   * subsidy counts against this year (`feeSubsidyBookedThisYear`).
   */
  startsOn?: string;
}

/** Figures outside the loan a rule may need, looked up by the caller. */
export interface QuoteContext {
  /** The benchmark rate in force today (DOMAIN §3), or null if none is known for the code. */
  benchmarkRate(code: string): Decimal | null;
  /** Fee subsidies already booked for a guarantor this calendar year (R9 yearly cap). */
  feeSubsidyBookedThisYear(guarantorId: string): Decimal;
  /** Fee subsidies already booked for a guarantor in a calendar year (each year's cap, DOMAIN E9); absent: none in any year but this one. */
  feeSubsidyBookedIn?(guarantorId: string, year: number): Decimal;
  /** What a risk-compensation pool has available (R8). */
  poolAvailable(poolId: string): Decimal;
}

/** What a rule gives one loan. */
export type PolicyQuote =
  | { kind: 'RESERVE'; amount: Decimal; poolId: string }
  | { kind: 'SUBSIDY'; payee: Payee; payeeId: string; amount: Decimal; rateReduction?: Decimal; byYear?: YearAmount[] };

export interface RuleCalculator {
  kind: PolicyRuleKind;
  /** One line on what the kind does and where it comes from (shown in the schema and the docs). */
  description: string;
  params: ParamSpecs;
  /** Product kinds the rule concerns when its eligibility names none (absent: every kind). */
  defaultProductKinds?: readonly ProductKind[];
  /** Whether the rule draws on a risk-compensation pool. */
  needsPool?: boolean;
  /**
   * Whether `quote` reads the loan's rate (`LoanFigures.annualRate`). A match's terms quote the other
   * rules without it, once for all of a need's products of one kind and guarantee (policy/quotes.ts
   * `readsRate`); a rule that reads the rate gives a subsidy only, reads no other rule's figure, and does
   * not read the guarantee: the terms quote it once per product kind and rate, with `guarantee` null.
   */
  readsRate?: true;
  /** What the rule gives this loan, or null when it gives nothing (absent: the kind has no per-loan figure); `poolId` is the rule's pool. */
  quote?(params: ParsedParams, loan: LoanFigures, context: QuoteContext, poolId: string | null): PolicyQuote | null;
}

/** A parsed Decimal parameter (checked by `checkParams` before any rule is stored). */
export const num = (params: ParsedParams, name: string): Decimal => params[name] as Decimal;
export const optionalNum = (params: ParsedParams, name: string): Decimal | null => (params[name] as Decimal | null) ?? null;

/**
 * Fee subsidies already booked for a guarantor in a calendar year (DOMAIN E9): the context's figure for
 * that year, or — from a context that knows only this year's (`feeSubsidyBookedIn` absent) — that for
 * `thisYear` (the year the loan starts) and none in any other.
 */
export function feeSubsidyBookedIn(context: QuoteContext, guarantorId: string, year: number, thisYear: number | null): Decimal {
  if (context.feeSubsidyBookedIn) return context.feeSubsidyBookedIn(guarantorId, year);
  return year === thisYear ? context.feeSubsidyBookedThisYear(guarantorId) : new Decimal(0);
}
