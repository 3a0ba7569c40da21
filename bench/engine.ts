/**
 * npm run bench:engine [-- --scale 1 --keep DIR --needs 2000 --rounds 5]
 *
 * The JavaScript of a full re-decision (issue 13), without the database: the first `--needs` open needs'
 * inputs are read once (as a range job reads them), then, `--rounds` times, every need's candidates are
 * found by the product index over the whole catalog, and every candidate pair is decided by the engine
 * and the slots kept (what `refreshNeeds` does between its statements). Prints milliseconds per need
 * for each, and a hash of the candidates and of every kept match's stored columns, score and cutoff, so
 * that two commits compared on the same data (copy this file into the other's bench/) can be seen to give
 * the same outcomes. Runs on bench:match's DOMAIN §6 database (`--keep` reuses it).
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { databaseToday } from '../src/database/clock';
import { ProductEntity } from '../src/institutions/product.entity';
import { MATCHABLE_NEED_SQL } from '../src/matching/candidates';
import { decideCandidate, newNeedMemo } from '../src/matching/engine/engine';
import type { EnterpriseFacts, NeedFacts, ProductFacts } from '../src/matching/engine/facts';
import type { MatchTerms } from '../src/matching/engine/terms';
import { DecisionInputs, loadNeedInputs, pairKey } from '../src/matching/facts.service';
import { columnsOf } from '../src/matching/match.service';
import { ProductIndex } from '../src/matching/product-index';
import { allocateInFull, RankKey } from '../src/matching/slots';
import { openMarket } from './market-db';

interface Decided extends RankKey { terms: MatchTerms }

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scale: { type: 'string', default: '1' }, keep: { type: 'string' }, needs: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' },
  } });
  const market = await openMarket({ scale: Number(values.scale), keep: values.keep, poolSize: 2 });
  try {
    const { db } = market;
    const today = await databaseToday(db);
    const ids = ((await db.query(`SELECT n.id FROM financing_need n WHERE ${MATCHABLE_NEED_SQL} ORDER BY n.id LIMIT $2`, [today, Number(values.needs)])) as { id: string }[]).map((r) => r.id);
    const chunks: DecisionInputs<EnterpriseFacts>[] = [];
    await db.transaction(async (em) => {
      for (let i = 0; i < ids.length; i += 500) chunks.push(await loadNeedInputs(em, ids.slice(i, i + 500), today));
    });
    const catalog: ProductFacts[] = await db.getRepository(ProductEntity).find();
    const figures: { indexMs: number; engineMs: number }[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      const candidatesHash = createHash('sha1');
      const outcomesHash = createHash('sha1');
      let started = process.hrtime.bigint();
      const index = new ProductIndex('bench', catalog);
      let pairs = 0;
      for (const inputs of chunks) {
        for (const need of inputs.needs.values()) {
          const found = index.candidates(need, inputs.enterprises.get(need.enterpriseId)!, today);
          pairs += found.length;
          candidatesHash.update(`${need.id}:${found.map((p) => p.id).join(',')}`);
        }
      }
      const indexMs = ms(started);
      started = process.hrtime.bigint();
      for (const inputs of chunks) {
        const byNeed = new Map<string, Decided[]>();
        let current: { need: NeedFacts; enterprise: EnterpriseFacts; memo: ReturnType<typeof newNeedMemo>; list: Decided[] } | null = null;
        for (const { needId, productId } of inputs.pairs) {
          if (current?.need.id !== needId) {
            const need: NeedFacts = inputs.needs.get(needId)!;
            current = { need, enterprise: inputs.enterprises.get(need.enterpriseId)!, memo: newNeedMemo(), list: [] };
            byNeed.set(needId, current.list);
          }
          const decided = decideCandidate(current.need, current.enterprise, inputs.products.get(productId)!, inputs.context, current.memo);
          if (decided) current.list.push({ terms: decided.terms, score: decided.score, allIn: decided.terms.allInAnnualCostRate, productId });
        }
        for (const needId of inputs.needs.keys()) {
          const slots = allocateInFull(byNeed.get(needId) ?? [], (productId) => inputs.acted!.get(pairKey(needId, productId)), 10);
          for (const kept of slots.keep) outcomesHash.update(`${needId}:${kept.productId}:${kept.score}:${JSON.stringify(columnsOf(kept.terms))}`);
          outcomesHash.update(JSON.stringify(slots.cutoff ? [slots.cutoff.score, slots.cutoff.allIn?.toString() ?? null, slots.cutoff.productId] : null));
        }
      }
      const engineMs = ms(started);
      figures.push({ indexMs, engineMs });
      console.log(`round ${round + 1}: index ${(indexMs / ids.length).toFixed(3)} ms/need (${(pairs / ids.length).toFixed(0)} candidates, ${candidatesHash.digest('hex').slice(0, 12)}); `
        + `engine and slots ${(engineMs / ids.length).toFixed(3)} ms/need (${outcomesHash.digest('hex').slice(0, 12)})`);
    }
    // The first round warms the JIT; the median of the rest.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rest = figures.length > 1 ? figures.slice(1) : figures;
    console.log(JSON.stringify({ needs: ids.length, indexMsPerNeed: median(rest.map((f) => f.indexMs)) / ids.length, engineMsPerNeed: median(rest.map((f) => f.engineMs)) / ids.length }));
  } finally {
    await market.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
