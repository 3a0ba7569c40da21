/**
 * R13 — the score that ranks eligible matches, 0–100, deterministic (docs/MATCHING.md explains it to
 * users). It adds four parts, each a fraction of its weight, and rounds half-up to a whole number:
 *
 * | part | weight | loan need | equity need |
 * |---|---:|---|---|
 * | cost | 40 | 1 − allIn ÷ ceiling, where ceiling is the need's maximum rate, else 12 % (4 × the 3 % one-year LPR, the ceiling courts protect for lending since 2020); 0.5 when the product states no rate | 0.5 |
 * | bank's risk | 30 | 1 − bank net exposure ÷ principal: a guarantee and a pool reserve make a yes likelier | 0.5 |
 * | public support | 15 | subsidies on the loan ÷ 2 % of the principal, at most 1 | headroom under the product's valuation cap: 1 − pre-money ÷ cap (0.5 without a cap) |
 * | targeting | 15 | a third each for a product built for such firms: it requires a whitelist tier, names industry chains, or names regions | the same |
 *
 * Ties go to the lower all-in cost, then the product id (`compareMatches` below; in SQL, `bestFirstSql` in
 * matching/match.rules.ts).
 */
import { Decimal } from '../../common/decimal';
import type { NeedFacts, ProductFacts } from './facts';
import type { MatchTerms } from './terms';

export const WEIGHTS = { cost: 40, risk: 30, support: 15, targeting: 15 } as const;
export const REFERENCE_CEILING = new Decimal('0.12');
const SUPPORT_REFERENCE = new Decimal('0.02');
const HALF = new Decimal('0.5');

const clamp = (v: Decimal) => Decimal.min(Decimal.max(v, 0), 1);

/** How many of the three targeting marks a product carries (0–3). */
export const targetingOf = (product: ProductFacts): number =>
  (product.whitelistTierAtLeast !== null ? 1 : 0) + (product.industryChains.length > 0 ? 1 : 0) + (product.regionPrefixes.length > 0 ? 1 : 0);

export function scoreMatch(need: NeedFacts, product: ProductFacts, terms: MatchTerms): number {
  return scoreWithTargeting(scoreBeforeTargeting(need, product, terms), targetingOf(product));
}

/**
 * The sum of the cost, risk and support parts: all of the score that does not read the product's
 * targeting (an equity need's support reads its valuation cap). The engine keeps it per terms, so that
 * the products that share terms add only their targeting (`scoreWithTargeting`), by the same operations
 * in the same order as one `scoreMatch`.
 */
export function scoreBeforeTargeting(need: NeedFacts, product: Pick<ProductFacts, 'maxPreMoneyValuation'>, terms: MatchTerms): Decimal {
  let cost = HALF;
  let risk = HALF;
  let support: Decimal;
  if (need.kind === 'LOAN') {
    if (terms.allInAnnualCostRate) {
      const ceiling = need.maxAnnualRate && need.maxAnnualRate.gt(0) ? need.maxAnnualRate : REFERENCE_CEILING;
      cost = clamp(new Decimal(1).minus(terms.allInAnnualCostRate.div(ceiling)));
    }
    if (terms.bankNetExposure) risk = clamp(new Decimal(1).minus(terms.bankNetExposure.div(need.amount)));
    const subsidised = terms.subsidies.reduce((sum, s) => sum.plus(s.amount), new Decimal(0));
    support = clamp(subsidised.div(need.amount.times(SUPPORT_REFERENCE)));
  } else {
    support = product.maxPreMoneyValuation && need.preMoneyValuation
      ? clamp(new Decimal(1).minus(need.preMoneyValuation.div(product.maxPreMoneyValuation)))
      : HALF;
  }
  return cost.times(WEIGHTS.cost).plus(risk.times(WEIGHTS.risk)).plus(support.times(WEIGHTS.support));
}

/** The targeting part's points for 0–3 marks. */
const TARGETING_POINTS = [0, 1, 2, 3].map((marks) => new Decimal(marks).div(3).times(WEIGHTS.targeting));

/** The score: the other parts' sum and the targeting part, rounded half-up to a whole number. */
export function scoreWithTargeting(beforeTargeting: Decimal, targeting: number): number {
  return beforeTargeting.plus(TARGETING_POINTS[targeting]).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** The reference figures above as numbers, for `approximateBeforeTargeting`. */
const [REFERENCE_CEILING_N, SUPPORT_REFERENCE_N, HALF_N] = [REFERENCE_CEILING, SUPPORT_REFERENCE, HALF].map((d) => d.toNumber());

/**
 * The score computed with numbers, for the engine's hot path: each part as `scoreBeforeTargeting` has
 * it, to within 1e-12 (a handful of operations on numbers of 16 significant digits). Where that cannot
 * settle the rounding — the sum within 1e-9 of a half — the decimals decide (`scoreMatch`), so that the
 * score is always the decimal one (test/matching/engine-memo.test.ts holds the two together, halves included).
 */
export function approximateBeforeTargeting(need: NeedFacts, product: Pick<ProductFacts, 'maxPreMoneyValuation'>, terms: MatchTerms): number {
  const clampN = (v: number) => Math.min(Math.max(v, 0), 1);
  let cost = HALF_N;
  let risk = HALF_N;
  let support: number;
  if (need.kind === 'LOAN') {
    const amount = need.amount.toNumber();
    if (terms.allInAnnualCostRate) {
      const ceiling = need.maxAnnualRate && need.maxAnnualRate.gt(0) ? need.maxAnnualRate.toNumber() : REFERENCE_CEILING_N;
      cost = clampN(1 - terms.allInAnnualCostRate.toNumber() / ceiling);
    }
    if (terms.bankNetExposure) risk = clampN(1 - terms.bankNetExposure.toNumber() / amount);
    let subsidised = 0;
    for (const s of terms.subsidies) subsidised += s.amount.toNumber();
    support = clampN(subsidised / (amount * SUPPORT_REFERENCE_N));
  } else {
    support = product.maxPreMoneyValuation && need.preMoneyValuation
      ? clampN(1 - need.preMoneyValuation.toNumber() / product.maxPreMoneyValuation.toNumber())
      : HALF_N;
  }
  return cost * WEIGHTS.cost + risk * WEIGHTS.risk + support * WEIGHTS.support;
}

/** The score from `approximateBeforeTargeting`'s figure, or null when only the decimals can round it. */
export function scoreFromApproximation(beforeTargeting: number, targeting: number): number | null {
  const sum = beforeTargeting + (targeting * WEIGHTS.targeting) / 3;
  const fraction = sum - Math.floor(sum);
  return Math.abs(fraction - 0.5) < 1e-9 ? null : Math.floor(sum + 0.5);
}

/** R13's order: score descending, then the lower all-in cost (none last), then the product id. */
export function compareMatches(a: { score: number; allIn: Decimal | null; productId: string }, b: { score: number; allIn: Decimal | null; productId: string }): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.allIn && b.allIn && !a.allIn.eq(b.allIn)) return a.allIn.lt(b.allIn) ? -1 : 1;
  if (a.allIn && !b.allIn) return -1;
  if (!a.allIn && b.allIn) return 1;
  return a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
}
