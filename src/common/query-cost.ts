/**
 * What an operation costs the database, estimated from the document before anything runs (STYLE.md
 * habit 8; the limit is config.ts's maxQueryComplexity).
 *
 * The walk is linear in the document's size: a fragment's cost is computed once per request and reused at
 * every spread, so seven levels of fragments each spreading the one below ten times (10^7 spreads in
 * 0.6 KB) cost seven visits of a fragment, not ten million, while the cost itself still counts every spread.
 *
 * The model, in units of roughly "one row read":
 * - a field: 1; a field on a paged list (`first`) is one query: PAGE_QUERY, plus its `filter`'s conditions
 *   (FILTER_CONDITION each: an unindexed predicate or a join over the list, e.g. the whitelist's credit
 *   filters), plus `first` times what one item selects (the connection's list fields, `edges`/`nodes`);
 *   `first` beyond maxPageSize is refused before the database is asked, so it counts as maxPageSize;
 * - `totalCount`: on a root field TOTAL_COUNT, a count over the whole filtered list; on a nested connection
 *   PAGE_QUERY, since it counts one parent's children, grouped with its siblings' in one statement;
 * - FIELD_COSTS below: fields that aggregate a table (every `stats` section) or run the match engine.
 * Several inline fragments on one abstract type add up (an upper bound of what one object selects).
 */
import {
  DocumentNode, FragmentDefinitionNode, getNamedType, getNullableType, GraphQLCompositeType, GraphQLField, GraphQLSchema,
  isCompositeType, isInterfaceType, isListType, isObjectType, Kind, OperationDefinitionNode, SchemaMetaFieldDef,
  SelectionSetNode, TypeMetaFieldDef, TypeNameMetaFieldDef, ValueNode, valueFromASTUntyped,
} from 'graphql';

export const PAGE_QUERY = 10;
export const TOTAL_COUNT = 500;
export const FILTER_CONDITION = 50;

/** Fields whose resolver reads far more rows than it returns, by `Type.field` (`Type.*`: every field of the type). */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  // Each section aggregates every need, match, loan or booking in the range.
  'Stats.*': 1000,
  // Every R13 check of one need against one product, with the terms and the guarantors they route to.
  'Query.explainMatch': 100,
  // The firm's whitelist entries at a date across every whitelist.
  'Query.qualificationStatus': 20,
};

export interface CostOptions {
  defaultPageSize: number;
  maxPageSize: number;
}

export interface CostEstimate {
  cost: number;
  /** Selections walked: proportional to the document's size, whatever its spreads multiply to. */
  visits: number;
}

/** A selection set's cost: what it costs once, plus what it costs per item of the page it lists. */
interface SetCost {
  once: number;
  each: number;
  /** It selects `totalCount`: the paged field above it counts its list. */
  counted: boolean;
}

const NOTHING: Readonly<SetCost> = { once: 0, each: 0, counted: false };

type Variables = Record<string, unknown>;

function argumentValue(node: ValueNode | undefined, variables: Variables): unknown {
  if (!node) return undefined;
  return valueFromASTUntyped(node, variables);
}

/** False when `@skip(if: true)` or `@include(if: false)` (literal or variable) leaves the selection out. */
function included(node: { directives?: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: ValueNode }[] }[] }, variables: Variables): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const value = argumentValue(directive.arguments?.find((a) => a.name.value === 'if')?.value, variables);
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value === false) return false;
  }
  return true;
}

function fieldDefinition(parent: GraphQLCompositeType, name: string, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function fieldCost(parent: GraphQLCompositeType, name: string): number {
  return FIELD_COSTS[`${parent.name}.${name}`] ?? FIELD_COSTS[`${parent.name}.*`] ?? 1;
}

/** The conditions a `filter` argument sets (each field given, not null). */
function filterConditions(filter: unknown): number {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return 0;
  return Object.values(filter).filter((v) => v !== null && v !== undefined).length;
}

/**
 * The estimated cost of `operation` (the one to run) with `variables`, in one walk linear in the size of
 * `document`. Selections the schema does not know cost nothing (validation has refused them already).
 */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables, options: CostOptions): CostEstimate {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fragmentCosts = new Map<string, SetCost>();
  let visits = 0;

  const pageSize = (value: unknown): number => {
    const first = typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : options.defaultPageSize;
    return Math.min(first, options.maxPageSize);
  };

  function fragmentCost(name: string): SetCost {
    const known = fragmentCosts.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    // Placed before the walk: a cycle (which validation refuses) ends here instead of recursing.
    fragmentCosts.set(name, NOTHING);
    const cost = fragment && isCompositeType(type) ? setCost(fragment.selectionSet, type) : NOTHING;
    fragmentCosts.set(name, cost);
    return cost;
  }

  /** `each` collects the list fields directly in this set: a paged parent multiplies them by its `first`. */
  function setCost(set: SelectionSetNode, parent: GraphQLCompositeType): SetCost {
    const total: SetCost = { once: 0, each: 0, counted: false };
    const add = (cost: SetCost) => {
      total.once += cost.once;
      total.each += cost.each;
      total.counted ||= cost.counted;
    };
    for (const selection of set.selections) {
      visits++;
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        add(fragmentCost(selection.name.value));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) add(setCost(selection.selectionSet, type));
        continue;
      }
      const definition = fieldDefinition(parent, selection.name.value, schema);
      if (!definition) continue;
      if (definition.name === 'totalCount') total.counted = true;
      const named = getNamedType(definition.type);
      const children = selection.selectionSet && isCompositeType(named) ? setCost(selection.selectionSet, named) : NOTHING;
      const args = new Map((selection.arguments ?? []).map((a) => [a.name.value, a.value]));
      let cost: number;
      if (definition.args.some((a) => a.name === 'first')) {
        const first = pageSize(argumentValue(args.get('first'), variables));
        const conditions = filterConditions(argumentValue(args.get('filter'), variables));
        const count = children.counted ? (isRoot(parent) ? TOTAL_COUNT : PAGE_QUERY) : 0;
        cost = PAGE_QUERY + FILTER_CONDITION * conditions + count + children.once + first * children.each;
      } else {
        cost = fieldCost(parent, selection.name.value) + children.once + children.each;
      }
      if (isListType(getNullableType(definition.type))) total.each += cost;
      else total.once += cost;
    }
    return total;
  }

  const isRoot = (type: GraphQLCompositeType) => type === schema.getQueryType() || type === schema.getMutationType() || type === schema.getSubscriptionType();
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return { cost: 0, visits };
  const root = setCost(operation.selectionSet, rootType);
  return { cost: root.once + root.each, visits };
}
