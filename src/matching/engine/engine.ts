/**
 * R13 — one decision for a need and a product: every check in order, and for an eligible pair its terms
 * and score. Plain data in, a decision out (STYLE.md: Medusa's computeActions); the caller stores it.
 */
import { runChecks, CheckResult } from './checks';
import type { EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from './facts';
import { scoreMatch } from './score';
import { computeTerms, MatchTerms } from './terms';

export interface Decision {
  eligible: boolean;
  checks: CheckResult[];
  /** Terms and score of an eligible pair (null otherwise). */
  terms: MatchTerms | null;
  score: number | null;
}

export function decide(need: NeedFacts, enterprise: EnterpriseFacts, product: ProductFacts, context: MatchContext): Decision {
  const { checks, guarantee } = runChecks(need, enterprise, product, context);
  const eligible = checks.every((c) => c.passed);
  if (!eligible) return { eligible, checks, terms: null, score: null };
  const terms = computeTerms(need, enterprise, product, guarantee, context);
  return { eligible, checks, terms, score: scoreMatch(need, product, terms) };
}
