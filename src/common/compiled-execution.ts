/**
 * Compiled execution (issue 14): an operation Apollo has parsed and validated runs as a function that
 * graphql-jit generated for its document, instead of graphql-js walking the document for every field of
 * every row. The resolvers are the schema's own — type-graphql's authorization, argument validation and
 * field resolvers run as before — and the result is the same (the whole suite runs on it); what goes is
 * the per-field interpretation: building an info object, collecting fields and checking types for each
 * of a page's hundreds of fields.
 *
 * A document is compiled on its `compileAfter`th execution (GRAPHQL_COMPILE_AFTER, 2 by default; the
 * tests compile on the first), graphql-js running it before: a client
 * sending a new document each time makes the server interpret, never compile (compiling costs many
 * executions' time). Compiled functions are kept per parsed document, which Apollo caches per query
 * text, so they go when Apollo's cache lets the document go.
 *
 * It plugs into Apollo as a gateway — Apollo's interface for an executor of its own — so parsing,
 * validation, the plugins, errors and the response stay Apollo's. With tracing on, operations run on
 * graphql-js, whose `execute` OpenTelemetry's graphql instrumentation hooks.
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import {
  BREAK, execute, ExecutionResult, getNamedType, GraphQLError, GraphQLScalarType, GraphQLSchema, Kind, printSchema, specifiedScalarTypes, TypeInfo, visit,
  visitWithTypeInfo,
} from 'graphql';
import { CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { DocumentNode } from 'graphql';

interface Compiled { runs: number; compilable?: boolean; byOperation: Map<string | null, CompiledQuery | ExecutionResult> }

export function compiledExecution(schema: GraphQLSchema, compileAfter: number): GatewayInterface {
  const documents = new WeakMap<DocumentNode, Compiled>();
  const compiled = (document: DocumentNode, operationName: string | null) => {
    let entry = documents.get(document);
    if (!entry) documents.set(document, (entry = { runs: 0, byOperation: new Map() }));
    entry.runs += 1;
    if (entry.runs < compileAfter || !(entry.compilable ??= compilable(schema, document))) return null;
    let query = entry.byOperation.get(operationName);
    if (!query) entry.byOperation.set(operationName, (query = compileQuery(schema, document, operationName ?? undefined)));
    return query;
  };
  return {
    async load() {
      return {
        executor: async (request) => {
          const variables = request.request.variables ?? {};
          const query = compiled(request.document, request.operationName);
          const interpret = () => execute({ schema, document: request.document, contextValue: request.context, variableValues: variables, operationName: request.operationName });
          if (query === null || !isCompiledQuery(query)) return interpret();
          const result = await query.query(undefined, request.context, variables);
          // No data: the variables were refused before anything ran. graphql-js states that refusal as
          // Apollo reads it (BAD_USER_INPUT, naming the variable), so it answers, running nothing either.
          if (result.errors?.length && result.data === undefined) return interpret();
          return asGraphqlJsErrors(result);
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}

const BUILT_IN = new Set(specifiedScalarTypes.map((t) => t.name));
const LITERALS = new Set<string>([Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.ENUM, Kind.NULL]);

/**
 * Whether graphql-jit keeps the document's meaning: it writes the values of literal arguments into the
 * generated code as JSON, so a literal of one of our scalars (a Decimal parsed to an exact number, a
 * Date refused as an InvalidDate that validation reports) would reach the resolver as something else.
 * A document with one runs interpreted; in variables (as clients send them) those values are coerced per
 * request and compile well.
 */
function compilable(schema: GraphQLSchema, document: DocumentNode): boolean {
  const types = new TypeInfo(schema);
  let ours = false;
  visit(document, visitWithTypeInfo(types, {
    enter(node) {
      if (!LITERALS.has(node.kind)) return undefined;
      const type = getNamedType(types.getInputType());
      if (type instanceof GraphQLScalarType && !BUILT_IN.has(type.name)) {
        ours = true;
        return BREAK;
      }
      return undefined;
    },
  }));
  return !ours;
}

/**
 * graphql-jit's errors are read-only objects without `extensions` unless their cause had some; Apollo's
 * plugins (limits.plugin.ts among them) and formatError expect graphql-js's. Same message, path,
 * locations, cause and extensions.
 */
function asGraphqlJsErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((e) => {
      const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions });
      if (e.locations) Object.assign(error, { locations: e.locations });
      return error;
    }),
  };
}
