/**
 * What R13 stores for a database (needs' statuses and cutoffs, every match with its terms), and the same
 * recomputed from scratch (a match's `product_version` is left out: it is the version its terms were last
 * priced under, which a product change that leaves them as they were does not move, and a recomputation
 * cannot know): the proposed matches and cutoffs deleted, everything re-decided by refreshScope.
 * The refresh-protocol tests compare the two after a queue has drained.
 */
import type { DataSource } from 'typeorm';
import { refreshScope } from '../../src/matching/match.service';

export async function storedMatches(db: DataSource): Promise<{ needs: unknown[]; matches: unknown[] }> {
  return {
    needs: await db.query(`SELECT id, status, match_cutoff_score, match_cutoff_cost::text, match_cutoff_product FROM financing_need ORDER BY id`),
    matches: await db.query(
      `SELECT need_id, product_id, status, eligible, score, indicative_rate::text, guarantor_id, guarantee_fee_rate::text, reserve::text, pool_id,
              all_in_cost::text, subsidies, rule_versions
         FROM match ORDER BY need_id, product_id`,
    ),
  };
}

/** Deletes what the refreshes wrote (proposed matches, cutoffs) and decides every need again; returns the result. Destroys the stored state. */
export async function recomputedFromScratch(db: DataSource): Promise<{ needs: unknown[]; matches: unknown[] }> {
  await db.query(`DELETE FROM match WHERE status = 'PROPOSED'`);
  await db.query(`UPDATE financing_need SET match_cutoff_score = NULL, match_cutoff_cost = NULL, match_cutoff_product = NULL`);
  await refreshScope(db, { kind: 'all' });
  return storedMatches(db);
}

/** Match-refresh jobs not done yet, on every lane. */
export async function refreshJobsPending(db: DataSource): Promise<number> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name LIKE 'match-refresh%' AND state < 'completed'`);
  return n;
}
