/** Which errors are an outage (503, retryable) and which stay internal faults. */
import { EventEmitter } from 'node:events';
import { GraphQLError } from 'graphql';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable, watchConnections } from '../../src/database/unavailable';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', coded('ECONNREFUSED')],
    ['a reset connection', coded('ECONNRESET')],
    ['admin shutdown (57P01)', coded('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown (57P02)', coded('57P02')],
    ['starting up (57P03)', coded('57P03', 'the database system is starting up')],
    ['a connection failure (08006)', coded('08006')],
    ['too many connections (53300)', coded('53300')],
    ['a connection that ended mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['TypeORM\'s QueryFailedError around one', Object.assign(new Error('query failed'), { driverError: coded('57P01') })],
    ['a GraphQLError around one', new GraphQLError('x', { originalError: coded('ECONNREFUSED') })],
    ['a cause', new Error('x', { cause: coded('ECONNRESET') })],
    ['a socket error graphql-js printed (thrown from another realm)', new Error('Unexpected error value: { errno: -111, code: "ECONNREFUSED", syscall: "connect" }')],
  ])('%s is one', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', coded('23505')],
    ['a serialization failure', coded('40001')],
    ['a plain bug', new Error('Cannot read properties of undefined')],
    ['a printed value with another code', new Error('Unexpected error value: { code: "ENOENT" }')],
    ['nothing', null],
  ])('%s is not', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('a transaction cut short ("Query runner already released")', () => {
  const released = () => Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), { name: 'QueryRunnerAlreadyReleasedError' });
  const watch = () => {
    const pool = new EventEmitter();
    return { pool, watcher: watchConnections({ driver: { master: pool } } as unknown as DataSource) };
  };

  it('is an internal fault when no connection broke (a bug: a manager used after its transaction)', () => {
    expect(watch().watcher.cutShortByOutage(new GraphQLError('x', { originalError: released() }))).toBe(false);
  });

  it('is an outage right after a checked-out connection broke', () => {
    const { pool, watcher } = watch();
    const client = new EventEmitter();
    pool.emit('connect', client);
    client.emit('error', new Error('Connection terminated unexpectedly'));
    expect(watcher.cutShortByOutage(new GraphQLError('x', { originalError: released() }))).toBe(true);
  });

  it('is an outage the same way when the statement went through the transaction\'s EntityManager (TypeORM names that error apart)', () => {
    const { pool, watcher } = watch();
    const throughManager = Object.assign(new Error('Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.'),
      { name: 'QueryRunnerProviderAlreadyReleasedError' });
    expect(watcher.cutShortByOutage(new GraphQLError('x', { originalError: throughManager }))).toBe(false);
    pool.emit('error', new Error('Connection terminated unexpectedly'));
    expect(watcher.cutShortByOutage(new GraphQLError('x', { originalError: throughManager }))).toBe(true);
  });

  it('is an outage right after an idle pooled connection broke', () => {
    const { pool, watcher } = watch();
    pool.emit('error', new Error('Connection terminated unexpectedly'));
    expect(watcher.cutShortByOutage(released())).toBe(true);
  });

  it('is an outage when the server closed a connection we did not end (pg emits only end), not when we ended it', () => {
    const { pool, watcher } = watch();
    const ours = Object.assign(new EventEmitter(), { _ending: true });
    pool.emit('connect', ours);
    ours.emit('end');
    expect(watcher.cutShortByOutage(released())).toBe(false);
    const cut = new EventEmitter();
    pool.emit('connect', cut);
    cut.emit('end');
    expect(watcher.cutShortByOutage(released())).toBe(true);
  });

  it('watches the connections the pool opened before it was watched (during the start: migrations, demo data)', () => {
    const earlier = new EventEmitter();
    const pool = Object.assign(new EventEmitter(), { _clients: [earlier] });
    const watcher = watchConnections({ driver: { master: pool } } as unknown as DataSource);
    earlier.emit('end');
    expect(watcher.cutShortByOutage(released())).toBe(true);
  });
});
