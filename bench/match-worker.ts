/**
 * One worker process of bench:match's full re-decision (bench/match.ts starts two): it takes need-id
 * ranges from the shared list `bench_range` until none is left, each in one transaction that claims the
 * range (FOR UPDATE SKIP LOCKED: two workers never take the same one), re-decides its open needs with
 * `refreshNeeds` — what a refresh worker runs for a chunk — and marks it done. `parallel` ranges at a
 * time, so that one's JavaScript overlaps another's database work. Prints its totals as one line of JSON.
 *
 * BENCH_URL=postgres://… node -r ts-node/register/transpile-only bench/match-worker.ts [parallel] [index|sql]
 * With `sql` it takes the ranges of the baseline lane and finds candidates with the candidate SQL.
 */
import 'reflect-metadata';
import { createDataSource } from '../src/database/data-source';
import { todayInShanghai } from '../src/common/dates';
import { MATCHABLE_NEED_SQL } from '../src/matching/candidates';
import { refreshNeeds, RefreshStats } from '../src/matching/match.service';

async function main(): Promise<void> {
  const parallel = Number(process.argv[2] ?? 2);
  const lane = process.argv[3] ?? 'index';
  const db = createDataSource({ url: process.env.BENCH_URL!, poolSize: parallel + 1 });
  await db.initialize();
  const today = todayInShanghai();
  const total: RefreshStats & { ranges: number } = { needs: 0, pairs: 0, eligible: 0, removed: 0, ranges: 0 };
  const run = async () => {
    for (;;) {
      const stats = await db.transaction(async (em) => {
        const [range]: { id: number; lo: string; hi: string }[] = await em.query(
          `SELECT id, lo, hi FROM bench_range WHERE NOT done AND lane = $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`, [lane]);
        if (!range) return null;
        const needs: { id: string }[] = await em.query(
          `SELECT n.id FROM financing_need n WHERE ${MATCHABLE_NEED_SQL} AND n.id >= $2::uuid AND n.id <= $3::uuid ORDER BY n.id`, [today, range.lo, range.hi]);
        const refreshed = await refreshNeeds(em, needs.map((n) => n.id), { today, candidatesFromSql: lane === 'sql' });
        await em.query(`UPDATE bench_range SET done = true WHERE id = $1`, [range.id]);
        return refreshed;
      });
      if (!stats) return;
      total.ranges += 1;
      total.needs += stats.needs;
      total.pairs += stats.pairs;
      total.eligible += stats.eligible;
      total.removed += stats.removed;
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, run));
  } finally {
    await db.destroy();
  }
  process.stdout.write(`${JSON.stringify(total)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
