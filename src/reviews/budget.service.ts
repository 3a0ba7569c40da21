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
import { Failure, failure, ok, refused, Result } from '../common/user-error';
import { inTransaction } from '../database/transaction';
import { PolicyBudgetEntity } from './review.entity';

export interface BudgetInput {
  ruleCode: string;
  year: number;
  amount: Decimal;
}

/** Locks a rule's budget row for a year; null when none was set. */
async function lockBudget(em: EntityManager, ruleCode: string, year: number): Promise<PolicyBudgetEntity | null> {
  return em.getRepository(PolicyBudgetEntity).createQueryBuilder('b').setLock('pessimistic_write')
    .where('b.rule_code = :ruleCode AND b.year = :year', { ruleCode, year }).getOne();
}

/** What approvals committed and payments paid of a budget. */
const spent = (b: PolicyBudgetEntity): Decimal => b.committed.plus(b.paid);

/** What a budget leaves: budget − committed − paid. */
export const remainingOf = (b: PolicyBudgetEntity): Decimal => b.amount.minus(spent(b));

/**
 * An approval commits `amount` against a rule's budget for a year, under the row's lock (after the
 * guarantor's, docs/LEDGER.md): BUDGET_NOT_SET without a budget, BUDGET_EXCEEDED beyond what it leaves,
 * and then nothing is written.
 */
export async function commitBudget(em: EntityManager, ruleCode: string, year: number, amount: Decimal): Promise<Failure | null> {
  const budget = await lockBudget(em, ruleCode, year);
  if (!budget) return failure('claimId', 'BUDGET_NOT_SET', { ruleCode, year });
  const remaining = remainingOf(budget);
  if (amount.gt(remaining)) return failure('claimId', 'BUDGET_EXCEEDED', { ruleCode, year, amount: amount.toFixed(2), remaining: remaining.toFixed(2) });
  await em.query(`UPDATE policy_budget SET committed = committed + $3, updated_at = now() WHERE rule_code = $1 AND year = $2`, [ruleCode, year, amount.toFixed(2)]);
  return null;
}

/** A payment turns `amount` of what an approval committed into paid (the UPDATE takes the row's lock). */
export async function payFromBudget(em: EntityManager, ruleCode: string, year: number, amount: Decimal): Promise<void> {
  await em.query(`UPDATE policy_budget SET committed = committed - $3, paid = paid + $3, updated_at = now() WHERE rule_code = $1 AND year = $2`, [ruleCode, year, amount.toFixed(2)]);
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
      const committed = spent(current);
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
