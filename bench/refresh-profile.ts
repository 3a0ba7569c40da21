/**
 * npm run bench:refresh [-- --scale 1 --keep DIR --needs 2000 --chunk 500]
 *
 * Where one process's full re-decision spends its time (issue 13): the first `--needs` open needs (by id)
 * re-decided in chunks of `--chunk`, one transaction each, as a rule change's range job does, after a
 * warm-up chunk. Prints needs/s, CPU ms per need, and the milliseconds spent waiting on each prepared
 * statement; the rest is this process's JavaScript (the product index, the engine, the slots). Runs on
 * bench:match's DOMAIN §6 database (`--keep` reuses it). To compare two commits on the same data, copy
 * this file into the other's bench/ and run both in turns.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import * as prepared from '../src/database/prepared';
import { databaseToday } from '../src/database/clock';
import { MATCHABLE_NEED_SQL } from '../src/matching/candidates';
import { refreshNeeds } from '../src/matching/match.service';
import { openMarket } from './market-db';

const waits = new Map<string, number>();
const send = prepared.preparedQuery;
// Every refresh statement goes through preparedQuery: time each by the first words of its text.
(prepared as { preparedQuery: typeof send }).preparedQuery = async (em, text, values) => {
  const started = process.hrtime.bigint();
  try {
    return await send(em, text, values);
  } finally {
    const key = text.trim().replace(/\s+/g, ' ').slice(0, 48);
    waits.set(key, (waits.get(key) ?? 0) + Number(process.hrtime.bigint() - started) / 1e6);
  }
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scale: { type: 'string', default: '1' }, keep: { type: 'string' }, needs: { type: 'string', default: '2000' }, chunk: { type: 'string', default: '500' },
  } });
  const chunk = Number(values.chunk);
  const market = await openMarket({ scale: Number(values.scale), keep: values.keep, poolSize: 2 });
  try {
    const { db } = market;
    const today = await databaseToday(db);
    const ids = (await db.query(`SELECT n.id FROM financing_need n WHERE ${MATCHABLE_NEED_SQL} ORDER BY n.id LIMIT $2`, [today, Number(values.needs) + chunk]) as { id: string }[]).map((r) => r.id);
    await db.transaction((em) => refreshNeeds(em, ids.slice(0, chunk), { today }));
    waits.clear();
    const measured = ids.slice(chunk);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    let pairs = 0;
    for (let i = 0; i < measured.length; i += chunk) {
      pairs += (await db.transaction((em) => refreshNeeds(em, measured.slice(i, i + chunk), { today }))).pairs;
    }
    const total = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const waited = [...waits.values()].reduce((a, b) => a + b, 0);
    console.log(`${measured.length} needs (${pairs} candidate pairs) in ${(total / 1000).toFixed(2)} s: ${Math.round(measured.length / (total / 1000))} needs/s, ` +
      `${((used.user + used.system) / 1000 / measured.length).toFixed(2)} CPU ms per need in this process`);
    for (const [statement, ms] of [...waits].sort((a, b) => b[1] - a[1])) console.log(`${ms.toFixed(0).padStart(8)} ms  ${statement}…`);
    console.log(`${(total - waited).toFixed(0).padStart(8)} ms  the rest (JavaScript, transactions)`);
    console.log(JSON.stringify({ needs: measured.length, pairs, seconds: total / 1000, needsPerSecond: measured.length / (total / 1000), statementsMs: Object.fromEntries(waits), restMs: total - waited }));
  } finally {
    await market.close();
  }
}

void main();
