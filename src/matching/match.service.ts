/**
 * R13 — keeping matches current. `refreshNeeds` re-decides a set of needs (optionally against one
 * product) inside the caller's transaction: candidate pairs in SQL, every check in the engine, then one
 * upsert of the eligible pairs and one reconciliation of the pairs that no longer qualify (a PROPOSED
 * match goes; one an institution has acted on stays, marked ineligible). `refreshScope` walks a change's
 * scope (a product, some firms, a guarantor, everything) in chunks, one transaction each.
 *
 * A writer locks the rows of the needs it re-decides (in id order, so two writers cannot deadlock) before
 * it reads: a refresh that reads after a change committed sees it, and a change committed after a refresh
 * read has queued its own refresh, which waits for those rows and so writes last, from the newest facts.
 * Writers of different needs do not wait for each other: a posted need is not held up by a refresh of
 * other needs, and workers on several servers share the work.
 */
import { DataSource, EntityManager } from 'typeorm';
import { todayInShanghai } from '../common/dates';
import { Decimal } from '../common/decimal';
import { decide } from './engine/engine';
import type { ProductFacts } from './engine/facts';
import type { MatchTerms } from './engine/terms';
import { candidatePairsSql, MATCHABLE_NEED_SQL } from './candidates';
import { loadDecisionInputs } from './facts.service';

export const CHUNK_SIZE = 1000;

/** What a change can alter, as the refresh queue carries it (R13 freshness). */
export type RefreshScope =
  | { kind: 'product'; id: string }
  | { kind: 'enterprises'; ids: string[] }
  | { kind: 'whitelistBatch'; id: string }
  | { kind: 'creditImport'; id: string }
  | { kind: 'bank'; id: string }
  | { kind: 'guarantor'; id: string }
  | { kind: 'all' };

export interface RefreshStats {
  needs: number;
  pairs: number;
  eligible: number;
  removed: number;
}

const s = (v: Decimal | null) => (v === null ? null : v.toFixed());

function storedTerms(needId: string, product: ProductFacts, score: number, t: MatchTerms) {
  return {
    need_id: needId, product_id: product.id, institution_id: product.institutionId, score,
    indicative_rate: s(t.indicativeAnnualRate), guarantor_id: t.guarantee?.guarantorId ?? null,
    coverage_ratio: s(t.guarantee?.coverageRatio ?? null), guarantee_fee_rate: s(t.guarantee?.feeRate ?? null),
    guaranteed_amount: s(t.guarantee?.guaranteedAmount ?? null), reserve: t.riskCompensationReserve.toFixed(), pool_id: t.poolId,
    bank_net_exposure: s(t.bankNetExposure),
    subsidies: t.subsidies.map((x) => ({ kind: x.kind, payee: x.payee, payeeId: x.payeeId, amount: x.amount.toFixed(2), ruleVersion: x.ruleVersion })),
    all_in_cost: s(t.allInAnnualCostRate), rule_versions: t.policyRuleVersions, product_version: product.version,
  };
}

const TERM_COLUMNS = [
  'score', 'indicative_rate', 'guarantor_id', 'coverage_ratio', 'guarantee_fee_rate', 'guaranteed_amount', 'reserve', 'pool_id',
  'bank_net_exposure', 'subsidies', 'all_in_cost', 'rule_versions', 'product_version',
];

const UPSERT_SQL = `
  INSERT INTO match (need_id, product_id, institution_id, ${TERM_COLUMNS.join(', ')})
  SELECT r.need_id, r.product_id, r.institution_id, ${TERM_COLUMNS.map((c) => `r.${c}`).join(', ')}
    FROM jsonb_to_recordset($1::jsonb) AS r(
      need_id uuid, product_id uuid, institution_id uuid, score smallint, indicative_rate numeric, guarantor_id uuid, coverage_ratio numeric,
      guarantee_fee_rate numeric, guaranteed_amount numeric, reserve numeric, pool_id uuid, bank_net_exposure numeric, subsidies jsonb,
      all_in_cost numeric, rule_versions text[], product_version int)
  ON CONFLICT (need_id, product_id) DO UPDATE SET
    ${TERM_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, eligible = true, computed_at = now(), updated_at = now()
  WHERE NOT match.eligible OR (${TERM_COLUMNS.map((c) => `match.${c}`).join(', ')}) IS DISTINCT FROM (${TERM_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})`;

/**
 * Matches of the chunk's needs (and the product, when given) that did not come out eligible: a PROPOSED
 * one is deleted; one an institution acted on stays as history, marked ineligible. Needs that stopped
 * looking for money (withdrawn, funded, expired) keep their matches as they were.
 */
function reconcileSql(withProduct: boolean): string {
  return `
    WITH gone AS (
      SELECT m.id, m.status FROM match m JOIN financing_need n ON n.id = m.need_id
       WHERE m.need_id = ANY($2::uuid[]) ${withProduct ? 'AND m.product_id = $5::uuid' : ''} AND m.eligible AND ${MATCHABLE_NEED_SQL}
         AND NOT EXISTS (SELECT 1 FROM unnest($3::uuid[], $4::uuid[]) AS k(need_id, product_id) WHERE k.need_id = m.need_id AND k.product_id = m.product_id)
    ), deleted AS (
      DELETE FROM match WHERE id IN (SELECT id FROM gone WHERE status = 'PROPOSED') RETURNING 1
    ), lapsed AS (
      UPDATE match SET eligible = false, updated_at = now() WHERE id IN (SELECT id FROM gone WHERE status <> 'PROPOSED') RETURNING 1
    )
    SELECT (SELECT count(*) FROM deleted)::int + (SELECT count(*) FROM lapsed)::int AS removed`;
}

/** OPEN ↔ MATCHED follows whether a need has an eligible match (R11); later statuses are the lifecycle's. */
const STATUS_SQL = `
  UPDATE financing_need n
     SET status = x.next, status_changed_at = now(), updated_at = now()
    FROM (SELECT f.id, CASE WHEN EXISTS (SELECT 1 FROM match m WHERE m.need_id = f.id AND m.eligible) THEN 'MATCHED' ELSE 'OPEN' END AS next
            FROM financing_need f WHERE f.id = ANY($1::uuid[]) AND f.status IN ('OPEN', 'MATCHED')) x
   WHERE n.id = x.id AND n.status <> x.next`;

/** Locks the needs' rows for the rest of the transaction, in id order. */
async function lockNeeds(em: EntityManager, needIds: readonly string[]): Promise<void> {
  await em.query('SELECT id FROM financing_need WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [needIds]);
}

/**
 * Re-decides `needIds` against every candidate product (or only `productId`) and writes the outcome.
 * Runs in the caller's transaction and locks the needs' rows.
 */
export async function refreshNeeds(em: EntityManager, needIds: readonly string[], options: { productId?: string; today?: string } = {}): Promise<RefreshStats> {
  const stats: RefreshStats = { needs: needIds.length, pairs: 0, eligible: 0, removed: 0 };
  if (!needIds.length) return stats;
  await lockNeeds(em, needIds);
  const today = options.today ?? todayInShanghai();
  const scope = options.productId ? 'n.id = ANY($2::uuid[]) AND p.id = $3::uuid' : 'n.id = ANY($2::uuid[])';
  const params: unknown[] = [today, needIds];
  if (options.productId) params.push(options.productId);
  const pairs: { needId: string; productId: string }[] = (await em.query(candidatePairsSql(scope), params))
    .map((r: { need_id: string; product_id: string }) => ({ needId: r.need_id, productId: r.product_id }));
  stats.pairs = pairs.length;

  const rows: ReturnType<typeof storedTerms>[] = [];
  if (pairs.length) {
    const { needs, enterprises, products, context } = await loadDecisionInputs(em, pairs, today);
    for (const pair of pairs) {
      const need = needs.get(pair.needId)!;
      const product = products.get(pair.productId)!;
      const decision = decide(need, enterprises.get(need.enterpriseId)!, product, context);
      if (decision.eligible) rows.push(storedTerms(need.id, product, decision.score!, decision.terms!));
    }
  }
  stats.eligible = rows.length;
  if (rows.length) await em.query(UPSERT_SQL, [JSON.stringify(rows)]);
  const reconcileParams: unknown[] = [today, needIds, rows.map((r) => r.need_id), rows.map((r) => r.product_id)];
  if (options.productId) reconcileParams.push(options.productId);
  const [{ removed }] = await em.query(reconcileSql(!!options.productId), reconcileParams);
  stats.removed = removed;
  await em.query(STATUS_SQL, [needIds]);
  return stats;
}

/** The needs a scope covers, as chunks of ids, with the product a product scope is limited to. */
async function* scopeChunks(db: DataSource, scope: RefreshScope, today: string): AsyncGenerator<{ needIds: string[]; productId?: string }> {
  const chunk = function* (ids: string[], productId?: string) {
    for (let i = 0; i < ids.length; i += CHUNK_SIZE) yield { needIds: ids.slice(i, i + CHUNK_SIZE), productId };
  };
  const ids = async (sql: string, params: unknown[]) => ((await db.query(sql, params)) as { id: string }[]).map((r) => r.id);
  const needsOf = (enterpriseSql: string, param: unknown) =>
    ids(`SELECT n.id FROM financing_need n WHERE ${MATCHABLE_NEED_SQL} AND n.enterprise_id IN (${enterpriseSql}) ORDER BY n.id`, [today, param]);
  const forProducts = async function* (productIds: string[]) {
    for (const productId of productIds) {
      // Candidates now, and needs matched to it before (they may have to go).
      const needIds = await ids(
        `SELECT need_id AS id FROM (${candidatePairsSql('p.id = $2::uuid')}) c UNION SELECT m.need_id FROM match m WHERE m.product_id = $2::uuid AND m.eligible ORDER BY 1`,
        [today, productId],
      );
      yield* chunk(needIds, productId);
    }
  };

  switch (scope.kind) {
    case 'enterprises':
      yield* chunk(await needsOf('SELECT unnest($2::uuid[])', scope.ids));
      return;
    case 'whitelistBatch':
      yield* chunk(await needsOf('SELECT w.enterprise_id FROM whitelist_entry w WHERE w.batch_id = $2::uuid', scope.id));
      return;
    case 'creditImport':
      yield* chunk(await needsOf('SELECT r.enterprise_id FROM credit_record r WHERE r.import_id = $2::uuid', scope.id));
      return;
    case 'product':
      yield* forProducts([scope.id]);
      return;
    case 'bank':
      yield* forProducts(await ids(`SELECT id FROM product WHERE institution_id = $1::uuid AND requires_guarantee ORDER BY id`, [scope.id]));
      return;
    case 'guarantor':
      yield* forProducts(await ids(
        `SELECT p.id FROM product p JOIN cooperation_agreement a ON a.bank_id = p.institution_id WHERE a.guarantor_id = $1::uuid AND p.requires_guarantee ORDER BY p.id`,
        [scope.id],
      ));
      return;
    case 'all': {
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const page = await ids(`SELECT n.id FROM financing_need n WHERE ${MATCHABLE_NEED_SQL} AND n.id > $2::uuid ORDER BY n.id LIMIT ${CHUNK_SIZE}`, [today, after]);
        if (!page.length) return;
        yield { needIds: page };
        after = page[page.length - 1];
      }
    }
  }
}

/** Refreshes everything a change can have altered, chunk by chunk, each chunk its own transaction. */
export async function refreshScope(db: DataSource, scope: RefreshScope): Promise<RefreshStats> {
  const today = todayInShanghai();
  const total: RefreshStats = { needs: 0, pairs: 0, eligible: 0, removed: 0 };
  for await (const { needIds, productId } of scopeChunks(db, scope, today)) {
    const stats = await db.transaction((em) => refreshNeeds(em, needIds, { productId, today }));
    total.needs += stats.needs;
    total.pairs += stats.pairs;
    total.eligible += stats.eligible;
    total.removed += stats.removed;
  }
  return total;
}
