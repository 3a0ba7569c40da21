/**
 * Each subsidy rule's yearly budget (issue 17 §3): set by an authority whose region the rule lies in (a
 * national rule: a national authority), per rule code (every version) and calendar year. Approvals commit
 * against it and payments turn commitments into payments; `remaining` = budget − committed − paid. An
 * approval beyond what remains is refused (claim.service.ts, under the row's lock).
 */
import { EntityManager } from 'typeorm';
import { authorityRegion, outsideRuleRegion, ruleCoveredSql } from '../auth/authority-region';
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

interface RuleRegion { kind: string; national: boolean; regionPrefixes: string[] }

/** The newest version of a rule code, with its regions. */
async function ruleRegion(em: EntityManager, code: string): Promise<RuleRegion | null> {
  const [rule]: RuleRegion[] = await em.query(`SELECT kind, national, region_prefixes AS "regionPrefixes" FROM policy_rule WHERE code = $1 AND latest`, [code]);
  return rule ?? null;
}

/** setPolicyBudget: sets (or changes) a subsidy rule's budget for a year; never below what was committed and paid. */
export async function setPolicyBudget(ctx: RequestContext, input: BudgetInput): Promise<Result<PolicyBudgetEntity>> {
  return inTransaction(ctx, async (em) => {
    const rule = await ruleRegion(em, input.ruleCode);
    if (!rule) return refused(failure('ruleCode', 'NOT_FOUND'));
    if (rule.kind === 'RISK_COMPENSATION') return refused(failure('ruleCode', 'NOT_A_SUBSIDY_RULE', { code: input.ruleCode }));
    const outside = outsideRuleRegion(ctx.viewer, 'ruleCode', rule);
    if (outside) return refused(outside);
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
    const outside = rule && outsideRuleRegion(ctx.viewer, 'ruleCode', rule);
    if (outside) return refused(outside);
  }
  const qb = ctx.db.getRepository(PolicyBudgetEntity).createQueryBuilder('b').innerJoin('policy_rule', 'r', 'r.code = b.rule_code AND r.latest')
    .where('b.year = :year', { year }).andWhere(ruleCoveredSql('r', ':region'), { region });
  if (ruleCode) qb.andWhere('b.rule_code = :ruleCode', { ruleCode });
  return ok(await qb.orderBy('b.rule_code').getMany());
}
