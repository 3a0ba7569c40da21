/**
 * The DataSource the TypeORM CLI uses (npm run migration:run / migration:generate). It needs
 * DATABASE_URL; the server's embedded PostgreSQL listens on EMBEDDED_PG_PORT (54329) while it runs:
 *   DATABASE_URL=postgres://postgres:finmatch@127.0.0.1:54329/finmatch npm run migration:run
 */
import 'reflect-metadata';
import { createDataSource } from './src/database/data-source';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('ormconfig.ts: set DATABASE_URL (see the comment at the top of this file)');

export default createDataSource({ url });
