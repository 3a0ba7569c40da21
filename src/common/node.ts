/**
 * The Relay `Node` interface (API.md): every object with an id implements it and `node(id:)` fetches it.
 * Entities register the GraphQL type they are shown as, so `resolveType` needs no guessing; each domain
 * registers, beside its resolver, how one of its nodes is loaded and who may see it (R10), so `node(id:)`
 * only looks the type up here and imports no domain (test/common/node.test.ts holds every `Node` type of
 * the schema to a registration).
 */
import { Field, ID, InterfaceType } from 'type-graphql';
import type { RequestContext } from './context';
import { fromGlobalId, NodeTypeName } from './ids';

const typeNames = new Map<Function, string>();

/** Declares that instances of `entity` are shown as the GraphQL object type `name`. */
export function showsAs(entity: Function, name: string): void {
  typeNames.set(entity, name);
}

/** The GraphQL type a node is shown as, by its entity class (`showsAs`). */
export const nodeTypeOf = (value: object): string | undefined => typeNames.get(value.constructor);

@InterfaceType({
  description: 'An object with a globally unique, opaque id; fetch any of them with `node(id:)`.',
  resolveType: nodeTypeOf,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque, globally unique id. Do not parse it.' })
  id: string;
}

/** How `node(id:)` fetches one type: its loader and its visibility rule (R10), registered by the type's domain. */
export interface NodeDefinition<T extends object> {
  typename: NodeTypeName;
  /** The row behind a uuid, or null when there is none. */
  load(ctx: RequestContext, uuid: string): Promise<T | null>;
  /** Whether the viewer may see the row; `node(id:)` answers null when not, as for a missing one. */
  visible(ctx: RequestContext, row: T): boolean | Promise<boolean>;
}

const definitions = new Map<string, NodeDefinition<object>>();

/** Registers how `node(id:)` loads and guards `typename`; one registration per type. */
export function registerNode<T extends object>(definition: NodeDefinition<T>): void {
  if (definitions.has(definition.typename)) throw new Error(`node type ${definition.typename} is registered twice`);
  definitions.set(definition.typename, definition as NodeDefinition<object>);
}

/** The registered type names (for the test that every `Node` type of the schema has one). */
export function registeredNodeTypes(): string[] {
  return [...definitions.keys()];
}

/** Visibility of a type every signed-in role may read (public facts: institutions, products, pools, rules). */
export const anyViewer = (): boolean => true;

/** `node(id:)`: the object an id names, or null when the id is malformed, names nothing, or the viewer may not see it. */
export async function fetchNode(ctx: RequestContext, id: string): Promise<object | null> {
  const parsed = fromGlobalId(id);
  const definition = parsed && definitions.get(parsed.type);
  if (!parsed || !definition) return null;
  const row = await definition.load(ctx, parsed.uuid);
  return row && (await definition.visible(ctx, row)) ? row : null;
}
