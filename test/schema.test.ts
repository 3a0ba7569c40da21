import fs from 'node:fs';
import path from 'node:path';
import { buildSchema as parseSdl, GraphQLNamedType, isObjectType, isInputObjectType, isEnumType, isInterfaceType, parse, validate } from 'graphql';
import { finmatchSchema, printedSchema } from '../src/schema';

describe('schema/schema.graphql', () => {
  it('equals the schema the code generates (run `npm run schema:emit` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '../schema/schema.graphql'), 'utf8');
    expect(committed).toBe(printedSchema(await finmatchSchema()));
  });

  it('describes every type, field, argument and enum value (analysts read the schema)', async () => {
    const schema = parseSdl(printedSchema(await finmatchSchema()));
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) if (!arg.description && !['filter', 'input'].includes(arg.name)) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('accepts every example in the README (clients copy them)', async () => {
    const schema = parseSdl(printedSchema(await finmatchSchema()));
    const readme = fs.readFileSync(path.join(__dirname, '../README.md'), 'utf8');
    const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(examples.length).toBeGreaterThan(3);
    const problems = examples.flatMap((text, i) => validate(schema, parse(text)).map((e) => `example ${i + 1}: ${e.message}`));
    expect(problems).toEqual([]);
  });
});
