/**
 * R13 — the checks, in the rule's order, for any need and product: each criterion of the registry
 * (matching/criteria/) yields {code, passed, detail} where the detail is a message key and its figures,
 * so a person can act on it ("rating BBB is below the product's A"); messages.ts words it in Chinese or
 * English. A check that does not apply to the pair passes and says why. Pure.
 */
import { CRITERIA, DetailParams, MatchCheckCode } from '../criteria';
import type { ChosenGuarantee } from '../criteria/guarantee-choice';
import type { EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from './facts';

export { MATCH_CHECK_CODES } from '../criteria';
export type { MatchCheckCode, DetailParams } from '../criteria';
export { chooseGuarantee } from '../criteria/guarantee-choice';
export type { ChosenGuarantee } from '../criteria/guarantee-choice';
export { fullYears } from '../criteria/years-in-business';

export interface CheckResult {
  code: MatchCheckCode;
  passed: boolean;
  /** Message key: `CHECK_<CODE>.<variant>`. */
  detail: string;
  params: DetailParams;
}

export function runChecks(need: NeedFacts, enterprise: EnterpriseFacts, product: ProductFacts, context: MatchContext): {
  checks: CheckResult[]; guarantee: ChosenGuarantee | null;
} {
  const input = { need, enterprise, product, context };
  let guarantee: ChosenGuarantee | null = null;
  const checks = CRITERIA.map((criterion): CheckResult => {
    const verdict = criterion.check(input);
    if (verdict.guarantee) guarantee = verdict.guarantee;
    return { code: criterion.code, passed: verdict.passed, detail: `CHECK_${criterion.code}.${verdict.variant}`, params: verdict.params ?? {} };
  });
  return { checks, guarantee };
}
