/**
 * R14 — working a match: the institution's inbox and responses, the enterprise's application (consent,
 * R10), and the deadline that lets an unanswered match lapse so the next-ranked institution is proposed.
 *
 * Every step locks the need's row, then the match's (the order the refresh writers lock in, so the two
 * cannot deadlock), applies what lifecycle.rules.ts allows, records the step in `match_event`, and in the
 * same transaction re-decides the need when the step freed a slot (DECLINED, OVERDUE): the next-ranked
 * eligible product takes it before the mutation returns.
 */
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../common/context';
import { distinct } from '../common/collections';
import { badArgument } from '../common/errors';
import { uuidOf } from '../common/ids';
import { failure, Failure, ok, refused, Result } from '../common/user-error';
import { keysetPage } from '../database/pages';
import { inTransaction } from '../database/transaction';
import { isVerifiedHolder } from '../enterprises/claim.service';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { FinancingNeedEntity } from '../needs/need.entity';
import { activeNeedSql, NeedEvent, needTransition } from '../needs/need.lifecycle';
import { moveFailure, NeedMoves, moveNeeds, NeedTransitionError } from '../needs/need.moves';
import { effectiveStatus, isActive } from '../needs/need.rules';
import { requestToday } from '../database/clock';
import { grantConsentIn } from '../privacy/consent.service';
import { ENGAGED, MatchAction, RESPONSES, transition } from './lifecycle.rules';
import { MatchEntity } from './match.entity';
import { AWAITING_RESPONSE, DeclineReason, institutionSeesMatch, MatchStatus } from './match.rules';
import { lockNeeds, refreshNeeds } from './match.service';
import { EVENT_INSERT } from '../events/outbox';
import { stepEvent } from '../events/step-events';
import { closeOffersOfMatch } from '../offers/offer.closing';
import { MATCH_CLOSED_STATUSES } from '../offers/offer.rules';
import { sqlList } from '../common/sql-list';


export interface Locked {
  need: FinancingNeedEntity;
  match: MatchEntity;
}

/** Locks a match's need, then the match, for the rest of the transaction; null when there is no such match. */
export async function lockMatch(em: EntityManager, matchId: string): Promise<Locked | null> {
  const found: { need_id: string }[] = await em.query('SELECT need_id FROM match WHERE id = $1', [matchId]);
  if (!found.length) return null;
  const need = await em.getRepository(FinancingNeedEntity).createQueryBuilder('n').setLock('pessimistic_write').where('n.id = :id', { id: found[0].need_id }).getOne();
  const match = await em.getRepository(MatchEntity).createQueryBuilder('m').setLock('pessimistic_write').where('m.id = :id', { id: matchId }).getOne();
  return need && match ? { need, match } : null;
}

/** Whether the need is still being worked (R11) on `today` (the database's day): active and not past its needed-by date. */
export const needIsActive = (need: FinancingNeedEntity, today: string): boolean => isActive(effectiveStatus(need.status, need.neededBy, today));

/** A need that is no longer being worked on `today` refuses the step, naming the status a reader sees. */
export const needNotActive = (need: FinancingNeedEntity, today: string): Failure | null =>
  (needIsActive(need, today) ? null : failure('matchId', 'NEED_NOT_ACTIVE', { status: effectiveStatus(need.status, need.neededBy, today) }));

export interface StepDetails {
  actor: string;
  /** The day the step is made on, the database's (a request's `requestToday`): a freed slot re-decides its need on it. */
  today: string;
  declineReason?: DeclineReason | null;
  note?: string | null;
}

/**
 * Applies one step to a locked match: refuses what R14 does not allow, writes the status and the event,
 * and moves the need with it (R11, need.lifecycle.ts): an application ENGAGEs it (IN_PROGRESS while the
 * enterprise works with an institution; refused, with nothing written, when the need is over), and the
 * last such match declined or lapsed DISENGAGEs it, back to matching with the freed slot refilled.
 */
export async function applyStep(em: EntityManager, locked: Locked, action: MatchAction, details: StepDetails, field = 'matchId'): Promise<Result<MatchStatus>> {
  const { match, need } = locked;
  const t = transition(action, match.status);
  if (t.kind === 'refused') return refused(failure(field, 'ILLEGAL_TRANSITION', { status: match.status, action }, t.variant));
  if (t.kind === 'repeat') return ok(match.status);
  const from = match.status;
  const declining = action === 'DECLINE';
  if (action === 'APPLY') {
    const refusal = await moveLockedNeed(em, need, 'ENGAGE');
    if (refusal) return refused(moveFailure(field, 'ENGAGE', refusal));
  }
  await em.query(
    `UPDATE match SET status = $2, status_changed_at = now(), updated_at = now(),
            responded_at = CASE WHEN $3 AND responded_at IS NULL THEN now() ELSE responded_at END,
            decline_reason = CASE WHEN $4 THEN $5 ELSE decline_reason END,
            decline_note = CASE WHEN $4 THEN $6 ELSE decline_note END
      WHERE id = $1`,
    [match.id, t.to, action === 'CONTACT' || declining, declining, details.declineReason ?? null, details.note ?? null],
  );
  // The step's event (issue 15 §1), if it raises one, in the statement that records the step.
  const raised = stepEvent(action, declining ? details.declineReason ?? null : null);
  await em.query(
    `WITH step AS (
       INSERT INTO match_event (match_id, need_id, institution_id, action, from_status, to_status, decline_reason, note, actor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING match_id, need_id, institution_id
     )
     ${EVENT_INSERT}
     SELECT $10::text, step.institution_id, $11::uuid, $12::uuid, step.need_id, step.match_id, $13::jsonb FROM step WHERE $10::text IS NOT NULL`,
    [match.id, need.id, match.institutionId, action, from, t.to, declining ? details.declineReason : null, details.note ?? null, details.actor,
      raised?.type ?? null, match.guarantorId, need.enterpriseId, JSON.stringify({ productId: match.productId, ...raised?.payload })],
  );
  match.status = t.to;
  // A match closed (declined, lapsed) takes its open offer with it (issue 15 §2): DECLINED MATCH_CLOSED.
  if (MATCH_CLOSED_STATUSES.includes(t.to)) await closeOffersOfMatch(em, match.id);

  if (declining || action === 'LAPSE') await afterSlotFreed(em, need, details.today);
  return ok(t.to);
}

/** Moves a locked need by `event` where R11 allows it and keeps the entity in line; returns the refusal, if any. */
async function moveLockedNeed(em: EntityManager, need: FinancingNeedEntity, event: NeedEvent): Promise<NeedMoves['refused'][number] | null> {
  const moves = await moveNeeds(em, [need.id], event);
  if (moves.refused.length) return moves.refused[0];
  const t = needTransition(event, need.status, false);
  if (t.kind === 'step') need.status = t.to;
  return null;
}

/**
 * A slot freed in a need still being worked: with no engaged match left, a need the table lets
 * DISENGAGE (IN_PROGRESS) goes back to matching; the need is re-decided. A need that is over keeps its status.
 */
async function afterSlotFreed(em: EntityManager, need: FinancingNeedEntity, today: string): Promise<void> {
  if (!needIsActive(need, today)) return;
  if (needTransition('DISENGAGE', need.status, false).kind === 'step') {
    const [{ engaged }] = await em.query(`SELECT count(*)::int AS engaged FROM match WHERE need_id = $1 AND status IN (${sqlList(ENGAGED)})`, [need.id]);
    const refusal = engaged === 0 ? await moveLockedNeed(em, need, 'DISENGAGE') : null;
    if (refusal) throw new NeedTransitionError('DISENGAGE', [refusal]);
  }
  await refreshNeeds(em, [need.id], { today });
}

/** The match an institution acts on: its own product's (a guarantor sees routed matches but does not answer them). */
export function institutionFailure(ctx: RequestContext, match: MatchEntity | undefined): Failure | null {
  const institutionId = ctx.viewer!.institutionId;
  if (!match || !institutionId || !institutionSeesMatch(match, institutionId)) return failure('matchId', 'NOT_FOUND');
  if (match.institutionId !== institutionId) return failure('matchId', 'NOT_RESPONSIBLE');
  return null;
}

export interface RespondInput {
  matchId: string;
  action: string;
  declineReason?: DeclineReason | null;
  note?: string | null;
}

function respondFailures(input: RespondInput): Failure[] {
  const failures: Failure[] = [];
  if (!(RESPONSES as readonly string[]).includes(input.action)) failures.push(failure('action', 'INVALID_ACTION', { allowed: RESPONSES.join(', ') }));
  if (input.action === 'DECLINE' && !input.declineReason) failures.push(failure('declineReason', 'REQUIRED'));
  if (input.action !== 'DECLINE' && input.declineReason) failures.push(failure('declineReason', 'NOT_APPLICABLE', { action: input.action }, 'action'));
  return failures;
}

/** respondToMatch: the product's institution views, contacts or declines (with a reason) a match. */
export async function respondToMatch(ctx: RequestContext, input: RespondInput): Promise<Result<MatchEntity>> {
  const matchId = uuidOf(input.matchId, 'Match');
  if (!matchId) return refused(failure('matchId', 'INVALID_ID'));
  const failures = respondFailures(input);
  if (failures.length) return refused(...failures);
  const action = input.action as MatchAction;
  return inTransaction(ctx, async (em) => {
    const locked = await lockMatch(em, matchId);
    const denied = institutionFailure(ctx, locked?.match);
    if (denied) return refused(denied);
    const today = await requestToday(ctx);
    const inactive = action === 'CONTACT' ? needNotActive(locked!.need, today) : null;
    if (inactive) return refused(inactive);
    const stepped = await applyStep(em, locked!, action, { actor: ctx.viewer!.sub, today, declineReason: input.declineReason, note: input.note?.trim() || null });
    if (!stepped.ok) return stepped;
    return ok(await em.getRepository(MatchEntity).findOneByOrFail({ id: matchId }));
  });
}

/** applyToMatch: the enterprise applies to a match of its own need; applying counts as consent to the institution (R10). */
export async function applyToMatch(ctx: RequestContext, matchRef: string): Promise<Result<MatchEntity>> {
  const matchId = uuidOf(matchRef, 'Match');
  if (!matchId) return refused(failure('matchId', 'INVALID_ID'));
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return refused(failure([], 'NOT_REGISTERED'));
  // Applying consents to the institution (R10): only the firm's verified holder may.
  if (!(await isVerifiedHolder(ctx, enterpriseId))) return refused(failure([], 'CLAIM_NOT_VERIFIED'));
  return inTransaction(ctx, async (em) => {
    const locked = await lockMatch(em, matchId);
    // Another enterprise's match reads as missing: ids do not leak.
    if (!locked || locked.need.enterpriseId !== enterpriseId) return refused(failure('matchId', 'NOT_FOUND'));
    const { need, match } = locked;
    const today = await requestToday(ctx);
    const inactive = needNotActive(need, today);
    if (inactive) return refused(inactive);
    if (!match.eligible && match.status !== 'APPLIED') return refused(failure('matchId', 'MATCH_NOT_ELIGIBLE'));
    const stepped = await applyStep(em, locked, 'APPLY', { actor: ctx.viewer!.sub, today });
    if (!stepped.ok) return stepped;
    await grantConsentIn(em, enterpriseId, match.institutionId, 'APPLICATION', ctx.viewer!.sub);
    return ok(await em.getRepository(MatchEntity).findOneByOrFail({ id: matchId }));
  });
}

/** Needs re-decided per transaction when matches lapse. */
const LAPSE_CHUNK = 250;

/**
 * R14's deadline: matches still awaiting a response `responseHours` after they were proposed turn OVERDUE
 * (each step recorded), and their needs are re-decided so the next-ranked eligible institution is proposed.
 * Only needs still being worked; chunk by chunk, each its own transaction. Returns how many lapsed.
 */
export async function lapseOverdueMatches(db: DataSource, responseHours: number): Promise<number> {
  let lapsed = 0;
  for (;;) {
    const count = await db.transaction(async (em) => {
      const due: { need_id: string }[] = await em.query(
        `SELECT DISTINCT m.need_id FROM match m JOIN financing_need n ON n.id = m.need_id
          WHERE m.status IN (${sqlList(AWAITING_RESPONSE)}) AND m.eligible AND m.created_at < now() - make_interval(hours => $1)
            AND ${activeNeedSql('n', 'shanghai_today()')}
          ORDER BY 1 LIMIT ${LAPSE_CHUNK}`,
        [responseHours],
      );
      if (!due.length) return 0;
      const needIds = due.map((r) => r.need_id);
      await lockNeeds(em, needIds);
      const rows: { n: number }[] = await em.query(
        `WITH due AS (
           SELECT id, need_id, institution_id, guarantor_id, product_id, status FROM match
            WHERE need_id = ANY($1::uuid[]) AND status IN (${sqlList(AWAITING_RESPONSE)}) AND eligible AND created_at < now() - make_interval(hours => $2)
            FOR UPDATE
         ), lapsed AS (
           UPDATE match m SET status = 'OVERDUE', status_changed_at = now(), updated_at = now() FROM due WHERE m.id = due.id RETURNING 1
         ), events AS (
           INSERT INTO match_event (match_id, need_id, institution_id, action, from_status, to_status, actor)
           SELECT id, need_id, institution_id, 'LAPSE', status, 'OVERDUE', 'system' FROM due RETURNING 1
         ), raised AS (
           ${EVENT_INSERT}
           SELECT 'MATCH_LAPSED', due.institution_id, due.guarantor_id, n.enterprise_id, due.need_id, due.id, jsonb_build_object('productId', due.product_id)
             FROM due JOIN financing_need n ON n.id = due.need_id
         )
         SELECT (SELECT count(*) FROM lapsed)::int AS n`,
        [needIds, responseHours],
      );
      await refreshNeeds(em, needIds);
      return rows[0].n;
    });
    lapsed += count;
    if (count === 0) return lapsed;
  }
}

/**
 * `inbox`: the matches an institution works, newest first: its products' matches (a guarantor also those
 * routed to it) that are proposed and still qualify, or that someone acted on. A proposal whose need
 * stopped looking for money leaves the inbox.
 */
export async function inbox(ctx: RequestContext, statuses: MatchStatus[] | null, page: { first?: number | null; after?: string | null }) {
  const institutionId = ctx.viewer!.institutionId;
  if (!institutionId) throw badArgument('the inbox is an institution\'s: the token names none', 'status');
  // The need is joined, for the matches awaiting a response only, row by row as the index hands the page
  // over newest first. As an EXISTS, PostgreSQL's planner turned it into a hash of every active need when
  // the institution had many matches (bench:api's inbox at scale 1: 157 ms a page instead of 3).
  const qb = ctx.db.getRepository(MatchEntity).createQueryBuilder('m')
    .leftJoin('financing_need', 'n', `n.id = m.need_id AND m.status IN (${sqlList(AWAITING_RESPONSE)})`);
  if (ctx.viewer!.role === 'GUARANTOR') qb.where('(m.institution_id = :inst OR m.guarantor_id = :inst)', { inst: institutionId });
  else qb.where('m.institution_id = :inst', { inst: institutionId });
  qb.andWhere(`(m.eligible OR m.status <> 'PROPOSED')`);
  qb.andWhere(`(m.status NOT IN (${sqlList(AWAITING_RESPONSE)}) OR (${activeNeedSql('n', ':today')}))`, { today: await requestToday(ctx) });
  if (statuses?.length) qb.andWhere('m.status IN (:...statuses)', { statuses: distinct(statuses) });
  return keysetPage(ctx, qb, 'm', page);
}
