/**
 * R13 and R14 — keeping matches current. A need is proposed to its best PROPOSALS_PER_NEED institutions
 * at a time: `refreshNeeds` re-decides needs against every candidate product, or, for a change to one
 * product (`productId`), that product's pairs against the stored matches and the need's cutoff. Which
 * pairs hold the slots is decided by slots.ts (pure); this file loads the facts and the slot state,
 * runs the engine and persists what slots.ts decided, in one statement. Needs that stopped looking for
 * money (R11) are left as they are. `refreshScope` walks a change's scope (a product, some firms, a
 * guarantor, everything) in chunks, one transaction each.
 *
 * A writer locks the rows of the needs it re-decides (in id order, so two writers cannot deadlock) before
 * it reads: a refresh that reads after a change committed sees it, and a change committed after a refresh
 * read has queued its own refresh, which waits for those rows and so writes last, from the newest facts.
 * Writers of different needs do not wait for each other: a posted need is not held up by a refresh of
 * other needs, and workers on several servers share the work.
 */
import { DataSource, EntityManager } from 'typeorm';
import type { RefreshScope } from '../common/refresh';
import { preparedQuery } from '../database/prepared';
import { Decimal } from '../common/decimal';
import { decideCandidate, NeedMemo, newNeedMemo } from './engine/engine';
import type { BorrowerFacts, NeedFacts, ProductFacts } from './engine/facts';
import type { MatchTerms } from './engine/terms';
import { activeNeedSql, statusAfterSql } from '../needs/need.lifecycle';
import { NeedTransitionError } from '../needs/need.moves';
import type { NeedStatus } from '../needs/need.rules';
import { candidatesOfNeedsSql } from './candidates';
import { DecisionInputs, loadInputs, loadNeedInputs, pairKey } from './facts.service';
import { FREED_STATUSES, MatchStatus, PROPOSALS_PER_NEED, worstFirstSql } from './match.rules';
import { allocateForProduct, allocateInFull, ProductSlots, RankKey, SlotOutcome } from './slots';
import { databaseToday, TODAY_SQL } from '../database/clock';
import { NeedRange, scopeChunks } from './refresh.scope';
import { proposalEvents } from '../events/event-types';
import { EVENT_INSERT } from '../events/outbox';
import { sqlList } from '../common/sql-list';

export { CHUNK_SIZE, PRODUCT_CHUNK_SIZE } from './refresh.scope';

export interface RefreshStats {
  needs: number;
  /** Candidate pairs decided. */
  pairs: number;
  /** Eligible matches written (inserted or re-priced, or confirmed unchanged). */
  eligible: number;
  removed: number;
}

export interface RefreshOptions {
  /** Only this product's pairs changed. */
  productId?: string;
  today?: string;
  /** Slots per need (PROPOSALS_PER_NEED). */
  proposals?: number;
  /**
   * Needs decided in full take their candidates from the candidate SQL instead of this process's
   * product index: the same pairs (test/matching/candidates.test.ts); bench:match measures the index against it.
   */
  candidatesFromSql?: boolean;
  /** The refresh scope's kind that asked for this refresh: a product or rule change also raises NEW_ELIGIBLE_PRODUCT (events/event-types.ts). */
  cause?: string;
}

const s = (v: Decimal | null) => (v === null ? null : v.toFixed());

/** The stored columns of a set of terms (the same terms object is shared by the pairs that have it); a rerouted guarantee writes them too (loans/guarantee.service.ts). */
const termColumns = new WeakMap<MatchTerms, Record<string, unknown>>();
export function columnsOf(t: MatchTerms): Record<string, unknown> {
  let columns = termColumns.get(t);
  if (!columns) {
    columns = {
      indicative_rate: s(t.indicativeAnnualRate), guarantor_id: t.guarantee?.guarantorId ?? null,
      coverage_ratio: s(t.guarantee?.coverageRatio ?? null), guarantee_fee_rate: s(t.guarantee?.feeRate ?? null),
      guaranteed_amount: s(t.guarantee?.guaranteedAmount ?? null), reserve: t.riskCompensationReserve.toFixed(), pool_id: t.poolId,
      bank_net_exposure: s(t.bankNetExposure),
      subsidies: t.subsidies.map((x) => ({
        kind: x.kind, payee: x.payee, payeeId: x.payeeId, amount: x.amount.toFixed(2), ruleVersion: x.ruleVersion,
        ...(x.byYear ? { byYear: x.byYear.map((y) => ({ year: y.year, amount: y.amount.toFixed(2) })) } : {}),
      })),
      all_in_cost: s(t.allInAnnualCostRate), rule_versions: t.policyRuleVersions, rule_ids: t.policyRuleIds,
    };
    termColumns.set(t, columns);
  }
  return columns;
}

interface Decided extends RankKey { need: NeedFacts; product: ProductFacts; terms: MatchTerms }

const storedRow = (d: Decided) => ({
  need_id: d.need.id, product_id: d.product.id, institution_id: d.product.institutionId, score: d.score, product_version: d.product.version, ...columnsOf(d.terms),
});
type StoredRow = ReturnType<typeof storedRow>;

/** A need's row of the outcome: whether it keeps an eligible match (R11 MATCH/UNMATCH) and its cutoff when `cut`. */
interface NeedRow { need_id: string; matched: boolean; cut: boolean; score: number | null; cost: string | null; product: string | null; keep: string[] }
const needRowOf = (needId: string, o: SlotOutcome<Decided>): NeedRow => ({
  need_id: needId, matched: o.matched, cut: o.cutoff !== undefined, score: o.cutoff?.score ?? null, cost: o.cutoff ? s(o.cutoff.allIn) : null, product: o.cutoff?.productId ?? null,
  keep: o.keep.map((d) => d.productId),
});

const PRICED_COLUMNS = [
  'score', 'indicative_rate', 'guarantor_id', 'coverage_ratio', 'guarantee_fee_rate', 'guaranteed_amount', 'reserve', 'pool_id',
  'bank_net_exposure', 'subsidies', 'all_in_cost', 'rule_versions', 'rule_ids',
];
/**
 * What a kept pair writes: its terms, and the product version they were priced under. A row whose terms
 * did not change is left alone (the upsert's WHERE compares the priced columns only), so it keeps the
 * version of its last re-pricing: a product change that moves few rows' terms (a new maximum amount, a
 * description) rewrites those rows, not every row of the product under the match table's indexes.
 */
const TERM_COLUMNS = [...PRICED_COLUMNS, 'product_version'];

/**
 * Whether a stored match `m` is written again from a kept pair `r`: it had become ineligible, or it is
 * PROPOSED and its priced columns moved. The upsert's WHERE says it; the rows it would leave alone are
 * also left out of the INSERT, since an ON CONFLICT DO UPDATE locks every conflicting row, updated or
 * not: re-deciding 2,000 needs whose terms had not moved locked their 20,000 stored rows (bench:refresh
 * at scale 1: the write took 1,282 ms, 1,121 ms without the locks; test/e2e/freshness.test.ts).
 */
const CHANGED = (m: string, r: string) => `(NOT ${m}.eligible
       OR (${m}.status = 'PROPOSED' AND (${PRICED_COLUMNS.map((c) => `${m}.${c}`).join(', ')}) IS DISTINCT FROM (${PRICED_COLUMNS.map((c) => `${r}.${c}`).join(', ')})))`;

/**
 * One statement persists what slots.ts decided for the needs still looking for money:
 * - $2 the eligible pairs to keep, upserted (unchanged rows are left alone, and not locked). A PROPOSED match is
 *   re-priced; one someone acted on keeps the terms and rule versions it was acted on with (R9, R14);
 * - the other eligible matches of those needs (of product $3 when given) and the matches $4 that gave
 *   their slot away: a PROPOSED one is deleted; one someone acted on stays as history, marked ineligible;
 * - $5 per need, the products it keeps (its other eligible matches are the ones gone, above, compared
 *   need by need rather than joined against $2, which PostgreSQL planned as a nested loop: 4 s for 500
 *   needs), its cutoff when `cut`, and its status moved by R11's MATCH or UNMATCH as `matched` says, in SQL
 *   generated from the need lifecycle's table (a need the table would not move is reported back).
 * - $6 the events a newly proposed match raises (issue 15 §1, events/outbox.ts): MATCH_PROPOSED, and
 *   NEW_ELIGIBLE_PRODUCT when a product or rule change proposed it — in this statement, one row per event.
 */
const WRITE_SQL = `
  WITH r AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(
      need_id uuid, product_id uuid, institution_id uuid, score smallint, indicative_rate numeric, guarantor_id uuid, coverage_ratio numeric,
      guarantee_fee_rate numeric, guaranteed_amount numeric, reserve numeric, pool_id uuid, bank_net_exposure numeric, subsidies jsonb,
      all_in_cost numeric, rule_versions text[], rule_ids uuid[], product_version int)
  ), up AS (
    INSERT INTO match (need_id, product_id, institution_id, ${TERM_COLUMNS.join(', ')})
    SELECT r.need_id, r.product_id, r.institution_id, ${TERM_COLUMNS.map((c) => `r.${c}`).join(', ')}
      FROM r LEFT JOIN match m ON m.need_id = r.need_id AND m.product_id = r.product_id
     WHERE m.id IS NULL OR ${CHANGED('m', 'r')}
    ON CONFLICT (need_id, product_id) DO UPDATE SET
      ${[...TERM_COLUMNS, 'computed_at'].map((c) => `${c} = CASE WHEN match.status = 'PROPOSED' THEN EXCLUDED.${c} ELSE match.${c} END`).join(', ')},
      eligible = true, updated_at = now()
    WHERE ${CHANGED('match', 'EXCLUDED')}
    RETURNING xmax = 0 AS inserted, match.id, match.need_id, match.product_id, match.institution_id, match.guarantor_id, match.score
  ), raised AS (
    ${EVENT_INSERT}
    SELECT t.type, up.institution_id, up.guarantor_id, f.enterprise_id, up.need_id, up.id, jsonb_build_object('productId', up.product_id, 'score', up.score)
      FROM up JOIN financing_need f ON f.id = up.need_id CROSS JOIN unnest($6::text[]) AS t(type)
     WHERE up.inserted
  ), decided AS (
    SELECT * FROM jsonb_to_recordset($5::jsonb) AS c(need_id uuid, matched boolean, cut boolean, score smallint, cost numeric, product uuid, keep uuid[])
  ), gone AS (
    SELECT m.id, m.status
      FROM decided c
      JOIN match m ON m.need_id = c.need_id AND m.eligible AND ($3::uuid IS NULL OR m.product_id = $3::uuid)
     WHERE m.product_id <> ALL (c.keep)
    UNION
    SELECT m.id, m.status FROM match m WHERE m.id = ANY($4::uuid[])
  ), deleted AS (
    DELETE FROM match WHERE id IN (SELECT id FROM gone WHERE status = 'PROPOSED') RETURNING 1
  ), lapsed AS (
    UPDATE match SET eligible = false, updated_at = now() WHERE id IN (SELECT id FROM gone WHERE status <> 'PROPOSED') RETURNING 1
  ), x AS (
    SELECT f.id, f.status, c.matched,
           CASE WHEN c.matched THEN ${statusAfterSql('MATCH', 'f', '$1')} ELSE ${statusAfterSql('UNMATCH', 'f', '$1')} END AS next,
           CASE WHEN c.cut THEN c.score ELSE f.match_cutoff_score END AS score,
           CASE WHEN c.cut THEN c.cost ELSE f.match_cutoff_cost END AS cost,
           CASE WHEN c.cut THEN c.product ELSE f.match_cutoff_product END AS product
      FROM decided c JOIN financing_need f ON f.id = c.need_id
  ), needs AS (
    UPDATE financing_need n
       SET status = x.next, match_cutoff_score = x.score, match_cutoff_cost = x.cost, match_cutoff_product = x.product,
           status_changed_at = CASE WHEN n.status <> x.next THEN now() ELSE n.status_changed_at END,
           updated_at = CASE WHEN n.status <> x.next THEN now() ELSE n.updated_at END,
           first_matched_at = CASE WHEN x.next = 'MATCHED' THEN coalesce(n.first_matched_at, now()) ELSE n.first_matched_at END
      FROM x
     WHERE n.id = x.id AND x.next IS NOT NULL
       AND (n.status, n.match_cutoff_score, n.match_cutoff_cost, n.match_cutoff_product) IS DISTINCT FROM (x.next, x.score, x.cost, x.product)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM deleted)::int + (SELECT count(*) FROM lapsed)::int AS removed, (SELECT count(*) FROM needs)::int AS needs,
         (SELECT json_agg(json_build_object('id', x.id, 'status', x.status, 'matched', x.matched)) FROM x WHERE x.next IS NULL) AS refused`;

interface Outcome { rows: StoredRow[]; needs: NeedRow[]; displaced: string[] }

const newOutcome = (): Outcome => ({ rows: [], needs: [], displaced: [] });

function add(outcome: Outcome, needId: string, slots: SlotOutcome<Decided>): void {
  outcome.rows.push(...slots.keep.map(storedRow));
  outcome.displaced.push(...slots.displaced);
  outcome.needs.push(needRowOf(needId, slots));
}

async function write(em: EntityManager, productId: string | null, outcome: Outcome, today: string, cause?: string): Promise<number> {
  const [{ removed, refused }] = await preparedQuery<{ removed: number; refused: { id: string; status: NeedStatus; matched: boolean }[] | null }>(em, WRITE_SQL,
    [today, JSON.stringify(outcome.rows), productId, outcome.displaced, JSON.stringify(outcome.needs), proposalEvents(cause)]);
  if (refused) throw new NeedTransitionError(refused[0].matched ? 'MATCH' : 'UNMATCH', refused);
  return removed;
}

const NEEDS_INPUTS_SQL = candidatesOfNeedsSql('n.id = ANY($2::uuid[])');
const PRODUCT_INPUTS_SQL = candidatesOfNeedsSql('n.id = ANY($2::uuid[])', 'p.id = $3::uuid');

/**
 * Locks needs $1 for the rest of the transaction, in id order (the lock sits above the sort), and reads
 * the day they are judged on ($2, else the database's): which of them are still looking for money (R11).
 * A refresh in full sends it as its first statement with generic plans set for the rest of the
 * transaction: its statements are prepared once per connection (database/prepared.ts) and take arrays of
 * ids, so one generic plan serves every call, where PostgreSQL would plan each call afresh while it
 * weighs custom plans against the generic one — 3 ms of planning for the inputs statement's 0.4–1 ms of
 * execution (one need at scale 0.02, bench:match). Only named prepared statements have a plan cache, so
 * the setting touches nothing else the transaction runs. A product's pass keeps PostgreSQL's own choice
 * (its candidate join over up to PRODUCT_CHUNK_SIZE needs plans better with the values in hand). A row
 * with a null id: none of the needs exists.
 */
const lockSql = (genericPlans: boolean) => `
  WITH s AS MATERIALIZED (
    SELECT ${genericPlans ? `set_config('plan_cache_mode', 'force_generic_plan', true) AS plans, ` : ''}coalesce($2::text, ${TODAY_SQL}) AS today)
  SELECT s.today, l.id, l.looking FROM s LEFT JOIN LATERAL (
    SELECT n.id, (${activeNeedSql('n', 's.today')}) AS looking FROM financing_need n WHERE n.id = ANY($1::uuid[]) ORDER BY n.id FOR UPDATE
  ) l ON true`;
const LOCK_SQL = lockSql(false);
const REFRESH_SESSION_SQL = lockSql(true);

async function lockWithDay(em: EntityManager, needIds: readonly string[], today: string | undefined, sql: string): Promise<{ today: string; looking: Set<string> }> {
  const rows = await preparedQuery<{ today: string; id: string | null; looking: boolean | null }>(em, sql, [needIds, today ?? null]);
  return { today: rows[0].today, looking: new Set(rows.filter((r) => r.looking).map((r) => r.id!)) };
}

/** Locks the needs' rows for the rest of the transaction, in id order; returns those still looking for money (R11) on `today` (the database's day when not given). */
export async function lockNeeds(em: EntityManager, needIds: readonly string[], today?: string): Promise<Set<string>> {
  return (await lockWithDay(em, needIds, today, LOCK_SQL)).looking;
}

/** Every candidate pair of the inputs decided, by need, eligible ones only. */
function decideAll(inputs: DecisionInputs): Map<string, Decided[]> {
  const byNeed = new Map<string, { need: NeedFacts; enterprise: BorrowerFacts; memo: NeedMemo; list: Decided[] }>();
  // Pairs come need by need (facts.service.ts): one need's lookups serve its pairs until another need's comes.
  let current: { need: NeedFacts; enterprise: BorrowerFacts; memo: NeedMemo; list: Decided[] } | undefined;
  for (const { needId, productId } of inputs.pairs) {
    const product = inputs.products.get(productId);
    if (!product) continue;
    if (current?.need.id !== needId) {
      current = byNeed.get(needId);
      if (!current) {
        const need = inputs.needs.get(needId)!;
        byNeed.set(needId, (current = { need, enterprise: inputs.enterprises.get(need.enterpriseId)!, memo: newNeedMemo(), list: [] }));
      }
    }
    const decided = decideCandidate(current.need, current.enterprise, product, inputs.context, current.memo);
    if (decided) current.list.push({ need: current.need, product, terms: decided.terms, score: decided.score, allIn: decided.terms.allInAnnualCostRate, productId });
  }
  return new Map([...byNeed].map(([needId, { list }]) => [needId, list]));
}

/** Needs decided against every product (slots.ts `allocateInFull`); of `needIds`, only those `looking` are written. */
async function refreshInFull(
  em: EntityManager, needIds: readonly string[], looking: ReadonlySet<string>, today: string, proposals: number, fromSql = false, cause?: string,
): Promise<RefreshStats> {
  const inputs = fromSql ? await loadInputs(em, NEEDS_INPUTS_SQL, [needIds], today) : await loadNeedInputs(em, needIds, today);
  const decided = decideAll(inputs);
  const outcome = newOutcome();
  const written = needIds.filter((id) => looking.has(id));
  for (const needId of written) {
    add(outcome, needId, allocateInFull(decided.get(needId) ?? [], (productId) => inputs.acted!.get(pairKey(needId, productId)), proposals));
  }
  const removed = await write(em, null, outcome, today, cause);
  return { needs: needIds.length, pairs: inputs.pairs.length, eligible: outcome.rows.length, removed };
}

interface SlotStateRow {
  need_id: string;
  cutoff_score: number | null; cutoff_cost: string | null; cutoff_product: string | null;
  /** The product's match of this need, if any. */
  status: MatchStatus | null; eligible: boolean | null;
  /** Other products' eligible matches, and those of them that hold a slot. */
  others: number; taken: number;
  /** The lowest-ranked PROPOSED one of them. */
  worst_id: string | null; worst_score: number | null; worst_cost: string | null; worst_product: string | null;
}

/**
 * Each need's slot state for product $3, read with the inputs (`loadInputs`' `also`) for every need $2,
 * candidate or not (one that stopped being a candidate gives its match up). One pass over a need's
 * stored matches gives the product's own match, the others' count, those that hold a slot, and the
 * lowest-ranked PROPOSED one (`worstFirstSql`); it was a statement of its own, with three reads of them.
 */
const SLOT_STATES_SQL = `
  (SELECT json_agg(json_build_object(
            'need_id', n.id, 'cutoff_score', n.match_cutoff_score, 'cutoff_cost', n.match_cutoff_cost::text, 'cutoff_product', n.match_cutoff_product,
            'status', s.status, 'eligible', s.eligible, 'others', coalesce(s.others, 0), 'taken', coalesce(s.taken, 0),
            'worst_id', s.worst->>0, 'worst_score', (s.worst->>1)::int, 'worst_cost', s.worst->>2, 'worst_product', s.worst->>3))
     FROM financing_need n
     LEFT JOIN LATERAL (
       SELECT (array_agg(m.status) FILTER (WHERE m.product_id = $3::uuid))[1] AS status,
              bool_or(m.eligible) FILTER (WHERE m.product_id = $3::uuid) AS eligible,
              (count(*) FILTER (WHERE m.eligible AND m.product_id <> $3::uuid))::int AS others,
              (count(*) FILTER (WHERE m.eligible AND m.product_id <> $3::uuid AND m.status NOT IN (${sqlList(FREED_STATUSES)})))::int AS taken,
              (array_agg(jsonb_build_array(m.id, m.score, m.all_in_cost::text, m.product_id) ORDER BY ${worstFirstSql('m')})
                 FILTER (WHERE m.eligible AND m.status = 'PROPOSED' AND m.product_id <> $3::uuid))[1] AS worst
         FROM match m WHERE m.need_id = n.id) s ON true
    WHERE n.id = ANY($2::uuid[]))`;

const rankOf = (score: number | null, cost: string | null, productId: string | null): RankKey | null =>
  score === null || productId === null ? null : { score, allIn: cost === null ? null : new Decimal(cost), productId };

const slotsOf = (st: SlotStateRow): ProductSlots => {
  const worst = rankOf(st.worst_score, st.worst_cost, st.worst_product);
  return {
    cutoff: rankOf(st.cutoff_score, st.cutoff_cost, st.cutoff_product),
    match: st.status === null ? null : { status: st.status, eligible: st.eligible! },
    taken: st.taken, others: st.others,
    worst: worst && st.worst_id ? { id: st.worst_id, key: worst } : null,
  };
};

/**
 * One product's pairs decided against what the needs keep (slots.ts `allocateForProduct`); the needs it
 * cannot settle pair by pair are decided in full.
 */
async function refreshForProduct(
  em: EntityManager, needIds: readonly string[], looking: ReadonlySet<string>, productId: string, today: string, proposals: number, cause?: string,
): Promise<RefreshStats> {
  // The slot state tells what the needs keep; the statuses of acted-on matches are a decision in full's.
  const inputs = await loadInputs<SlotStateRow[]>(em, PRODUCT_INPUTS_SQL, [needIds, productId], today, { acted: false, also: SLOT_STATES_SQL });
  const decided = decideAll(inputs);
  const states = inputs.also ?? [];
  const outcome = newOutcome();
  const again: string[] = [];
  const settled: string[] = [];
  for (const st of states) {
    if (!looking.has(st.need_id)) continue;
    const slots = allocateForProduct(slotsOf(st), decided.get(st.need_id)?.[0] ?? null, proposals);
    if ('again' in slots) again.push(st.need_id);
    else {
      settled.push(st.need_id);
      add(outcome, st.need_id, slots);
    }
  }
  const stats: RefreshStats = { needs: needIds.length, pairs: inputs.pairs.length, eligible: outcome.rows.length, removed: 0 };
  if (settled.length) stats.removed = await write(em, productId, outcome, today, cause);
  if (again.length) {
    const full = await refreshInFull(em, again, looking, today, proposals, false, cause);
    stats.pairs += full.pairs;
    stats.eligible += full.eligible;
    stats.removed += full.removed;
  }
  return stats;
}

/**
 * Re-decides `needIds` against every candidate product (or only `productId`) and writes the outcome.
 * Runs in the caller's transaction and locks the needs' rows.
 */
export async function refreshNeeds(em: EntityManager, needIds: readonly string[], options: RefreshOptions = {}): Promise<RefreshStats> {
  if (!needIds.length) return { needs: 0, pairs: 0, eligible: 0, removed: 0 };
  const proposals = options.proposals ?? PROPOSALS_PER_NEED;
  const { today, looking } = await lockWithDay(em, needIds, options.today, options.productId ? LOCK_SQL : REFRESH_SESSION_SQL);
  return options.productId
    ? refreshForProduct(em, needIds, looking, options.productId, today, proposals, options.cause)
    : refreshInFull(em, needIds, looking, today, proposals, options.candidatesFromSql, options.cause);
}

/** Chunks of one scope refreshed at once: the engine's JavaScript of one overlaps the other's database work (2 cores). */
export const PARALLEL_CHUNKS = 2;

/**
 * Refreshes everything a change can have altered (within `range`: one range job's part; refresh.scope.ts
 * lists the needs), chunk by chunk, each chunk its own transaction, up to PARALLEL_CHUNKS at a time. Chunks hold disjoint needs, so they never wait for each other's locks. A
 * failed chunk fails the scope (the queue retries it) once the chunks under way have ended.
 */
export async function refreshScope(
  db: DataSource, scope: RefreshScope, options: Pick<RefreshOptions, 'proposals' | 'today'> & { parallel?: number; range?: NeedRange } = {},
): Promise<RefreshStats> {
  const today = options.today ?? (await databaseToday(db));
  const total: RefreshStats = { needs: 0, pairs: 0, eligible: 0, removed: 0 };
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  for await (const { needIds, productId } of scopeChunks(db, scope, today, options.range)) {
    if (failure) break;
    const chunk: Promise<void> = db.transaction((em) => refreshNeeds(em, needIds, { productId, today, proposals: options.proposals, cause: scope.kind })).then(
      (stats) => {
        total.needs += stats.needs;
        total.pairs += stats.pairs;
        total.eligible += stats.eligible;
        total.removed += stats.removed;
      },
      (error: unknown) => {
        failure ??= { error };
      },
    ).finally(() => running.delete(chunk));
    running.add(chunk);
    if (running.size >= (options.parallel ?? PARALLEL_CHUNKS)) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw (failure as { error: unknown }).error;
  return total;
}
