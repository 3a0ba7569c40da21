/**
 * The request context (STYLE.md habit 5): who asks, in which language, the database, and the request's
 * DataLoaders. Every service method takes it first.
 *
 * It sits in common/, below the domains: it names what it carries by interfaces (the refresh queue is
 * common/refresh.ts's port, which matching implements and server.ts injects), so importing it closes no
 * cycle (docs/ARCHITECTURE.md "Boundaries").
 */
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { DataSource, EntityTarget, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';
import type { Viewer } from '../auth/jwt';
import type { Config } from '../config';
import { groupBy } from './collections';
import type { Lang } from './messages';
import type { RefreshQueue } from './refresh';

export interface RequestContext {
  viewer: Viewer | null;
  /** Why a presented token was refused (expired, bad signature…), for the UNAUTHENTICATED message. */
  tokenProblem: string | null;
  lang: Lang;
  /**
   * Where this operation reads: the replica for a query when READ_DATABASE_URL is set (server.ts
   * `readReplicaPlugin`), else the primary.
   */
  db: DataSource;
  /** Where writes go, those a read makes too (R10's audit of credit reads): always the primary. */
  primary: DataSource;
  config: Config;
  log: Logger;
  /** Where changes queue the refresh of the matches they affect (R13 freshness). */
  refresh: RefreshQueue;
  /** Per-request loaders, created on first use by `defineLoader`. */
  loaders: Map<object, unknown>;
}

/** A context whose viewer is known (resolvers behind @Authorized). */
export type AuthedContext = RequestContext & { viewer: Viewer };

/** A context reading and writing `db` (one database, no replica), unless `primary` is given. */
export function createContext(parts: Omit<RequestContext, 'loaders' | 'primary'> & { primary?: DataSource }): RequestContext {
  return { ...parts, primary: parts.primary ?? parts.db, loaders: new Map() };
}

/**
 * Declares a per-request loader (STYLE.md habit 4: one DataLoader per relation, per request). The factory
 * runs once per request; later calls return the same loader, so one page's relations batch together.
 */
export function defineLoader<K, V, C = K>(factory: (ctx: RequestContext) => DataLoader<K, V, C>): (ctx: RequestContext) => DataLoader<K, V, C> {
  const token = {};
  return (ctx) => {
    let loader = ctx.loaders.get(token) as DataLoader<K, V, C> | undefined;
    if (!loader) {
      loader = factory(ctx);
      ctx.loaders.set(token, loader);
    }
    return loader;
  };
}

/** Loads rows by a unique column in one statement and returns them in key order (null where missing). */
export function byKey<T extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<T>, property: keyof T & string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = await ctx.db.getRepository(entity).findBy({ [property]: In([...keys]) } as FindOptionsWhere<T>);
    const map = new Map(rows.map((r) => [r[property] as string, r]));
    return keys.map((k) => map.get(k) ?? null);
  });
}

/** Groups rows by a parent key in one statement and returns each parent's list in key order. */
export function groupedBy<T>(keyOf: (row: T) => string, load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T[]>(async (ids) => {
    const groups = groupBy(await load([...ids]), keyOf);
    return ids.map((id) => groups.get(id) ?? []);
  });
}
