/**
 * Rate limits (issue 11 §1): requests per window by token subject, by institution and by client address,
 * and refused tokens by client address. The counters live in PostgreSQL (table `rate_limit`, made by a
 * migration), so several API processes on one database share them; a key over its limit is then refused
 * from memory until its window ends, without asking the database again. If the database cannot be
 * reached, each process falls back to counting in its own memory.
 */
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import type { RateLimits } from '../config';
import { DATABASE_NOW_SQL } from '../database/clock';

/** The limit a request ran into, and how long until it may try again. */
export interface Limited {
  scope: 'subject' | 'institution' | 'address' | 'authentication';
  retryAfterSeconds: number;
}

export interface RequestKeys {
  address: string;
  /** Issuer and `sub` of a verified token. */
  subject: string | null;
  institutionId: string | null;
}

/** A request counted: the first limit it passed, or null; and the database's now, read in the same statement (null when the count did not reach the database). */
export interface Counted {
  limited: Limited | null;
  databaseNow: Date | null;
}

export interface RateLimiters {
  /** Counts one request against each of its keys. */
  consume(keys: RequestKeys): Promise<Counted>;
  /** Counts a refused token against its address; past the limit the address is blocked and this says for how long. */
  failedAuthentication(address: string): Promise<Limited | null>;
}

export const RATE_LIMIT_TABLE = 'rate_limit';

export function createRateLimiters(dataSource: DataSource, limits: RateLimits): RateLimiters {
  const limiter = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      storeClient: dataSource,
      storeType: 'typeorm',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      keyPrefix,
      points,
      duration: limits.windowSeconds,
      inMemoryBlockOnConsumed: points,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: limits.windowSeconds }),
    });
  const address = limiter('address', limits.perAddress);
  const failures = limiter('auth-failure', limits.authFailures);

  const counted = countedTogether(dataSource, limits, [
    ['address', 'address', limits.perAddress], ['subject', 'subject', limits.perSubject], ['institution', 'institution', limits.perInstitution],
  ]);
  return {
    async consume(keys) {
      const asked: [Limited['scope'], string][] = [['address', keys.address]];
      if (keys.subject) asked.push(['subject', subjectKey(keys.subject)]);
      if (keys.institutionId) asked.push(['institution', keys.institutionId]);
      return counted(asked);
    },
    async failedAuthentication(key) {
      try {
        await failures.consume(key);
        return null;
      } catch (reason) {
        const limited = limitedBy('authentication', reason);
        // Block the address itself: every request from it is refused until the block ends, whatever its
        // token, so a guessed token cannot be told from a wrong one by the answer.
        await address.block(key, limits.authFailureBlockSeconds);
        return { ...limited, retryAfterSeconds: limits.authFailureBlockSeconds };
      }
    },
  };
}

/**
 * A request's keys counted in one statement (issue 14: one round trip instead of one per key), with the
 * semantics of rate-limiter-flexible's RateLimiterPostgres on the same rows — keys `<prefix>:<key>`, a
 * window that starts at a key's first point and ends at `expire` — so `block()` and the failed-
 * authentication limiter, which stay on the library, share them. A key past its limit is refused from
 * memory until its window ends without asking the database (inMemoryBlockOnConsumed). Keys are locked in
 * one order, so two requests sharing keys cannot deadlock. If the database cannot be reached, each key
 * falls back to counting in this process's memory, as the library's insurance limiter does.
 */
function countedTogether(dataSource: DataSource, limits: RateLimits, scopes: [Limited['scope'], string, number][]) {
  const byScope = new Map(scopes.map(([scope, prefix, points]) => [scope, {
    prefix, points, insurance: new RateLimiterMemory({ keyPrefix: prefix, points, duration: limits.windowSeconds }),
  }]));
  const blocked = new Map<string, number>();
  type CountRow = { key: string; points: number; expire: string | null; database_now: number };
  const pool = () => (dataSource.driver as unknown as { master: { query(text: string, values: unknown[]): Promise<{ rows: CountRow[] }> } }).master;
  const refused = (scope: Limited['scope'], ms: number): Limited => ({ scope, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) });
  return async (asked: [Limited['scope'], string][]): Promise<Counted> => {
    const now = Date.now();
    const rows = asked.map(([scope, key]) => ({ scope, key: `${byScope.get(scope)!.prefix}:${key}`, ...byScope.get(scope)! }));
    for (const row of rows) {
      const until = blocked.get(row.key);
      if (until !== undefined && until > now) return { limited: refused(row.scope, until - now), databaseNow: null };
      if (until !== undefined) blocked.delete(row.key);
    }
    let result: CountRow[];
    try {
      // The database's now comes back with the counts (src/database/clock.ts `primeRequestNow`): a request
      // that depends on the day reads it from here instead of in a statement of its own.
      result = (await pool().query(
        `INSERT INTO ${RATE_LIMIT_TABLE} AS r (key, points, expire) SELECT k, 1, $2::bigint FROM unnest($1::text[]) AS k ORDER BY k
           ON CONFLICT (key) DO UPDATE SET
             points = CASE WHEN r.expire <= $3::bigint THEN 1 ELSE r.points + 1 END,
             expire = CASE WHEN r.expire <= $3::bigint THEN $2::bigint ELSE r.expire END
         RETURNING key, points, expire, (extract(epoch FROM ${DATABASE_NOW_SQL}) * 1000)::float8 AS database_now`,
        [rows.map((r) => r.key), now + limits.windowSeconds * 1000, now],
      )).rows;
    } catch {
      for (const row of rows) {
        try {
          await row.insurance.consume(row.key.slice(row.prefix.length + 1));
        } catch (reason) {
          return { limited: limitedBy(row.scope, reason), databaseNow: null };
        }
      }
      return { limited: null, databaseNow: null };
    }
    const databaseNow = result.length ? new Date(result[0].database_now) : null;
    const found = new Map(result.map((r) => [r.key, r]));
    for (const row of rows) {
      const { points, expire } = found.get(row.key)!;
      const ms = expire === null ? -1 : Math.max(Number(expire) - Date.now(), 0);
      if (points >= row.points && ms > 0) blocked.set(row.key, Date.now() + ms);
      if (points > row.points) return { limited: refused(row.scope, ms), databaseNow };
    }
    return { limited: null, databaseNow };
  };
}

function limitedBy(scope: Limited['scope'], reason: unknown): Limited {
  if (!(reason instanceof RateLimiterRes)) throw reason;
  return { scope, retryAfterSeconds: Math.max(1, Math.ceil(reason.msBeforeNext / 1000)) };
}

/** Subjects are kept hashed: the table needs to tell them apart, not to know them. */
function subjectKey(subject: string): string {
  return createHash('sha256').update(subject).digest('base64url');
}
