/**
 * Named prepared statements for the hot paths (matching): PostgreSQL plans a statement once per
 * connection instead of on every call, which for a complex statement costs more than running it. A name
 * must always carry the same text. Outside a transaction's query runner it falls back to a plain query.
 * The statement is still logged, so statement counts in tests see it.
 */
import type { EntityManager } from 'typeorm';

interface PgClient { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> }

export async function preparedQuery<T>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = em.queryRunner;
  if (!runner || runner.isReleased) return em.query(text, values);
  const client = (await runner.connect()) as PgClient;
  em.connection.logger.logQuery(text, values, runner);
  const result = await client.query({ name, text, values });
  return result.rows as T[];
}
