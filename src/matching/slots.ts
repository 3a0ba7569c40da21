/**
 * R13 and R14 — a need's proposal slots, decided without a database. A need is proposed to its best
 * PROPOSALS_PER_NEED institutions at a time: the matches someone acted on keep their own slot (a DECLINED
 * or OVERDUE one frees it for the next-ranked pair), the best other eligible pairs fill the free slots,
 * and the best pair left out is the need's cutoff. Pure (Medusa's `computeActions`): the facts and the
 * engine's decisions in, what to write out; match.service.ts only persists an outcome.
 *
 * - `allocateInFull`: the need decided against every product.
 * - `allocateForProduct`: one product's new decision against what the need keeps (its slot state and
 *   cutoff), or `again` when that cannot be settled pair by pair and the need must be decided in full.
 */
import type { Decimal } from '../common/decimal';
import { compareMatches } from './engine/score';
import { FREED_STATUSES, MatchStatus } from './match.rules';

/** How a pair ranks (R13: score, then the lower all-in cost, then the product id). */
export interface RankKey { score: number; allIn: Decimal | null; productId: string }

export const ranksAbove = (a: RankKey, b: RankKey): boolean => compareMatches(a, b) < 0;

const keyOf = (d: RankKey): RankKey => ({ score: d.score, allIn: d.allIn, productId: d.productId });

/** What one need's decision writes. Every eligible match of the decided pairs (all products, or the one product) not in `keep` leaves. */
export interface SlotOutcome<T extends RankKey> {
  /** Eligible pairs kept: a PROPOSED match re-priced or created, one someone acted on kept with its terms (R14). */
  keep: T[];
  /** Other products' PROPOSED matches that give their slot to a better pair. */
  displaced: string[];
  /** The best pair left out (null: none); undefined leaves the stored cutoff as it is. */
  cutoff?: RankKey | null;
  /** Whether the need keeps an eligible match afterwards: R11's MATCH, else UNMATCH (need.lifecycle.ts says what that moves). */
  matched: boolean;
}

export type ProductOutcome<T extends RankKey> = SlotOutcome<T> | { again: true };

const holdsSlot = (status: MatchStatus) => !FREED_STATUSES.includes(status);

/**
 * A need against every product: `eligible` its eligible pairs, `acted` the status of a pair's match when
 * someone acted on it (not PROPOSED), `proposals` the slots.
 */
export function allocateInFull<T extends RankKey>(eligible: readonly T[], acted: (productId: string) => MatchStatus | undefined, proposals: number): SlotOutcome<T> {
  const keep: T[] = [];
  const open: T[] = [];
  let taken = 0;
  for (const d of eligible) {
    const status = acted(d.productId);
    if (status === undefined) open.push(d);
    else {
      keep.push(d);
      if (holdsSlot(status)) taken += 1;
    }
  }
  const free = Math.max(0, proposals - taken);
  const best = bestOf(open, free + 1);
  keep.push(...best.slice(0, free));
  const left = best[free];
  return { keep, displaced: [], cutoff: left ? keyOf(left) : null, matched: keep.length > 0 };
}

/**
 * The `k` best of `pairs` in R13's order: what sorting them all and taking the first `k` gives (the order
 * is total, the product id breaks every tie), in one pass that compares most pairs with the k-th only.
 */
export function bestOf<T extends RankKey>(pairs: readonly T[], k: number): T[] {
  const best: T[] = [];
  if (k <= 0) return best;
  for (const d of pairs) {
    if (best.length === k && !ranksAbove(d, best[k - 1])) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && ranksAbove(d, best[at - 1])) at -= 1;
    best.splice(at, 0, d);
    if (best.length > k) best.pop();
  }
  return best;
}

/** What a need keeps, as one product's change meets it. */
export interface ProductSlots {
  /** The need's stored cutoff: no pair left out ranks above it. */
  cutoff: RankKey | null;
  /** The product's match of this need, if any. */
  match: { status: MatchStatus; eligible: boolean } | null;
  /** Other products' eligible matches that hold a slot. */
  taken: number;
  /** Other products' eligible matches, holding a slot or not. */
  others: number;
  /** The lowest-ranked PROPOSED one of them: a better pair may take its place. */
  worst: { id: string; key: RankKey } | null;
}

/**
 * One product's pair decided against what the need keeps, with `d` the pair's new decision (null: not
 * eligible). A match someone acted on is re-priced or leaves; a kept PROPOSED match stays (re-priced)
 * while it still ranks above the cutoff; a new eligible pair takes a free slot, or the slot of the
 * lowest-ranked PROPOSED match when it ranks above it (which becomes the cutoff), or else may become the
 * cutoff. A need whose kept match drops out while a pair may wait outside, or whose slot freed with
 * pairs waiting, or that an acted-on match re-enters and claims a slot back, is decided in full (`again`).
 */
export function allocateForProduct<T extends RankKey>(st: ProductSlots, d: T | null, proposals: number): ProductOutcome<T> {
  const again = { again: true } as const;
  const { cutoff, match } = st;
  const settled = (keep: T | null, displaced: { id: string; key: RankKey } | null = null, next?: RankKey | null): SlotOutcome<T> => ({
    keep: keep ? [keep] : [], displaced: displaced ? [displaced.id] : [], cutoff: displaced ? displaced.key : next,
    matched: keep !== null || st.others - (displaced ? 1 : 0) > 0,
  });
  if (match && match.status !== 'PROPOSED') {
    // A match that held a slot and drops out frees it: with pairs waiting, the need is decided in full.
    // One that lapsed and comes back takes its slot again, so a proposal may have to give way.
    if (holdsSlot(match.status) && ((!d && match.eligible && cutoff) || (d && !match.eligible))) return again;
    return settled(d);
  }
  if (match?.eligible) {
    if (d && (!cutoff || ranksAbove(d, cutoff))) return settled(d);
    return !d && !cutoff ? settled(null) : again;
  }
  if (!d) return settled(null);
  if (st.taken < proposals) return cutoff ? again : settled(d);
  if (st.worst && st.taken === proposals && ranksAbove(d, st.worst.key)) return settled(d, st.worst);
  return settled(null, null, !cutoff || ranksAbove(d, cutoff) ? keyOf(d) : undefined);
}
