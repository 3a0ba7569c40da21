/**
 * R13 — the registry of matching criteria: every check, in R13's order (each module's `order`). The
 * engine runs them in this order (engine/checks.ts `runChecks`), the candidate search ANDs their SQL
 * predicates (candidates.ts), MatchCheckCode lists their codes and descriptions (match.enums.ts), and
 * explainMatch withholds those that read a consent-only figure (engine/consent-only.ts).
 *
 * A new criterion: a module in this folder, a line here, its `CHECK_<CODE>.<variant>` messages in
 * common/messages.ts, and the product's column (entity, migration, eligibility input and type).
 * test/matching/criteria.test.ts checks each is complete; test/matching/candidates.test.ts holds its SQL
 * to its check.
 */
import { amount } from './amount';
import { annualRevenue } from './annual-revenue';
import { chain } from './chain';
import { collateral } from './collateral';
import { creditDataAge } from './credit-data-age';
import { creditRating } from './credit-rating';
import type { Aliases, Criterion, Reads } from './criterion';
import { dishonesty } from './dishonesty';
import { equityStage } from './equity-stage';
import { equityTicket } from './equity-ticket';
import { equityValuation } from './equity-valuation';
import { firstLoan } from './first-loan';
import { guarantee } from './guarantee';
import { needKind } from './need-kind';
import { overdue } from './overdue';
import { productActive } from './product-active';
import { qualification } from './qualification';
import { rate } from './rate';
import { region } from './region';
import { sector } from './sector';
import { sizeClass } from './size-class';
import { taxGrade } from './tax-grade';
import { term } from './term';
import { whitelistTier } from './whitelist-tier';
import { yearsInBusiness } from './years-in-business';

const REGISTERED = [
  needKind, productActive, amount, term, region, sector, chain, sizeClass, yearsInBusiness, annualRevenue, whitelistTier, qualification,
  creditRating, taxGrade, dishonesty, overdue, creditDataAge, firstLoan, collateral, rate, guarantee, equityStage, equityTicket, equityValuation,
] as const;

export type MatchCheckCode = (typeof REGISTERED)[number]['code'];

/** The criteria in R13's order. */
export const CRITERIA: readonly Criterion<MatchCheckCode>[] = [...REGISTERED].sort((a, b) => a.order - b.order);

export const MATCH_CHECK_CODES: readonly MatchCheckCode[] = CRITERIA.map((c) => c.code);

const BY_CODE = new Map<string, Criterion<MatchCheckCode>>(CRITERIA.map((c) => [c.code, c]));

export function criterionOf(code: string): Criterion<MatchCheckCode> | undefined {
  return BY_CODE.get(code);
}

/** Every criterion's SQL predicate over `a`, AND-ed: the pairs that pass every check a column can answer. */
export function criteriaSql(a: Aliases): string {
  return CRITERIA.map((c) => c.sql(a)).join('\n       AND ');
}

/** The columns the predicates read of a table, each once. */
export function columnsRead(table: keyof Reads): string[] {
  return [...new Set(CRITERIA.flatMap((c) => c.reads[table] ?? []))];
}

/** For each check on the credit profile, the figure a read of it shows (credit access log, R10). */
export const CREDIT_FIELDS: Readonly<Partial<Record<MatchCheckCode, string>>> = Object.fromEntries(
  CRITERIA.filter((c) => c.creditField).map((c) => [c.code, c.creditField!]),
);

export type { Criterion, Verdict, Aliases, CheckInput, DetailParams } from './criterion';
