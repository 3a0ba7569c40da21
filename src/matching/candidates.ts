/**
 * R13, first stage (STYLE.md habit 3): narrow the pairs in SQL to those that pass every check a column
 * can answer — all of them but GUARANTEE's capacity, which needs the guarantors' R6 figures — using
 * ix_product_need_kind_amount from the need's side and ix_financing_need_matchable from the product's.
 * The engine then decides GUARANTEE, the terms and the score of what remains (engine.ts
 * `decideCandidate`); `explainMatch` still runs every check in the engine. test/matching/candidates.test.ts
 * holds this SQL to the engine's answers, check by check, over random needs, firms and products.
 * Before any check, a need is a candidate only when its firm's holder is verified (issue 11 §6: no claim on
 * the firm is PENDING or CONTESTED); a claim that becomes verified queues its firm's refresh.
 */
import { CREDIT_RATINGS, TAX_GRADES } from '../credit/grades';
import { unsettledClaimSql } from '../enterprises/claim.rules';
import { activeNeedSql } from '../needs/need.lifecycle';
import { memberOnSql } from '../whitelists/membership';
import { QUALIFICATION_TIERS } from '../whitelists/tier';

/** Needs still looking for money (R11, need.lifecycle.ts), over alias `n` with today as $1. */
export const MATCHABLE_NEED_SQL = activeNeedSql('n', '$1');

/** A product column's grade as the rank the profile and whitelist columns store (1 = lowest). */
const rankSql = (column: string, lowestFirst: readonly string[]) => `CASE ${column} ${lowestFirst.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} END`;
const MIN_RATING_RANK = rankSql('p.min_rating', [...CREDIT_RATINGS].reverse());
const MIN_TAX_RANK = rankSql('p.min_tax_grade', [...TAX_GRADES].reverse());
const MIN_TIER_RANK = rankSql('p.whitelist_tier_at_least', QUALIFICATION_TIERS);

/**
 * The conditions a (need, product) pair must meet, over a need alias `n` (with enterprise_id), its
 * firm's columns under `e` and its credit profile's under `cp` (null: no profile; a firm without one
 * fails every credit criterion, R5); $1 is today.
 */
function criteria(n: string, e: string, cp: string, p = 'p'): string {
  return `${p}.need_kind = ${n}.kind AND ${p}.enabled
       AND (${p}.active_from IS NULL OR ${p}.active_from <= $1::date) AND (${p}.active_to IS NULL OR ${p}.active_to >= $1::date)
       AND ${p}.min_amount <= ${n}.amount AND ${p}.max_amount >= ${n}.amount
       AND (${n}.term_months IS NULL OR ((${p}.min_term_months IS NULL OR ${p}.min_term_months <= ${n}.term_months)
                                   AND (${p}.max_term_months IS NULL OR ${p}.max_term_months >= ${n}.term_months)))
       AND (cardinality(${p}.region_prefixes) = 0 OR ${p}.region_prefixes && ARRAY[left(${e}.region_code, 2), left(${e}.region_code, 4), ${e}.region_code::text])
       AND (cardinality(${p}.sectors) = 0 OR ${e}.sector = ANY(${p}.sectors))
       AND (cardinality(${p}.industry_chains) = 0 OR ${p}.industry_chains && ${e}.industry_chains)
       AND (cardinality(${p}.size_classes) = 0 OR ${e}.size_class = ANY(${p}.size_classes))
       AND (${p}.min_years_in_business IS NULL OR ${e}.founded_on <= $1::date - make_interval(years => ${p}.min_years_in_business))
       AND (${p}.min_rating IS NULL OR ${cp}.rating_rank >= ${MIN_RATING_RANK})
       AND (${p}.min_tax_grade IS NULL OR ${cp}.tax_rank >= ${MIN_TAX_RANK})
       AND (NOT ${p}.no_active_dishonesty OR NOT ${cp}.active_dishonesty)
       AND (${p}.max_overdue_count_12m IS NULL OR ${cp}.overdue_count_12m <= ${p}.max_overdue_count_12m)
       AND (${p}.max_credit_data_age_days IS NULL OR ${cp}.as_of >= $1::date - ${p}.max_credit_data_age_days)
       AND (NOT ${p}.first_loan_only OR NOT ${cp}.had_bank_loan)
       AND (${n}.kind <> 'LOAN' OR (
             (cardinality(${p}.collateral_accepted) = 0 OR 'NONE' = ANY(${p}.collateral_accepted) OR ${p}.collateral_accepted && ${n}.collateral_offered)
         AND (${n}.max_annual_rate IS NULL OR ${p}.min_annual_rate IS NULL OR ${p}.min_annual_rate <= ${n}.max_annual_rate)
         AND (NOT ${p}.requires_guarantee OR ${n}.accept_guarantee)))
       AND (${n}.kind <> 'EQUITY' OR (
             (cardinality(${p}.equity_stages) = 0 OR ${n}.equity_stage = ANY(${p}.equity_stages))
         AND (${p}.min_ticket IS NULL OR ${n}.amount >= ${p}.min_ticket) AND (${p}.max_ticket IS NULL OR ${n}.amount <= ${p}.max_ticket)
         AND (${p}.max_pre_money_valuation IS NULL OR ${n}.pre_money_valuation <= ${p}.max_pre_money_valuation)))
       AND (${p}.whitelist_tier_at_least IS NULL OR EXISTS (
             SELECT 1 FROM whitelist_entry w WHERE w.enterprise_id = ${n}.enterprise_id AND ${memberOnSql('w', '$1')} AND w.tier_rank >= ${MIN_TIER_RANK}))
       AND (cardinality(${p}.qualifications) = 0 OR ${p}.qualifications <@ ARRAY(
             SELECT q.code FROM enterprise_qualification q
              WHERE q.enterprise_id = ${n}.enterprise_id AND q.source = 'AUTHORITY' AND (q.valid_from IS NULL OR q.valid_from <= $1::date) AND (q.valid_to IS NULL OR q.valid_to >= $1::date)))`;
}

/**
 * A product row version's stamp: the transaction that wrote it and where it lies. A rolled-back write
 * never reuses a transaction id, unlike a version number; a second write in one transaction makes a new
 * row version elsewhere. The matching cache re-reads a product whose stamp changed.
 */
export const PRODUCT_STAMP_SQL = `(p.xmin::text || p.ctid::text)`;

/**
 * Candidate pairs of some needs (`needs`: a condition on financing_need `n`, with $2…), with the product
 * row's stamp. The needs and their firms' facts are read once, before any product is joined.
 */
export function candidatesOfNeedsSql(needs: string, products = 'true'): string {
  return `
    WITH f AS MATERIALIZED (
      SELECT n.id, n.enterprise_id, n.kind, n.amount, n.term_months, n.collateral_offered, n.max_annual_rate, n.accept_guarantee, n.equity_stage,
             n.pre_money_valuation, e.region_code, e.sector, e.size_class, e.industry_chains, e.founded_on,
             cp.rating_rank, cp.tax_rank, cp.active_dishonesty, cp.overdue_count_12m, cp.as_of, cp.had_bank_loan
        FROM financing_need n
        JOIN enterprise e ON e.id = n.enterprise_id
        LEFT JOIN credit_profile cp ON cp.enterprise_id = e.id
       WHERE ${MATCHABLE_NEED_SQL} AND NOT ${unsettledClaimSql('n.enterprise_id')} AND ${needs}
    )
    SELECT f.id AS need_id, p.id AS product_id, ${PRODUCT_STAMP_SQL} AS product_stamp
      FROM f JOIN product p ON ${criteria('f', 'f', 'f')}
     WHERE ${products}`;
}

/** Candidate needs of one product ($2), found through ix_financing_need_matchable. */
export function candidatesOfProductSql(): string {
  return `
    SELECT n.id AS need_id, p.id AS product_id, ${PRODUCT_STAMP_SQL} AS product_stamp
      FROM product p
      JOIN financing_need n ON n.kind = p.need_kind AND n.amount BETWEEN p.min_amount AND p.max_amount
      JOIN enterprise e ON e.id = n.enterprise_id
      LEFT JOIN credit_profile cp ON cp.enterprise_id = e.id
     WHERE p.id = $2::uuid AND ${MATCHABLE_NEED_SQL} AND NOT ${unsettledClaimSql('n.enterprise_id')} AND ${criteria('n', 'e', 'cp')}`;
}
