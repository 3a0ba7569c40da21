/**
 * Limits stated once (STYLE.md habit 8), enforced before execution: nothing runs without a valid token
 * (API.md: nothing is public), and a document deeper or costlier than config.ts allows is refused with
 * QUERY_TOO_COMPLEX. Cost: each field 1, a list field multiplies its children by `first` (default 20).
 */
import { ApolloServerPlugin } from '@apollo/server';
import { FieldNode, FragmentDefinitionNode, GraphQLError, Kind, SelectionSetNode } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { RequestContext } from '../auth/context';
import { unauthenticated } from '../auth/errors';

const pagedEstimator =
  (defaultPageSize: number): ComplexityEstimator =>
  ({ args, childComplexity, field }) => {
    if (!field.args.some((a) => a.name === 'first')) return undefined;
    const first = typeof args.first === 'number' && args.first > 0 ? args.first : defaultPageSize;
    return 1 + first * Math.max(childComplexity, 1);
  };

function depthOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = selection as FieldNode;
      if (field.name.value.startsWith('__')) continue;
      deepest = Math.max(deepest, 1 + depthOf(field.selectionSet, fragments, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      if (seen.has(name) || !fragments[name]) continue;
      deepest = Math.max(deepest, depthOf(fragments[name].selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return deepest;
}

export function limitsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue: ctx, schema, document, request, operation }) {
          if (!ctx.viewer) throw unauthenticated(ctx.lang, ctx.tokenProblem ?? undefined);
          if (!operation) return;
          const { maxQueryDepth, maxQueryComplexity, defaultPageSize } = ctx.config.limits;
          const fragments = Object.fromEntries(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const depth = depthOf(operation.selectionSet, fragments, new Set());
          if (depth > maxQueryDepth) {
            throw new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxQueryDepth}`, { extensions: { code: 'QUERY_TOO_COMPLEX', depth, limit: maxQueryDepth } });
          }
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [pagedEstimator(defaultPageSize), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Variables that do not fit the operation: execution reports them as BAD_USER_INPUT.
            return;
          }
          if (cost > maxQueryComplexity) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxQueryComplexity}`, { extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit: maxQueryComplexity } });
          }
        },
      };
    },
  };
}
