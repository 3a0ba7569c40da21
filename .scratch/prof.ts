import 'reflect-metadata';
import path from 'node:path';
import pino from 'pino';
import { createDataSource } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded';
import { todayInShanghai } from '../src/common/dates';
import { MATCHABLE_NEED_SQL } from '../src/matching/candidates';
import { refreshNeeds } from '../src/matching/match.service';

async function main() {
  const log = pino({ level: 'warn' });
  const pg = await startEmbeddedPostgres({ dataDir: path.join('/work/benchdata-index', 'pg'), port: 56500 + Math.floor(Math.random() * 300), database: 'finmatch', log });
  const db = createDataSource({ url: pg.url, poolSize: 4, logging: false } as never);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  process.stdout.write(`URL ${pg.url}\n`);
  const today = todayInShanghai();
  const size = Number(process.argv[2] ?? 500);
  const rounds = Number(process.argv[3] ?? 4);
  const offset = Number(process.argv[4] ?? 1000);
  for (let r = 0; r < rounds; r++) {
    const ids = (await db.query(`SELECT n.id FROM financing_need n WHERE ${MATCHABLE_NEED_SQL} ORDER BY n.id OFFSET $2 LIMIT $3`, [today, offset + r * size, size])).map((x: { id: string }) => x.id);
    const t = process.hrtime.bigint();
    const stats = await db.transaction((em) => refreshNeeds(em, ids, { today }));
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    process.stdout.write(`round ${r}: ${JSON.stringify(stats)} ${s.toFixed(2)} s, ${(ids.length / s).toFixed(0)} needs/s\n`);
  }
  await db.destroy();
  await pg.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
