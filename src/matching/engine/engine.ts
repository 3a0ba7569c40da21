/**
 * R13 — one decision for a need and a product: every check in order, and for an eligible pair its terms
 * and score. Plain data in, a decision out (STYLE.md: Medusa's computeActions); the caller stores it.
 */
import { chooseGuarantee, ChosenGuarantee, runChecks, CheckResult } from './checks';
import type { Decimal } from '../../common/decimal';
import type { BorrowerFacts, EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from './facts';
import { scoreBeforeTargeting, scoreMatch, scoreWithTargeting, targetingOf } from './score';
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

/** What deciding one need's candidates shares across its products (see `decideCandidate`). */
export interface NeedMemo {
  /** The guarantee chosen per bank: it depends on the need, the firm and the bank only. */
  guarantees: Map<string, ChosenGuarantee | null>;
  /** Each guarantor's answer for the need, whichever bank routes to it (guarantee-choice.ts). */
  admissions: NonNullable<Parameters<typeof chooseGuarantee>[4]>;
  /** Terms per (product kind, minimum rate, guarantor): all a loan's terms read of the product. */
  terms: Map<string, MatchTerms>;
  /** Scores per terms and the product's targeting, and the part before targeting per terms (and an equity product's valuation cap). */
  scores: Map<string, number>;
  beforeTargeting: Map<string, Decimal>;
}

export const newNeedMemo = (): NeedMemo => ({ guarantees: new Map(), admissions: new Map(), terms: new Map(), scores: new Map(), beforeTargeting: new Map() });

/** What a product adds to the memo's keys, worked out once per product object (products are kept in memory, facts.service.ts). */
const productKeys = new WeakMap<ProductFacts, { terms: string; valuation: string; targeting: number }>();
function keysOf(product: ProductFacts): { terms: string; valuation: string; targeting: number } {
  let keys = productKeys.get(product);
  if (!keys) {
    keys = { terms: `${product.kind}|${product.minAnnualRate?.toString() ?? '-'}`, valuation: product.maxPreMoneyValuation?.toString() ?? '-', targeting: targetingOf(product) };
    productKeys.set(product, keys);
  }
  return keys;
}

/**
 * The decision for a pair the candidate SQL kept, which has passed there every check but GUARANTEE's
 * capacity (test/matching/candidates.test.ts holds the SQL to `runChecks`, check by check): the
 * guarantee, the terms and the score, or null when no guarantor has room. `memo` is one need's; the
 * terms of two products that differ in nothing the terms read are computed once.
 */
export function decideCandidate(need: NeedFacts, enterprise: BorrowerFacts, product: ProductFacts, context: MatchContext, memo: NeedMemo): { terms: MatchTerms; score: number } | null {
  let guarantee: ChosenGuarantee | null = null;
  if (need.kind === 'LOAN' && product.requiresGuarantee) {
    if (!memo.guarantees.has(product.institutionId)) memo.guarantees.set(product.institutionId, chooseGuarantee(need, enterprise, product, context, memo.admissions).chosen);
    guarantee = memo.guarantees.get(product.institutionId)!;
    if (!guarantee) return null;
  }
  const keys = keysOf(product);
  const termsKey = `${keys.terms}|${guarantee?.option.guarantorId ?? '-'}`;
  let terms = memo.terms.get(termsKey);
  if (!terms) memo.terms.set(termsKey, (terms = computeTerms(need, enterprise, product, guarantee, context)));
  const partKey = `${termsKey}|${keys.valuation}`;
  const scoreKey = `${partKey}|${keys.targeting}`;
  let score = memo.scores.get(scoreKey);
  if (score === undefined) {
    let part = memo.beforeTargeting.get(partKey);
    if (!part) memo.beforeTargeting.set(partKey, (part = scoreBeforeTargeting(need, product, terms)));
    memo.scores.set(scoreKey, (score = scoreWithTargeting(part, keys.targeting)));
  }
  return { terms, score };
}
