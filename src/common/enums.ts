/**
 * Domain enums are plain string lists in the pure modules; this registers one as a GraphQL enum with a
 * description for the type and for every value (analysts read the schema, not the code).
 */
import { registerEnumType } from 'type-graphql';

export type EnumObject<T extends string> = { [K in T]: K };

export function graphqlEnum<T extends string>(
  name: string,
  values: readonly T[],
  description: string,
  valueDescriptions: Record<T, string>,
): EnumObject<T> {
  const object = Object.fromEntries(values.map((v) => [v, v])) as EnumObject<T>;
  registerEnumType(object, {
    name,
    description,
    valuesConfig: Object.fromEntries(values.map((v) => [v, { description: valueDescriptions[v] }])) as never,
  });
  return object;
}
