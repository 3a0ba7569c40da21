/**
 * `node(id:)` looks a type up in the registry each domain fills beside its resolver (common/node.ts).
 * A type that implements `Node` in the schema but has no registration would answer null for every id:
 * these tests hold the schema, the id types and the registry to one list, so a new type cannot be forgotten.
 */
import 'reflect-metadata';
import { isObjectType } from 'graphql';
import { NODE_TYPES } from '../../src/common/ids';
import { registeredNodeTypes, registerNode } from '../../src/common/node';
import { finmatchSchema } from '../../src/schema';

describe('the node registry', () => {
  it('has one registration for every type that implements Node, and none besides', async () => {
    const schema = await finmatchSchema();
    const implementations = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'))
      .map((type) => type.name)
      .sort();
    expect(implementations.length).toBeGreaterThan(10);
    expect([...registeredNodeTypes()].sort()).toEqual(implementations);
  });

  it('lists the same types an id can name (NODE_TYPES)', async () => {
    await finmatchSchema();
    expect([...registeredNodeTypes()].sort()).toEqual([...NODE_TYPES].sort());
  });

  it('refuses a second registration of a type', async () => {
    await finmatchSchema();
    expect(() => registerNode({ typename: 'Loan', load: async () => null, visible: () => true })).toThrow(/registered twice/);
  });
});
