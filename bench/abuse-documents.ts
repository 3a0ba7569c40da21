/**
 * The abusive documents of issue 11 §1, shared by `npm run bench:abuse` and test/e2e/query-limits.test.ts.
 */

/** `levels` levels of fragments, each spreading the level below `fan` times: fan^levels spreads in well under 1 KB. */
export function fragmentBomb(levels: number, fan = 10): string {
  const fragments = ['fragment L0 on FinancingNeed { id }'];
  for (let level = 1; level <= levels; level++) {
    fragments.push(`fragment L${level} on FinancingNeed { ${Array.from({ length: fan }, () => `...L${level - 1}`).join(' ')} }`);
  }
  return `query Bomb { financingNeeds(first: 1) { edges { node { ...L${levels} } } } }\n${fragments.join('\n')}`;
}

/** `count` aliases of a one-row page with its total count: cheap-looking, but each alias counts the whole list. */
export function aliasFlood(count: number, selection = 'financingNeeds(first: 1) { totalCount }'): string {
  return `query Aliases { ${Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;
}
