/**
 * Named prepared statements for the hot paths (matching): PostgreSQL plans a statement once per
 * connection instead of on every call, which for a complex statement costs more than running it. The
 * statement's name is a hash of its text, so one name never carries two texts. Outside a transaction's
 * query runner it falls back to a plain query.
 * The statement is still logged, so statement counts in tests see it. Behind a pooler in transaction
 * mode a named statement may meet a server connection that has it already, or lacks it: a DataSource made
 * `withoutNamedStatements` sends plain statements instead.
 */
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

interface PgClient { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> }

const names = new Map<string, string>();
const nameOf = (text: string) => {
  let name = names.get(text);
  if (!name) names.set(text, (name = `fm_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`));
  return name;
};

const plain = new WeakSet<DataSource>();

export function withoutNamedStatements(dataSource: DataSource): void {
  plain.add(dataSource);
}

export async function preparedQuery<T>(em: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const runner = em.queryRunner;
  if (!runner || runner.isReleased || plain.has(em.connection)) return em.query(text, values);
  const client = (await runner.connect()) as PgClient;
  em.connection.logger.logQuery(text, values, runner);
  const result = await client.query({ name: nameOf(text), text, values });
  return result.rows as T[];
}
