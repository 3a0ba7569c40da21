/**
 * DataSource options for PostgreSQL (embedded or DATABASE_URL). Never `synchronize`: the schema comes
 * from migrations/ only.
 */
import { AbstractLogger, DataSource, DataSourceOptions, LogLevel, LogMessage } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { withoutNamedStatements } from './prepared';

/** The session time zone of finmatch's own connections. */
export const SESSION_TIME_ZONE = 'Asia/Shanghai';

/** Counts the SQL statements a DataSource runs (and keeps their text until `reset`): the N+1 tests read it, and so can metrics. */
export class StatementCounter extends AbstractLogger {
  count = 0;
  readonly statements: string[] = [];
  override logQuery(query: string): void {
    this.count += 1;
    this.statements.push(query);
  }
  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {
    // counting only
  }
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
}

export interface DataSourceSettings {
  url: string;
  /** Connection pool size. */
  poolSize?: number;
  logger?: AbstractLogger;
  applicationName?: string;
  /**
   * Behind a pooler in transaction mode (PgBouncer): no startup parameters (PgBouncer refuses `options`),
   * and plain statements unless `namedStatements` (PgBouncer 1.21+ with max_prepared_statements).
   */
  pooler?: boolean;
  namedStatements?: boolean;
}

export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    logger: settings.logger,
    logging: settings.logger ? ['query'] : false,
    applicationName: settings.applicationName ?? 'finmatch',
    extra: {
      max: settings.poolSize ?? 10,
      // Calendar dates stay Asia/Shanghai dates whatever the server's TimeZone (DOMAIN §3). Behind a pooler the
      // session cannot be set up this way; finmatch's SQL names the time zone wherever it matters (DEPLOY.md).
      ...(settings.pooler ? {} : { options: `-c timezone=${SESSION_TIME_ZONE}` }),
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  const dataSource = new DataSource(dataSourceOptions(settings));
  if (!(settings.namedStatements ?? !settings.pooler)) withoutNamedStatements(dataSource);
  return dataSource;
}

/** True when every migration this build knows has been applied (readiness). */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}

/**
 * Behind a pooler the session's time zone is the database's or the role's default, not set at connect:
 * finmatch's SQL does not depend on it, but people reading the same sessions' timestamps as text do. Warns
 * with the one-line fix when it differs.
 */
export async function checkSessionTimeZone(dataSource: DataSource, log: { warn(o: object, m: string): void }): Promise<void> {
  const [{ zone, db }] = await dataSource.query(`SELECT current_setting('TimeZone') AS zone, current_database() AS db`);
  if (zone !== SESSION_TIME_ZONE) {
    log.warn({ timeZone: zone, fix: `ALTER DATABASE "${db}" SET timezone = '${SESSION_TIME_ZONE}'` }, 'sessions through the pooler are not in Asia/Shanghai time');
  }
}
