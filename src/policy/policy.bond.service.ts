/**
 * R9 — COLLECTIVE_BOND (seed 004 Art. (32); DOMAIN E8) as records: an authority records an issue under
 * the COLLECTIVE_BOND rule version in force, with its members and what each counter-guaranteed; the
 * rule's calculator (`collectiveBond`, subsidies.ts) gives the mitigation fund (fundRatio × the issue) and
 * each member's support (supportRatio × its counter-guarantee, at most perEnterpriseCap), booked as the
 * member's COLLECTIVE_BOND subsidy for the year of issue. Losses are recorded against the issue; the
 * part within the fund is shared publicShare / the rest between public finance and the guarantee centre.
 */
import { EntityManager } from 'typeorm';
import { outsideRuleRegion } from '../auth/authority-region';
import { RequestContext } from '../common/context';
import { Decimal, money } from '../common/decimal';
import { duplicates } from '../common/failure';
import { uuidOf } from '../common/ids';
import { failure, Failure, ok, refused, Result } from '../common/user-error';
import { requestToday } from '../database/clock';
import { constraintOf, inTransaction, sqlState, UNIQUE_VIOLATION } from '../database/transaction';
import { normalizeCreditCode } from '../enterprises/credit-code';
import { GUARANTEE_KINDS } from '../institutions/institution.rules';
import { readParams } from './params';
import { CollectiveBondIssueEntity, CollectiveBondMemberEntity } from './policy.entity';
import { rulesInForce } from './policy.reach';
import { ruleVersion } from './quotes';
import { calculatorFor } from './registry';
import { collectiveBond } from './subsidies';

export interface CollectiveBondIssueInput {
  name: string;
  ruleCode: string;
  issueAmount: Decimal;
  issuedOn: string;
  guaranteeCentreId?: string | null;
  members: { creditCode: string; counterGuaranteed: Decimal }[];
}

/** The issue's figures by the rule version it was recorded under: the fund, the supports and the loss sharing. */
export async function bondFigures(em: Pick<EntityManager, 'query'>, issue: CollectiveBondIssueEntity, counterGuaranteed: Decimal[] = []) {
  const [rule]: { params: Record<string, string> }[] = await em.query(`SELECT params FROM policy_rule WHERE id = $1`, [issue.policyRuleId]);
  const p = readParams(calculatorFor('COLLECTIVE_BOND').params, rule.params);
  return collectiveBond({
    issueAmount: issue.issueAmount, counterGuaranteed, supportRatio: p.supportRatio as Decimal, perEnterpriseCap: p.perEnterpriseCap as Decimal,
    fundRatio: p.fundRatio as Decimal, loss: issue.loss, publicShare: p.publicShare as Decimal,
  });
}

/** createCollectiveBondIssue: the issue, its members and their supports, all or nothing. */
export async function createCollectiveBondIssue(ctx: RequestContext, input: CollectiveBondIssueInput): Promise<Result<CollectiveBondIssueEntity>> {
  const failures: Failure[] = [];
  if (!input.members.length) failures.push(failure('members', 'REQUIRED'));
  const codes = input.members.map((m) => normalizeCreditCode(m.creditCode));
  failures.push(...duplicates(['members'], codes));
  const counterGuaranteed = input.members.reduce((sum, m) => sum.plus(m.counterGuaranteed), new Decimal(0));
  if (counterGuaranteed.gt(input.issueAmount)) failures.push(failure('members', 'COUNTER_GUARANTEE_EXCEEDS_ISSUE', { total: money(counterGuaranteed).toFixed(2), issue: money(input.issueAmount).toFixed(2) }));
  const centreId = input.guaranteeCentreId == null ? null : uuidOf(input.guaranteeCentreId, 'Institution');
  if (input.guaranteeCentreId != null && !centreId) failures.push(failure('guaranteeCentreId', 'INVALID_ID'));
  if (failures.length) return refused(...failures);
  try {
    return await inTransaction(ctx, async (em) => {
      const today = await requestToday(ctx);
      const more: Failure[] = [];
      if (input.issuedOn > today) more.push(failure('issuedOn', 'DATE_IN_FUTURE', { today }));
      // The COLLECTIVE_BOND rule version in force today (a code keeps its kind across versions).
      const [inForce] = await rulesInForce(em, today, { codes: [input.ruleCode] });
      const rule = inForce?.kind === 'COLLECTIVE_BOND' ? inForce : null;
      if (!rule) more.push(failure('ruleCode', 'NOT_FOUND'));
      // A regional authority issues under its region's rules only (issue 17 §3, RV1).
      const outside = rule && outsideRuleRegion(ctx.viewer, 'ruleCode', { national: rule.national, regionPrefixes: rule.region_prefixes });
      if (outside) return refused(outside);
      if (centreId) {
        const [centre]: { kind: string }[] = await em.query(`SELECT kind FROM institution WHERE id = $1`, [centreId]);
        if (!centre || !(GUARANTEE_KINDS as readonly string[]).includes(centre.kind)) more.push(failure('guaranteeCentreId', 'NOT_FOUND'));
      }
      const firms: { id: string; credit_code: string; region_code: string }[] = await em.query(`SELECT id, credit_code, region_code FROM enterprise WHERE credit_code = ANY($1::text[])`, [codes]);
      const byCode = new Map(firms.map((f) => [f.credit_code, f]));
      codes.forEach((code, i) => {
        const firm = byCode.get(code);
        if (!firm) more.push(failure(['members', String(i), 'creditCode'], 'NOT_FOUND'));
        else if (rule && !rule.national && !rule.region_prefixes.some((p) => firm.region_code.startsWith(p))) {
          more.push(failure(['members', String(i), 'creditCode'], 'MEMBER_OUTSIDE_REGION', { region: firm.region_code, regions: rule.region_prefixes.join(', ') }));
        }
      });
      if (more.length || !rule) return refused(...more);
      const repo = em.getRepository(CollectiveBondIssueEntity);
      const draft = repo.create({
        name: input.name.trim(), policyRuleId: rule.id, ruleVersion: ruleVersion(rule), guaranteeCentreId: centreId, issueAmount: money(input.issueAmount),
        issuedOn: input.issuedOn, loss: new Decimal(0), createdBy: ctx.viewer!.sub,
      });
      const figures = await bondFigures(em, draft, input.members.map((m) => money(m.counterGuaranteed)));
      const { id } = await repo.save({ ...draft, mitigationFund: figures.mitigationFund });
      const members = input.members.map((m, i) => ({ issueId: id, enterpriseId: byCode.get(codes[i])!.id, counterGuaranteed: money(m.counterGuaranteed), support: figures.supports[i] }));
      await em.getRepository(CollectiveBondMemberEntity).insert(members);
      // Each member's support is its COLLECTIVE_BOND subsidy, booked for the year of issue.
      await em.query(
        `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year, rule_version)
         SELECT 'COLLECTIVE_BOND', $1, 'ENTERPRISE', m.enterprise_id, m.support, $2, $3 FROM jsonb_to_recordset($4::jsonb) AS m(enterprise_id uuid, support numeric) WHERE m.support > 0`,
        [rule.id, Number(input.issuedOn.slice(0, 4)), ruleVersion(rule), JSON.stringify(members.map((m) => ({ enterprise_id: m.enterpriseId, support: m.support.toFixed(2) })))]);
      return ok(await repo.findOneByOrFail({ id }));
    });
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === 'uq_collective_bond_issue_name') return refused(failure('name', 'BOND_NAME_TAKEN'));
    throw error;
  }
}

/** recordCollectiveBondLoss: a loss on the issue, added to those recorded (at most the issue in all). */
export async function recordCollectiveBondLoss(ctx: RequestContext, input: { issueId: string; loss: Decimal }): Promise<Result<CollectiveBondIssueEntity>> {
  const id = uuidOf(input.issueId, 'CollectiveBondIssue');
  if (!id) return refused(failure('issueId', 'INVALID_ID'));
  return inTransaction(ctx, async (em) => {
    const repo = em.getRepository(CollectiveBondIssueEntity);
    const issue = await repo.createQueryBuilder('b').setLock('pessimistic_write').where('b.id = :id', { id }).getOne();
    if (!issue) return refused(failure('issueId', 'NOT_FOUND'));
    const [rule]: { national: boolean; region_prefixes: string[] }[] = await em.query(`SELECT national, region_prefixes FROM policy_rule WHERE id = $1`, [issue.policyRuleId]);
    const outside = outsideRuleRegion(ctx.viewer, 'issueId', { national: rule.national, regionPrefixes: rule.region_prefixes });
    if (outside) return refused(outside);
    const loss = money(issue.loss.plus(input.loss));
    if (loss.gt(issue.issueAmount)) return refused(failure('loss', 'LOSS_EXCEEDS_ISSUE', { recorded: issue.loss.toFixed(2), issue: issue.issueAmount.toFixed(2) }));
    await repo.update({ id }, { loss });
    return ok(await repo.findOneByOrFail({ id }));
  });
}
