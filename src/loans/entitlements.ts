/**
 * What a disbursement records of its subsidies (issue 17 §3; docs/LEDGER.md "Claims"): the loan's
 * entitlement per rule and calendar year, not a booking. The payee claims each, an authority reviews and
 * pays it (src/reviews/), and the payment books it. A guarantor's fee subsidies entitled and not yet paid
 * or rejected count against its yearly cap (R9) in `guarantor_fee_subsidy_entitled`, moved here under the
 * guarantor's lock the disbursement holds, so the next disbursement and an approval see them.
 */
import { EntityManager } from 'typeorm';
import type { SubsidyQuoted } from '../policy/quotes';

/**
 * R9's yearly cap counts a guarantor's fee subsidies paid (booked: `guarantor_fee_subsidy_total`) and
 * entitled but not yet paid or rejected (`guarantor_fee_subsidy_entitled`): rows (guarantor_id, year,
 * total) of the guarantors `guarantorsSql` lists (a subquery of ids, or a parameter), for the years from
 * `fromYearSql`. The matcher's quotes (matching/policy-figures.ts) and a disbursement (loan.service.ts)
 * read it, so a quote never promises room an unpaid entitlement holds. (An approval reserves the cap
 * against what was paid and what other approvals committed: reviews/claim.service.ts `capRoom`.)
 */
export const feeSubsidiesCountedSql = (guarantorsSql: string, fromYearSql: string) => `
  SELECT guarantor_id, year, coalesce(t.total, 0) + coalesce(o.amount, 0) AS total
    FROM (SELECT guarantor_id, year, total FROM guarantor_fee_subsidy_total WHERE guarantor_id IN (${guarantorsSql}) AND year >= ${fromYearSql}) t
    FULL JOIN (SELECT guarantor_id, year, amount FROM guarantor_fee_subsidy_entitled WHERE guarantor_id IN (${guarantorsSql}) AND year >= ${fromYearSql}) o
      USING (guarantor_id, year)`;

export async function recordEntitlements(em: EntityManager, loanId: string, enterpriseId: string, firstYear: number, subsidies: readonly SubsidyQuoted[]): Promise<void> {
  const rows = subsidies.flatMap((s) => (s.byYear ?? [{ year: firstYear, amount: s.amount }]).map((y) => ({
    kind: s.kind, rule_id: s.rule.id, rule_code: s.rule.code, payee: s.payee, payee_id: s.payeeId, amount: y.amount.toFixed(2), year: y.year, rule_version: s.ruleVersion,
  })));
  if (!rows.length) return;
  await em.query(
    `WITH e AS (
       INSERT INTO subsidy_entitlement (loan_id, policy_rule_id, rule_code, rule_version, kind, payee_kind, payee_id, year, amount, region_code)
       SELECT $1, s.rule_id, s.rule_code, s.rule_version, s.kind, s.payee, s.payee_id, s.year, s.amount, (SELECT region_code FROM enterprise WHERE id = $2)
         FROM jsonb_to_recordset($3::jsonb) AS s(kind text, rule_id uuid, rule_code text, payee text, payee_id uuid, amount numeric, year int, rule_version text)
       RETURNING kind, payee_id, year, amount
     )
     INSERT INTO guarantor_fee_subsidy_entitled AS t (guarantor_id, year, amount)
     SELECT payee_id, year, sum(amount) FROM e WHERE kind = 'GUARANTEE_FEE_SUBSIDY' AND amount > 0 GROUP BY payee_id, year ORDER BY payee_id, year
     ON CONFLICT (guarantor_id, year) DO UPDATE SET amount = t.amount + excluded.amount`,
    [loanId, enterpriseId, JSON.stringify(rows)]);
}

/** Moves a guarantor's entitled fee subsidies of a year by `delta` (negative: paid, cut by the cap, or rejected); the caller holds the guarantor's lock. */
export async function moveEntitled(em: EntityManager, guarantorId: string, year: number, delta: string): Promise<void> {
  await em.query(
    `INSERT INTO guarantor_fee_subsidy_entitled AS t (guarantor_id, year, amount) VALUES ($1, $2, greatest($3::numeric, 0))
     ON CONFLICT (guarantor_id, year) DO UPDATE SET amount = t.amount + $3::numeric`, [guarantorId, year, delta]);
}
