/**
 * Relay connections (API.md conventions): `first` 1..100 (default 20), `after`, edges with cursors,
 * `pageInfo`, `totalCount`. Pages are keyset pages: the cursor carries the sort key of the last row, so a
 * page costs the same at row 1,000,000 as at row 1. `totalCount` runs only when it is selected.
 */
import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import { Limits } from '../config';
import { badArgument } from './errors';

@ObjectType({ description: 'Where a page stands in its list.', simpleResolvers: true })
export class PageInfo {
  @Field({ description: 'True when rows follow this page.' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` for the next page.' })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** What a resolver returns for a connection field; `totalCount` is counted only on demand. */
export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  count: () => Promise<number>;
}

export interface ConnectionClass<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/** Builds `<Name>Connection` and `<Name>Edge` for a node type. */
export function connectionType<T extends object>(nodeType: ClassType<T>, name: string, what: string): ClassType<ConnectionClass<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.`, simpleResolvers: true })
  class EdgeType {
    @Field({ description: 'Opaque position of this edge; pass it as `after` to continue after it.' })
    cursor: string;

    @Field(() => nodeType, { description: `The ${what}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what}s (Relay connection).` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The rows of this page, in order.' })
    edges: Edge<T>[];

    @Field(() => PageInfo, { description: 'Whether more rows follow, and the cursor to fetch them.' })
    pageInfo: PageInfo;

    count: () => Promise<number>;

    @Field(() => Int, { description: 'How many rows the whole list has under the same filter (all pages).' })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  return ConnectionType;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Checks `first` against the limits and decodes `after`. */
export function pageWindow(args: PageArgs, limits: Limits): { limit: number; after: unknown[] | null } {
  const first = args.first ?? limits.defaultPageSize;
  if (!Number.isInteger(first) || first < 1 || first > limits.maxPageSize) {
    throw badArgument(`"first" must be between 1 and ${limits.maxPageSize}`, 'first');
  }
  return { limit: first, after: args.after ? decodeCursor(args.after) : null };
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length > 0 && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key;
  } catch {
    // fall through
  }
  throw badArgument('"after" is not a cursor this API issued', 'after');
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says that more follow. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[], count: () => Promise<number>): Page<T> {
  const hasNextPage = rows.length > limit;
  const slice = hasNextPage ? rows.slice(0, limit) : rows;
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null }, count };
}
