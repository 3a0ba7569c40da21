/**
 * R13 — one decision for a need and a product: every check in order, and for an eligible pair its terms
 * and score. Plain data in, a decision out (STYLE.md: Medusa's computeActions); the caller stores it.
 */
import { chooseGuarantee, ChosenGuarantee, runChecks, CheckResult } from './checks';
import type { BorrowerFacts, EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from './facts';
import { approximateBeforeTargeting, scoreBeforeTargeting, scoreFromApproximation, scoreMatch, scoreWithTargeting, targetingOf } from './score';
import { computeTerms, guaranteeKey, MatchTerms, newTermsMemo, TermsMemo } from './terms';

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
  /** Terms per terms class (what a loan's terms read of the product) and guarantee (`guaranteeKey`, '-' for none). */
  terms: Map<TermsClass, Map<string, MatchTerms>>;
  /** The parts of the terms that products of other rates or guarantees share (terms.ts). */
  termParts: TermsMemo;
  /** Scores per product class and guarantee, and the part before targeting per terms and valuation cap, as a number (score.ts `approximateBeforeTargeting`). */
  scores: Map<ProductClass, Map<string, number>>;
  beforeTargeting: Map<MatchTerms, Map<string, number>>;
}

export const newNeedMemo = (): NeedMemo => ({ guarantees: new Map(), admissions: new Map(), terms: new Map(), termParts: newTermsMemo(), scores: new Map(), beforeTargeting: new Map() });

/** What a loan's terms read of a product (its kind and minimum rate): products with the same class share terms. */
interface TermsClass { readonly key: string }
/** A terms class with the rest the score reads of a product (an equity product's valuation cap, the targeting marks). */
interface ProductClass { readonly terms: TermsClass; readonly valuation: string; readonly targeting: number }

/** Classes are interned, so that a need's memo finds them by identity; a product's is worked out once per product object (products are kept in memory, facts.service.ts). */
const termsClasses = new Map<string, TermsClass>();
const productClasses = new Map<string, ProductClass>();
const classOfProduct = new WeakMap<ProductFacts, ProductClass>();
function classOf(product: ProductFacts): ProductClass {
  let found = classOfProduct.get(product);
  if (!found) {
    const termsKey = `${product.kind}|${product.minAnnualRate?.toString() ?? '-'}`;
    let terms = termsClasses.get(termsKey);
    if (!terms) termsClasses.set(termsKey, (terms = { key: termsKey }));
    const valuation = product.maxPreMoneyValuation?.toString() ?? '-';
    const targeting = targetingOf(product);
    const key = `${termsKey}|${valuation}|${targeting}`;
    found = productClasses.get(key);
    if (!found) productClasses.set(key, (found = { terms, valuation, targeting }));
    classOfProduct.set(product, found);
  }
  return found;
}

const inner = <K, V>(outer: Map<K, Map<string, V>>, key: K): Map<string, V> => {
  let map = outer.get(key);
  if (!map) outer.set(key, (map = new Map()));
  return map;
};

/**
 * The decision for a pair the candidate SQL kept, which has passed there every check but GUARANTEE's
 * capacity (test/matching/candidates.test.ts holds the SQL to `runChecks`, check by check): the
 * guarantee, the terms and the score, or null when no guarantor has room. `memo` is one need's; the
 * terms of two products that differ in nothing the terms read are computed once
 * (test/matching/engine-memo.test.ts holds every pair to `decide`).
 */
export function decideCandidate(need: NeedFacts, enterprise: BorrowerFacts, product: ProductFacts, context: MatchContext, memo: NeedMemo): { terms: MatchTerms; score: number } | null {
  let guarantee: ChosenGuarantee | null = null;
  if (need.kind === 'LOAN' && product.requiresGuarantee) {
    guarantee = memo.guarantees.get(product.institutionId) ?? null;
    if (!guarantee && !memo.guarantees.has(product.institutionId)) {
      memo.guarantees.set(product.institutionId, (guarantee = chooseGuarantee(need, enterprise, product, context, memo.admissions).chosen));
    }
    if (!guarantee) return null;
  }
  const cls = classOf(product);
  const gKey = guaranteeKey(guarantee);
  const scores = inner(memo.scores, cls);
  const termsOfClass = inner(memo.terms, cls.terms);
  let terms = termsOfClass.get(gKey);
  if (!terms) termsOfClass.set(gKey, (terms = computeTerms(need, enterprise, product, guarantee, context, memo.termParts)));
  let score = scores.get(gKey);
  if (score === undefined) {
    const parts = inner(memo.beforeTargeting, terms);
    let part = parts.get(cls.valuation);
    if (part === undefined) parts.set(cls.valuation, (part = approximateBeforeTargeting(need, product, terms)));
    score = scoreFromApproximation(part, cls.targeting) ?? scoreWithTargeting(scoreBeforeTargeting(need, product, terms), cls.targeting);
    scores.set(gKey, score);
  }
  return { terms, score };
}
