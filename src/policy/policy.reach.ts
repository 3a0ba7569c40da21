/**
 * R13 freshness for the policy tables: which needs a policy rule or a benchmark rate can alter, so that a
 * change re-decides those (a `policy` refresh scope) and not every need. A rule version reaches what
 * `ruleApplies` (eligibility.ts) can accept: loans of its product kinds (or its kind's defaults) — a
 * loan need, since only a loan's terms take rules (matching/engine/terms.ts) — of firms with its sector
 * tags, size classes, regions and industry chains. A change reaches what the version in force before it
 * reached and what the version in force after it reaches.
 */
import type { EntityManager } from 'typeorm';
import type { PolicyReach } from '../common/refresh';
import { needKindsServed, PRODUCT_KINDS, ProductKind } from '../institutions/institution.rules';
import { calculatorFor } from './registry';
import type { PolicyRuleKind } from './rule-kinds';

interface RuleRow {
  id: string; kind: PolicyRuleKind; product_kinds: ProductKind[]; sector_tags: string[]; size_classes: string[]; region_prefixes: string[]; industry_chains: string[];
}

/** A rule version in force, as `rulesInForce` reads it. */
export interface RuleInForce extends RuleRow {
  code: string; version: number; national: boolean; params: Record<string, string>;
}

/** The needs one rule version can concern; null when it concerns none (e.g. equity products only). */
export function reachOf(rule: RuleRow): PolicyReach | null {
  const kinds = rule.product_kinds.length ? rule.product_kinds : (calculatorFor(rule.kind).defaultProductKinds ?? PRODUCT_KINDS);
  if (!kinds.some((k) => needKindsServed(k).includes('LOAN'))) return null;
  return { needKinds: ['LOAN'], sectorTags: rule.sector_tags, sizeClasses: rule.size_classes, regionPrefixes: rule.region_prefixes, industryChains: rule.industry_chains };
}

/** Reaches without repeats. */
export function distinctReaches(reaches: readonly (PolicyReach | null)[]): PolicyReach[] {
  const seen = new Map<string, PolicyReach>();
  for (const r of reaches) if (r) seen.set(JSON.stringify(r), r);
  return [...seen.values()];
}

/**
 * The rule versions in force on `day` (the highest version of each code whose effective date has come, as
 * the matching reads them: matching/facts.service.ts), of `codes` when given, or only those reading the
 * benchmark `benchmarkCode` when given.
 */
export async function rulesInForce(em: EntityManager, day: string, filter: { codes?: string[]; benchmarkCode?: string } = {}): Promise<RuleInForce[]> {
  return em.query(
    `SELECT * FROM (SELECT DISTINCT ON (code) id, code, version, kind, product_kinds, sector_tags, size_classes, region_prefixes, national, industry_chains, params
                      FROM policy_rule WHERE (effective_from IS NULL OR effective_from <= $1::date) AND ($2::text[] IS NULL OR code = ANY($2::text[]))
                     ORDER BY code, version DESC) r
      WHERE $3::text IS NULL OR r.params ->> 'benchmarkCode' = $3::text`,
    [day, filter.codes ?? null, filter.benchmarkCode ?? null],
  );
}

/**
 * A new version of `code` was written (not yet committed, in `em`): what the version in force today
 * before it reached and what the one in force now reaches; nothing when the new version takes effect
 * later (the daily refresh covers it on its day: matching/daily-refresh.ts).
 */
export async function ruleVersionReach(em: EntityManager, code: string, newId: string, today: string): Promise<PolicyReach[]> {
  const [after] = await rulesInForce(em, today, { codes: [code] });
  if (after?.id !== newId) return [];
  const [before]: RuleRow[] = await em.query(
    `SELECT id, kind, product_kinds, sector_tags, size_classes, region_prefixes, industry_chains FROM policy_rule
      WHERE code = $1 AND id <> $2::uuid AND (effective_from IS NULL OR effective_from <= $3::date) ORDER BY version DESC LIMIT 1`,
    [code, newId, today],
  );
  return distinctReaches([before ? reachOf(before) : null, reachOf(after)]);
}

/** A benchmark rate from `effectiveFrom` was written: the rules reading it, when the rate in force today changed. */
export async function benchmarkReach(em: EntityManager, code: string, effectiveFrom: string, today: string): Promise<PolicyReach[]> {
  const [{ current }]: { current: boolean }[] = await em.query(
    `SELECT $2::date = (SELECT max(effective_from) FROM benchmark_rate WHERE code = $1 AND effective_from <= $3::date) AS current`,
    [code, effectiveFrom, today],
  );
  return current ? distinctReaches((await rulesInForce(em, today, { benchmarkCode: code })).map(reachOf)) : [];
}
