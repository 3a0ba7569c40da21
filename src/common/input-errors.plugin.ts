/**
 * Issue 11 §3: bad input is the client's error, never an internal one. graphql-js stops coercing a
 * request's variables after 50 errors with "Too many errors processing variables, error limit reached",
 * an error without a code or a variable node, so Apollo (which codes only the per-variable errors
 * BAD_USER_INPUT) reports it as INTERNAL_SERVER_ERROR. It is about the variables the client sent:
 * this plugin gives it BAD_USER_INPUT and HTTP 400, like the errors before it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';

const VARIABLE_ERROR_LIMIT = 'Too many errors processing variables, error limit reached.';

function isVariableErrorLimit(error: GraphQLError): boolean {
  return error.extensions?.code == null && !error.path && error.message.startsWith(VARIABLE_ERROR_LIMIT);
}

export function inputErrorsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (!isVariableErrorLimit(error)) continue;
            // GraphQLError's extensions object is its own (graphql-js builds one per error): coding it here is what Apollo formats next.
            Object.assign(error.extensions, { code: 'BAD_USER_INPUT', http: { status: 400 } });
          }
        },
      };
    },
  };
}
