/**
 * The DataSource the TypeORM CLI uses (npm run migration:generate; `npm run migration:run` is
 * src/cli/migrate.ts, which takes the migration lock). It needs DATABASE_URL, and creates that database
 * when the server has none by its name; the server's embedded PostgreSQL listens on EMBEDDED_PG_PORT
 * (54329) while it runs:
 *   DATABASE_URL=postgres://postgres:finmatch@127.0.0.1:54329/finmatch npx typeorm-ts-node-commonjs migration:show -d ormconfig.ts
 */
import 'reflect-metadata';
import { createDataSource } from './src/database/data-source';
import { ensureDatabase } from './src/database/migrate';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('ormconfig.ts: set DATABASE_URL (see the comment at the top of this file)');

export default ensureDatabase(url).then(() => createDataSource({ url }));
