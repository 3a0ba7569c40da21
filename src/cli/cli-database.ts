/**
 * The database a command-line tool works on, found the way the server finds it: DATABASE_URL, or the
 * embedded PostgreSQL in DATA_DIR. When the server is running on that directory, the tool connects to
 * its cluster; otherwise it starts the cluster for the duration of the command. Pending migrations are
 * applied either way, so an import can run before the server ever started.
 */
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Config } from '../config';
import { createDataSource } from '../database/data-source';
import { migrate } from '../database/migrate';
import { EmbeddedDatabase, embeddedUrl, runningPostmaster, startEmbeddedPostgres } from '../database/embedded';

export interface CliDatabase {
  dataSource: DataSource;
  /** Where it is, for the report. */
  description: string;
  close(): Promise<void>;
}

export async function openCliDatabase(config: Config, log: Logger): Promise<CliDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  let description = 'DATABASE_URL';
  if (!url) {
    const port = runningPostmaster(config.dataDir)?.port;
    if (port) {
      url = embeddedUrl(port, 'finmatch');
      description = `the running embedded PostgreSQL (${config.dataDir}, port ${port})`;
    } else {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'finmatch', log });
      url = embedded.url;
      description = `the embedded PostgreSQL in ${config.dataDir}`;
    }
  }
  const dataSource = createDataSource({ url, poolSize: 2, pooler: config.pooler, namedStatements: config.namedStatements });
  try {
    await dataSource.initialize();
    await migrate(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    description,
    close: async () => {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
