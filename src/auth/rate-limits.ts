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

export interface RateLimiters {
  /** Counts one request against each of its keys; the first limit passed, or null. */
  consume(keys: RequestKeys): Promise<Limited | null>;
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
  const subject = limiter('subject', limits.perSubject);
  const institution = limiter('institution', limits.perInstitution);
  const address = limiter('address', limits.perAddress);
  const failures = limiter('auth-failure', limits.authFailures);

  return {
    async consume(keys) {
      const checks: [Limited['scope'], Promise<unknown>][] = [['address', address.consume(keys.address)]];
      if (keys.subject) checks.push(['subject', subject.consume(subjectKey(keys.subject))]);
      if (keys.institutionId) checks.push(['institution', institution.consume(keys.institutionId)]);
      const outcomes = await Promise.allSettled(checks.map(([, check]) => check));
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'rejected') return limitedBy(checks[i][0], outcome.reason);
      }
      return null;
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

function limitedBy(scope: Limited['scope'], reason: unknown): Limited {
  if (!(reason instanceof RateLimiterRes)) throw reason;
  return { scope, retryAfterSeconds: Math.max(1, Math.ceil(reason.msBeforeNext / 1000)) };
}

/** Subjects are kept hashed: the table needs to tell them apart, not to know them. */
function subjectKey(subject: string): string {
  return createHash('sha256').update(subject).digest('base64url');
}
