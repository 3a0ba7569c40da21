/**
 * DataSource options for PostgreSQL (embedded or DATABASE_URL). Never `synchronize`: the schema comes
 * from migrations/ only.
 */
import { AbstractLogger, DataSource, DataSourceOptions, LogLevel, LogMessage } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

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
      // Calendar dates stay Asia/Shanghai dates whatever the server's TimeZone (DOMAIN §3).
      options: '-c timezone=Asia/Shanghai',
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

/** True when every migration this build knows has been applied (readiness). */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
