/**
 * R4 — qualification tiers (梯度培育, seed 002), in ascending order: "tier ≥ T" follows this order.
 */
export const QUALIFICATION_TIERS = ['INNOVATIVE_SME', 'SPECIALIZED_SME', 'LITTLE_GIANT', 'SINGLE_CHAMPION'] as const;
export type QualificationTier = (typeof QUALIFICATION_TIERS)[number];
