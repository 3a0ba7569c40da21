/**
 * R14 with R6–R9 — what a disbursement, a repayment and a default do to the ledger, as plain data. The
 * service locks the rows, reads the figures, asks these functions, and writes what they return in one
 * transaction. Pure: no database, no GraphQL.
 *
 * - Disbursement: the guarantee (principal × the match's coverage), admitted only under the guarantor's
 *   cap and single-borrower limit (R6); the reserve and subsidies of the rule versions the match used,
 *   quoted on the disbursed figures (R8, R9: the reserve never more than the pool has; the fee subsidy
 *   within the guarantor's yearly cap). The subsidies are the loan's entitlements, not entries: each is
 *   booked when an authority pays its claim (issue 17 §3, reviews/).
 * - Repayment: the outstanding principal falls, the guarantee with it (outstanding × coverage); in full, the
 *   pool's reserve is released (R8).
 * - Default: the bank's claim on the pool, payout = min(net loss × lossShare, the reserve held), the rest
 *   of the reserve released (R8); the loss net of the pool's payout split by the agreement's risk-sharing
 *   rule (R7, DOMAIN E10), or borne by the bank when the loan had no guarantee; the guarantee is claimed.
 */
import { Decimal, MONEY_MAX, money } from '../common/decimal';
import type { SizeClass } from '../enterprises/size-class';
import type { ProductKind } from '../institutions/institution.rules';
import { admitGuarantee, capacity, CapacityFigures } from '../policy/amplification';
import type { LoanFigures, QuoteContext } from '../policy/calculator';
import { claimPayout, lossAfterPayout } from '../policy/compensation';
import { QuotedRule, quoteRules, ruleVersion, SubsidyQuoted } from '../policy/quotes';
import { RiskShare, splitLoss } from '../policy/risk-sharing';

export const ENTRY_KINDS = ['DISBURSEMENT', 'REPAYMENT', 'GUARANTEE', 'GUARANTEE_RELEASE', 'RESERVE', 'RESERVE_RELEASE', 'CLAIM_PAYOUT', 'SUBSIDY', 'LOSS_SHARE'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * One money movement as the API shows it (`LoanEntry`): who (a party of R7, POOL, or a payee) and how much,
 * with the rule behind it (its id, and `CODE@vN` for display). accounts.ts turns each into a balanced posting.
 */
export interface Entry {
  kind: EntryKind;
  party: string;
  partyId: string | null;
  amount: Decimal;
  ruleVersion: string | null;
  ruleId: string | null;
}

export interface DisbursementFacts {
  principal: Decimal;
  annualRate: Decimal;
  termMonths: number;
  bankId: string;
  enterpriseId: string;
  productKind: ProductKind;
  /** The match's guarantee with the guarantor's figures as locked now, or null for a loan without one. */
  guarantee: {
    guarantorId: string;
    coverageRatio: Decimal;
    feeRate: Decimal;
    figures: CapacityFigures;
    borrowerSizeClass: SizeClass;
    borrowerBalanceBefore: Decimal;
  } | null;
  /** The policy rule versions the match used. */
  rules: readonly QuotedRule[];
  /** The day of the disbursement: the loan and its guarantee start then (a fee subsidy is allocated by months from it, DOMAIN E9). */
  startsOn?: string;
  /** Benchmark rates, the guarantor's fee subsidies booked this year and the pools' room, as locked now. */
  context: QuoteContext;
}

export type DisbursementPlan =
  | { admitted: false; limit: 'cap' | 'singleBorrower'; weighted: Decimal; room: Decimal; singleBorrowerLimit: Decimal }
  | {
    admitted: true;
    guarantee: { guarantorId: string; coverageRatio: Decimal; feeRate: Decimal; guaranteedAmount: Decimal } | null;
    reserve: { amount: Decimal; poolId: string; rule: QuotedRule } | null;
    /** What the pool rule gives the disbursed principal had the pool room enough (R8): above `reserve` when the pool ran short. */
    reserveDue: Decimal;
    subsidies: SubsidyQuoted[];
    entries: Entry[];
  };

export function planDisbursement(f: DisbursementFacts): DisbursementPlan {
  const entries: Entry[] = [{ kind: 'DISBURSEMENT', party: 'BANK', partyId: f.bankId, amount: money(f.principal), ruleVersion: null, ruleId: null }];
  let guarantee: Extract<DisbursementPlan, { admitted: true }>['guarantee'] = null;
  if (f.guarantee) {
    const g = f.guarantee;
    const guaranteedAmount = money(f.principal.times(g.coverageRatio));
    const decision = admitGuarantee(g.figures, { guaranteedAmount, borrowerSizeClass: g.borrowerSizeClass, borrowerBalanceBefore: g.borrowerBalanceBefore });
    if (!decision.admitted) {
      return {
        admitted: false, limit: decision.reason === 'CAPACITY_EXCEEDED' ? 'cap' : 'singleBorrower', weighted: decision.weightedAmount, room: decision.room,
        singleBorrowerLimit: capacity(g.figures).singleBorrowerLimit,
      };
    }
    guarantee = { guarantorId: g.guarantorId, coverageRatio: g.coverageRatio, feeRate: g.feeRate, guaranteedAmount };
    entries.push({ kind: 'GUARANTEE', party: 'GUARANTOR', partyId: g.guarantorId, amount: guaranteedAmount, ruleVersion: null, ruleId: null });
  }
  const loan: LoanFigures = {
    principal: f.principal, termMonths: f.termMonths, annualRate: f.annualRate, productKind: f.productKind, enterpriseId: f.enterpriseId,
    guarantee: guarantee && { guarantorId: guarantee.guarantorId, feeRate: guarantee.feeRate, guaranteedAmount: guarantee.guaranteedAmount },
    ...(f.startsOn ? { startsOn: f.startsOn } : {}),
  };
  const { reserve, subsidies } = quoteRules(f.rules, loan, f.context);
  // The reserve with the pools' room left out: what the loan was due, so a pool run dry is reported, not silent.
  const reserveDue = quoteRules(f.rules, loan, { ...f.context, poolAvailable: () => MONEY_MAX }).reserve?.amount ?? new Decimal(0);
  if (reserve) entries.push({ kind: 'RESERVE', party: 'POOL', partyId: reserve.poolId, amount: reserve.amount, ruleVersion: ruleVersion(reserve.rule), ruleId: reserve.rule.id });
  // The subsidies are the loan's entitlements: their SUBSIDY entries come when an authority pays each claim (reviews/claim.service.ts).
  return { admitted: true, guarantee, reserve, reserveDue, subsidies, entries };
}

/** A loan as a repayment or a default finds it. */
export interface LoanState {
  bankId: string;
  enterpriseId: string;
  outstanding: Decimal;
  guarantorId: string | null;
  coverageRatio: Decimal | null;
  poolId: string | null;
  reserveHeld: Decimal;
}

/** The guaranteed part of an outstanding principal. */
const guaranteedPart = (loan: LoanState, outstanding: Decimal) => (loan.coverageRatio ? money(outstanding.times(loan.coverageRatio)) : new Decimal(0));

export interface RepaymentPlan {
  outstanding: Decimal;
  guaranteeOutstanding: Decimal | null;
  repaid: boolean;
  reserveReleased: Decimal;
  entries: Entry[];
}

/** A repayment of `amount` (0 < amount ≤ outstanding, checked by the caller). */
export function planRepayment(loan: LoanState, amount: Decimal): RepaymentPlan {
  const outstanding = money(loan.outstanding.minus(amount));
  const repaid = outstanding.isZero();
  const entries: Entry[] = [{ kind: 'REPAYMENT', party: 'ENTERPRISE', partyId: loan.enterpriseId, amount: money(amount), ruleVersion: null, ruleId: null }];
  let guaranteeOutstanding: Decimal | null = null;
  if (loan.guarantorId) {
    guaranteeOutstanding = guaranteedPart(loan, outstanding);
    const released = guaranteedPart(loan, loan.outstanding).minus(guaranteeOutstanding);
    if (released.gt(0)) entries.push({ kind: 'GUARANTEE_RELEASE', party: 'GUARANTOR', partyId: loan.guarantorId, amount: released, ruleVersion: null, ruleId: null });
  }
  const reserveReleased = repaid ? loan.reserveHeld : new Decimal(0);
  if (reserveReleased.gt(0)) entries.push({ kind: 'RESERVE_RELEASE', party: 'POOL', partyId: loan.poolId, amount: reserveReleased, ruleVersion: null, ruleId: null });
  return { outstanding, guaranteeOutstanding, repaid, reserveReleased, entries };
}

export interface DefaultPlan {
  payout: Decimal;
  /** The loss the parties share: the net loss less the pool's payout (E10). */
  shared: Decimal;
  reserveReleased: Decimal;
  lossSplit: { party: string; amount: Decimal }[];
  entries: Entry[];
}

/**
 * A default with `netLoss` (0 < netLoss ≤ outstanding, checked by the caller): the pool pays up to the
 * reserve held (`lossShare` of the pool rule, null when the loan drew on no pool), and what the pool does
 * not pay is split by the agreement's `shares` (null for a loan without a guarantee: the bank bears it).
 * DOMAIN E10: E4's 3,000,000 with a 500,000 payout leaves the bank 2,500,000; 1,000,000 under Anhui 4321
 * with a 200,000 payout splits 800,000 into 320,000 / 240,000 / 160,000 / 80,000.
 */
export function planDefault(
  loan: LoanState, netLoss: Decimal, lossShare: Decimal | null, shares: readonly RiskShare[] | null, poolRuleVersion: string | null, poolRuleId: string | null = null,
): DefaultPlan {
  const entries: Entry[] = [];
  const { payout, released } = lossShare && loan.poolId ? claimPayout(netLoss, lossShare, loan.reserveHeld) : { payout: new Decimal(0), released: loan.reserveHeld };
  if (payout.gt(0)) entries.push({ kind: 'CLAIM_PAYOUT', party: 'POOL', partyId: loan.poolId, amount: payout, ruleVersion: poolRuleVersion, ruleId: poolRuleId });
  if (released.gt(0)) entries.push({ kind: 'RESERVE_RELEASE', party: 'POOL', partyId: loan.poolId, amount: released, ruleVersion: poolRuleVersion, ruleId: poolRuleId });
  const shared = lossAfterPayout(netLoss, payout);
  const lossSplit = shares ? splitLoss(shared, shares) : [{ party: 'BANK' as const, amount: shared }];
  for (const part of lossSplit) {
    const partyId = part.party === 'BANK' ? loan.bankId : part.party === 'GUARANTOR' ? loan.guarantorId : null;
    entries.push({ kind: 'LOSS_SHARE', party: part.party, partyId, amount: part.amount, ruleVersion: null, ruleId: null });
  }
  if (loan.guarantorId) {
    const released = guaranteedPart(loan, loan.outstanding);
    if (released.gt(0)) entries.push({ kind: 'GUARANTEE_RELEASE', party: 'GUARANTOR', partyId: loan.guarantorId, amount: released, ruleVersion: null, ruleId: null });
  }
  return { payout, shared, reserveReleased: released, lossSplit, entries };
}
