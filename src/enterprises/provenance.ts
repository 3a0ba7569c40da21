/**
 * Where a qualification or sector tag comes from (issue 11 §6). Qualifications and tags that unlock
 * products or public money — HIGH_TECH, LISTING_RESERVE, the Qingdao pool's EMERGING / BLUE_ECONOMY /
 * HIGH_END (R3, R8, R12) — count only when an AUTHORITY recorded them (setEnterpriseQualifications, demo
 * data, imports); what a firm DECLARED itself (registerEnterprise, updateEnterpriseProfile) is shown as
 * declared and used by no product, pool or subsidy rule. Whitelist tiers (专精特新) come from published
 * batches only (R4).
 */
export const QUALIFICATION_SOURCES = ['AUTHORITY', 'DECLARED'] as const;
export type QualificationSource = (typeof QUALIFICATION_SOURCES)[number];
