/**
 * Each subsidy rule's yearly budget (issue 17 §3): set by an authority whose region the rule lies in (a
 * national rule: a national authority), per rule code (every version) and calendar year. Approvals commit
 * against it and payments turn commitments into payments; `remaining` = budget − committed − paid. An
 * approval beyond what remains is refused (claim.service.ts, under the row's lock).
 */
import { EntityManager } from 'typeorm';
import { authorityRegion, coversRule } from '../auth/authority-region';
import { RequestContext } from '../common/context';
import { Decimal, money } from '../common/decimal';
import { failure, ok, refused, Result } from '../common/user-error';
import { inTransaction } from '../database/transaction';
import { PolicyBudgetEntity } from './review.entity';

export interface BudgetInput {
  ruleCode: string;
  year: number;
  amount: Decimal;
}

/** Locks a rule's budget row for a year; null when none was set. */
export async function lockBudget(em: EntityManager, ruleCode: string, year: number): Promise<PolicyBudgetEntity | null> {
  return em.getRepository(PolicyBudgetEntity).createQueryBuilder('b').setLock('pessimistic_write')
    .where('b.rule_code = :ruleCode AND b.year = :year', { ruleCode, year }).getOne();
}

interface RuleRegion { kind: string; national: boolean; region_prefixes: string[] }

/** The newest version of a rule code, with its regions. */
async function ruleRegion(em: EntityManager, code: string): Promise<RuleRegion | null> {
  const [rule]: RuleRegion[] = await em.query(`SELECT kind, national, region_prefixes FROM policy_rule WHERE code = $1 AND latest`, [code]);
  return rule ?? null;
}

/** setPolicyBudget: sets (or changes) a subsidy rule's budget for a year; never below what was committed and paid. */
export async function setPolicyBudget(ctx: RequestContext, input: BudgetInput): Promise<Result<PolicyBudgetEntity>> {
  return inTransaction(ctx, async (em) => {
    const rule = await ruleRegion(em, input.ruleCode);
    if (!rule) return refused(failure('ruleCode', 'NOT_FOUND'));
    if (rule.kind === 'RISK_COMPENSATION') return refused(failure('ruleCode', 'NOT_A_SUBSIDY_RULE', { code: input.ruleCode }));
    const region = authorityRegion(ctx.viewer);
    if (!coversRule(region, { national: rule.national, regionPrefixes: rule.region_prefixes })) {
      return refused(failure('ruleCode', 'OUTSIDE_AUTHORITY_REGION', { region: region! }));
    }
    const amount = money(input.amount);
    const current = await lockBudget(em, input.ruleCode, input.year);
    if (current) {
      const committed = current.committed.plus(current.paid);
      if (amount.lt(committed)) return refused(failure('amount', 'BUDGET_BELOW_COMMITTED', { committed: committed.toFixed(2) }));
      await em.query(`UPDATE policy_budget SET amount = $3, set_by = $4, updated_at = now() WHERE rule_code = $1 AND year = $2`,
        [input.ruleCode, input.year, amount.toFixed(2), ctx.viewer!.sub]);
    } else {
      // Two first settings at once: the primary key keeps one row, the other waits and updates it.
      await em.query(
        `INSERT INTO policy_budget AS b (rule_code, year, amount, set_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (rule_code, year) DO UPDATE SET amount = excluded.amount, set_by = excluded.set_by, updated_at = now()
         WHERE excluded.amount >= b.committed + b.paid`,
        [input.ruleCode, input.year, amount.toFixed(2), ctx.viewer!.sub]);
    }
    return ok(await em.getRepository(PolicyBudgetEntity).findOneByOrFail({ ruleCode: input.ruleCode, year: input.year }));
  });
}

/**
 * policyBudgets: the budgets of a year (and a rule code, if given), by rule code. A regional authority
 * sees those of the rules in its region and asking for a rule outside it is an error (the resolver says so).
 */
export async function listBudgets(ctx: RequestContext, year: number, ruleCode: string | null): Promise<Result<PolicyBudgetEntity[]>> {
  const region = authorityRegion(ctx.viewer);
  if (ruleCode && region !== null) {
    const rule = await ruleRegion(ctx.db.manager, ruleCode);
    if (rule && !coversRule(region, { national: rule.national, regionPrefixes: rule.region_prefixes })) {
      return refused(failure('ruleCode', 'OUTSIDE_AUTHORITY_REGION', { region }));
    }
  }
  const rows: { rule_code: string }[] = await ctx.db.query(
    `SELECT b.rule_code FROM policy_budget b JOIN policy_rule r ON r.code = b.rule_code AND r.latest
      WHERE b.year = $1 AND ($2::text IS NULL OR b.rule_code = $2)
        AND ($3::text IS NULL OR (NOT r.national AND cardinality(r.region_prefixes) > 0 AND NOT EXISTS (SELECT 1 FROM unnest(r.region_prefixes) p WHERE p NOT LIKE $3 || '%')))
      ORDER BY b.rule_code`, [year, ruleCode, region]);
  if (!rows.length) return ok([]);
  return ok(await ctx.db.getRepository(PolicyBudgetEntity).createQueryBuilder('b')
    .where('b.year = :year AND b.rule_code = ANY(:codes::text[])', { year, codes: rows.map((r) => r.rule_code) }).orderBy('b.rule_code').getMany());
}
