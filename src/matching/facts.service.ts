/**
 * Loads what the engine reads (engine/facts.ts) in one statement for any number of pairs: the pairs
 * themselves (candidate SQL, or given pairs for explainMatch), their needs, their firms' facts (profile,
 * qualifications valid today, whitelist tier today, current credit profile), the fast-moving policy
 * figures the candidates can use (policy-figures.ts: borrowers' guaranteed balances, guarantor capacity,
 * pool money, fee subsidies booked this year, each by key from running totals), and the policy version.
 * Two things are kept in memory per DataSource and re-read only when they changed: products (by row
 * stamp) and the slow-moving policy tables (rules, benchmark rates, agreements), whose writes bump
 * `policy_version` in the writing transaction (migration MatchingAtScale).
 */
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { Decimal } from '../common/decimal';
import type { CreditRating, TaxGrade } from '../credit/grades';
import type { Sector, SizeClass } from '../enterprises/size-class';
import type { ProductKind } from '../institutions/institution.rules';
import { ProductEntity } from '../institutions/product.entity';
import type { CollateralType, EquityStage, NeedKind } from '../needs/need.rules';
import type { MatchStatus } from './match.rules';
import { readParams } from '../policy/params';
import { calculatorFor } from '../policy/registry';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { memberOnSql } from '../whitelists/membership';
import { MATCHABLE_NEED_SQL, PRODUCT_STAMP_SQL } from './candidates';
import { unsettledClaimSql } from '../enterprises/claim.rules';
import { ProductIndex } from './product-index';
import { QUALIFICATION_TIERS } from '../whitelists/tier';
import type { BorrowerFacts, EnterpriseFacts, MatchContext, NeedFacts, PolicyRuleFacts, ProductFacts } from './engine/facts';
import { figuresCte, FIGURES_SQL, figuresContext, FiguresRow } from './policy-figures';

const dec = (v: string | null | undefined) => (v === null || v === undefined ? null : new Decimal(v));

interface NeedRow {
  id: string; enterprise_id: string; kind: NeedKind; amount: string; term_months: number | null; collateral_offered: CollateralType[];
  max_annual_rate: string | null; accept_guarantee: boolean; equity_stage: EquityStage | null; pre_money_valuation: string | null;
}

interface EnterpriseRow {
  id: string; region_code: string; sector: Sector; size_class: SizeClass; industry_chains: string[]; sector_tags: string[]; founded_on: string | null;
  qualifications: string[] | null; tier_rank: number | null;
  revenue: string | null; as_of: string | null; rating: CreditRating | null; tax_grade: TaxGrade | null; active_dishonesty: boolean | null; overdue_count_12m: number | null; had_bank_loan: boolean | null;
}

interface InputsRow extends FiguresRow {
  /** What the caller's own select-list item (`loadInputs`'s `also`) gave. */
  also?: unknown;
  pairs: [string, string, string][] | null;
  needs: NeedRow[] | null;
  enterprises: EnterpriseRow[] | null;
  acted: [string, string, MatchStatus][] | null;
  policy_stamp: string;
  catalog_stamp: string;
}

/**
 * The policy tables' stamp: the counter and the transaction that last bumped it (a rolled-back bump
 * leaves the row as it was, so a stamp never names two different states).
 */
const POLICY_STAMP_SQL = `(SELECT version || ':' || xmin::text FROM policy_version WHERE id = 1)`;

/** The product catalog's stamp, the same way (migration ProductCatalogVersion): the in-memory index is current when it carries it. */
const CATALOG_STAMP_SQL = `(SELECT version || ':' || xmin::text FROM product_catalog_version WHERE id = 1)`;

/**
 * The statement: `pairsSql` yields (need_id, product_id, product_stamp) over $1 = today and its own
 * parameters. Numbers travel as text, so that no amount passes through a float. Without `checked`, the
 * firm facts only the checks read (qualifications, whitelist tier, credit profile) are not read: the
 * candidate SQL has decided them for its pairs. `indexed`: the pairs are the needs alone (product_id null),
 * their candidates found afterwards by the product index, so the guarantors read are all those with an agreement.
 */
function inputsSql(pairsSql: string, checked: boolean, indexed: boolean, acted: boolean, also: string | null): string {
  return `
    WITH c AS MATERIALIZED (${pairsSql}),
    cn AS MATERIALIZED (SELECT n.* FROM financing_need n WHERE n.id IN (SELECT need_id FROM c)),
    ${figuresCte(indexed ? 'agreements' : 'pairs')}
    SELECT
      (SELECT json_agg(json_build_array(c.need_id, c.product_id, c.product_stamp)) FROM c) AS pairs,
      (SELECT json_agg(x) FROM (SELECT id, enterprise_id, kind, amount::text AS amount, term_months, collateral_offered, max_annual_rate::text AS max_annual_rate,
                                       accept_guarantee, equity_stage, pre_money_valuation::text AS pre_money_valuation FROM cn) x) AS needs,
      (SELECT json_agg(x) FROM (
         SELECT e.id, e.region_code, e.sector, e.size_class, e.industry_chains, e.sector_tags, to_char(e.founded_on, 'YYYY-MM-DD') AS founded_on
                ${checked ? `,
                (SELECT array_agg(DISTINCT q.code) FROM authority_qualification q
                  WHERE q.enterprise_id = e.id AND (q.valid_from IS NULL OR q.valid_from <= $1::date) AND (q.valid_to IS NULL OR q.valid_to >= $1::date)) AS qualifications,
                (SELECT max(w.tier_rank) FROM whitelist_entry w WHERE w.enterprise_id = e.id AND ${memberOnSql('w', '$1')}) AS tier_rank, e.revenue::text AS revenue,
                to_char(cp.as_of, 'YYYY-MM-DD') AS as_of, cp.rating, cp.tax_grade, cp.active_dishonesty, cp.overdue_count_12m, cp.had_bank_loan` : ''}
           FROM enterprise e ${checked ? 'LEFT JOIN credit_profile cp ON cp.enterprise_id = e.id' : ''}
          WHERE e.id IN (SELECT enterprise_id FROM cn)) x) AS enterprises,
      ${acted ? `(SELECT json_agg(json_build_array(m.need_id, m.product_id, m.status)) FROM match m WHERE m.need_id IN (SELECT id FROM cn) AND m.status <> 'PROPOSED')` : 'NULL::json'} AS acted,
      ${FIGURES_SQL},${also ? `
      ${also} AS also,` : ''}
      ${POLICY_STAMP_SQL} AS policy_stamp, ${CATALOG_STAMP_SQL} AS catalog_stamp`;
}

/** The slow-moving policy tables, as of one policy stamp. */
interface PolicyTables {
  stamp: string;
  rules: PolicyRuleFacts[];
  benchmarks: Map<string, Decimal>;
  agreements: { bankId: string; guarantorId: string; name: string; feeRate: Decimal | null; coverageRatio: Decimal }[];
}

interface PolicyTablesRow {
  stamp: string;
  rules: { id: string; code: string; version: number; kind: PolicyRuleKind; pool_id: string | null; params: Record<string, string>; product_kinds: ProductKind[];
    sector_tags: string[]; size_classes: SizeClass[]; region_prefixes: string[]; industry_chains: string[] }[] | null;
  benchmarks: { code: string; rate: string }[] | null;
  agreements: { bank_id: string; guarantor_id: string; name: string; fee_rate: string | null; coverage_ratio: string }[] | null;
}

/**
 * Rules in force are, per code, the highest version whose effective date has come (a future version
 * waits; the one before it holds); the same for benchmark rates. Read with the version in one statement.
 */
async function loadPolicyTables(em: EntityManager, today: string): Promise<PolicyTables> {
  const [row]: PolicyTablesRow[] = await em.query(
    `SELECT
       ${POLICY_STAMP_SQL} AS stamp,
       (SELECT json_agg(r) FROM (SELECT DISTINCT ON (code) id, code, version, kind, pool_id, params, product_kinds, sector_tags, size_classes, region_prefixes, industry_chains
                                   FROM policy_rule WHERE effective_from IS NULL OR effective_from <= $1::date ORDER BY code, version DESC) r) AS rules,
       (SELECT json_agg(b) FROM (SELECT DISTINCT ON (code) code, rate::text AS rate FROM benchmark_rate WHERE effective_from <= $1::date
                                   ORDER BY code, effective_from DESC) b) AS benchmarks,
       (SELECT json_agg(a) FROM (SELECT a.bank_id, a.guarantor_id, i.name, a.fee_rate::text AS fee_rate, r.coverage_ratio::text AS coverage_ratio
                                   FROM cooperation_agreement a
                                   JOIN institution i ON i.id = a.guarantor_id
                                   JOIN risk_sharing_rule r ON r.id = a.risk_sharing_rule_id
                                  ORDER BY a.bank_id, a.guarantor_id) a) AS agreements`,
    [today],
  );
  return {
    stamp: row.stamp,
    rules: (row.rules ?? []).map((r) => ({
      id: r.id, code: r.code, version: r.version, kind: r.kind, poolId: r.pool_id, params: readParams(calculatorFor(r.kind).params, r.params),
      productKinds: r.product_kinds, sectorTags: r.sector_tags, sizeClasses: r.size_classes, regionPrefixes: r.region_prefixes, industryChains: r.industry_chains,
    })),
    benchmarks: new Map((row.benchmarks ?? []).map((b) => [b.code, new Decimal(b.rate)])),
    agreements: (row.agreements ?? []).map((a) => ({
      bankId: a.bank_id, guarantorId: a.guarantor_id, name: a.name, feeRate: dec(a.fee_rate), coverageRatio: new Decimal(a.coverage_ratio),
    })),
  };
}

/** What one DataSource keeps between decisions. */
interface Cache {
  /** Products by id, with the stamp of the row they were read from. */
  products: Map<string, { stamp: string; facts: ProductFacts }>;
  /** Policy tables for a day (rules and rates take effect by date), with the stamp they were read at. */
  policy: { today: string; tables: PolicyTables } | null;
  /** Every product, indexed for the search from a need's side, as of a catalog stamp. */
  index: ProductIndex | null;
}
const caches = new WeakMap<DataSource, Cache>();

function cacheOf(em: EntityManager): Cache {
  let cache = caches.get(em.connection);
  if (!cache) caches.set(em.connection, (cache = { products: new Map(), policy: null, index: null }));
  return cache;
}

async function productsOf(em: EntityManager, cache: Cache, wanted: Map<string, string>): Promise<Map<string, ProductFacts>> {
  const missing = [...wanted].filter(([id, stamp]) => cache.products.get(id)?.stamp !== stamp).map(([id]) => id);
  if (missing.length) {
    const { raw, entities } = await em.getRepository(ProductEntity).createQueryBuilder('p')
      .addSelect(PRODUCT_STAMP_SQL, 'stamp').where('p.id = ANY(:ids::uuid[])', { ids: missing }).getRawAndEntities<{ p_id: string; stamp: string }>();
    const stamps = new Map(raw.map((r) => [r.p_id, r.stamp]));
    for (const p of entities) cache.products.set(p.id, { stamp: stamps.get(p.id)!, facts: p });
  }
  const products = new Map<string, ProductFacts>();
  for (const id of wanted.keys()) {
    const cached = cache.products.get(id);
    if (cached) products.set(id, cached.facts);
  }
  return products;
}

/** What deciding a set of pairs reads: the pairs, their needs, firms (`F`: what is read of them) and products, and one context. */
export interface DecisionInputs<F extends BorrowerFacts = BorrowerFacts> {
  pairs: { needId: string; productId: string }[];
  needs: Map<string, NeedFacts>;
  enterprises: Map<string, F>;
  products: Map<string, ProductFacts>;
  context: MatchContext;
  /**
   * Status of the pairs of these needs whose match an institution or the enterprise has acted on (not
   * PROPOSED), by `pairKey`; null when not read (a product's pass reads its slot state instead).
   */
  acted: Map<string, MatchStatus> | null;
}

export const pairKey = (needId: string, productId: string) => `${needId}|${productId}`;

/**
 * Loads the inputs for the pairs `pairsSql` yields ($1 is today; `params` follow), with the firm facts
 * `decideCandidate` reads. One statement, plus one for products not yet in memory and one when the
 * policy tables changed; prepared once per connection inside a transaction. `acted: false` leaves out
 * the statuses of the matches someone acted on (`DecisionInputs.acted`), which only a decision in full
 * reads. `also`, a select-list item over the same parameters (the needs it pairs are `cn`), is read in the
 * same statement and handed back as it came (a product's pass reads its slot state so, match.service.ts).
 */
export async function loadInputs<A = never>(
  em: EntityManager, pairsSql: string, params: unknown[], today: string, options: { acted?: boolean; also?: string } = {},
): Promise<DecisionInputs & { also: A | null }> {
  return (await readInputs(em, pairsSql, params, today, { checked: false, ...options })) as DecisionInputs & { also: A | null };
}

/** The needs the candidate search reads (candidates.ts `candidatesOfNeedsSql`): of needs $2, those looking for money whose firm's holder is verified. */
const SEARCHED_NEEDS_SQL = `
  SELECT n.id AS need_id, NULL::uuid AS product_id, NULL::text AS product_stamp FROM financing_need n
   WHERE n.id = ANY($2::uuid[]) AND ${MATCHABLE_NEED_SQL} AND NOT ${unsettledClaimSql('n.enterprise_id')}`;

/**
 * The inputs for needs decided against every product, their candidates from this process's product
 * index (product-index.ts) instead of the candidate SQL: the same pairs (test/matching/candidates.test.ts),
 * read with the firm facts the index tests. One statement, plus the index's when the catalog changed.
 */
export async function loadNeedInputs(em: EntityManager, needIds: readonly string[], today: string): Promise<DecisionInputs<EnterpriseFacts>> {
  return (await readInputs(em, SEARCHED_NEEDS_SQL, [needIds], today, { checked: true, indexed: true })) as DecisionInputs<EnterpriseFacts>;
}

/**
 * The index as of `stamp`, or newer: read again when the catalog's stamp moved. The catalog's stamp and
 * every product's row stamp are read in one statement; products not in memory at their stamp are read
 * then, and the list again if one of them changed in between, so that the index holds one state of the
 * catalog and carries its stamp.
 */
async function productIndexOf(em: EntityManager, cache: Cache, stamp: string): Promise<ProductIndex> {
  while (cache.index?.stamp !== stamp) {
    const [catalog] = await em.query<{ stamp: string; products: [string, string][] | null }[]>(
      `SELECT ${CATALOG_STAMP_SQL} AS stamp, (SELECT json_agg(json_build_array(p.id, ${PRODUCT_STAMP_SQL})) FROM product p) AS products`,
    );
    const wanted = new Map(catalog.products ?? []);
    const products = await productsOf(em, cache, wanted);
    if (![...wanted].every(([id, rowStamp]) => cache.products.get(id)?.stamp === rowStamp)) continue;
    for (const id of cache.products.keys()) if (!wanted.has(id)) cache.products.delete(id);
    cache.index = new ProductIndex(catalog.stamp, products.values());
    // The catalog may have moved since the statement that asked: that is newer, not older, than it read.
    stamp = catalog.stamp;
  }
  return cache.index;
}

/** What a statement of the inputs reads besides the pairs, needs and firms (see `inputsSql`). */
interface InputsOptions { checked: boolean; indexed?: boolean; acted?: boolean; also?: string | null }

async function readInputs(
  em: EntityManager, pairsSql: string, params: unknown[], today: string, { checked, indexed = false, acted: withActed = true, also = null }: InputsOptions,
): Promise<DecisionInputs<BorrowerFacts | EnterpriseFacts> & { also: unknown }> {
  const sql = inputsSql(pairsSql, checked, indexed, withActed, also);
  const [row] = await preparedQuery<InputsRow>(em, sql, [today, ...params]);
  const cache = cacheOf(em);
  const wanted = new Map<string, string>();
  let pairs = (row.pairs ?? []).map(([needId, productId, stamp]) => {
    wanted.set(productId, stamp);
    return { needId, productId };
  });
  let products = indexed ? new Map<string, ProductFacts>() : await productsOf(em, cache, wanted);
  if (!cache.policy || cache.policy.today !== today || cache.policy.tables.stamp !== row.policy_stamp) {
    cache.policy = { today, tables: await loadPolicyTables(em, today) };
  }
  const { tables } = cache.policy;

  const needs = new Map((row.needs ?? []).map((r): [string, NeedFacts] => [r.id, {
    id: r.id, enterpriseId: r.enterprise_id, kind: r.kind, amount: new Decimal(r.amount), termMonths: r.term_months,
    collateralOffered: r.collateral_offered, maxAnnualRate: dec(r.max_annual_rate), acceptGuarantee: r.accept_guarantee,
    equityStage: r.equity_stage, preMoneyValuation: dec(r.pre_money_valuation),
  }]));
  const borrower = (r: EnterpriseRow): BorrowerFacts => ({
    id: r.id, regionCode: r.region_code, sector: r.sector, sizeClass: r.size_class, industryChains: r.industry_chains, sectorTags: r.sector_tags, foundedOn: r.founded_on,
  });
  const enterprises = new Map((row.enterprises ?? []).map((r): [string, BorrowerFacts | EnterpriseFacts] => [r.id, !checked ? borrower(r) : {
    ...borrower(r), qualifications: r.qualifications ?? [], revenue: dec(r.revenue),
    whitelistTier: r.tier_rank ? QUALIFICATION_TIERS[r.tier_rank - 1] : null,
    credit: r.as_of == null ? null : {
      asOf: r.as_of, rating: r.rating, taxGrade: r.tax_grade, activeDishonesty: r.active_dishonesty ?? false,
      overdueCount12m: r.overdue_count_12m, hadBankLoan: r.had_bank_loan,
    },
  }]));
  if (indexed) {
    const index = await productIndexOf(em, cache, row.catalog_stamp);
    pairs = [];
    products = new Map();
    for (const need of needs.values()) {
      for (const product of index.candidates(need, enterprises.get(need.enterpriseId) as EnterpriseFacts, today)) {
        pairs.push({ needId: need.id, productId: product.id });
        products.set(product.id, product);
      }
    }
  }

  // The banks whose guarantor options the candidates can use: those of products that require a guarantee.
  const banks = [...products.values()].filter((p) => p.requiresGuarantee).map((p) => p.institutionId);
  const context: MatchContext = {
    today,
    rules: tables.rules,
    benchmarkRate: (code) => tables.benchmarks.get(code) ?? null,
    ...figuresContext(em.connection, row, tables, banks, today),
  };
  const acted = withActed ? new Map((row.acted ?? []).map(([needId, productId, status]) => [pairKey(needId, productId), status])) : null;
  return { pairs, needs, enterprises, products, context, acted, also: row.also ?? null };
}

/**
 * The inputs for given pairs, with every firm fact the checks read (explainMatch, Match.checks): pairs
 * whose need or product does not exist are left out.
 */
export async function loadPairInputs(em: EntityManager, pairs: readonly { needId: string; productId: string }[], today: string): Promise<DecisionInputs<EnterpriseFacts>> {
  return (await readInputs(
    em,
    `SELECT k.need_id, k.product_id, ${PRODUCT_STAMP_SQL} AS product_stamp
       FROM unnest($2::uuid[], $3::uuid[]) AS k(need_id, product_id) JOIN product p ON p.id = k.product_id`,
    [pairs.map((p) => p.needId), pairs.map((p) => p.productId)],
    today,
    { checked: true, acted: false },
  )) as DecisionInputs<EnterpriseFacts>;
}
