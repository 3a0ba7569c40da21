/**
 * Roadshows (issue 17 §4; seed 003 二.(三).1 一月一链 融资路演; docs/AUTHORITIES.md RS1–RS4): an authority
 * schedules one for a chain and a month, invites institutions, picks pitching firms; institutions answer
 * their invitations; who may see what (R10).
 */
import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { PageArgs } from '../common/connection';
import { uuidOf } from '../common/ids';
import { authorityRegion, coveredSql, outsideRegion } from '../auth/authority-region';
import { isRegionPrefix } from '../common/region';
import { duplicates, Failure, failure, ok, refused, Result } from '../common/user-error';
import { keysetPage } from '../database/pages';
import { constraintOf, inTransaction, sqlState, UNIQUE_VIOLATION } from '../database/transaction';
import { requestToday } from '../database/clock';
import { checkCreditCode, creditCodeFailure } from '../enterprises/credit-code';
import { industryChainFailures } from '../enterprises/enterprise.service';
import { activeNeedSql } from '../needs/need.lifecycle';
import { memberOnSql } from '../whitelists/membership';
import { RoadshowEntity, RoadshowInvitationEntity, RoadshowPitchEntity } from './roadshow.entity';
import { AddRoadshowPitchesInput, CreateRoadshowInput, InviteToRoadshowInput, RespondToRoadshowInvitationInput, RoadshowFilter } from './roadshow.inputs';
import { answerable, DEFAULT_ATTRIBUTION_DAYS, PitchBasis, roadshowDay, scheduleFailures } from './roadshow.rules';

export const roadshowById = defineLoader((ctx) => byKey(ctx, RoadshowEntity, 'id'));

export const invitationsByRoadshow = defineLoader((ctx) =>
  groupedBy<RoadshowInvitationEntity>((i) => i.roadshowId, (ids) =>
    ctx.db.getRepository(RoadshowInvitationEntity).createQueryBuilder('i').innerJoin('institution', 'inst', 'inst.id = i.institution_id')
      .where('i.roadshow_id = ANY(:ids)', { ids }).orderBy('inst.name', 'ASC', 'NULLS LAST').addOrderBy('i.institution_id').getMany()),
);

export const pitchesByRoadshow = defineLoader((ctx) =>
  groupedBy<RoadshowPitchEntity>((p) => p.roadshowId, (ids) =>
    ctx.db.getRepository(RoadshowPitchEntity).createQueryBuilder('p').innerJoin('enterprise', 'e', 'e.id = p.enterprise_id')
      .where('p.roadshow_id = ANY(:ids)', { ids }).orderBy('p.created_at').addOrderBy('e.credit_code').getMany()),
);

/**
 * Who sees a roadshow (R10): the schedule (chain, month, day, title) is public to every signed-in role —
 * firms post needs for it and institutions are invited to it — except that an institution sees only the
 * roadshows it is invited to.
 */
export async function canSeeRoadshow(ctx: RequestContext, roadshow: RoadshowEntity): Promise<boolean> {
  const institutionId = ctx.viewer?.institutionId;
  if (!institutionId) return true;
  return (await invitationsByRoadshow(ctx).load(roadshow.id)).some((i) => i.institutionId === institutionId);
}

/** The invitations a viewer sees: all for managers and analysts, its own for an institution, none for a firm. */
export async function visibleInvitations(ctx: RequestContext, roadshowId: string): Promise<RoadshowInvitationEntity[]> {
  const all = await invitationsByRoadshow(ctx).load(roadshowId);
  const viewer = ctx.viewer!;
  if (viewer.institutionId) return all.filter((i) => i.institutionId === viewer.institutionId);
  return viewer.role === 'ENTERPRISE' ? [] : all;
}

/** The pitches a viewer sees: managers, analysts and invited institutions all of them; a firm its own. */
export async function visiblePitches(ctx: RequestContext, roadshowId: string, ownEnterpriseId: string | null): Promise<RoadshowPitchEntity[]> {
  const all = await pitchesByRoadshow(ctx).load(roadshowId);
  if (ctx.viewer!.role === 'ENTERPRISE') return all.filter((p) => p.enterpriseId === ownEnterpriseId);
  return all;
}

/** `roadshows`: newest first; an institution's are those it is invited to. */
export async function listRoadshows(ctx: RequestContext, filter: RoadshowFilter | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(RoadshowEntity).createQueryBuilder('r');
  const institutionId = ctx.viewer!.institutionId;
  if (institutionId) qb.andWhere('EXISTS (SELECT 1 FROM roadshow_invitation i WHERE i.roadshow_id = r.id AND i.institution_id = :institutionId)', { institutionId });
  // A regional authority's are those co-hosted in its region (issue 17 §3).
  qb.andWhere(coveredSql('r.region_prefix', ':region'), { region: authorityRegion(ctx.viewer) });
  if (filter?.industryChain) qb.andWhere('r.industry_chain = :chain', { chain: filter.industryChain });
  if (filter?.fromMonth) qb.andWhere("r.month >= (:fromMonth || '-01')::date", { fromMonth: filter.fromMonth });
  if (filter?.toMonth) qb.andWhere("r.month <= (:toMonth || '-01')::date", { toMonth: filter.toMonth });
  return keysetPage(ctx, qb, 'r', page);
}

/** createRoadshow (RS1): a known chain, a month not in the past, one roadshow per chain, month and region. */
export async function createRoadshow(ctx: RequestContext, input: CreateRoadshowInput): Promise<Result<RoadshowEntity>> {
  return inTransaction(ctx, async (em) => {
    const today = await requestToday(ctx);
    const month = input.month ?? today.slice(0, 7);
    const { first, failures } = scheduleFailures(month, input.heldOn, today);
    failures.push(...(await industryChainFailures(em, [], [input.industryChain])).map((f) => ({ ...f, field: ['industryChain'] })));
    if (input.regionPrefix != null && !isRegionPrefix(input.regionPrefix)) failures.push(failure('regionPrefix', 'INVALID_REGION_PREFIX'));
    // A regional authority co-hosts in its region: its region when none is named, never another (issue 17 §3).
    const regionPrefix = input.regionPrefix ?? authorityRegion(ctx.viewer);
    const outside = outsideRegion(ctx.viewer, 'regionPrefix', regionPrefix);
    if (outside) failures.push(outside);
    if (!input.title.trim()) failures.push(failure('title', 'REQUIRED'));
    if (failures.length) return refused(...failures);
    const repo = em.getRepository(RoadshowEntity);
    try {
      const saved = await repo.save(repo.create({
        industryChain: input.industryChain, month: first!, heldOn: input.heldOn ?? null, title: input.title.trim(), regionPrefix: regionPrefix ?? null,
        attributionDays: input.attributionDays ?? DEFAULT_ATTRIBUTION_DAYS, createdBy: ctx.viewer!.sub,
      }));
      return ok(await repo.findOneByOrFail({ id: saved.id }));
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === 'uq_roadshow_chain_month') {
        return refused(failure('month', 'ROADSHOW_EXISTS', { chain: input.industryChain, month }));
      }
      throw error;
    }
  });
}

/** The roadshow an input names, locked, within the viewer's region, and whether it is still ahead (RS2: nothing changes after its day). */
async function lockedRoadshow(ctx: RequestContext, em: EntityManager, id: string | null, today: string): Promise<Result<RoadshowEntity>> {
  const roadshow = id ? await em.getRepository(RoadshowEntity).createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne() : null;
  if (!roadshow) return refused(failure('roadshowId', id ? 'NOT_FOUND' : 'INVALID_ID'));
  // A regional authority acts on its region's roadshows only (issue 17 §3).
  const outside = outsideRegion(ctx.viewer, 'roadshowId', roadshow.regionPrefix);
  if (outside) return refused(outside);
  if (!answerable(roadshow, today)) return refused(failure('roadshowId', 'ROADSHOW_OVER', { day: roadshowDay(roadshow) }));
  return ok(roadshow);
}

/** inviteToRoadshow (RS2): institutions other than authorities; inviting one already invited changes nothing. */
export async function inviteToRoadshow(ctx: RequestContext, input: InviteToRoadshowInput): Promise<Result<RoadshowEntity>> {
  return inTransaction(ctx, async (em) => {
    const found = await lockedRoadshow(ctx, em, uuidOf(input.roadshowId, 'Roadshow'), await requestToday(ctx));
    if (!found.ok) return found;
    const failures: Failure[] = [...duplicates(['institutionIds'], input.institutionIds)];
    if (!input.institutionIds.length) failures.push(failure('institutionIds', 'REQUIRED'));
    const ids = input.institutionIds.map((id) => uuidOf(id, 'Institution'));
    const known: { id: string; kind: string }[] = await em.query('SELECT id, kind FROM institution WHERE id = ANY($1::uuid[])', [ids.filter(Boolean)]);
    ids.forEach((id, i) => {
      const row = known.find((k) => k.id === id);
      if (!id) failures.push(failure(['institutionIds', String(i)], 'INVALID_ID'));
      else if (!row) failures.push(failure(['institutionIds', String(i)], 'NOT_FOUND'));
      else if (row.kind === 'AUTHORITY') failures.push(failure(['institutionIds', String(i)], 'NOT_INVITABLE', { kind: row.kind }));
    });
    if (failures.length) return refused(...failures);
    await em.query(
      `INSERT INTO roadshow_invitation (roadshow_id, institution_id, invited_by) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
      [found.value.id, ids, ctx.viewer!.sub],
    );
    invitationsByRoadshow(ctx).clear(found.value.id);
    return ok(found.value);
  });
}

/** respondToRoadshowInvitation (RS2): the invited institution accepts (attends) or declines, until the roadshow's day. */
export async function respondToInvitation(ctx: RequestContext, input: RespondToRoadshowInvitationInput): Promise<Result<RoadshowInvitationEntity>> {
  const institutionId = ctx.viewer!.institutionId!;
  return inTransaction(ctx, async (em) => {
    const id = uuidOf(input.roadshowId, 'Roadshow');
    const repo = em.getRepository(RoadshowInvitationEntity);
    const invitation = id ? await repo.findOneBy({ roadshowId: id, institutionId }) : null;
    // Not invited reads as missing: the roadshows an institution is not invited to are not its business.
    if (!invitation) return refused(failure('roadshowId', id ? 'NOT_INVITED' : 'INVALID_ID'));
    const found = await lockedRoadshow(ctx, em, id, await requestToday(ctx));
    if (!found.ok) return found;
    invitation.status = input.answer === 'ACCEPT' ? 'ACCEPTED' : 'DECLINED';
    invitation.respondedBy = ctx.viewer!.sub;
    invitation.respondedAt = new Date();
    await repo.save(invitation);
    return ok(await repo.findOneByOrFail({ roadshowId: id!, institutionId }));
  });
}

interface FirmFacts {
  id: string;
  credit_code: string;
  in_chain: boolean;
  on_whitelist: boolean;
  open_needs: number;
}

interface NeedFacts {
  id: string;
  enterprise_id: string;
  open: boolean;
  roadshow_id: string | null;
  pitched_at: string | null;
}

/**
 * addRoadshowPitches (RS4): each firm, by credit code, must be on a whitelist today and in the roadshow's
 * chain, or pitch one of its open needs (named by `needId`). A need is pitched at one roadshow at most;
 * a firm pitches once per roadshow. All or nothing: one bad pitch refuses the call.
 */
export async function addRoadshowPitches(ctx: RequestContext, input: AddRoadshowPitchesInput): Promise<Result<RoadshowEntity>> {
  return inTransaction(ctx, async (em) => {
    const today = await requestToday(ctx);
    const found = await lockedRoadshow(ctx, em, uuidOf(input.roadshowId, 'Roadshow'), today);
    if (!found.ok) return found;
    const roadshow = found.value;
    const failures: Failure[] = input.pitches.length ? [] : [failure('pitches', 'REQUIRED')];
    const codes = input.pitches.map((p, i) => {
      const problem = creditCodeFailure(['pitches', String(i), 'creditCode'], p.creditCode);
      if (problem) failures.push(problem);
      return checkCreditCode(p.creditCode).code;
    });
    failures.push(...duplicates(['pitches'], codes).map((f) => ({ ...f, field: [...f.field, 'creditCode'] })));
    const needIds = input.pitches.map((p, i) => {
      if (p.needId == null) return null;
      const id = uuidOf(p.needId, 'FinancingNeed');
      if (!id) failures.push(failure(['pitches', String(i), 'needId'], 'INVALID_ID'));
      return id;
    });
    if (failures.length) return refused(...failures);

    const firms: FirmFacts[] = await em.query(
      `SELECT e.id, e.credit_code, $2 = ANY(e.industry_chains) AS in_chain,
              EXISTS (SELECT 1 FROM whitelist_entry w WHERE w.enterprise_id = e.id AND ${memberOnSql('w', '$3')}) AS on_whitelist,
              (SELECT count(*)::int FROM financing_need n WHERE n.enterprise_id = e.id AND ${activeNeedSql('n', '$3')}) AS open_needs
         FROM enterprise e WHERE e.credit_code = ANY($1::text[])`,
      [codes, roadshow.industryChain, today],
    );
    const needs: NeedFacts[] = await em.query(
      `SELECT n.id, n.enterprise_id, (${activeNeedSql('n', '$2')}) AS open, n.roadshow_id, p.roadshow_id AS pitched_at
         FROM financing_need n LEFT JOIN roadshow_pitch p ON p.need_id = n.id WHERE n.id = ANY($1::uuid[])`,
      [needIds.filter(Boolean), today],
    );
    // Read in the transaction, under the roadshow's lock: a concurrent call for this roadshow waits for it.
    const pitching = new Set((await em.getRepository(RoadshowPitchEntity).findBy({ roadshowId: roadshow.id })).map((p) => p.enterpriseId));
    const rows: Partial<RoadshowPitchEntity>[] = [];
    input.pitches.forEach((p, i) => {
      const at = (field: string) => ['pitches', String(i), field];
      const firm = firms.find((f) => f.credit_code === codes[i]);
      if (!firm) return failures.push(failure(at('creditCode'), 'NOT_FOUND'));
      if (pitching.has(firm.id)) return failures.push(failure(at('creditCode'), 'ALREADY_PITCHING'));
      let basis: PitchBasis;
      if (needIds[i]) {
        const need = needs.find((n) => n.id === needIds[i]);
        if (!need || need.enterprise_id !== firm.id) return failures.push(failure(at('needId'), 'NOT_FOUND'));
        if (!need.open) return failures.push(failure(at('needId'), 'NEED_NOT_OPEN'));
        const elsewhere = need.pitched_at ?? (need.roadshow_id !== roadshow.id ? need.roadshow_id : null);
        if (elsewhere) return failures.push(failure(at('needId'), 'NEED_AT_OTHER_ROADSHOW'));
        basis = 'OPEN_NEED';
      } else if (firm.on_whitelist && firm.in_chain) {
        basis = 'WHITELIST';
      } else {
        // RS4's two ways in, and which one this firm misses.
        const variant = firm.open_needs > 0 ? 'nameNeed' : firm.on_whitelist ? 'notInChain' : 'none';
        return failures.push(failure(at('creditCode'), 'NOT_ELIGIBLE_TO_PITCH', { chain: roadshow.industryChain, openNeeds: firm.open_needs }, variant));
      }
      rows.push({ roadshowId: roadshow.id, enterpriseId: firm.id, needId: needIds[i], basis, addedBy: ctx.viewer!.sub });
      return undefined;
    });
    if (failures.length) return refused(...failures);
    try {
      await em.getRepository(RoadshowPitchEntity).insert(rows);
    } catch (error) {
      // Two calls pitching the same need at once: the unique index decides.
      if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === 'uq_roadshow_pitch_need') return refused(failure('pitches', 'NEED_AT_OTHER_ROADSHOW'));
      throw error;
    }
    pitchesByRoadshow(ctx).clear(roadshow.id);
    return ok(roadshow);
  });
}

/**
 * RS3: the roadshow each need is attributed to — the one it was posted for, or the one it was pitched at.
 */
export const roadshowOfNeed = defineLoader(
  (ctx) =>
    new DataLoader<string, string | null>(async (needIds) => {
      const rows: { need_id: string; roadshow_id: string }[] = await ctx.db.query(
        `SELECT n.id AS need_id, coalesce(n.roadshow_id, p.roadshow_id) AS roadshow_id
           FROM financing_need n LEFT JOIN roadshow_pitch p ON p.need_id = n.id
          WHERE n.id = ANY($1::uuid[]) AND (n.roadshow_id IS NOT NULL OR p.roadshow_id IS NOT NULL)`,
        [[...needIds]],
      );
      const map = new Map(rows.map((r) => [r.need_id, r.roadshow_id]));
      return needIds.map((id) => map.get(id) ?? null);
    }),
);

/** RS3: a match is the roadshow's when its need is and its product's institution attended (accepted the invitation). */
export const roadshowOfMatch = defineLoader(
  (ctx) =>
    new DataLoader<string, string | null>(async (matchIds) => {
      const rows: { match_id: string; roadshow_id: string }[] = await ctx.db.query(
        `SELECT m.id AS match_id, a.roadshow_id
           FROM match m
           JOIN financing_need n ON n.id = m.need_id
           LEFT JOIN roadshow_pitch p ON p.need_id = n.id
          CROSS JOIN LATERAL (SELECT coalesce(n.roadshow_id, p.roadshow_id) AS roadshow_id) a
           JOIN roadshow_invitation i ON i.roadshow_id = a.roadshow_id AND i.institution_id = m.institution_id AND i.status = 'ACCEPTED'
          WHERE m.id = ANY($1::uuid[])`,
        [[...matchIds]],
      );
      const map = new Map(rows.map((r) => [r.match_id, r.roadshow_id]));
      return matchIds.map((id) => map.get(id) ?? null);
    }),
);
