/**
 * Entity-shaped objects from a hand-written statement's rows, for the hot read paths (issue 14): the
 * columns are listed from TypeORM's metadata once per entity and alias, dates come as the 'YYYY-MM-DD'
 * text the API emits (cast in SQL, so pg parses no Date), instants as milliseconds since the epoch (a
 * number, made a Date without parsing PostgreSQL's text: timestamp parsing was 4 % of the bank's page),
 * and an object is one prototype and one loop over its columns — no query builder, no relation
 * bookkeeping. Money keeps its transformer (a Decimal).
 */
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

interface ColumnPlan { property: string; key: string; from: ((value: unknown) => unknown) | null }
interface EntityPlan { sql: string; columns: ColumnPlan[]; prototype: object }

const plans = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, Map<string, EntityPlan>>>();

const instant = (value: unknown) => (value === null ? null : new Date(value as number));

/** How `column` is selected under `alias`: dates as text, instants as epoch milliseconds, the rest as pg gives them. */
function selected(alias: string, column: { databaseName: string; type: unknown }): string {
  if (column.type === 'date') return `${alias}.${column.databaseName}::text`;
  if (column.type === 'timestamptz') return `(extract(epoch FROM ${alias}.${column.databaseName}) * 1000)::float8`;
  return `${alias}.${column.databaseName}`;
}

function planOf(db: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string): EntityPlan {
  let byEntity = plans.get(db);
  if (!byEntity) plans.set(db, (byEntity = new Map()));
  let byAlias = byEntity.get(entity);
  if (!byAlias) byEntity.set(entity, (byAlias = new Map()));
  let plan = byAlias.get(alias);
  if (!plan) {
    const metadata = db.getMetadata(entity);
    const columns = metadata.columns.map((c) => {
      const transformer = Array.isArray(c.transformer) ? null : c.transformer;
      const from = c.type === 'timestamptz' ? instant : transformer ? (v: unknown) => transformer.from(v) : null;
      return { property: c.propertyName, key: `${alias}_${c.databaseName}`, from };
    });
    plan = {
      sql: metadata.columns.map((c, i) => `${selected(alias, c)} AS ${columns[i].key}`).join(', '),
      columns,
      prototype: (metadata.target as { prototype: object }).prototype,
    };
    byAlias.set(alias, plan);
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
