/**
 * Limits stated once (STYLE.md habit 8), enforced before execution: nothing runs without a valid token
 * (API.md: nothing is public), and a document bigger, deeper, wider or costlier than config.ts allows is
 * refused with QUERY_TOO_COMPLEX and HTTP 400, in time linear in its size. In order:
 *
 * 1. parse: graphql-js stops at `maxQueryTokens` tokens (`queryLimits().parseOptions`);
 * 2. validation: graphql-armor's rules count aliases, directives and depth through fragments, each
 *    fragment once per request (`queryLimits().validationRules`); graphql-js's own budget for comparing
 *    same-named fields ("Validation aborted.") is a limit too;
 * 3. didResolveOperation: the token is checked (UNAUTHENTICATED), every list in the arguments and
 *    variables is at most `maxListItems` long (BAD_USER_INPUT), and the cost (query-cost.ts) is at most
 *    `maxQueryComplexity`.
 *
 * "Did you mean …" suggestions name fields and values of the schema: they are removed from every error
 * in production and from the errors of a request without a valid token.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { DocumentNode, GraphQLError, Kind, ParseOptions, ValidationContext, ValidationRule, visit } from 'graphql';
import { RequestContext } from './context';
import { unauthenticated } from '../auth/errors';
import { message } from './messages';
import { Limits } from '../config';
import { badArgument } from './errors';
import { estimateCost } from './query-cost';

const TOO_COMPLEX = 'QUERY_TOO_COMPLEX';
const HTTP_400 = { http: { status: 400 } };

export function queryTooComplex(message: string, details: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: TOO_COMPLEX, ...details, ...HTTP_400 } });
}

/** graphql-armor reports "Syntax Error: Aliases limit of 30 exceeded, found 31.": the same words, as QUERY_TOO_COMPLEX. */
const reportAs = (limit: string, maximum: number) => (context: ValidationContext | null, error: GraphQLError) => {
  const found = Number(/found (\d+)/.exec(error.message)?.[1]);
  context?.reportError(queryTooComplex(error.message.replace(/^Syntax Error: /, ''), { limit, maximum, found: Number.isFinite(found) ? found : undefined }));
};

/** What Apollo Server takes: the parser's token limit and the validation rules that count through fragments. */
export function queryLimits(limits: Limits): { parseOptions: ParseOptions; validationRules: ValidationRule[] } {
  const common = { exposeLimits: true, propagateOnRejection: false };
  return {
    parseOptions: { maxTokens: limits.maxQueryTokens },
    validationRules: [
      maxAliasesRule({ ...common, n: limits.maxQueryAliases, onReject: [reportAs('aliases', limits.maxQueryAliases)] }),
      maxDirectivesRule({ ...common, n: limits.maxQueryDirectives, onReject: [reportAs('directives', limits.maxQueryDirectives)] }),
      // Depth counts fields, as a client reads its nesting: fragments and introspection add no level.
      maxDepthRule({ ...common, n: limits.maxQueryDepth, flattenFragments: true, ignoreIntrospection: true, onReject: [reportAs('depth', limits.maxQueryDepth)] }),
    ],
  };
}

/** graphql-js's words when `maxTokens` stops the parser (16.x writes "more that"). */
const TOKEN_LIMIT = /Document contains more (?:than|that) (\d+) tokens/;
const VALIDATION_ABORTED = 'Validation aborted.';
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/** Parse and validation errors carry Apollo's codes: a limit among them is QUERY_TOO_COMPLEX (still HTTP 400). */
function asLimitError(error: GraphQLError): void {
  const extensions = error.extensions as Record<string, unknown>;
  const original = error.originalError;
  if (original instanceof GraphQLError && original.extensions.code === TOO_COMPLEX && extensions.code !== TOO_COMPLEX) {
    Object.assign(extensions, original.extensions, { code: TOO_COMPLEX });
    return;
  }
  const tokens = extensions.code === 'GRAPHQL_PARSE_FAILED' ? TOKEN_LIMIT.exec(error.message) : null;
  if (tokens) Object.assign(extensions, { code: TOO_COMPLEX, limit: 'tokens', maximum: Number(tokens[1]) });
  // graphql-js stops comparing same-named fields past its own budget (OverlappingFieldsCanBeMerged).
  if (extensions.code === 'GRAPHQL_VALIDATION_FAILED' && error.message === VALIDATION_ABORTED) Object.assign(extensions, { code: TOO_COMPLEX, limit: 'validation' });
}

/** The longest list in the operation's literal arguments and in the variables, and where it is. */
function longestList(document: DocumentNode, variables: Record<string, unknown>): { length: number; at: string } {
  let longest = { length: 0, at: '' };
  const path: (string | number)[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      if (value.length > longest.length) longest = { length: value.length, at: `$${path.join('.')}` };
      value.forEach((v, i) => {
        path.push(i);
        walk(v);
        path.pop();
      });
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        path.push(key);
        walk(v);
        path.pop();
      }
    }
  };
  walk(variables);
  visit(document, {
    [Kind.LIST]: (node) => {
      if (node.values.length > longest.length) longest = { length: node.values.length, at: `line ${node.loc?.startToken.line ?? '?'}` };
    },
  });
  return longest;
}

export function limitsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue: ctx }) {
      const hideSuggestions = ctx.config.production || !ctx.viewer;
      return {
        async didResolveOperation({ schema, document, request, operation }) {
          if (!ctx.viewer) throw unauthenticated(ctx.lang, ctx.tokenProblem ?? undefined);
          if (!operation) return;
          const { maxQueryComplexity, maxListItems, defaultPageSize, maxPageSize } = ctx.config.limits;
          const variables = request.variables ?? {};
          const list = longestList(document, variables);
          if (list.length > maxListItems) {
            const text = message(ctx.lang, 'LIST_TOO_LONG', { length: list.length, at: list.at, limit: maxListItems });
            throw badArgument(text, list.at, { length: list.length, limit: maxListItems, ...HTTP_400 });
          }
          const { cost } = estimateCost(schema, document, operation, variables, { defaultPageSize, maxPageSize });
          if (cost > maxQueryComplexity) {
            throw queryTooComplex(`Query cost ${cost} exceeds the limit of ${maxQueryComplexity}`, { limit: 'cost', found: cost, maximum: maxQueryComplexity });
          }
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            asLimitError(error);
            if (hideSuggestions) error.message = error.message.replace(SUGGESTION, '');
          }
        },
      };
    },
  };
}
