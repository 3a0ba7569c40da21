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
import { CREDIT_CRITERIA, CreditCriterion, isSet } from '../credit/credit.conditions';
import { tierRank } from '../whitelists/tier';
import type { MatchCheckCode } from './criteria';
import { fullYears } from './criteria/years-in-business';
import type { EnterpriseFacts, NeedFacts, ProductFacts } from './engine/facts';

/** One criterion's test of a pair, for a product that sets it. */
type Admit = (need: NeedFacts, firm: EnterpriseFacts, today: string) => boolean;

const always = null;

function creditTest(code: MatchCheckCode): (p: ProductFacts) => Admit | null {
  const credit = CREDIT_CRITERIA.find((c) => c.code === code) as CreditCriterion;
  return (p) => {
    const required = p[credit.name];
    return isSet(required) ? (_n, f, today) => credit.check(f.credit, required, today).passed : always;
  };
}

/**
 * Per criterion, the test a product's columns set, as the criterion's SQL predicate decides it (null:
 * the product admits every pair on it). The SQL is the oracle: where a check and its predicate could
 * part (a region prefix of another length than 2, 4 or 6 digits), the test follows the predicate.
 */
export const ADMITS: Readonly<Record<MatchCheckCode, (p: ProductFacts) => Admit | null>> = {
  NEED_KIND: (p) => (n) => n.kind === p.needKind,
  PRODUCT_ACTIVE: (p) => (_n, _f, today) => p.enabled && (p.activeFrom === null || p.activeFrom <= today) && (p.activeTo === null || p.activeTo >= today),
  AMOUNT: (p) => (n) => n.amount.gte(p.minAmount) && n.amount.lte(p.maxAmount),
  TERM: (p) => (p.minTermMonths === null && p.maxTermMonths === null ? always
    : (n) => n.termMonths === null || ((p.minTermMonths === null || p.minTermMonths <= n.termMonths) && (p.maxTermMonths === null || p.maxTermMonths >= n.termMonths))),
  REGION: (p) => {
    if (!p.regionPrefixes.length) return always;
    const prefixes = new Set(p.regionPrefixes);
    return (_n, f) => prefixes.has(f.regionCode.slice(0, 2)) || prefixes.has(f.regionCode.slice(0, 4)) || prefixes.has(f.regionCode);
  },
  SECTOR: (p) => (p.sectors.length ? (_n, f) => p.sectors.includes(f.sector) : always),
  CHAIN: (p) => (p.industryChains.length ? (_n, f) => p.industryChains.some((c) => f.industryChains.includes(c)) : always),
  SIZE_CLASS: (p) => (p.sizeClasses.length ? (_n, f) => p.sizeClasses.includes(f.sizeClass) : always),
  YEARS_IN_BUSINESS: (p) => {
    const min = p.minYearsInBusiness;
    return min === null ? always : (_n, f, today) => f.foundedOn !== null && fullYears(f.foundedOn, today) >= min;
  },
  ANNUAL_REVENUE: (p) => {
    const min = p.minAnnualRevenue;
    return min == null ? always : (_n, f) => f.revenue != null && f.revenue.gte(min);
  },
  WHITELIST_TIER: (p) => {
    if (!p.whitelistTierAtLeast) return always;
    const required = tierRank(p.whitelistTierAtLeast);
    return (_n, f) => f.whitelistTier !== null && tierRank(f.whitelistTier) >= required;
  },
  QUALIFICATION: (p) => (p.qualifications.length ? (_n, f) => p.qualifications.every((q) => f.qualifications.includes(q)) : always),
  CREDIT_RATING: creditTest('CREDIT_RATING'),
  TAX_GRADE: creditTest('TAX_GRADE'),
  DISHONESTY: creditTest('DISHONESTY'),
  OVERDUE: creditTest('OVERDUE'),
  CREDIT_DATA_AGE: creditTest('CREDIT_DATA_AGE'),
  FIRST_LOAN: creditTest('FIRST_LOAN'),
  COLLATERAL: (p) => (!p.collateralAccepted.length || p.collateralAccepted.includes('NONE') ? always
    : (n) => n.kind !== 'LOAN' || p.collateralAccepted.some((c) => n.collateralOffered.includes(c))),
  RATE: (p) => {
    const min = p.minAnnualRate;
    return min === null ? always : (n) => n.kind !== 'LOAN' || n.maxAnnualRate === null || min.lte(n.maxAnnualRate);
  },
  // Only the first part is a column: the guarantor search is the engine's (engine.ts `decideCandidate`).
  GUARANTEE: (p) => (p.requiresGuarantee ? (n) => n.kind !== 'LOAN' || n.acceptGuarantee : always),
  EQUITY_STAGE: (p) => (p.equityStages.length ? (n) => n.kind !== 'EQUITY' || (n.equityStage !== null && p.equityStages.includes(n.equityStage)) : always),
  EQUITY_TICKET: (p) => {
    const { minTicket: min, maxTicket: max } = p;
    return min === null && max === null ? always
      : (n) => n.kind !== 'EQUITY' || ((min === null || n.amount.gte(min)) && (max === null || n.amount.lte(max)));
  },
  EQUITY_VALUATION: (p) => {
    const max = p.maxPreMoneyValuation;
    return max === null ? always : (n) => n.kind !== 'EQUITY' || (n.preMoneyValuation !== null && n.preMoneyValuation.lte(max));
  },
};

const TESTS = Object.values(ADMITS);

interface Entry { product: ProductFacts; tests: Admit[] }

/** A product catalog, as of one stamp, indexed for the search from a need's side. */
export class ProductIndex {
  private readonly buckets = new Map<string, Entry[]>();

  /** `stamp` labels the products' state (facts.service.ts compares it with the catalog's). */
  constructor(readonly stamp: string, products: Iterable<ProductFacts>) {
    for (const product of products) {
      const entry: Entry = { product, tests: TESTS.map((compile) => compile(product)).filter((t): t is Admit => t !== null) };
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
    const found: ProductFacts[] = [];
    for (const province of [ANY_REGION, firm.regionCode.slice(0, 2)]) {
      for (const { product, tests } of this.buckets.get(bucketKey(need.kind, province)) ?? []) {
        if (product.minAmount.gt(need.amount)) break;
        if (tests.every((admits) => admits(need, firm, today))) found.push(product);
      }
    }
    return found;
  }
}

const ANY_REGION = '*';
const bucketKey = (kind: string, province: string) => `${kind}|${province}`;
