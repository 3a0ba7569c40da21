/**
 * R13/R14's slot allocation on its own (src/matching/slots.ts), without a database: a model of one
 * need's stored matches applies each outcome as match.service.ts's write statement does, and random
 * markets and random sequences of changes (a product re-decided, a match acted on) check that at most
 * the free slots are proposed, acted-on matches are never displaced, the cutoff is the best pair left
 * out, and deciding one product's change gives what re-deciding the need in full gives.
 * test/matching/slots.test.ts holds the persisted form to the same, against PostgreSQL.
 */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import { compareMatches } from '../../src/matching/engine/score';
import { FREED_STATUSES, MatchStatus } from '../../src/matching/match.rules';
import { allocateForProduct, allocateInFull, bestOf, ProductSlots, RankKey, ranksAbove, SlotOutcome } from '../../src/matching/slots';

const SEED = Number(process.env.FC_SEED ?? 20261201);
const RUNS = 200;
jest.setTimeout(60_000);

interface Stored { status: MatchStatus; eligible: boolean; key: RankKey }
/** One need as the database keeps it: its matches by product, its cutoff and whether it is MATCHED. */
interface Need { matches: Map<string, Stored>; cutoff: RankKey | null; matched: boolean }
type Decisions = Map<string, RankKey | null>;

const holdsSlot = (s: MatchStatus) => !FREED_STATUSES.includes(s);
const eligibleOf = (decisions: Decisions) => [...decisions.values()].filter((d): d is RankKey => d !== null);
const clone = (n: Need): Need => ({ matches: new Map([...n.matches].map(([k, v]) => [k, { ...v }])), cutoff: n.cutoff, matched: n.matched });
const actedOf = (n: Need) => (productId: string) => {
  const m = n.matches.get(productId);
  return m && m.status !== 'PROPOSED' ? m.status : undefined;
};

/** What the write statement does with an outcome, `product` limiting the matches that may leave. */
function persist(n: Need, o: SlotOutcome<RankKey>, product: string | null): void {
  const kept = new Set(o.keep.map((d) => d.productId));
  for (const d of o.keep) {
    const m = n.matches.get(d.productId);
    if (!m) n.matches.set(d.productId, { status: 'PROPOSED', eligible: true, key: d });
    else n.matches.set(d.productId, { ...m, eligible: true, key: m.status === 'PROPOSED' ? d : m.key });
  }
  const gone = [...n.matches].filter(([p, m]) => m.eligible && (product === null || p === product) && !kept.has(p)).map(([p]) => p);
  for (const p of [...gone, ...o.displaced]) {
    const m = n.matches.get(p)!;
    if (m.status === 'PROPOSED') n.matches.delete(p);
    else m.eligible = false;
  }
  if (o.cutoff !== undefined) n.cutoff = o.cutoff;
  n.matched = o.matched;
}

function inFull(n: Need, decisions: Decisions, slots: number): SlotOutcome<RankKey> {
  const o = allocateInFull(eligibleOf(decisions), actedOf(n), slots);
  persist(n, o, null);
  return o;
}

/** The slot state the database reads for one product's change. */
function slotsFor(n: Need, product: string): ProductSlots {
  const others = [...n.matches].filter(([p, m]) => p !== product && m.eligible);
  const proposed = others.filter(([, m]) => m.status === 'PROPOSED').sort(([, a], [, b]) => compareMatches(b.key, a.key));
  const own = n.matches.get(product);
  return {
    cutoff: n.cutoff,
    match: own ? { status: own.status, eligible: own.eligible } : null,
    taken: others.filter(([, m]) => holdsSlot(m.status)).length,
    others: others.length,
    worst: proposed.length ? { id: proposed[0][0], key: proposed[0][1].key } : null,
  };
}

const view = (n: Need) => ({
  matches: [...n.matches].filter(([, m]) => m.eligible).map(([p, m]) => `${p}:${m.status}`).sort(),
  matched: n.matched,
});

const SCORES = [50, 60, 70];
const COSTS = [null, '0.03', '0.04'];
const keyArb = (productId: string) => fc.option(fc.record({ score: fc.constantFrom(...SCORES), cost: fc.constantFrom(...COSTS) }), { freq: 3 })
  .map((k): RankKey | null => (k ? { score: k.score, allIn: k.cost === null ? null : new Decimal(k.cost), productId } : null));
const PRODUCTS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const marketArb = fc.tuple(...PRODUCTS.map(keyArb));
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('product' as const), index: fc.nat(PRODUCTS.length - 1), to: fc.option(fc.record({ score: fc.constantFrom(...SCORES), cost: fc.constantFrom(...COSTS) }), { freq: 3 }) }),
  fc.record({ kind: fc.constant('act' as const), index: fc.nat(), status: fc.constantFrom<MatchStatus>('VIEWED', 'DECLINED', 'OVERDUE', 'APPLIED') }),
);

/** The slot invariants of a need just decided in full. */
function checkFull(n: Need, decisions: Decisions, o: SlotOutcome<RankKey>, slots: number): void {
  const eligible = [...n.matches].filter(([, m]) => m.eligible);
  const actedHolding = eligible.filter(([, m]) => m.status !== 'PROPOSED' && holdsSlot(m.status)).length;
  const proposed = eligible.filter(([, m]) => m.status === 'PROPOSED');
  // At most the free slots are proposed, and the free slots are used while pairs wait.
  expect(proposed.length).toBeLessThanOrEqual(Math.max(0, slots - actedHolding));
  const outside = eligibleOf(decisions).filter((d) => !n.matches.get(d.productId)?.eligible).sort(compareMatches);
  if (outside.length) expect(proposed.length).toBe(Math.max(0, slots - actedHolding));
  // The cutoff is the best pair left out; every proposal ranks above it.
  expect(o.cutoff ?? null).toEqual(outside[0] ?? null);
  for (const [p] of proposed) if (o.cutoff) expect(ranksAbove(decisions.get(p)!, o.cutoff)).toBe(true);
  expect(o.matched).toBe(eligible.length > 0);
}

describe('R14 slots, decided without a database', () => {
  it(`keeps the free slots for the best pairs, never displaces an acted-on match, and one product's change equals a full re-decision (seed ${SEED})`, () => {
    let swaps = 0;
    let again = 0;
    fc.assert(
      fc.property(marketArb, fc.array(stepArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (market, steps, slots) => {
        const decisions: Decisions = new Map(PRODUCTS.map((p, i) => [p, market[i]]));
        const need: Need = { matches: new Map(), cutoff: null, matched: false };
        checkFull(need, decisions, inFull(need, decisions, slots), slots);
        for (const step of steps) {
          const acted = new Map([...need.matches].filter(([, m]) => m.status !== 'PROPOSED').map(([p, m]) => [p, m.status]));
          if (step.kind === 'product') {
            const product = PRODUCTS[step.index];
            const to = step.to ? { score: step.to.score, allIn: step.to.cost === null ? null : new Decimal(step.to.cost), productId: product } : null;
            decisions.set(product, to);
            const o = allocateForProduct(slotsFor(need, product), to, slots);
            if ('again' in o) {
              again += 1;
              inFull(need, decisions, slots);
            } else {
              // A displaced match is a proposal of another product, never one someone acted on.
              for (const id of o.displaced) {
                expect(id).not.toBe(product);
                expect(need.matches.get(id)?.status).toBe('PROPOSED');
                swaps += 1;
              }
              persist(need, o, product);
            }
          } else {
            const proposed = [...need.matches].filter(([, m]) => m.eligible && m.status === 'PROPOSED').map(([p]) => p).sort();
            if (!proposed.length) continue;
            const target = proposed[step.index % proposed.length];
            need.matches.get(target)!.status = step.status;
            acted.set(target, step.status);
            inFull(need, decisions, slots);
          }
          // Acted-on matches stay (as history when they no longer qualify), with their status.
          for (const [p, status] of acted) expect(need.matches.get(p)?.status).toBe(status);
          // The same as deciding the need in full; the kept cutoff bounds the exact one from above.
          const full = clone(need);
          const o = inFull(full, decisions, slots);
          checkFull(full, decisions, o, slots);
          expect(view(need)).toEqual(view(full));
          if (need.cutoff && full.cutoff) expect(compareMatches(need.cutoff, full.cutoff)).toBeLessThanOrEqual(0);
          if (full.cutoff) expect(need.cutoff).not.toBeNull();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Both ways of settling a product's change were exercised.
    expect(swaps).toBeGreaterThan(10);
    expect(again).toBeGreaterThan(10);
  });

  it('proposes the best pairs of a need decided in full and remembers the next one', () => {
    const key = (productId: string, score: number, cost: string | null): RankKey => ({ score, allIn: cost === null ? null : new Decimal(cost), productId });
    const pairs = [key('a', 60, '0.05'), key('b', 70, null), key('c', 70, '0.04'), key('d', 60, '0.03'), key('e', 50, '0.03')];
    const o = allocateInFull(pairs, (p) => (p === 'e' ? 'APPLIED' : p === 'c' ? 'DECLINED' : undefined), 2);
    // e holds its slot (applied), c is history that frees its own; one free slot goes to the best of a, b, d.
    expect(o.keep.map((d) => d.productId).sort()).toEqual(['b', 'c', 'e']);
    expect(o.cutoff).toEqual(key('d', 60, '0.03'));
    expect(o.matched).toBe(true);
    expect(allocateInFull([], () => undefined, 2)).toEqual({ keep: [], displaced: [], cutoff: null, matched: false });
  });

  it('gives a full slot to a better pair by displacing the worst proposal, which becomes the cutoff', () => {
    const key = (productId: string, score: number): RankKey => ({ score, allIn: null, productId });
    const st: ProductSlots = { cutoff: key('z', 40), match: null, taken: 2, others: 2, worst: { id: 'w', key: key('w', 50) } };
    expect(allocateForProduct(st, key('n', 60), 2)).toEqual({ keep: [key('n', 60)], displaced: ['w'], cutoff: key('w', 50), matched: true });
    // A pair below the worst proposal but above the cutoff becomes the cutoff; one below it changes nothing.
    expect(allocateForProduct(st, key('n', 45), 2)).toEqual({ keep: [], displaced: [], cutoff: key('n', 45), matched: true });
    expect(allocateForProduct(st, key('n', 30), 2)).toEqual({ keep: [], displaced: [], cutoff: undefined, matched: true });
    // A kept proposal that stops qualifying while a pair waits outside: decided in full.
    expect(allocateForProduct({ ...st, match: { status: 'PROPOSED', eligible: true } }, null, 2)).toEqual({ again: true });
  });
});

describe('R13 order: the best k pairs (slots.ts bestOf)', () => {
  it(`equals sorting every pair and taking the first k, ties and all (seed ${SEED})`, () => {
    const pairArb = fc.record({
      score: fc.integer({ min: 40, max: 44 }),
      allIn: fc.option(fc.constantFrom('0.035', '0.0350', '0.04', '0.041'), { nil: null }),
      productId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
    });
    fc.assert(fc.property(fc.uniqueArray(pairArb, { selector: (p) => p.productId, maxLength: 7 }), fc.integer({ min: 0, max: 9 }), (raw, k) => {
      const pairs: RankKey[] = raw.map((p) => ({ ...p, allIn: p.allIn === null ? null : new Decimal(p.allIn) }));
      expect(bestOf(pairs, k)).toEqual([...pairs].sort(compareMatches).slice(0, k));
    }), { numRuns: 500, seed: SEED });
  });
});
