/**
 * Keyset pages for Relay connections, newest first: ORDER BY created_at DESC, id DESC, and the cursor
 * holds (created_at, id) of the last row, so a page costs the same deep in the list as at its start.
 * `childPages` pages a relation for many parents in one statement (a window per parent), so a page of
 * 100 enterprises with their needs costs what a page of 5 does.
 */
import DataLoader from 'dataloader';
import { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RequestContext } from '../common/context';
import { Page, PageArgs, pageWindow, toPage } from '../common/connection';
import { groupBy } from '../common/collections';
import { badArgument } from '../common/errors';

interface Keyed {
  id: string;
  createdAt: Date;
}

export const keyOf = (row: Keyed): unknown[] => [row.createdAt.toISOString(), row.id];

const UUID = /^[0-9a-f-]{36}$/;

export function afterBound(after: unknown[] | null): { at: string; id: string } | null {
  if (!after) return null;
  const [at, id] = after;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !UUID.test(id)) {
    throw badArgument('"after" is not a cursor of this list', 'after');
  }
  return { at, id };
}

/**
 * One page of `qb` (already filtered); counts the whole filtered list only if `totalCount` is asked.
 * `alias` is the table the order and the bound apply to; `repeatOn` names joined tables that share the
 * same (created_at, id), so the bound is stated on them too and the planner can range-scan both sides.
 */
export async function keysetPage<T extends Keyed & ObjectLiteral>(
  ctx: RequestContext,
  qb: SelectQueryBuilder<T>,
  alias: string,
  args: PageArgs,
  options: { repeatOn?: string[] } = {},
): Promise<Page<T>> {
  const { limit, after } = pageWindow(args, ctx.config.limits);
  const countQuery = qb.clone();
  const bound = afterBound(after);
  if (bound) {
    for (const a of [alias, ...(options.repeatOn ?? [])]) {
      qb.andWhere(`(${a}.created_at, ${a}.id) < (:afterAt::timestamptz, :afterId::uuid)`, { afterAt: bound.at, afterId: bound.id });
    }
  }
  const rows = await qb.orderBy(`${alias}.created_at`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').limit(limit + 1).getMany();
  let counted: Promise<number> | undefined;
  return toPage(rows, limit, keyOf, () => (counted ??= countQuery.getCount()));
}

/** A hand-written list for `sqlKeysetPage`: `select` and `from` over `alias`, filtered by `where` with positional `params`. */
export interface SqlList {
  select: string;
  from: string;
  alias: string;
  where: string;
  params: unknown[];
}

/**
 * `keysetPage` for a list written in SQL rather than a query builder: one page newest first, the cursor's
 * bound and the limit appended to `params`; the whole filtered list counted only if `totalCount` is asked.
 */
export async function sqlKeysetPage<R extends Keyed & ObjectLiteral>(ctx: RequestContext, list: SqlList, args: PageArgs): Promise<Page<R>> {
  const { limit, after } = pageWindow(args, ctx.config.limits);
  const bound = afterBound(after);
  const { alias: a, params } = list;
  const n = params.length;
  const rows: R[] = await ctx.db.query(
    `SELECT ${list.select} FROM ${list.from}
      WHERE (${list.where}) AND ($${n + 1}::timestamptz IS NULL OR (${a}.created_at, ${a}.id) < ($${n + 1}::timestamptz, $${n + 2}::uuid))
      ORDER BY ${a}.created_at DESC, ${a}.id DESC LIMIT $${n + 3}`,
    [...params, bound?.at ?? null, bound?.id ?? null, limit + 1],
  );
  let counted: Promise<number> | undefined;
  const count = async () => ((await ctx.db.query(`SELECT count(*)::int AS n FROM ${list.from} WHERE ${list.where}`, params)) as { n: number }[])[0].n;
  return toPage(rows, limit, keyOf, () => (counted ??= count()));
}

export interface ChildPageKey {
  parentId: string;
  first?: number | null;
  after?: string | null;
  /** Extra filter the field takes (statuses…), as JSON; rows are grouped by it. */
  filter?: string;
}

export interface ChildPagesSpec<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  /** Column holding the parent id, e.g. enterprise_id. */
  parentColumn: string;
  /** Property name of that column on the entity, e.g. enterpriseId. */
  parentProperty: keyof T & string;
  /** Adds the field's filter (and visibility) to a query over alias `x`. */
  where?: (qb: SelectQueryBuilder<T>, filter: unknown) => void;
}

/** Keys that share a window (first, after, filter) are fetched by one statement. */
const windowOf = (k: ChildPageKey) => JSON.stringify([k.first ?? null, k.after ?? null, k.filter ?? '']);
const pageKey = (k: ChildPageKey) => `${windowOf(k)}|${k.parentId}`;
const countKey = (k: { parentId: string; filter?: string }) => `${k.filter ?? ''}|${k.parentId}`;

/** A DataLoader of per-parent pages: one statement per distinct (first, after, filter), whatever the parent count. */
export function childPages<T extends Keyed & ObjectLiteral>(ctx: RequestContext, spec: ChildPagesSpec<T>): DataLoader<ChildPageKey, Page<T>, string> {
  const counts = new DataLoader<{ parentId: string; filter?: string }, number, string>(
    async (keys) => {
      const out = new Map<string, number>();
      for (const [filter, group] of groupBy(keys, (k) => k.filter ?? '')) {
        const qb = ctx.db.createQueryBuilder(spec.entity, 'x')
          .select(`x.${spec.parentColumn}`, 'parent')
          .addSelect('count(*)::int', 'n')
          .where(`x.${spec.parentColumn} = ANY(:parents::uuid[])`, { parents: group.map((k) => k.parentId) })
          .groupBy(`x.${spec.parentColumn}`);
        spec.where?.(qb, filter ? JSON.parse(filter) : undefined);
        for (const row of await qb.getRawMany<{ parent: string; n: number }>()) out.set(countKey({ parentId: row.parent, filter }), row.n);
      }
      return keys.map((k) => out.get(countKey(k)) ?? 0);
    },
    { cacheKeyFn: countKey },
  );

  return new DataLoader<ChildPageKey, Page<T>, string>(
    async (keys) => {
      const pages = new Map<string, Page<T>>();
      for (const group of groupBy(keys, windowOf).values()) {
        const { first, after, filter } = group[0];
        const { limit, after: afterKey } = pageWindow({ first, after }, ctx.config.limits);
        const bound = afterBound(afterKey);
        const inner = ctx.db.createQueryBuilder(spec.entity, 'x')
          .select('x.id', 'id')
          .addSelect(`row_number() OVER (PARTITION BY x.${spec.parentColumn} ORDER BY x.created_at DESC, x.id DESC)`, 'rn')
          .where(`x.${spec.parentColumn} = ANY(:parents::uuid[])`, { parents: group.map((k) => k.parentId) });
        spec.where?.(inner, filter ? JSON.parse(filter) : undefined);
        if (bound) inner.andWhere('(x.created_at, x.id) < (:afterAt::timestamptz, :afterId::uuid)', { afterAt: bound.at, afterId: bound.id });
        const rows = await ctx.db.createQueryBuilder(spec.entity, 'p')
          .where(`p.id IN (SELECT w.id FROM (${inner.getQuery()}) w WHERE w.rn <= :pageLimit)`)
          .setParameters({ ...inner.getParameters(), pageLimit: limit + 1 })
          .orderBy('p.created_at', 'DESC')
          .addOrderBy('p.id', 'DESC')
          .getMany();
        const byParent = groupBy(rows, (row) => row[spec.parentProperty] as string);
        for (const key of group) {
          pages.set(pageKey(key), toPage(byParent.get(key.parentId) ?? [], limit, keyOf, () => counts.load({ parentId: key.parentId, filter: key.filter })));
        }
      }
      return keys.map((k) => pages.get(pageKey(k))!);
    },
    { cacheKeyFn: pageKey },
  );
}
