/**
 * Claims on firms (claim.rules.ts): made by registerEnterprise, verified by the token or an authority,
 * contested by the real owner, resolved by an authority; every step written to enterprise_claim_event in
 * the transaction that takes it. A step that changes whether a firm's holder is verified queues the
 * refresh of its needs (R13): matching proposes the needs of verified holders only.
 */
import DataLoader from 'dataloader';
import { EntityManager, In } from 'typeorm';
import { authorityRegion, coveredSql, outsideRegion } from '../auth/authority-region';
import { byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { PageArgs } from '../common/connection';
import { badArgument } from '../common/errors';
import { uuidOf } from '../common/ids';
import { failure, ok, refused, Result } from '../common/user-error';
import { keysetPage } from '../database/pages';
import { inTransaction } from '../database/transaction';
import { withdrawNeedsPostedBy } from '../needs/need.moves';
import { checkCreditCode, creditCodeFailure } from './credit-code';
import { EnterpriseClaimEntity, EnterpriseClaimEventEntity } from './claim.entity';
import { ClaimAction, ClaimDecision, ClaimStatus, contestable, decidable, LIVE_CLAIM_STATUSES } from './claim.rules';
import { EnterpriseEntity, EnterpriseQualificationEntity, EnterpriseUserEntity } from './enterprise.entity';

/** Who takes a step (the token's `sub` and role). */
interface Actor {
  sub: string;
  role: string;
}

const actorOf = (ctx: RequestContext): Actor => ({ sub: ctx.viewer!.sub, role: ctx.viewer!.role });

/** Moves `claim` to `to` (with the columns in `set`) and writes the step to the audit. */
async function step(
  em: EntityManager, claim: EnterpriseClaimEntity, action: ClaimAction, to: ClaimStatus, actor: Actor, note: string | null,
  set: Partial<EnterpriseClaimEntity> = {},
): Promise<void> {
  const from = claim.status;
  Object.assign(claim, set, { status: to });
  await em.getRepository(EnterpriseClaimEntity).save(claim);
  await em.insert(EnterpriseClaimEventEntity, {
    claimId: claim.id, enterpriseId: claim.enterpriseId, action, fromStatus: from, toStatus: to,
    actorSub: actor.sub, actorRole: actor.role, note,
  });
}

/** A new claim, audited as `action`. */
async function newClaim(em: EntityManager, draft: Partial<EnterpriseClaimEntity> & Pick<EnterpriseClaimEntity, 'enterpriseId' | 'sub' | 'status'>, action: ClaimAction, actor: Actor, note: string | null): Promise<EnterpriseClaimEntity> {
  const claim = await em.getRepository(EnterpriseClaimEntity).save(em.getRepository(EnterpriseClaimEntity).create(draft));
  await em.insert(EnterpriseClaimEventEntity, {
    claimId: claim.id, enterpriseId: claim.enterpriseId, action, fromStatus: null, toStatus: claim.status, actorSub: actor.sub, actorRole: actor.role, note,
  });
  return claim;
}

/** The live claims of a firm, locked, oldest first. */
async function liveClaimsOf(em: EntityManager, enterpriseId: string): Promise<EnterpriseClaimEntity[]> {
  return em.getRepository(EnterpriseClaimEntity).createQueryBuilder('c').setLock('pessimistic_write')
    .where('c.enterprise_id = :enterpriseId AND c.status IN (:...live)', { enterpriseId, live: LIVE_CLAIM_STATUSES })
    .orderBy('c.created_at').addOrderBy('c.id').getMany();
}

/** A person's live claim (at most one, by ux_enterprise_claim_live_sub), locked. */
export async function liveClaimOfSub(em: EntityManager, sub: string): Promise<EnterpriseClaimEntity | null> {
  return em.getRepository(EnterpriseClaimEntity).createQueryBuilder('c').setLock('pessimistic_write')
    .where('c.sub = :sub AND c.status IN (:...live)', { sub, live: LIVE_CLAIM_STATUSES }).getOne();
}

/** The holder's claim: the live claim of the `sub` bound to the firm. */
function holderClaim(live: EnterpriseClaimEntity[], holderSub: string | null): EnterpriseClaimEntity | null {
  return holderSub ? live.find((c) => c.sub === holderSub) ?? null : null;
}

/**
 * A holder loses the firm (rejected or superseded): the binding goes, and so does what it said in the
 * firm's name — its contact details (a bank would call the claimant), its declared tags and
 * qualifications, and the needs it posted: withdrawn, their proposals deleted and the matches someone
 * acted on kept as history, ineligible — so that nothing the claimant posted reaches a bank.
 */
async function unbind(em: EntityManager, claim: EnterpriseClaimEntity): Promise<void> {
  await em.delete(EnterpriseUserEntity, { sub: claim.sub, enterpriseId: claim.enterpriseId });
  await em.query(
    `UPDATE enterprise SET contact_person = NULL, contact_phone = NULL, contact_email = NULL, declared_sector_tags = '{}', updated_at = now() WHERE id = $1`,
    [claim.enterpriseId],
  );
  await em.delete(EnterpriseQualificationEntity, { enterpriseId: claim.enterpriseId, source: 'DECLARED' });
  const ids = await withdrawNeedsPostedBy(em, claim.enterpriseId, claim.sub, 'claim rejected');
  if (!ids.length) return;
  await em.query(`DELETE FROM match WHERE need_id = ANY($1::uuid[]) AND status = 'PROPOSED'`, [ids]);
  await em.query(`UPDATE match SET eligible = false, updated_at = now() WHERE need_id = ANY($1::uuid[]) AND eligible`, [ids]);
}

/** R13: whether the firm's holder is verified changed; its needs are re-decided. */
async function refreshFirm(ctx: RequestContext, em: EntityManager, enterpriseId: string): Promise<void> {
  await ctx.refresh.enqueue(em, { kind: 'enterprises', ids: [enterpriseId] });
}

/**
 * The claim registerEnterprise makes for `sub` on `enterprise` (in its transaction, after the record is
 * found or created and before the binding is written): VERIFIED by the token when `verified`, else PENDING.
 * A contest the same person had filed on this firm becomes their holder claim.
 */
export async function claimOnRegistration(ctx: RequestContext, em: EntityManager, enterpriseId: string, sub: string, verified: boolean): Promise<EnterpriseClaimEntity> {
  const actor = actorOf(ctx);
  const own = await liveClaimOfSub(em, sub);
  const status: ClaimStatus = verified ? 'VERIFIED' : 'PENDING';
  const set = { evidence: verified ? ('TOKEN_CLAIM' as const) : null, contestOf: null, resumeStatus: null, decidedAt: verified ? new Date() : null, decidedBy: verified ? sub : null };
  if (own && own.enterpriseId === enterpriseId) {
    await step(em, own, 'REGISTERED', status, actor, verified ? 'token carries the verified credit code' : null, set);
    return own;
  }
  return newClaim(em, { enterpriseId, sub, status, ...set }, 'REGISTERED', actor, verified ? 'token carries the verified credit code' : null);
}

/** A bound holder came back with a token verified for its code: a PENDING claim becomes VERIFIED. */
export async function verifyByToken(ctx: RequestContext, em: EntityManager, enterpriseId: string, sub: string): Promise<void> {
  const own = await liveClaimOfSub(em, sub);
  if (!own || own.enterpriseId !== enterpriseId || own.status !== 'PENDING') return;
  await step(em, own, 'VERIFIED_BY_TOKEN', 'VERIFIED', actorOf(ctx), 'token carries the verified credit code', { evidence: 'TOKEN_CLAIM', decidedAt: new Date(), decidedBy: sub });
  await refreshFirm(ctx, em, enterpriseId);
}

/**
 * Someone registers a firm another person holds. With a token verified for the code, a holder whose claim
 * is not VERIFIED gives way (SUPERSEDED, with every contest on it) and the call returns true; otherwise
 * false (CREDIT_CODE_TAKEN).
 */
export async function supersedeUnverifiedHolder(ctx: RequestContext, em: EntityManager, enterpriseId: string, holderSub: string, verified: boolean): Promise<boolean> {
  if (!verified) return false;
  const live = await liveClaimsOf(em, enterpriseId);
  const holder = holderClaim(live, holderSub);
  if (!holder || holder.status === 'VERIFIED') return false;
  const actor = actorOf(ctx);
  const note = 'a registration whose token carries the verified credit code';
  for (const claim of live) {
    if (claim.sub === actor.sub) continue;
    await step(em, claim, 'SUPERSEDED', 'REJECTED', actor, note, { evidence: 'TOKEN_CLAIM', decidedAt: new Date(), decidedBy: actor.sub, resumeStatus: null });
  }
  await unbind(em, holder);
  await refreshFirm(ctx, em, enterpriseId);
  return true;
}

/**
 * contestEnterpriseClaim: the caller (an ENTERPRISE token not bound to any firm) disputes the holder's
 * claim on `creditCode`. The holder's claim becomes CONTESTED — its needs leave the banks' inboxes until
 * an authority decides — and the caller's own claim is filed as CONTESTED. A VERIFIED holder can be
 * contested only by a token verified for the same code (two licence checks disagree); otherwise the caller
 * goes to the authority, which can reject any claim.
 */
export async function contestClaim(ctx: RequestContext, input: { creditCode: string; reason: string }): Promise<Result<EnterpriseClaimEntity>> {
  const problem = creditCodeFailure(['creditCode'], input.creditCode);
  if (problem) return refused(problem);
  const check = checkCreditCode(input.creditCode);
  const reason = input.reason.trim();
  if (!reason) return refused(failure('reason', 'REQUIRED'));
  const viewer = ctx.viewer!;
  const verified = viewer.verifiedCreditCode === check.code;
  return inTransaction(ctx, async (em) => {
    // The firm's row first, as registerEnterprise and decisions lock it: claim steps on one firm take turns.
    const enterprise = await em.getRepository(EnterpriseEntity).createQueryBuilder('e').setLock('pessimistic_write')
      .where('e.credit_code = :code', { code: check.code }).getOne();
    if (!enterprise) return refused(failure('creditCode', 'NOT_FOUND'));
    const bound = await em.getRepository(EnterpriseUserEntity).findOneBy({ sub: viewer.sub });
    if (bound?.enterpriseId === enterprise.id) return refused(failure('creditCode', 'CLAIM_IS_YOURS'));
    if (bound) return refused(failure('creditCode', 'ALREADY_REGISTERED', { creditCode: (await em.getRepository(EnterpriseEntity).findOneByOrFail({ id: bound.enterpriseId })).creditCode }));
    const own = await liveClaimOfSub(em, viewer.sub);
    if (own?.enterpriseId === enterprise.id) return ok(own); // a retry: the contest already stands
    if (own) return refused(failure('creditCode', 'CLAIM_ELSEWHERE'));

    const holderRow = await em.getRepository(EnterpriseUserEntity).findOneBy({ enterpriseId: enterprise.id });
    const live = await liveClaimsOf(em, enterprise.id);
    const holder = holderClaim(live, holderRow?.sub ?? null);
    if (!holder) return refused(failure('creditCode', 'NOT_CLAIMED'));
    if (!contestable(holder.status)) return refused(failure('creditCode', 'NOT_CLAIMED'));
    if (holder.status === 'VERIFIED' && !verified) return refused(failure('creditCode', 'CLAIM_ALREADY_VERIFIED', { evidence: holder.evidence ?? '' }));

    const actor = actorOf(ctx);
    if (holder.status !== 'CONTESTED') {
      await step(em, holder, 'CONTESTED', 'CONTESTED', actor, reason, { resumeStatus: holder.status });
      await refreshFirm(ctx, em, enterprise.id);
    }
    return ok(await newClaim(
      em,
      { enterpriseId: enterprise.id, sub: viewer.sub, status: 'CONTESTED', contestOf: holder.id, note: reason, evidence: verified ? 'TOKEN_CLAIM' : null },
      'CONTEST_FILED', actor, reason,
    ));
  });
}

/**
 * resolveEnterpriseClaim (and confirmEnterpriseClaim, which verifies a PENDING claim): an authority's
 * decision on one claim.
 * - VERIFY the holder's claim: it becomes VERIFIED; contests on it are REJECTED.
 * - VERIFY a contest: the holder's claim is REJECTED and the holder unbound (its needs withdrawn); the
 *   contester is bound to the firm, VERIFIED; other contests are REJECTED.
 * - REJECT the holder's claim (also a VERIFIED one: a revocation): REJECTED, unbound; open contests stay
 *   for the authority to verify one.
 * - REJECT a contest: REJECTED; when no contest is left, the holder's claim is REINSTATED as it was.
 * A regional authority decides the claims on its region's firms only (OUTSIDE_AUTHORITY_REGION, nothing written).
 */
export async function decideClaim(
  ctx: RequestContext, input: { claimId: string; decision: ClaimDecision; note?: string | null }, onlyPending = false,
): Promise<Result<EnterpriseClaimEntity>> {
  const claimId = uuidOf(input.claimId, 'EnterpriseClaim');
  if (!claimId) return refused(failure('claimId', 'INVALID_ID'));
  const note = input.note?.trim() || null;
  const actor = actorOf(ctx);
  return inTransaction(ctx, async (em) => {
    const found = await em.getRepository(EnterpriseClaimEntity).findOneBy({ id: claimId });
    if (!found) return refused(failure('claimId', 'NOT_FOUND'));
    // The firm's row, then its claims: decisions, contests and registrations on one firm take turns.
    const [firm]: { region_code: string }[] = await em.query('SELECT region_code FROM enterprise WHERE id = $1 FOR UPDATE', [found.enterpriseId]);
    // A regional authority decides its region's claims only (issue 17 §3, RV1).
    const outside = outsideRegion(ctx.viewer, 'claimId', firm.region_code);
    if (outside) return refused(outside);
    const live = await liveClaimsOf(em, found.enterpriseId);
    const claim = live.find((c) => c.id === claimId);
    const status = claim?.status ?? found.status;
    if (!claim || !decidable(status, input.decision) || (onlyPending && status !== 'PENDING')) {
      return refused(failure('claimId', 'CLAIM_NOT_DECIDABLE', { status, decision: input.decision }));
    }
    const decided = { evidence: 'AUTHORITY_DECISION' as const, decidedAt: new Date(), decidedBy: actor.sub };
    const holderRow = await em.getRepository(EnterpriseUserEntity).findOneBy({ enterpriseId: claim.enterpriseId });
    const holder = holderClaim(live, holderRow?.sub ?? null);
    const contestsOf = (target: EnterpriseClaimEntity) => live.filter((c) => c.contestOf === target.id && c.id !== claim.id);

    if (input.decision === 'VERIFY') {
      if (holder && holder.id !== claim.id) {
        await step(em, holder, 'REJECTED', 'REJECTED', actor, note ?? 'a contest was upheld', { ...decided, resumeStatus: null });
        await unbind(em, holder);
      }
      for (const other of live) {
        if (other.id !== claim.id && other.id !== holder?.id) await step(em, other, 'REJECTED', 'REJECTED', actor, note ?? 'another claim was verified', decided);
      }
      if (!holder || holder.id !== claim.id) await em.insert(EnterpriseUserEntity, { sub: claim.sub, enterpriseId: claim.enterpriseId });
      await step(em, claim, 'CONFIRMED', 'VERIFIED', actor, note, { ...decided, resumeStatus: null });
    } else if (claim.contestOf === null || claim.id === holder?.id) {
      await step(em, claim, 'REJECTED', 'REJECTED', actor, note, { ...decided, resumeStatus: null });
      if (claim.id === holder?.id) await unbind(em, claim);
    } else {
      await step(em, claim, 'REJECTED', 'REJECTED', actor, note, decided);
      const disputed = live.find((c) => c.id === claim.contestOf);
      if (disputed && disputed.status === 'CONTESTED' && contestsOf(disputed).length === 0) {
        await step(em, disputed, 'REINSTATED', disputed.resumeStatus ?? 'PENDING', actor, 'every contest was rejected', { resumeStatus: null });
      }
    }
    await refreshFirm(ctx, em, claim.enterpriseId);
    return ok(await em.getRepository(EnterpriseClaimEntity).findOneByOrFail({ id: claim.id }));
  });
}

// ——— reads ———

/** The live claim of each `sub`. */
export const liveClaimBySub = defineLoader(
  (ctx) =>
    new DataLoader<string, EnterpriseClaimEntity | null>(async (subs) => {
      const rows = await ctx.db.getRepository(EnterpriseClaimEntity).findBy({ sub: In([...subs]), status: In([...LIVE_CLAIM_STATUSES]) });
      const map = new Map(rows.map((r) => [r.sub, r]));
      return subs.map((s) => map.get(s) ?? null);
    }),
);

/** The viewer's live claim (ENTERPRISE tokens): its holder claim, or a contest it filed. */
export async function viewerClaim(ctx: RequestContext): Promise<EnterpriseClaimEntity | null> {
  if (ctx.viewer?.role !== 'ENTERPRISE') return null;
  return liveClaimBySub(ctx).load(ctx.viewer.sub);
}

/**
 * Is the viewer the firm's verified holder? The test every read of the firm's credit file and every
 * change of its registered facts, consents and applications makes for an ENTERPRISE token.
 */
export async function isVerifiedHolder(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  const claim = await viewerClaim(ctx);
  return claim !== null && claim.enterpriseId === enterpriseId && claim.status === 'VERIFIED';
}

/** Each firm's live claims, oldest first (Enterprise.claim, claimStatus). */
export const liveClaimsByEnterpriseId = defineLoader((ctx) =>
  groupedBy<EnterpriseClaimEntity>(
    (c) => c.enterpriseId,
    (ids) => ctx.db.getRepository(EnterpriseClaimEntity).find({ where: { enterpriseId: In(ids), status: In([...LIVE_CLAIM_STATUSES]) }, order: { createdAt: 'ASC', id: 'ASC' } }),
  ),
);

/** The holder's claim of a firm: its live claim that contests nothing, or a verified one. */
export function holderOf(claims: EnterpriseClaimEntity[]): EnterpriseClaimEntity | null {
  return claims.find((c) => c.status === 'VERIFIED') ?? claims.find((c) => c.contestOf === null) ?? null;
}

export const claimById = defineLoader((ctx) => byKey(ctx, EnterpriseClaimEntity, 'id'));
export const claimEventById = defineLoader((ctx) => byKey(ctx, EnterpriseClaimEventEntity, 'id'));

export const eventsByClaimId = defineLoader((ctx) =>
  groupedBy<EnterpriseClaimEventEntity>(
    (e) => e.claimId,
    (ids) => ctx.db.getRepository(EnterpriseClaimEventEntity).find({ where: { claimId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } }),
  ),
);

function enterpriseOfCode(creditCode: string, field: string): string {
  const check = checkCreditCode(creditCode);
  if (!check.valid) throw badArgument(`"${field}" is not a valid credit code`, field);
  return check.code;
}

/** A regional authority's reads of claims and their steps: those on its region's firms (issue 17 §3, RV1). */
function inViewerRegion(ctx: RequestContext, qb: { andWhere(where: string, params: Record<string, unknown>): unknown }, enterpriseColumn: string): void {
  const region = authorityRegion(ctx.viewer);
  if (region !== null) qb.andWhere(`${enterpriseColumn} IN (SELECT e.id FROM enterprise e WHERE ${coveredSql('e.region_code', ':region')})`, { region });
}

/** `enterpriseClaims`: authorities' queue, newest first, by status and firm (a regional authority's: its region's). */
export async function claimsPage(ctx: RequestContext, filter: { status?: ClaimStatus[] | null; creditCode?: string | null } | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(EnterpriseClaimEntity).createQueryBuilder('c');
  inViewerRegion(ctx, qb, 'c.enterprise_id');
  if (filter?.status?.length) qb.andWhere('c.status IN (:...statuses)', { statuses: filter.status });
  if (filter?.creditCode) {
    qb.andWhere('c.enterprise_id IN (SELECT e.id FROM enterprise e WHERE e.credit_code = :code)', { code: enterpriseOfCode(filter.creditCode, 'filter.creditCode') });
  }
  return keysetPage(ctx, qb, 'c', page);
}

/** `enterpriseClaimEvents`: the audit, newest first, by firm or claim (a regional authority's: its region's). */
export async function claimEventsPage(ctx: RequestContext, filter: { creditCode?: string | null; claimId?: string | null } | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(EnterpriseClaimEventEntity).createQueryBuilder('v');
  inViewerRegion(ctx, qb, 'v.enterprise_id');
  if (filter?.creditCode) {
    qb.andWhere('v.enterprise_id IN (SELECT e.id FROM enterprise e WHERE e.credit_code = :code)', { code: enterpriseOfCode(filter.creditCode, 'filter.creditCode') });
  }
  if (filter?.claimId) {
    const id = uuidOf(filter.claimId, 'EnterpriseClaim');
    if (!id) throw badArgument('"filter.claimId" is not a claim id', 'filter.claimId');
    qb.andWhere('v.claim_id = :claimId', { claimId: id });
  }
  return keysetPage(ctx, qb, 'v', page);
}
