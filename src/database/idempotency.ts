/**
 * Client retries (R11's idempotency key, and the same for money movements): a mutation given a key
 * claims it first, in its own transaction, by inserting the key row. A concurrent retry waits on the
 * row's primary key until the first transaction ends, then finds the key with the first result and
 * returns that instead of acting twice. A key is bound to its operation and to the request it came
 * with: reusing it for anything else is refused (IDEMPOTENCY_KEY_REUSED).
 */
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { isDecimal } from '../common/decimal';
import { failure, Failure } from '../common/user-error';
import { IdempotencyKeyEntity } from '../needs/need.entity';

/** The request's input as a stable text (keys sorted, decimals as written), without the key itself. */
export function fingerprint(input: object): string {
  const canonical = JSON.stringify(input, (key, value) => {
    if (key === 'idempotencyKey') return undefined;
    if (isDecimal(value)) return value.toFixed();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]));
    }
    return value;
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export type Claim =
  /** The key is new: act, then `settle` it with the result's id. */
  | { kind: 'new'; settle(resultId: string): Promise<void> }
  /** A retry: the first request's result id. */
  | { kind: 'replay'; resultId: string }
  | { kind: 'refused'; failure: Failure };

export async function claimKey(em: EntityManager, sub: string, key: string, operation: string, input: object): Promise<Claim> {
  const requestHash = fingerprint(input);
  const claimed = await em.query(
    `INSERT INTO idempotency_key (sub, key, operation, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
    [sub, key, operation, requestHash],
  );
  if (claimed.length) {
    return { kind: 'new', settle: async (resultId) => { await em.update(IdempotencyKeyEntity, { sub, key }, { resultId }); } };
  }
  const first = await em.getRepository(IdempotencyKeyEntity).findOneByOrFail({ sub, key });
  if (first.requestHash !== requestHash || first.operation !== operation || !first.resultId) {
    return { kind: 'refused', failure: failure('idempotencyKey', 'IDEMPOTENCY_KEY_REUSED') };
  }
  return { kind: 'replay', resultId: first.resultId };
}
