/**
 * R11 — financing needs: posting (idempotent, duplicates refused across channels), withdrawal, expiry
 * past needed-by, and who sees which needs (R10).
 */
import DataLoader from 'dataloader';
import { SelectQueryBuilder } from 'typeorm';
import { byKey, defineLoader, RequestContext } from '../common/context';
import { distinct } from '../common/collections';
import { PageArgs } from '../common/connection';
import { queryDate } from '../common/scalars';
import { uuidOf } from '../common/ids';
import { duplicates, Failure, failure, ok, refused, Result } from '../common/user-error';
import { childPages, keysetPage } from '../database/pages';
import { inTransaction } from '../database/transaction';
import { checkCreditCode } from '../enterprises/credit-code';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { institutionSeesMatchSql } from '../matching/match.rules';
import { refreshNeeds } from '../matching/match.service';
import { FinancingNeedEntity } from './need.entity';
import { claimKey } from '../database/idempotency';
import { PostFinancingNeedInput, WithdrawFinancingNeedInput } from './need.inputs';
import { activeStatusSql, effectiveStatusSql } from './need.lifecycle';
import { expireOverdueNeeds, moveNeeds } from './need.moves';
import { Channel, CHANNELS, effectiveStatus, NeedStatus } from './need.rules';
import { FinancingNeedFilter } from './need.type';
import { requestToday } from '../database/clock';
import { roadshowForPosting } from '../roadshows/roadshow.attribution';

export const needById = defineLoader((ctx) => byKey(ctx, FinancingNeedEntity, 'id'));

/** What the viewer may see (R10): its own needs, all needs, or the needs matched to its institution. */
export type NeedScope = { kind: 'all' } | { kind: 'enterprise'; enterpriseId: string | null } | { kind: 'institution'; institutionId: string };

export async function needScope(ctx: RequestContext): Promise<NeedScope> {
  const viewer = ctx.viewer!;
  if (viewer.role === 'ENTERPRISE') return { kind: 'enterprise', enterpriseId: await viewerEnterpriseId(ctx) };
  if (viewer.institutionId) return { kind: 'institution', institutionId: viewer.institutionId };
  return { kind: 'all' };
}

function applyScope(qb: SelectQueryBuilder<FinancingNeedEntity>, alias: string, scope: NeedScope): void {
  if (scope.kind === 'enterprise') {
    if (scope.enterpriseId) qb.andWhere(`${alias}.enterprise_id = :scopeEnterprise`, { scopeEnterprise: scope.enterpriseId });
    else qb.andWhere('false');
  } else if (scope.kind === 'institution') {
    // R10: an institution sees the needs matched to its products, a guarantor those routed to it; a match
    // it acted on keeps the need visible after the pair stops qualifying.
    qb.andWhere(`EXISTS (SELECT 1 FROM match m WHERE m.need_id = ${alias}.id AND ${institutionSeesMatchSql('m', ':scopeInstitution')})`, {
      scopeInstitution: scope.institutionId,
    });
  }
}

export async function canViewNeed(ctx: RequestContext, need: FinancingNeedEntity): Promise<boolean> {
  const scope = await needScope(ctx);
  if (scope.kind === 'all') return true;
  if (scope.kind === 'enterprise') return scope.enterpriseId === need.enterpriseId;
  return needsVisibleToInstitution(ctx).load(need.id);
}

/** For an institution viewer: which needs have a match of its products or routed to it (R10). */
const needsVisibleToInstitution = defineLoader(
  (ctx) =>
    new DataLoader<string, boolean>(async (needIds) => {
      const rows: { need_id: string }[] = await ctx.db.query(
        `SELECT DISTINCT m.need_id FROM match m WHERE m.need_id = ANY($1::uuid[]) AND ${institutionSeesMatchSql('m', '$2')}`,
        [[...needIds], ctx.viewer!.institutionId],
      );
      const visible = new Set(rows.map((r) => r.need_id));
      return needIds.map((id) => visible.has(id));
    }),
);

export function readerStatus(need: FinancingNeedEntity, today: string): NeedStatus {
  return effectiveStatus(need.status, need.neededBy, today);
}

/** Statuses as readers see them (an active need past needed-by, by the database's day, is EXPIRED). */
function applyStatuses(qb: SelectQueryBuilder<FinancingNeedEntity>, alias: string, statuses: readonly NeedStatus[] | null | undefined): void {
  if (statuses?.length) qb.andWhere(`${effectiveStatusSql(alias, 'shanghai_today()')} IN (:...statuses)`, { statuses: distinct(statuses) });
}

function applyFilter(qb: SelectQueryBuilder<FinancingNeedEntity>, alias: string, filter: FinancingNeedFilter | null | undefined): void {
  applyStatuses(qb, alias, filter?.status);
  if (!filter) return;
  if (filter.kind) qb.andWhere(`${alias}.kind = :kind`, { kind: filter.kind });
  if (filter.channel) qb.andWhere(`${alias}.channel = :channel`, { channel: filter.channel });
  if (filter.postedFrom) qb.andWhere(`${alias}.created_at >= (:postedFrom::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { postedFrom: queryDate(filter.postedFrom, 'filter.postedFrom') });
  if (filter.postedTo) qb.andWhere(`${alias}.created_at < (:postedTo::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`, { postedTo: queryDate(filter.postedTo, 'filter.postedTo') });
  const enterpriseConditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.creditCode) {
    enterpriseConditions.push('e.credit_code = :creditCode');
    params.creditCode = checkCreditCode(filter.creditCode).code;
  }
  if (filter.regionPrefix) {
    enterpriseConditions.push('left(e.region_code, length(:regionPrefix)) = :regionPrefix');
    params.regionPrefix = filter.regionPrefix;
  }
  if (filter.industryChain) {
    enterpriseConditions.push(':industryChain = ANY(e.industry_chains)');
    params.industryChain = filter.industryChain;
  }
  if (enterpriseConditions.length) {
    qb.andWhere(`${alias}.enterprise_id IN (SELECT e.id FROM enterprise e WHERE ${enterpriseConditions.join(' AND ')})`, params);
  }
}

/** `financingNeeds`: a page of the needs the viewer may see, newest first. */
export async function listNeeds(ctx: RequestContext, filter: FinancingNeedFilter | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(FinancingNeedEntity).createQueryBuilder('n');
  applyScope(qb, 'n', await needScope(ctx));
  applyFilter(qb, 'n', filter);
  return keysetPage(ctx, qb, 'n', page);
}

/** `Enterprise.needs` for every enterprise on a page: one statement, under the same R10 scope as `financingNeeds`. */
const needsByEnterprise = defineLoader((ctx) =>
  childPages<FinancingNeedEntity>(ctx, {
    entity: FinancingNeedEntity,
    parentColumn: 'enterprise_id',
    parentProperty: 'enterpriseId',
    where: (qb, filter) => {
      const { scope, statuses } = filter as { scope: NeedScope; statuses: NeedStatus[] | null };
      applyScope(qb, 'x', scope);
      applyStatuses(qb, 'x', statuses);
    },
  }),
);

export async function enterpriseNeeds(ctx: RequestContext, enterpriseId: string, statuses: NeedStatus[] | null, page: PageArgs) {
  const filter = JSON.stringify({ scope: await needScope(ctx), statuses: statuses && distinct(statuses) });
  return needsByEnterprise(ctx).load({ parentId: enterpriseId, ...page, filter });
}

/** MINI_PROGRAM, or ROADSHOW for a need posted for a roadshow. */
const defaultChannel = (input: PostFinancingNeedInput): Channel => (input.roadshowId != null ? 'ROADSHOW' : 'MINI_PROGRAM');

function needFailures(input: PostFinancingNeedInput, today: string): Failure[] {
  const failures: Failure[] = [];
  const channel = input.channel ?? defaultChannel(input);
  if (!(CHANNELS as readonly string[]).includes(channel)) failures.push(failure('channel', 'INVALID_CHANNEL', { allowed: CHANNELS.join(', ') }));
  if (input.neededBy && input.neededBy < today) failures.push(failure('neededBy', 'DATE_IN_PAST', { today }));
  if (input.kind === 'LOAN') {
    if (input.termMonths == null) failures.push(failure('termMonths', 'REQUIRED'));
    if (input.equity != null) failures.push(failure('equity', 'NOT_APPLICABLE', { kind: 'LOAN' }));
    if (input.collateralOffered) failures.push(...duplicates(['collateralOffered'], input.collateralOffered));
  } else {
    if (input.equity == null) failures.push(failure('equity', 'REQUIRED'));
    for (const field of ['termMonths', 'purpose', 'maxAnnualRate', 'collateralOffered', 'acceptGuarantee'] as const) {
      if (input[field] != null) failures.push(failure(field, 'NOT_APPLICABLE', { kind: 'EQUITY' }));
    }
  }
  return failures;
}

/** Marks active needs past their needed-by date EXPIRED (R11's EXPIRE); returns how many changed. */
export { expireOverdueNeeds } from './need.moves';

/**
 * postFinancingNeed. With an idempotency key, the key row is inserted first in the same transaction:
 * a concurrent retry waits on its primary key until this transaction ends, then reads the result, so
 * retries make one need. An identical active need (kind, amount, term) is refused as DUPLICATE_NEED by a
 * unique index, whichever channel posted it.
 */
export async function postNeed(ctx: RequestContext, input: PostFinancingNeedInput): Promise<Result<FinancingNeedEntity>> {
  const viewer = ctx.viewer!;
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return refused(failure([], 'NOT_REGISTERED'));
  const today = await requestToday(ctx);

  return inTransaction(ctx, async (em) => {
    const claim = input.idempotencyKey ? await claimKey(em, viewer.sub, input.idempotencyKey, 'postFinancingNeed', input) : null;
    if (claim?.kind === 'refused') return refused(claim.failure);
    if (claim?.kind === 'replay') return ok(await em.getRepository(FinancingNeedEntity).findOneByOrFail({ id: claim.resultId }));

    const roadshow = await roadshowForPosting(em, input, enterpriseId, today);
    const failures = [...needFailures(input, today), ...roadshow.failures];
    if (failures.length) return refused(...failures);

    await expireOverdueNeeds(em, enterpriseId, today);
    const loan = input.kind === 'LOAN';
    const need = em.getRepository(FinancingNeedEntity).create({
      enterpriseId,
      kind: input.kind,
      status: 'OPEN',
      channel: (input.channel ?? defaultChannel(input)) as Channel,
      roadshowId: roadshow.roadshowId,
      amount: input.amount,
      termMonths: loan ? input.termMonths! : null,
      purpose: loan ? (input.purpose ?? null) : null,
      collateralOffered: loan ? (input.collateralOffered ?? []) : [],
      maxAnnualRate: loan ? (input.maxAnnualRate ?? null) : null,
      acceptGuarantee: loan ? (input.acceptGuarantee ?? true) : false,
      neededBy: input.neededBy ?? null,
      equityStage: input.equity?.stage ?? null,
      preMoneyValuation: input.equity?.preMoneyValuation ?? null,
      maxShareOffered: input.equity?.maxShareOffered ?? null,
      useOfProceeds: input.equity?.useOfProceeds ?? null,
      postedBy: viewer.sub,
    });
    // The only unique index a new row can meet is the duplicate rule's (the id is fresh).
    const inserted = await em.createQueryBuilder().insert().into(FinancingNeedEntity).values(need).orIgnore().returning('id').execute();
    if (inserted.raw.length === 0) {
      const existing = await em.getRepository(FinancingNeedEntity).createQueryBuilder('n')
        .where('n.enterprise_id = :enterpriseId AND n.kind = :kind AND n.amount = :amount', { enterpriseId, kind: input.kind, amount: input.amount.toFixed() })
        .andWhere('coalesce(n.term_months, 0) = :term', { term: loan ? input.termMonths : 0 })
        .andWhere(activeStatusSql('n'))
        .getOne();
      return refused(failure('amount', 'DUPLICATE_NEED', { channel: existing?.channel ?? '?' }));
    }
    const id: string = inserted.raw[0].id;
    if (claim?.kind === 'new') await claim.settle(id);
    // R13: a posted need has its matches when the mutation returns. A product change committed while this
    // transaction runs is not seen here, and its own refresh cannot see this need before it commits: the
    // need's refresh, queued to run after the commit, closes that gap (docs/MATCHING.md "Staying current").
    await refreshNeeds(em, [id], { today });
    await ctx.refresh.enqueue(em, { kind: 'enterprises', ids: [enterpriseId] });
    return ok(await em.getRepository(FinancingNeedEntity).findOneByOrFail({ id }));
  });
}

/** withdrawFinancingNeed: the owning enterprise (or an admin) withdraws an active need. */
export async function withdrawNeed(ctx: RequestContext, input: WithdrawFinancingNeedInput): Promise<Result<FinancingNeedEntity>> {
  const id = uuidOf(input.needId, 'FinancingNeed');
  if (!id) return refused(failure('needId', 'INVALID_ID'));
  const ownEnterprise = ctx.viewer!.role === 'ENTERPRISE' ? await viewerEnterpriseId(ctx) : null;
  return inTransaction(ctx, async (em) => {
    const repo = em.getRepository(FinancingNeedEntity);
    const need = await repo.createQueryBuilder('n').setLock('pessimistic_write').where('n.id = :id', { id }).getOne();
    // Another enterprise's need is reported as missing, not as forbidden: ids do not leak.
    if (!need || (ctx.viewer!.role === 'ENTERPRISE' && need.enterpriseId !== ownEnterprise)) return refused(failure('needId', 'NOT_FOUND'));
    const moves = await moveNeeds(em, [id], 'WITHDRAW', { reason: input.reason?.trim() || null });
    if (moves.refused.length) return refused(failure('needId', 'NEED_NOT_WITHDRAWABLE', { status: readerStatus(need, await requestToday(ctx)) }));
    return ok(await repo.findOneByOrFail({ id }));
  });
}
