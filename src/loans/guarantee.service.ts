/**
 * Issue 17 §1 — guarantors have a say: a guarantee routed to a guarantor needs its acceptance before
 * the loan is disbursed (guarantee.rules.ts). Routed when the lender approves the match; answered with
 * respondToGuarantee; a refusal routes the match to the next guarantor with room, re-pricing its terms
 * (the guarantee, the fee, the subsidies and the reserve follow the guarantor) with the engine's own
 * choice among the lender's other guarantors (R6, R7, R13).
 *
 * Locks: the need, then the match (as every match writer), then the guarantee row — the order a
 * disbursement takes them in, so an answer and a disbursement of the same match run one after the other.
 */
import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context';
import { uuidOf } from '../common/ids';
import { failure, Failure, ok, refused, Result } from '../common/user-error';
import { databaseToday } from '../database/clock';
import { keysetPage } from '../database/pages';
import { inTransaction } from '../database/transaction';
import { decide } from '../matching/engine/engine';
import { loadPairInputs } from '../matching/facts.service';
import { lockMatch, Locked } from '../matching/lifecycle.service';
import { MatchEntity } from '../matching/match.entity';
import { columnsOf } from '../matching/match.service';
import { GuaranteeRequestEntity } from './guarantee.entity';
import { disbursementBlock, GUARANTEE_ACTIONS, GuaranteeAction, GuaranteeStatus, respond } from './guarantee.rules';

/** Who answered an AUTOMATIC guarantee: the agreement (见贷即保), not a person. */
const BY_AGREEMENT = 'agreement';

/**
 * Routes a match's guarantee to its guarantor (the match is locked and just approved, or rerouted):
 * ACCEPTED at once under an AUTOMATIC agreement, PENDING under REVIEW. Once per match and guarantor.
 */
export async function routeGuarantee(em: EntityManager, match: MatchEntity, enterpriseId: string): Promise<void> {
  if (!match.guarantorId) return;
  await em.query(
    `INSERT INTO guarantee_request (match_id, guarantor_id, bank_id, enterprise_id, status, coverage_ratio, fee_rate, guaranteed_amount, responded_by, responded_at)
     SELECT $1, a.guarantor_id, a.bank_id, $3, CASE a.guarantee_acceptance WHEN 'AUTOMATIC' THEN 'ACCEPTED' ELSE 'PENDING' END, $4, $5, $6,
            CASE a.guarantee_acceptance WHEN 'AUTOMATIC' THEN '${BY_AGREEMENT}' END, CASE a.guarantee_acceptance WHEN 'AUTOMATIC' THEN now() END
       FROM cooperation_agreement a WHERE a.bank_id = $7 AND a.guarantor_id = $2
     ON CONFLICT (match_id, guarantor_id) DO NOTHING`,
    [match.id, match.guarantorId, enterpriseId, match.coverageRatio!.toFixed(), match.guaranteeFeeRate!.toFixed(), match.guaranteedAmount!.toFixed(2), match.institutionId],
  );
}

/** Why a locked match with a guarantor cannot be disbursed yet (its guarantee not accepted), or null. */
export async function guaranteeBlock(em: EntityManager, match: MatchEntity): Promise<Failure | null> {
  if (!match.guarantorId) return null;
  const [row]: { status: GuaranteeStatus }[] = await em.query(
    `SELECT status FROM guarantee_request WHERE match_id = $1 AND guarantor_id = $2 FOR SHARE`, [match.id, match.guarantorId]);
  const block = disbursementBlock(row?.status ?? null);
  return block ? failure('matchId', 'GUARANTEE_NOT_ACCEPTED', {}, block) : null;
}

export interface RespondToGuaranteeInput {
  guaranteeId: string;
  action: string;
  reason?: string | null;
}

export interface GuaranteeAnswer {
  guarantee: GuaranteeRequestEntity;
  /** After a refusal, the guarantee the match was routed to next (null: no other guarantor with room). */
  next: GuaranteeRequestEntity | null;
}

function answerFailures(input: RespondToGuaranteeInput): Failure[] {
  if (!(GUARANTEE_ACTIONS as readonly string[]).includes(input.action)) return [failure('action', 'INVALID_ACTION', { allowed: GUARANTEE_ACTIONS.join(', ') })];
  if (input.action === 'REFUSE' && !input.reason?.trim()) return [failure('reason', 'REQUIRED')];
  return [];
}

/** respondToGuarantee: the guarantor accepts or refuses (with a reason) a guarantee routed to it. */
export async function respondToGuarantee(ctx: RequestContext, input: RespondToGuaranteeInput): Promise<Result<GuaranteeAnswer>> {
  const id = uuidOf(input.guaranteeId, 'Guarantee');
  if (!id) return refused(failure('guaranteeId', 'INVALID_ID'));
  const failures = answerFailures(input);
  if (failures.length) return refused(...failures);
  const action = input.action as GuaranteeAction;
  return inTransaction(ctx, async (em) => {
    const repo = em.getRepository(GuaranteeRequestEntity);
    const found = await repo.findOneBy({ id });
    // Another guarantor's guarantee reads as missing: ids do not leak.
    if (!found || found.guarantorId !== ctx.viewer!.institutionId) return refused(failure('guaranteeId', 'NOT_FOUND'));
    const locked = (await lockMatch(em, found.matchId))!;
    const request = (await repo.createQueryBuilder('g').setLock('pessimistic_write').where('g.id = :id', { id }).getOne())!;
    const [{ disbursed }] = await em.query(`SELECT EXISTS (SELECT 1 FROM loan WHERE match_id = $1 AND guarantor_id = $2) AS disbursed`, [request.matchId, request.guarantorId]);
    const answer = respond(action, request.status, disbursed);
    if (answer.kind === 'refused') return refused(failure('guaranteeId', answer.code, { status: request.status }));
    if (answer.kind === 'repeat') return ok({ guarantee: request, next: null });
    await em.query(
      `UPDATE guarantee_request SET status = $2, reason = $3, responded_by = $4, responded_at = now() WHERE id = $1`,
      [id, answer.to, input.reason?.trim() || null, ctx.viewer!.sub]);
    const next = answer.to === 'REFUSED' && locked.match.guarantorId === request.guarantorId ? await reroute(em, locked) : null;
    return ok({ guarantee: (await repo.findOneByOrFail({ id })), next });
  });
}

/**
 * After a refusal: the pair decided again without the guarantors that refused this match, and, when
 * another of the lender's guarantors has room (R6), the match re-priced with it and its guarantee routed
 * there. Without one the match keeps the refused guarantee and cannot be disbursed; the lender may decline it.
 */
async function reroute(em: EntityManager, { need, match }: Locked): Promise<GuaranteeRequestEntity | null> {
  if (match.status !== 'APPROVED') return null;
  const refusedBy: { guarantor_id: string }[] = await em.query(`SELECT guarantor_id FROM guarantee_request WHERE match_id = $1 AND status = 'REFUSED'`, [match.id]);
  const excluded = new Set(refusedBy.map((r) => r.guarantor_id));
  const inputs = await loadPairInputs(em, [{ needId: need.id, productId: match.productId }], await databaseToday(em));
  const facts = inputs.needs.get(need.id);
  const product = inputs.products.get(match.productId);
  const enterprise = facts && inputs.enterprises.get(facts.enterpriseId);
  if (!facts || !product || !enterprise) return null;
  const guarantorsByBank = new Map(inputs.context.guarantorsByBank);
  guarantorsByBank.set(product.institutionId, (guarantorsByBank.get(product.institutionId) ?? []).filter((o) => !excluded.has(o.guarantorId)));
  const decision = decide(facts, enterprise, product, { ...inputs.context, guarantorsByBank });
  if (!decision.eligible || !decision.terms?.guarantee || decision.score === null) return null;
  const c = columnsOf(decision.terms);
  await em.query(
    `UPDATE match SET guarantor_id = $2, coverage_ratio = $3, guarantee_fee_rate = $4, guaranteed_amount = $5, reserve = $6, pool_id = $7, bank_net_exposure = $8,
                      subsidies = $9::jsonb, all_in_cost = $10, rule_versions = $11, rule_ids = $12, score = $13, computed_at = now(), updated_at = now()
      WHERE id = $1`,
    [match.id, c.guarantor_id, c.coverage_ratio, c.guarantee_fee_rate, c.guaranteed_amount, c.reserve, c.pool_id, c.bank_net_exposure,
      JSON.stringify(c.subsidies), c.all_in_cost, c.rule_versions, c.rule_ids, decision.score],
  );
  const repriced = await em.getRepository(MatchEntity).findOneByOrFail({ id: match.id });
  await routeGuarantee(em, repriced, need.enterpriseId);
  return em.getRepository(GuaranteeRequestEntity).findOneBy({ matchId: match.id, guarantorId: repriced.guarantorId! });
}

/**
 * `guarantees`: newest first — a guarantor's routed to it; a lender's on its matches; an authority's or
 * admin's all — optionally of some statuses.
 */
export async function listGuarantees(ctx: RequestContext, statuses: GuaranteeStatus[] | null, page: { first?: number | null; after?: string | null }) {
  const viewer = ctx.viewer!;
  const qb = ctx.db.getRepository(GuaranteeRequestEntity).createQueryBuilder('g');
  if (viewer.role === 'GUARANTOR') qb.where('g.guarantor_id = :inst', { inst: viewer.institutionId });
  else if (viewer.role !== 'AUTHORITY' && viewer.role !== 'ADMIN') qb.where('g.bank_id = :inst', { inst: viewer.institutionId ?? null });
  if (statuses?.length) qb.andWhere('g.status IN (:...statuses)', { statuses: [...new Set(statuses)] });
  return keysetPage(ctx, qb, 'g', page);
}
