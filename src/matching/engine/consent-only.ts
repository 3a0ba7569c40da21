/**
 * R10 applied to R13: a figure only the firm and the institutions it consented to may see (the overdue
 * count of R5) must not reach anyone else through a check either — not as a detail, not as a passed
 * flag, not through `eligible` or whether terms are given. Whoever may not see the figure gets the pair
 * decided on facts without it (the firm's figure unknown, the product's criterion on it lifted), and the
 * check that read it reported as withheld. The answer then depends on nothing consent-only, by
 * construction. Pure.
 */
import type { CreditFacts } from '../../credit/credit.conditions';
import type { MatchCheckCode } from './checks';
import type { EnterpriseFacts, ProductFacts } from './facts';

/** Each check that reads a consent-only figure: the firm's figure, and the product's criterion on it. */
export const CONSENT_ONLY_CHECKS = {
  OVERDUE: { fact: 'overdueCount12m', criterion: 'maxOverdueCount12m' },
} as const satisfies Partial<Record<MatchCheckCode, { fact: keyof CreditFacts; criterion: keyof ProductFacts }>>;

export type ConsentOnlyCheck = keyof typeof CONSENT_ONLY_CHECKS;
const CODES = Object.keys(CONSENT_ONLY_CHECKS) as ConsentOnlyCheck[];

/** The facts a viewer without consent is decided on, and the checks withheld from it (those the product sets a criterion for). */
export function withoutConsentOnly(enterprise: EnterpriseFacts, product: ProductFacts): {
  enterprise: EnterpriseFacts;
  product: ProductFacts;
  withheld: ConsentOnlyCheck[];
} {
  const credit: CreditFacts | null = enterprise.credit && { ...enterprise.credit };
  const lifted: ProductFacts = { ...product };
  for (const code of CODES) {
    const { fact, criterion } = CONSENT_ONLY_CHECKS[code];
    if (credit) credit[fact] = null;
    lifted[criterion] = null;
  }
  return {
    enterprise: { ...enterprise, credit },
    product: lifted,
    withheld: CODES.filter((code) => product[CONSENT_ONLY_CHECKS[code].criterion] != null),
  };
}
