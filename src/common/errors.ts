/** A query argument the API cannot use (queries have no userErrors): BAD_USER_INPUT naming the argument. */
import { GraphQLError } from 'graphql';

export function badArgument(message: string, argument: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument, ...extensions } });
}
