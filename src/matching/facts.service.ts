/**
 * Loads what the engine reads (engine/facts.ts) in a fixed number of statements, whatever the number of
 * needs: the needs, their firms' facts (profile, qualifications valid today, whitelist tier today,
 * current credit profile), the products, and one policy snapshot (rules in force, benchmark rates, pool
 * figures, guarantors by bank, fee subsidies booked this year, live guarantees per borrower).
 */
import { EntityManager } from 'typeorm';
import { Decimal } from '../common/decimal';
import type { CreditRating, TaxGrade } from '../credit/grades';
import type { Sector, SizeClass } from '../enterprises/size-class';
import type { ProductKind } from '../institutions/institution.rules';
import { ProductEntity } from '../institutions/product.entity';
import type { CollateralType, EquityStage, NeedKind } from '../needs/need.rules';
import { poolAvailable } from '../policy/pool';
import { readParams } from '../policy/params';
import { calculatorFor } from '../policy/registry';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { memberOnSql } from '../whitelists/membership';
import { QUALIFICATION_TIERS } from '../whitelists/tier';
import type { EnterpriseFacts, GuarantorOption, MatchContext, NeedFacts, PolicyRuleFacts, ProductFacts } from './engine/facts';

const dec = (v: string | null | undefined) => (v === null || v === undefined ? null : new Decimal(v));

interface NeedRow {
  id: string; enterprise_id: string; kind: NeedKind; amount: string; term_months: number | null; collateral_offered: CollateralType[];
  max_annual_rate: string | null; accept_guarantee: boolean; equity_stage: EquityStage | null; pre_money_valuation: string | null;
}

async function loadNeeds(em: EntityManager, needIds: readonly string[]): Promise<Map<string, NeedFacts>> {
  const rows: NeedRow[] = await em.query(
    `SELECT id, enterprise_id, kind, amount, term_months, collateral_offered, max_annual_rate, accept_guarantee, equity_stage, pre_money_valuation
       FROM financing_need WHERE id = ANY($1::uuid[])`,
    [needIds],
  );
  return new Map(rows.map((r) => [r.id, {
    id: r.id, enterpriseId: r.enterprise_id, kind: r.kind, amount: new Decimal(r.amount), termMonths: r.term_months,
    collateralOffered: r.collateral_offered, maxAnnualRate: dec(r.max_annual_rate), acceptGuarantee: r.accept_guarantee,
    equityStage: r.equity_stage, preMoneyValuation: dec(r.pre_money_valuation),
  }]));
}

interface EnterpriseRow {
  id: string; region_code: string; sector: Sector; size_class: SizeClass; industry_chains: string[]; sector_tags: string[]; founded_on: string | null;
  qualifications: string[] | null; tier_rank: number | null;
  as_of: string | null; rating: CreditRating | null; tax_grade: TaxGrade | null; active_dishonesty: boolean | null; overdue_count_12m: number | null; had_bank_loan: boolean | null;
}

async function loadEnterprises(em: EntityManager, enterpriseIds: readonly string[], today: string): Promise<Map<string, EnterpriseFacts>> {
  const rows: EnterpriseRow[] = await em.query(
    `SELECT e.id, e.region_code, e.sector, e.size_class, e.industry_chains, e.sector_tags, to_char(e.founded_on, 'YYYY-MM-DD') AS founded_on,
            (SELECT array_agg(DISTINCT q.code) FROM enterprise_qualification q
              WHERE q.enterprise_id = e.id AND (q.valid_from IS NULL OR q.valid_from <= $2::date) AND (q.valid_to IS NULL OR q.valid_to >= $2::date)) AS qualifications,
            (SELECT max(w.tier_rank) FROM whitelist_entry w WHERE w.enterprise_id = e.id AND ${memberOnSql('w', '$2')}) AS tier_rank,
            to_char(cp.as_of, 'YYYY-MM-DD') AS as_of, cp.rating, cp.tax_grade, cp.active_dishonesty, cp.overdue_count_12m, cp.had_bank_loan
       FROM enterprise e LEFT JOIN credit_profile cp ON cp.enterprise_id = e.id
      WHERE e.id = ANY($1::uuid[])`,
    [enterpriseIds, today],
  );
  return new Map(rows.map((r) => [r.id, {
    id: r.id, regionCode: r.region_code, sector: r.sector, sizeClass: r.size_class, industryChains: r.industry_chains, sectorTags: r.sector_tags,
    foundedOn: r.founded_on, qualifications: r.qualifications ?? [],
    whitelistTier: r.tier_rank ? QUALIFICATION_TIERS[r.tier_rank - 1] : null,
    credit: r.as_of === null ? null : {
      asOf: r.as_of, rating: r.rating, taxGrade: r.tax_grade, activeDishonesty: r.active_dishonesty ?? false,
      overdueCount12m: r.overdue_count_12m, hadBankLoan: r.had_bank_loan,
    },
  }]));
}

async function loadProducts(em: EntityManager, productIds: readonly string[]): Promise<Map<string, ProductFacts>> {
  if (!productIds.length) return new Map();
  const rows = await em.getRepository(ProductEntity).createQueryBuilder('p').where('p.id = ANY(:ids::uuid[])', { ids: productIds }).getMany();
  return new Map(rows.map((p) => [p.id, p]));
}

interface SnapshotRow {
  rules: { id: string; code: string; version: number; kind: PolicyRuleKind; pool_id: string | null; params: Record<string, string>; product_kinds: ProductKind[];
    sector_tags: string[]; size_classes: SizeClass[]; region_prefixes: string[]; industry_chains: string[] }[] | null;
  benchmarks: { code: string; rate: string }[] | null;
  pools: { id: string; capacity: string; reserved: string; paid: string }[] | null;
  fee_subsidies: { payee_id: string; total: string }[] | null;
  guarantors: { bank_id: string; guarantor_id: string; name: string; fee_rate: string; coverage_ratio: string; net_assets: string; liability: string;
    cap_multiple: string; target_multiple: string | null }[] | null;
}

/**
 * The policy snapshot every decision of one run shares: one statement. Rules in force are, per code,
 * the highest version whose effective date has come (a future version waits; the one before it holds).
 */
async function loadSnapshot(em: EntityManager, today: string): Promise<Omit<MatchContext, 'borrowerBalance'>> {
  const [row]: SnapshotRow[] = await em.query(
    `SELECT
       (SELECT json_agg(r) FROM (SELECT DISTINCT ON (code) id, code, version, kind, pool_id, params, product_kinds, sector_tags, size_classes, region_prefixes, industry_chains
                                   FROM policy_rule WHERE effective_from IS NULL OR effective_from <= $1::date ORDER BY code, version DESC) r) AS rules,
       (SELECT json_agg(b) FROM (SELECT DISTINCT ON (code) code, rate::text AS rate FROM benchmark_rate WHERE effective_from <= $1::date
                                   ORDER BY code, effective_from DESC) b) AS benchmarks,
       (SELECT json_agg(json_build_object('id', id, 'capacity', capacity::text, 'reserved', reserved::text, 'paid', paid::text)) FROM risk_compensation_pool) AS pools,
       (SELECT json_agg(f) FROM (SELECT payee_id, sum(amount)::text AS total FROM subsidy_booking
                                  WHERE kind = 'GUARANTEE_FEE_SUBSIDY' AND year = extract(year FROM $1::date) GROUP BY payee_id) f) AS fee_subsidies,
       (SELECT json_agg(g) FROM (SELECT a.bank_id, a.guarantor_id, i.name, coalesce(a.fee_rate, gp.fee_rate)::text AS fee_rate, r.coverage_ratio::text AS coverage_ratio,
                                        gp.net_assets::text AS net_assets, gp.liability::text AS liability, gp.cap_multiple::text AS cap_multiple,
                                        gp.target_multiple::text AS target_multiple
                                   FROM cooperation_agreement a
                                   JOIN guarantor_profile gp ON gp.institution_id = a.guarantor_id
                                   JOIN institution i ON i.id = a.guarantor_id
                                   JOIN risk_sharing_rule r ON r.id = a.risk_sharing_rule_id) g) AS guarantors`,
    [today],
  );
  const rules: PolicyRuleFacts[] = (row.rules ?? []).map((r) => ({
    id: r.id, code: r.code, version: r.version, kind: r.kind, poolId: r.pool_id, params: readParams(calculatorFor(r.kind).params, r.params),
    productKinds: r.product_kinds, sectorTags: r.sector_tags, sizeClasses: r.size_classes, regionPrefixes: r.region_prefixes, industryChains: r.industry_chains,
  }));
  const benchmarks = new Map((row.benchmarks ?? []).map((b) => [b.code, new Decimal(b.rate)]));
  const pools = new Map((row.pools ?? []).map((p) => [p.id, poolAvailable(new Decimal(p.capacity), new Decimal(p.paid), new Decimal(p.reserved))]));
  const fees = new Map((row.fee_subsidies ?? []).map((f) => [f.payee_id, new Decimal(f.total)]));
  const guarantorsByBank = new Map<string, GuarantorOption[]>();
  for (const g of row.guarantors ?? []) {
    const option: GuarantorOption = {
      guarantorId: g.guarantor_id, guarantorName: g.name, bankId: g.bank_id, feeRate: new Decimal(g.fee_rate), coverageRatio: new Decimal(g.coverage_ratio),
      figures: { netAssets: new Decimal(g.net_assets), liability: new Decimal(g.liability), capMultiple: new Decimal(g.cap_multiple), targetMultiple: dec(g.target_multiple) },
    };
    guarantorsByBank.set(g.bank_id, [...(guarantorsByBank.get(g.bank_id) ?? []), option]);
  }
  const zero = new Decimal(0);
  return {
    today,
    rules,
    guarantorsByBank,
    benchmarkRate: (code) => benchmarks.get(code) ?? null,
    feeSubsidyBookedThisYear: (guarantorId) => fees.get(guarantorId) ?? zero,
    poolAvailable: (poolId) => pools.get(poolId) ?? zero,
  };
}

/** Live guaranteed balances of the given borrowers, per guarantor (R6). */
async function loadBorrowerBalances(em: EntityManager, enterpriseIds: readonly string[]): Promise<(guarantorId: string, enterpriseId: string) => Decimal> {
  const rows: { guarantor_id: string; enterprise_id: string; balance: string }[] = await em.query(
    `SELECT guarantor_id, enterprise_id, sum(outstanding)::text AS balance FROM guarantee
      WHERE status = 'LIVE' AND enterprise_id = ANY($1::uuid[]) GROUP BY guarantor_id, enterprise_id`,
    [enterpriseIds],
  );
  const balances = new Map(rows.map((r) => [`${r.guarantor_id}:${r.enterprise_id}`, new Decimal(r.balance)]));
  const zero = new Decimal(0);
  return (guarantorId, enterpriseId) => balances.get(`${guarantorId}:${enterpriseId}`) ?? zero;
}

/** What deciding a set of (need, product) pairs reads: their needs, firms and products, and one context. */
export interface DecisionInputs {
  needs: Map<string, NeedFacts>;
  enterprises: Map<string, EnterpriseFacts>;
  products: Map<string, ProductFacts>;
  context: MatchContext;
}

/** Loads everything `decide` needs for `pairs` in six statements, however many pairs there are. */
export async function loadDecisionInputs(em: EntityManager, pairs: readonly { needId: string; productId: string }[], today: string): Promise<DecisionInputs> {
  const needs = await loadNeeds(em, [...new Set(pairs.map((p) => p.needId))]);
  const enterpriseIds = [...new Set([...needs.values()].map((n) => n.enterpriseId))];
  const enterprises = await loadEnterprises(em, enterpriseIds, today);
  const products = await loadProducts(em, [...new Set(pairs.map((p) => p.productId))]);
  const snapshot = await loadSnapshot(em, today);
  const borrowerBalance = await loadBorrowerBalances(em, enterpriseIds);
  return { needs, enterprises, products, context: { ...snapshot, borrowerBalance } };
}
