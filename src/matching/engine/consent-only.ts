/**
 * R10 applied to R13: a figure only the firm and the institutions it consented to may see (the overdue
 * count of R5) must not reach anyone else through a check either — not as a detail, not as a passed
 * flag, not through `eligible` or whether terms are given. Whoever may not see the figure gets the pair
 * decided on facts without it (the firm's figure unknown, the product's criterion on it lifted), and the
 * check that read it reported as withheld. The answer then depends on nothing consent-only, by
 * construction. Which checks read such a figure is each criterion's `consentOnly` (matching/criteria/).
 * Pure.
 */
import { CreditFacts, isSet } from '../../credit/credit.conditions';
import { CRITERIA, MatchCheckCode } from '../criteria';
import type { EnterpriseFacts, ProductFacts } from './facts';

interface ConsentOnlyFacts {
  fact: keyof CreditFacts;
  criterion: keyof ProductFacts;
}

/** Each check that reads a consent-only figure: the firm's figure, and the product's criterion on it. */
export const CONSENT_ONLY_CHECKS: Readonly<Record<string, ConsentOnlyFacts>> = Object.fromEntries(
  CRITERIA.filter((c) => c.consentOnly).map((c) => [c.code, c.consentOnly!]),
);

export type ConsentOnlyCheck = MatchCheckCode;
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
    if (credit) Object.assign(credit, { [fact]: null });
    Object.assign(lifted, { [criterion]: null });
  }
  return {
    enterprise: { ...enterprise, credit },
    product: lifted,
    withheld: CODES.filter((code) => isSet(product[CONSENT_ONLY_CHECKS[code].criterion])),
  };
}
