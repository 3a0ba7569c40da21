/**
 * Entity-shaped objects from a hand-written statement's rows, for the hot read paths (issue 14): the
 * columns are listed from TypeORM's metadata once per entity and alias, dates come as the 'YYYY-MM-DD'
 * text the API emits (cast in SQL, so pg parses no Date), and an object is one prototype and one loop
 * over its columns — no query builder, no relation bookkeeping. Money keeps its transformer (a Decimal).
 */
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

interface ColumnPlan { property: string; key: string; from: ((value: unknown) => unknown) | null }
interface EntityPlan { sql: string; columns: ColumnPlan[]; prototype: object }

const plans = new WeakMap<DataSource, Map<string, EntityPlan>>();

function planOf(db: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string): EntityPlan {
  let byAlias = plans.get(db);
  if (!byAlias) plans.set(db, (byAlias = new Map()));
  const metadata = db.getMetadata(entity);
  const id = `${metadata.tableName}\u0000${alias}`;
  let plan = byAlias.get(id);
  if (!plan) {
    const columns = metadata.columns.map((c) => {
      const transformer = Array.isArray(c.transformer) ? null : c.transformer;
      return { property: c.propertyName, key: `${alias}_${c.databaseName}`, from: transformer ? (v: unknown) => transformer.from(v) : null, type: c.type };
    });
    plan = {
      sql: metadata.columns.map((c, i) => `${alias}.${c.databaseName}${c.type === 'date' ? '::text' : ''} AS ${columns[i].key}`).join(', '),
      columns: columns.map(({ property, key, from }) => ({ property, key, from })),
      prototype: (metadata.target as { prototype: object }).prototype,
    };
    byAlias.set(id, plan);
  }
  return plan;
}

/** The select list of `entity`'s columns under `alias`, each named `<alias>_<column>`. */
export function entityColumnsSql(db: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string): string {
  return planOf(db, entity, alias).sql;
}

/** The entity read from a row selected with `entityColumnsSql` (null when its key column is null: an outer join found none). */
export function entityFromRow<T>(db: DataSource, entity: EntityTarget<T & ObjectLiteral>, alias: string, row: Record<string, unknown>, key: string): T | null {
  const plan = planOf(db, entity, alias);
  if (row[`${alias}_${key}`] == null) return null;
  const object = Object.create(plan.prototype) as Record<string, unknown>;
  for (const c of plan.columns) {
    const value = row[c.key];
    object[c.property] = c.from && value !== undefined ? c.from(value) : value;
  }
  return object as T;
}
