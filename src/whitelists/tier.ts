/**
 * R4 — qualification tiers (梯度培育, seed 002), in ascending order: "tier ≥ T" follows this order.
 */
export const QUALIFICATION_TIERS = ['INNOVATIVE_SME', 'SPECIALIZED_SME', 'LITTLE_GIANT', 'SINGLE_CHAMPION'] as const;
export type QualificationTier = (typeof QUALIFICATION_TIERS)[number];

/** Rank of a tier: INNOVATIVE_SME = 1 … SINGLE_CHAMPION = 4, as the `tier_rank` columns store it. */
export function tierRank(tier: QualificationTier): number {
  return QUALIFICATION_TIERS.indexOf(tier) + 1;
}
