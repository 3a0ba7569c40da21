/**
 * The DOMAIN §6 database for a benchmark: an embedded PostgreSQL in `keep` (kept between runs) or in a
 * temporary directory (or BENCH_DATABASE_URL's server), migrated, with market.ts's data generated once
 * per scale and remembered in `bench_run` — the same table bench:match uses, so either can reuse a
 * directory the other generated.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { generate, Sizes } from './market';

export interface MarketDatabase { db: DataSource; url: string; sizes: Sizes; generated: boolean; close(): Promise<void> }

export async function openMarket(options: { scale: number; keep?: string; poolSize?: number; postgresFlags?: string[] }): Promise<MarketDatabase> {
  const log = pino({ level: 'warn' });
  let url = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  let dir: string | undefined;
  if (!url) {
    const kept = options.keep ? path.resolve(options.keep) : undefined;
    if (kept) fs.mkdirSync(kept, { recursive: true, mode: 0o755 });
    else dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmatch-bench-'));
    const home = kept ?? dir!;
    fs.chmodSync(home, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(home, 'pg'), port: 56000 + Math.floor(Math.random() * 3000), database: 'finmatch', log });
    url = pg.url;
    stop = pg.stop;
  }
  const db = createDataSource({ url, poolSize: options.poolSize ?? 4 });
  const close = async () => {
    if (db.isInitialized) await db.destroy();
    await stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const started = Date.now();
    await db.query(`CREATE TABLE IF NOT EXISTS bench_run (scale numeric PRIMARY KEY, sizes jsonb NOT NULL, full_match jsonb)`);
    const [previous]: { sizes: Sizes }[] = await db.query(`SELECT sizes FROM bench_run WHERE scale = $1`, [options.scale]);
    const sizes = previous?.sizes ?? await generate(db, options.scale);
    if (!previous) await db.query(`INSERT INTO bench_run (scale, sizes) VALUES ($1, $2)`, [options.scale, JSON.stringify(sizes)]);
    process.stderr.write(`${previous ? 'reused' : 'generated'} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(sizes)}\n`);
    return { db, url, sizes, generated: !previous, close };
  } catch (err) {
    await close();
    throw err;
  }
}
