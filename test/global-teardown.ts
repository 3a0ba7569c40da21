import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.__FINMATCH_PG__;
  if (!pg) return;
  await pg.stop();
  if (pg.dir) fs.rmSync(pg.dir, { recursive: true, force: true });
}
