/**
 * Which loans a policy rule concerns (R8 pool rules, R9 subsidies): product kinds (or the kind's
 * defaults), sector tags, size classes, regions (a prefix covers every code starting with it) and
 * industry chains. An empty list does not restrict. Pure.
 */
import type { SizeClass } from '../enterprises/size-class';
import type { ProductKind } from '../institutions/institution.rules';
import type { RuleCalculator } from './calculator';

export interface RuleEligibility {
  productKinds: readonly ProductKind[];
  sectorTags: readonly string[];
  sizeClasses: readonly SizeClass[];
  regionPrefixes: readonly string[];
  industryChains: readonly string[];
}

export interface Borrowing {
  productKind: ProductKind;
  sectorTags: readonly string[];
  sizeClass: SizeClass;
  regionCode: string;
  industryChains: readonly string[];
}

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

export function ruleApplies(rule: RuleEligibility, calculator: RuleCalculator, loan: Borrowing): boolean {
  const kinds = rule.productKinds.length ? rule.productKinds : (calculator.defaultProductKinds ?? []);
  if (kinds.length && !kinds.includes(loan.productKind)) return false;
  if (rule.sectorTags.length && !overlaps(rule.sectorTags, loan.sectorTags)) return false;
  if (rule.sizeClasses.length && !rule.sizeClasses.includes(loan.sizeClass)) return false;
  if (rule.regionPrefixes.length && !rule.regionPrefixes.some((p) => loan.regionCode.startsWith(p))) return false;
  if (rule.industryChains.length && !overlaps(rule.industryChains, loan.industryChains)) return false;
  return true;
}
