/**
 * Read-replica mode (READ_DATABASE_URL, docs/DEPLOY.md "With a read replica"): once Apollo knows the
 * operation, a query reads from the replica; a mutation reads and writes on the primary, so it sees its
 * own writes and the rows it locks. Writes a read makes — R10's audit of credit reads — go to
 * `ctx.primary` whichever database answers the read.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { RequestContext } from './context';

export function readReplicaPlugin(reads: DataSource): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'query') contextValue.db = reads;
        },
      };
    },
  };
}
