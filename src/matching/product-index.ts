/**
 * R13, first stage, in memory (issue 13): a need's candidate products from an index of every product,
 * kept on each process, instead of the candidate SQL's walk over thousands of product rows. It keeps
 * exactly the pairs candidates.ts's SQL keeps for a need that SQL would search (a matchable need whose
 * firm's holder is verified: the caller reads that in SQL): each registered criterion's SQL predicate
 * (matching/criteria/) is written here once more as a test on the facts the engine reads, compiled per
 * product to the tests its columns set. `ADMITS` is keyed by every MatchCheckCode, so a new criterion
 * does not compile until it has its test here; test/matching/candidates.test.ts holds the index to the
 * SQL over random markets.
 *
 * Products sit in buckets by need kind and province (the first two digits of a region prefix; a product
 * naming no region is in its kind's bucket for every province), each sorted by minimum amount, so a
 * need visits only its kind's products in its province or in none, and stops at the first whose
 * minimum is above its amount. Pure: facts.service.ts loads the products and keeps the index current by
 * the product catalog's stamp (migration ProductCatalogVersion).
 */
import type { Decimal } from '../common/decimal';
import { CREDIT_CRITERIA, CreditCriterion, isSet } from '../credit/credit.conditions';
import { tierRank } from '../whitelists/tier';
import type { MatchCheckCode } from './criteria';
import { fullYears } from './criteria/years-in-business';
import type { EnterpriseFacts, NeedFacts, ProductFacts } from './engine/facts';

/** What the tests read of one search: the need, its firm, today, and the need's decimals as their nearest numbers. */
interface Search {
  need: NeedFacts;
  firm: EnterpriseFacts;
  today: string;
  amount: number;
  maxRate: number | null;
  valuation: number | null;
}

/** One criterion's test of a pair, for a product that sets it. */
type Admit = (s: Search) => boolean;

const always = null;

/** A decimal with its nearest number: rounding to a number keeps the order, so only equal numbers need the decimals compared. */
interface Figure { exact: Decimal; near: number }
const figure = (exact: Decimal): Figure => ({ exact, near: exact.toNumber() });
/** a ≤ b, exactly. */
const atMost = (a: Decimal, na: number, b: Decimal, nb: number) => na < nb || (na === nb && a.lte(b));

function creditTest(code: MatchCheckCode): (p: ProductFacts) => Admit | null {
  const credit = CREDIT_CRITERIA.find((c) => c.code === code) as CreditCriterion;
  return (p) => {
    const required = p[credit.name];
    return isSet(required) ? ({ firm, today }) => credit.check(firm.credit, required, today).passed : always;
  };
}

/**
 * Per criterion, the test a product's columns set, as the criterion's SQL predicate decides it (null:
 * the product admits every pair on it). The SQL is the oracle: where a check and its predicate could
 * part (a region prefix of another length than 2, 4 or 6 digits), the test follows the predicate.
 */
export const ADMITS: Readonly<Record<MatchCheckCode, (p: ProductFacts) => Admit | null>> = {
  NEED_KIND: (p) => ({ need }) => need.kind === p.needKind,
  PRODUCT_ACTIVE: (p) => ({ today }) => p.enabled && (p.activeFrom === null || p.activeFrom <= today) && (p.activeTo === null || p.activeTo >= today),
  AMOUNT: (p) => {
    const [min, max] = [figure(p.minAmount), figure(p.maxAmount)];
    return ({ need, amount }) => atMost(min.exact, min.near, need.amount, amount) && atMost(need.amount, amount, max.exact, max.near);
  },
  TERM: (p) => (p.minTermMonths === null && p.maxTermMonths === null ? always
    : ({ need: { termMonths: t } }) => t === null || ((p.minTermMonths === null || p.minTermMonths <= t) && (p.maxTermMonths === null || p.maxTermMonths >= t))),
  REGION: (p) => {
    if (!p.regionPrefixes.length) return always;
    const prefixes = new Set(p.regionPrefixes);
    return ({ firm: { regionCode: r } }) => prefixes.has(r.slice(0, 2)) || prefixes.has(r.slice(0, 4)) || prefixes.has(r);
  },
  SECTOR: (p) => (p.sectors.length ? ({ firm }) => p.sectors.includes(firm.sector) : always),
  CHAIN: (p) => (p.industryChains.length ? ({ firm }) => p.industryChains.some((c) => firm.industryChains.includes(c)) : always),
  SIZE_CLASS: (p) => (p.sizeClasses.length ? ({ firm }) => p.sizeClasses.includes(firm.sizeClass) : always),
  YEARS_IN_BUSINESS: (p) => {
    const min = p.minYearsInBusiness;
    return min === null ? always : ({ firm, today }) => firm.foundedOn !== null && fullYears(firm.foundedOn, today) >= min;
  },
  ANNUAL_REVENUE: (p) => {
    const min = p.minAnnualRevenue;
    return min == null ? always : ({ firm }) => firm.revenue != null && firm.revenue.gte(min);
  },
  WHITELIST_TIER: (p) => {
    if (!p.whitelistTierAtLeast) return always;
    const required = tierRank(p.whitelistTierAtLeast);
    return ({ firm }) => firm.whitelistTier !== null && tierRank(firm.whitelistTier) >= required;
  },
  QUALIFICATION: (p) => (p.qualifications.length ? ({ firm }) => p.qualifications.every((q) => firm.qualifications.includes(q)) : always),
  CREDIT_RATING: creditTest('CREDIT_RATING'),
  TAX_GRADE: creditTest('TAX_GRADE'),
  DISHONESTY: creditTest('DISHONESTY'),
  OVERDUE: creditTest('OVERDUE'),
  CREDIT_DATA_AGE: creditTest('CREDIT_DATA_AGE'),
  FIRST_LOAN: creditTest('FIRST_LOAN'),
  COLLATERAL: (p) => (!p.collateralAccepted.length || p.collateralAccepted.includes('NONE') ? always
    : ({ need }) => need.kind !== 'LOAN' || p.collateralAccepted.some((c) => need.collateralOffered.includes(c))),
  RATE: (p) => {
    if (p.minAnnualRate === null) return always;
    const min = figure(p.minAnnualRate);
    return ({ need, maxRate }) => need.kind !== 'LOAN' || need.maxAnnualRate === null || atMost(min.exact, min.near, need.maxAnnualRate, maxRate!);
  },
  // Only the first part is a column: the guarantor search is the engine's (engine.ts `decideCandidate`).
  GUARANTEE: (p) => (p.requiresGuarantee ? ({ need }) => need.kind !== 'LOAN' || need.acceptGuarantee : always),
  EQUITY_STAGE: (p) => (p.equityStages.length ? ({ need }) => need.kind !== 'EQUITY' || (need.equityStage !== null && p.equityStages.includes(need.equityStage)) : always),
  EQUITY_TICKET: (p) => {
    const min = p.minTicket && figure(p.minTicket);
    const max = p.maxTicket && figure(p.maxTicket);
    return !min && !max ? always
      : ({ need, amount }) => need.kind !== 'EQUITY'
        || ((!min || atMost(min.exact, min.near, need.amount, amount)) && (!max || atMost(need.amount, amount, max.exact, max.near)));
  },
  EQUITY_VALUATION: (p) => {
    if (p.maxPreMoneyValuation === null) return always;
    const max = figure(p.maxPreMoneyValuation);
    return ({ need, valuation }) => need.kind !== 'EQUITY' || (need.preMoneyValuation !== null && atMost(need.preMoneyValuation, valuation!, max.exact, max.near));
  },
};

/**
 * The tests the search runs per product, in the order it runs them. The bucket decides NEED_KIND (its
 * key) and the walk decides AMOUNT (it stops at the first minimum above the amount and passes over a
 * maximum below it), so those two are not run again. The order changes no answer, only the time: a
 * product is left at its first failed test, so the tests that fail most pairs go first — a firm's
 * industry chains and whitelist tier, then its credit record, then the need's term and rate (at scale 1,
 * of the ~880 products a loan need visits, CHAIN fails 95 % of those that name chains, WHITELIST_TIER 91 %,
 * OVERDUE 64 %, CREDIT_RATING 53 %, TERM 18 %: bench/match's market).
 */
const DECIDED_BY_WALK = new Set<MatchCheckCode>(['NEED_KIND', 'AMOUNT']);
const FIRST: readonly MatchCheckCode[] = [
  'CHAIN', 'WHITELIST_TIER', 'QUALIFICATION', 'REGION', 'SECTOR', 'SIZE_CLASS', 'OVERDUE', 'CREDIT_RATING', 'TAX_GRADE', 'DISHONESTY',
  'CREDIT_DATA_AGE', 'FIRST_LOAN', 'YEARS_IN_BUSINESS', 'ANNUAL_REVENUE', 'TERM', 'RATE', 'COLLATERAL',
];
const TESTS = [...FIRST, ...(Object.keys(ADMITS) as MatchCheckCode[]).filter((c) => !FIRST.includes(c))]
  .filter((code) => !DECIDED_BY_WALK.has(code)).map((code) => ADMITS[code]);

/** A product in a bucket: its amounts (the bucket is in the order of the minimum) and its tests. */
interface Entry { product: ProductFacts; min: Figure; max: Figure; tests: Admit[] }

/** A product catalog, as of one stamp, indexed for the search from a need's side. */
export class ProductIndex {
  private readonly buckets = new Map<string, Entry[]>();

  /** `stamp` labels the products' state (facts.service.ts compares it with the catalog's). */
  constructor(readonly stamp: string, products: Iterable<ProductFacts>) {
    for (const product of products) {
      const entry: Entry = {
        product, min: figure(product.minAmount), max: figure(product.maxAmount),
        tests: TESTS.map((compile) => compile(product)).filter((t): t is Admit => t !== null),
      };
      const provinces = product.regionPrefixes.length ? new Set(product.regionPrefixes.map((r) => r.slice(0, 2))) : [ANY_REGION];
      for (const province of provinces) {
        const key = bucketKey(product.needKind, province);
        const bucket = this.buckets.get(key);
        if (bucket) bucket.push(entry);
        else this.buckets.set(key, [entry]);
      }
    }
    for (const bucket of this.buckets.values()) bucket.sort((a, b) => a.product.minAmount.comparedTo(b.product.minAmount));
  }

  /** The products the candidate SQL pairs with `need` of `firm` on `today`. */
  candidates(need: NeedFacts, firm: EnterpriseFacts, today: string): ProductFacts[] {
    const search: Search = {
      need, firm, today, amount: need.amount.toNumber(), maxRate: need.maxAnnualRate?.toNumber() ?? null, valuation: need.preMoneyValuation?.toNumber() ?? null,
    };
    const found: ProductFacts[] = [];
    for (const province of [ANY_REGION, firm.regionCode.slice(0, 2)]) {
      for (const { product, min, max, tests } of this.buckets.get(bucketKey(need.kind, province)) ?? []) {
        // AMOUNT, as its test decides it: the minimum, then the maximum (nearest numbers keep the order, so
        // the decimals are compared only when the numbers are equal).
        if (!atMost(min.exact, min.near, need.amount, search.amount)) break;
        if (!atMost(need.amount, search.amount, max.exact, max.near)) continue;
        if (admitsAll(tests, search)) found.push(product);
      }
    }
    return found;
  }
}

function admitsAll(tests: readonly Admit[], search: Search): boolean {
  for (const admits of tests) if (!admits(search)) return false;
  return true;
}

const ANY_REGION = '*';
const bucketKey = (kind: string, province: string) => `${kind}|${province}`;
