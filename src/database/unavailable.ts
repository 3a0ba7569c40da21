/**
 * Errors that mean "PostgreSQL cannot be reached right now" rather than a fault in a request or in
 * finmatch: the server is down or restarting, a connection was cut, or it refuses new ones for now.
 * Such a request may be retried as is (SECURITY.md "It recovers by itself").
 */
import type { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';

/** Socket errors of a connection that could not be made or was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown (a backend told
 * that another one crashed), 57P03 cannot_connect_now (starting up, in recovery), 53300 too_many_connections.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres's and pg-pool's own messages for a connection that ended or could not be made in time. */
const DRIVER_MESSAGES = /^Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/;

/**
 * graphql-js replaces a thrown value that is not an `instanceof Error` by a new Error whose message
 * prints it ("Unexpected error value: { errno: -111, code: "ECONNREFUSED", … }"). A socket error made
 * by Node's core is such a value wherever `Error` is another realm's (jest's sandbox), so its code is
 * read from that message.
 */
const PRINTED_CODE = /^Unexpected error value: .*\bcode: "([A-Z0-9_]+)"/s;

function unavailableCode(code: string): boolean {
  return SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}

/** True when `test` holds for the error or one it wraps. */
function inChain(error: unknown, test: (e: Record<string, unknown>) => boolean): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift() as Record<string, unknown> | null | undefined;
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (test(e)) return true;
    // GraphQLError → originalError, TypeORM's QueryFailedError → driverError, Error.cause, AggregateError.errors.
    queue.push(e.originalError, e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return false;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return inChain(error, (e) => {
    if (typeof e.code === 'string' && unavailableCode(e.code)) return true;
    if (typeof e.message !== 'string') return false;
    if (DRIVER_MESSAGES.test(e.message)) return true;
    const printed = PRINTED_CODE.exec(e.message);
    return !!printed && unavailableCode(printed[1]);
  });
}

/**
 * A statement sent through a query runner TypeORM released: by the runner itself (its COMMIT, a query
 * builder's statement) or through the transaction's EntityManager (`em.query`, which TypeORM reports as
 * QueryRunnerProviderAlreadyReleasedError: seen in CI's recovery test, a date check's read of the day).
 */
const releasedRunner = (e: Record<string, unknown>): boolean =>
  e.name === 'QueryRunnerAlreadyReleasedError' || e.name === 'QueryRunnerProviderAlreadyReleasedError'
  || /^Query runner already released|^Database connection provided by a query runner was already released/.test(String(e.message));

/** How long after a pooled connection broke a transaction cut short by it is still blamed on the outage. */
const BROKEN_WINDOW_MS = 30_000;

/**
 * Watches a DataSource's pool for connections that break. When one breaks inside a transaction, TypeORM
 * releases its query runner, and the transaction's next statement (or its COMMIT, which then was never
 * sent) fails on the released runner (`releasedRunner`): an outage, not a bug, but only shortly after a
 * connection broke. Otherwise that error stays an internal fault.
 */
export function watchConnections(dataSource: DataSource): { cutShortByOutage(error: unknown): boolean } {
  let lastBreak = -Infinity;
  const mark = () => {
    lastBreak = Date.now();
  };
  type Client = EventEmitter & { _ending?: boolean };
  const pool = (dataSource.driver as unknown as { master?: EventEmitter & { _clients?: Client[] } }).master;
  const watch = (client: Client) => {
    client.on('error', mark);
    // The server closed a connection we did not end (PostgreSQL killed while the connection sat idle in
    // a transaction, between two statements): pg emits 'end' and no 'error', yet the transaction's next
    // statement then meets a released query runner.
    client.on('end', () => {
      if (!client._ending) mark();
    });
  };
  pool?.on('error', mark);
  pool?.on('connect', watch);
  // Connections the pool opened before (the start's migrations and demo data) are watched too: one of them
  // may carry the transaction an outage cuts short (seen in CI's recovery test).
  for (const client of pool?._clients ?? []) watch(client);
  return {
    cutShortByOutage(error) {
      if (isDatabaseUnavailable(error)) {
        mark();
        return true;
      }
      return Date.now() - lastBreak < BROKEN_WINDOW_MS && inChain(error, releasedRunner);
    },
  };
}
