/**
 * The Relay `Node` interface (API.md): every object with an id implements it and `node(id:)` fetches it.
 * Entities register the GraphQL type they are shown as, so `resolveType` needs no guessing.
 */
import { Field, ID, InterfaceType } from 'type-graphql';

const typeNames = new Map<Function, string>();

/** Declares that instances of `entity` are shown as the GraphQL object type `name`. */
export function showsAs(entity: Function, name: string): void {
  typeNames.set(entity, name);
}

@InterfaceType({
  description: 'An object with a globally unique, opaque id; fetch any of them with `node(id:)`.',
  resolveType: (value: object) => typeNames.get(value.constructor),
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque, globally unique id. Do not parse it.' })
  id: string;
}
