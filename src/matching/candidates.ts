/**
 * R13, first stage (STYLE.md habit 3): narrow the pairs in SQL to those that pass every check a column
 * can answer — each criterion's predicate (matching/criteria/); all of them but GUARANTEE's capacity,
 * which needs the guarantors' R6 figures — using
 * ix_product_need_kind_amount from the need's side and ix_financing_need_matchable from the product's.
 * The engine then decides GUARANTEE, the terms and the score of what remains (engine.ts
 * `decideCandidate`); `explainMatch` still runs every check in the engine. test/matching/candidates.test.ts
 * holds this SQL to the engine's answers, check by check, over random needs, firms and products.
 * Before any check, a need is a candidate only when its firm's holder is verified (issue 11 §6: no claim on
 * the firm is PENDING or CONTESTED); a claim that becomes verified queues its firm's refresh.
 */
import { unsettledClaimSql } from '../enterprises/claim.rules';
import { activeNeedSql } from '../needs/need.lifecycle';
import { columnsRead, criteriaSql } from './criteria';

/** Needs still looking for money (R11, need.lifecycle.ts), over alias `n` with today as $1. */
export const MATCHABLE_NEED_SQL = activeNeedSql('n', '$1');

/**
 * The conditions a (need, product) pair must meet — every registered criterion's SQL predicate
 * (matching/criteria/) AND-ed — over a need alias `n` (with enterprise_id), its firm's columns under `e`
 * and its credit profile's under `cp` (null: no profile; a firm without one fails every credit
 * criterion, R5); $1 is today.
 */
function criteria(n: string, e: string, cp: string, p = 'p'): string {
  return criteriaSql({ need: n, enterprise: e, credit: cp, product: p });
}

/** What the search from a need's side loads of each need, its firm and its profile: the columns the criteria read. */
const FACT_COLUMNS = [
  'n.id', 'n.enterprise_id',
  ...columnsRead('need').map((c) => `n.${c}`), ...columnsRead('enterprise').map((c) => `e.${c}`), ...columnsRead('credit').map((c) => `cp.${c}`),
].filter((c, i, all) => all.indexOf(c) === i).join(', ');

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
      SELECT ${FACT_COLUMNS}
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
