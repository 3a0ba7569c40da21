/**
 * Compiled execution (src/common/compiled-execution.ts) answers as graphql-js does: the same data, errors
 * as graphql-js's (extensions kept, refused variables stated as Apollo reads them), and a literal of one
 * of our scalars — which graphql-jit would write into its code as JSON — kept exact by running that
 * document interpreted.
 */
import { execute, GraphQLError, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString, Kind, parse } from 'graphql';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { compiledExecution } from '../../src/common/compiled-execution';

class Exact { constructor(readonly text: string) {} }
const Exactly = new GraphQLScalarType({
  name: 'Exact',
  serialize: (v) => (v instanceof Exact ? v.text : String(v)),
  parseValue: (v) => new Exact(String(v)),
  parseLiteral: (ast) => new Exact(ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT ? ast.value : '?'),
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      // What the resolver was given: an Exact instance, or whatever else arrived.
      echo: { type: GraphQLString, args: { x: { type: Exactly } }, resolve: (_, { x }) => (x instanceof Exact ? `exact ${x.text}` : `not exact: ${JSON.stringify(x)}`) },
      fails: { type: GraphQLString, resolve: () => { throw new GraphQLError('refused', { extensions: { code: 'FORBIDDEN' } }); } },
    },
  }),
});

async function executorOf(compileAfter: number): Promise<GatewayExecutor> {
  const { executor } = await compiledExecution(schema, compileAfter).load({ apollo: {} });
  return executor!;
}
const request = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return { document, request: { query, variables }, context: {}, operationName: null } as unknown as GatewayGraphQLRequestContext;
};

it('answers as graphql-js, compiled or not, a literal of our scalar included', async () => {
  const run = await executorOf(1);
  for (const [query, variables] of [['{ echo(x: "0.0435") }', {}], ['query Q($x: Exact) { echo(x: $x) }', { x: '0.0435' }]] as const) {
    const req = request(query, variables);
    const expected = await execute({ schema, document: req.document, variableValues: variables });
    expect(expected.data).toEqual({ echo: 'exact 0.0435' });
    for (let i = 0; i < 3; i += 1) expect(await run(req)).toEqual(expected);
  }
});

it("keeps a resolver error's extensions and states refused variables as graphql-js does", async () => {
  const run = await executorOf(1);
  const failed = await run(request('{ fails }'));
  expect(failed.data).toEqual({ fails: null });
  expect(failed.errors![0]).toBeInstanceOf(GraphQLError);
  expect(failed.errors![0]).toMatchObject({ message: 'refused', path: ['fails'], extensions: { code: 'FORBIDDEN' } });
  const refused = await run(request('query Q($x: Exact!) { echo(x: $x) }', {}));
  expect(refused.data).toBeUndefined();
  // Apollo reads the variable definition node to answer BAD_USER_INPUT.
  expect(refused.errors![0].nodes?.[0].kind).toBe(Kind.VARIABLE_DEFINITION);
});
