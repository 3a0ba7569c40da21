/**
 * R7 — risk sharing (国办发〔2019〕6号; Anhui "4321"): a rule splits a loss on a guaranteed loan among
 * parties. Shares sum to exactly 1; coverageRatio = 1 − the bank's share. Pure: no database.
 */
import { Decimal, money } from '../common/decimal';

export const RISK_PARTIES = ['GUARANTOR', 'RE_GUARANTOR', 'NATIONAL_FUND', 'BANK', 'LOCAL_GOVERNMENT'] as const;
export type RiskParty = (typeof RISK_PARTIES)[number];

export interface RiskShare {
  party: RiskParty;
  share: Decimal;
}

export type ShareProblem =
  | { kind: 'SHARES_NOT_ONE'; sum: string }
  | { kind: 'SHARE_OUT_OF_RANGE'; index: number }
  | { kind: 'PARTY_REPEATED'; index: number };

/** Why a set of shares is not a rule: each in (0, 1], each party once, summing to exactly 1. */
export function shareProblems(shares: readonly RiskShare[]): ShareProblem[] {
  const problems: ShareProblem[] = [];
  const seen = new Set<RiskParty>();
  shares.forEach((s, index) => {
    if (s.share.lte(0) || s.share.gt(1)) problems.push({ kind: 'SHARE_OUT_OF_RANGE', index });
    if (seen.has(s.party)) problems.push({ kind: 'PARTY_REPEATED', index });
    seen.add(s.party);
  });
  const sum = shares.reduce((acc, s) => acc.plus(s.share), new Decimal(0));
  if (!sum.eq(1)) problems.push({ kind: 'SHARES_NOT_ONE', sum: sum.toFixed() });
  return problems;
}

/** coverageRatio = 1 − the bank's share (a rule without a bank share covers the whole loss). */
export function coverageRatio(shares: readonly RiskShare[]): Decimal {
  const bank = shares.find((s) => s.party === 'BANK')?.share ?? new Decimal(0);
  return new Decimal(1).minus(bank);
}

/**
 * The loss split, in the rule's order, each amount rounded half-up to the cent. Rounding can leave the
 * parts a cent or two off the loss; the difference goes to the party with the largest share (the first
 * such), so the parts always add up to the loss exactly.
 */
export function splitLoss(netLoss: Decimal, shares: readonly RiskShare[]): { party: RiskParty; amount: Decimal }[] {
  const parts = shares.map((s) => ({ party: s.party, amount: money(netLoss.times(s.share)) }));
  const difference = money(netLoss).minus(parts.reduce((acc, p) => acc.plus(p.amount), new Decimal(0)));
  if (!difference.isZero() && parts.length) {
    const largest = shares.reduce((best, s, i) => (s.share.gt(shares[best].share) ? i : best), 0);
    parts[largest].amount = parts[largest].amount.plus(difference);
  }
  return parts;
}
