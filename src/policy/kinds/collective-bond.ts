/**
 * R9 — COLLECTIVE_BOND (seed 004 Art. (32)): counter-guarantee support, a risk-mitigation fund and the
 * split of losses within it. It concerns a bond issue, not one loan, so it adds nothing to a match's
 * terms; `collectiveBond` in subsidies.ts computes an issue's figures from these parameters.
 */
import type { RuleCalculator } from '../calculator';

export const collectiveBondRule: RuleCalculator = {
  kind: 'COLLECTIVE_BOND',
  description: '集合债 — counter-guarantee support of supportRatio × each firm\'s counter-guaranteed amount (at most perEnterpriseCap), a mitigation fund of fundRatio × the issue, losses within it split publicShare to public finance (R9)',
  params: {
    supportRatio: { type: 'rate', required: true },
    perEnterpriseCap: { type: 'money', required: true },
    fundRatio: { type: 'rate', required: true },
    publicShare: { type: 'rate', required: true },
  },
};
