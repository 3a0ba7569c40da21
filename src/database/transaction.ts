/**
 * A mutation is one transaction (STYLE.md habit 5). A refused result rolls the transaction back, so a
 * refusal found after writing started still writes nothing.
 */
import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context';
import { RefusedError, Result, refused } from '../common/user-error';

export async function inTransaction<T>(ctx: RequestContext, work: (em: EntityManager) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await ctx.db.transaction(async (em) => {
      const result = await work(em);
      if (!result.ok) throw new RefusedError(result.failures);
      return result;
    });
  } catch (error) {
    if (error instanceof RefusedError) return refused(...error.failures);
    throw error;
  }
}

/** PostgreSQL's SQLSTATE of a driver error, if any. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function constraintOf(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const name = e?.driverError?.constraint ?? e?.constraint;
  return typeof name === 'string' ? name : undefined;
}

export const UNIQUE_VIOLATION = '23505';
