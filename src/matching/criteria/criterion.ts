/**
 * R13 — what one matching criterion is (Vendure's `PromotionCondition {code, args, check}`): its code and
 * place in R13's order, the check the engine runs with the detail a person can act on, and the SQL
 * predicate the candidate search ANDs to narrow pairs before any check runs. A module per criterion in
 * this folder; `index.ts` lists them. Pure: no TypeORM, no GraphQL.
 */
import type { Decimal } from '../../common/decimal';
import type { CreditFacts } from '../../credit/credit.conditions';
import type { ChosenGuarantee } from './guarantee-choice';
import type { EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from '../engine/facts';

export type DetailParams = Record<string, string | number>;

/** What a check reads: the pair and everything outside it. */
export interface CheckInput {
  need: NeedFacts;
  enterprise: EnterpriseFacts;
  product: ProductFacts;
  context: MatchContext;
}

/** A check's answer: passed, and the variant of its detail (`CHECK_<CODE>.<variant>`) with the figures it names. */
export interface Verdict<V extends string = string> {
  passed: boolean;
  variant: V;
  params?: DetailParams;
  /** GUARANTEE only: the guarantee it settled on, for the terms. */
  guarantee?: ChosenGuarantee;
}

/**
 * The SQL aliases a predicate is written over: the need (`financing_need`, with enterprise_id), its firm
 * (`enterprise`), the firm's credit profile (`credit_profile`; every column null when it has none) and
 * the product; $1 is today. In the search from a need's side all three of need, firm and profile are
 * one row (the CTE that loads them), so a column name is read from one alias or another, never both.
 */
export interface Aliases {
  need: string;
  enterprise: string;
  credit: string;
  product: string;
}

/** Columns a predicate reads of the need, its firm and the firm's credit profile: the candidate search loads these. */
export interface Reads {
  need?: readonly string[];
  enterprise?: readonly string[];
  credit?: readonly string[];
}

/** Values worth trying for a column the criterion adds (null = unset or unknown): the property test that holds the SQL to the check draws from them. */
export interface Samples {
  product?: Record<string, readonly unknown[]>;
  enterprise?: Record<string, readonly unknown[]>;
  need?: Record<string, readonly unknown[]>;
}

export interface Criterion<C extends string = string, V extends string = string> {
  /** The MatchCheckCode. */
  code: C;
  /** Its place in R13's order (ascending); explainMatch lists the checks in this order. */
  order: number;
  /** What it checks, for the schema's MatchCheckCode. */
  description: string;
  /** Every variant its detail takes: messages.ts words each `CHECK_<code>.<variant>` in zh and en. */
  variants: readonly V[];
  /** The check, for any pair. A criterion that does not apply to the pair passes and says why. */
  check(input: CheckInput): Verdict<NoInfer<V>>;
  /** The candidate search's predicate over `a`: true exactly when the check passes, but for `engineVariants`. */
  sql(a: Aliases): string;
  /** Columns the predicate reads (besides the product's, which are all there). */
  reads: Reads;
  /** Failing variants the SQL cannot decide (they need figures no column holds): such pairs are kept, and the engine decides them. */
  engineVariants?: readonly NoInfer<V>[];
  /** For a check on a consent-only figure (R10): the firm's figure, and the product's criterion on it. */
  consentOnly?: { fact: keyof CreditFacts; criterion: keyof ProductFacts };
  /** For a check on the credit profile (R5): the figure a read of it shows, as the credit access log names it (R10). */
  creditField?: string;
  /** For a criterion on columns the property test does not otherwise write. */
  samples?: Samples;
}

/** Defines a criterion, keeping its code and variants as literal types. */
export function criterion<const C extends string, const V extends string>(c: Criterion<C, V>): Criterion<C, V> {
  return c;
}

export const verdict = <V extends string>(passed: boolean, variant: V, params?: DetailParams): Verdict<V> => ({ passed, variant, params });
export const pass = <V extends string>(variant: V, params?: DetailParams): Verdict<V> => verdict(true, variant, params);
export const fail = <V extends string>(variant: V, params?: DetailParams): Verdict<V> => verdict(false, variant, params);

export const d2 = (v: Decimal) => v.toFixed(2);
export const list = (values: readonly string[]) => values.join(', ');

/** A predicate that holds for any need of the other kind (a loan criterion for an equity need, and back). */
export const onlyFor = (kind: 'LOAN' | 'EQUITY', a: Aliases, predicate: string) => `(${a.need}.kind <> '${kind}' OR (${predicate}))`;
