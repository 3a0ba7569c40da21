/**
 * The region an AUTHORITY token speaks for (issue 17 §3; docs/AUTHORITIES.md "Regions"): its `regionCode`
 * claim, a GB/T 2260 code or prefix (2, 4 or 6 digits; a six-digit code's trailing 00 pairs are a
 * province or a city, so 370200 is the prefix 3702). A token without the claim is a national authority's.
 * A regional authority sees and acts within its region only; asked about another, it gets
 * OUTSIDE_AUTHORITY_REGION and nothing is written. Other roles carry no region.
 */
import { failure, Failure } from '../common/failure';
import { isRegionPrefix } from '../common/region';

/** What of a viewer (jwt.ts's Viewer) the region reads: named here, so jwt.ts can use this module without a cycle. */
interface RegionalViewer {
  role: string;
  regionCode?: string | null;
}

/** The claim as a prefix; null without a claim; false when the claim is malformed (the token is refused: never widened to national). */
export function regionClaimOf(raw: unknown): string | null | false {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return false;
  let prefix = raw.trim();
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return isRegionPrefix(prefix) ? prefix : false;
}

/** The viewer's region: a prefix for a regional authority, null for a national one and for every other role. */
export function authorityRegion(viewer: RegionalViewer | null | undefined): string | null {
  return viewer?.role === 'AUTHORITY' ? viewer.regionCode ?? null : null;
}

/** Whether a regional prefix covers `region` (a code or a narrower prefix); a national viewer (null) covers all. */
export function covers(viewerRegion: string | null, region: string | null | undefined): boolean {
  if (viewerRegion === null) return true;
  return typeof region === 'string' && region.startsWith(viewerRegion);
}

/**
 * Whether a policy rule lies within a regional authority's region: it names regions, each within the
 * authority's. A national rule is a national authority's alone.
 */
export function coversRule(viewerRegion: string | null, rule: { national: boolean; regionPrefixes: readonly string[] }): boolean {
  if (viewerRegion === null) return true;
  return !rule.national && rule.regionPrefixes.length > 0 && rule.regionPrefixes.every((p) => p.startsWith(viewerRegion));
}

/** What a service answers when the viewer's region does not cover `region`: OUTSIDE_AUTHORITY_REGION on `field` (null when it does). */
export function outsideRegion(viewer: RegionalViewer | null | undefined, field: string | string[], region: string | null | undefined): Failure | null {
  const own = authorityRegion(viewer);
  return covers(own, region) ? null : failure(field, 'OUTSIDE_AUTHORITY_REGION', { region: own! });
}

/** The same for a policy rule (`coversRule`). */
export function outsideRuleRegion(viewer: RegionalViewer | null | undefined, field: string | string[], rule: { national: boolean; regionPrefixes: readonly string[] }): Failure | null {
  const own = authorityRegion(viewer);
  return coversRule(own, rule) ? null : failure(field, 'OUTSIDE_AUTHORITY_REGION', { region: own! });
}

/** `covers` in SQL: `column` (a region code or prefix) lies in the region the parameter `param` holds (null: national, everything). */
export const coveredSql = (column: string, param: string): string => `(${param}::text IS NULL OR ${column} LIKE ${param} || '%')`;

/** `coversRule` in SQL, for the policy rule `r`. */
export const ruleCoveredSql = (r: string, param: string): string =>
  `(${param}::text IS NULL OR (NOT ${r}.national AND cardinality(${r}.region_prefixes) > 0 AND NOT EXISTS (SELECT 1 FROM unnest(${r}.region_prefixes) p WHERE p NOT LIKE ${param} || '%')))`;
