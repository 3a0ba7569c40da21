/**
 * R13, first stage (STYLE.md habit 3): narrow the pairs in SQL to those that pass the checks a column
 * can answer — need kind, product switched on and in its window, amount, term, region, sector, size
 * class, industry chain — using ix_product_need_kind_amount from the need's side and
 * ix_financing_need_matchable from the product's. The engine then runs every check on what remains.
 * test/matching/candidates.test.ts holds this SQL to the engine's answers for those checks.
 */
import { ACTIVE_NEED_STATUSES } from '../needs/need.rules';

/** Needs still looking for money (R11's active statuses, not past needed-by), over alias `n` with today as $1. */
export const MATCHABLE_NEED_SQL = `n.status IN (${ACTIVE_NEED_STATUSES.map((s) => `'${s}'`).join(', ')}) AND (n.needed_by IS NULL OR n.needed_by >= $1::date)`;

/** Pairs a (need, product) join yields; `scope` is a condition on n (need) or p (product) using $2. */
export function candidatePairsSql(scope: string): string {
  return `
    SELECT n.id AS need_id, p.id AS product_id
      FROM financing_need n
      JOIN enterprise e ON e.id = n.enterprise_id
      JOIN product p
        ON p.need_kind = n.kind AND p.enabled
       AND p.min_amount <= n.amount AND p.max_amount >= n.amount
       AND (p.active_from IS NULL OR p.active_from <= $1::date) AND (p.active_to IS NULL OR p.active_to >= $1::date)
       AND (n.term_months IS NULL OR ((p.min_term_months IS NULL OR p.min_term_months <= n.term_months)
                                   AND (p.max_term_months IS NULL OR p.max_term_months >= n.term_months)))
       AND (cardinality(p.region_prefixes) = 0 OR p.region_prefixes && ARRAY[left(e.region_code, 2), left(e.region_code, 4), e.region_code::text])
       AND (cardinality(p.sectors) = 0 OR e.sector = ANY(p.sectors))
       AND (cardinality(p.size_classes) = 0 OR e.size_class = ANY(p.size_classes))
       AND (cardinality(p.industry_chains) = 0 OR p.industry_chains && e.industry_chains)
     WHERE ${MATCHABLE_NEED_SQL} AND ${scope}`;
}
