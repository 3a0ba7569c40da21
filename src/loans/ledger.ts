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
 * - Default: the guarantee is claimed; the bank's claim on the pool, min(net loss × lossShare, the reserve
 *   held), stays reserved and the rest of the reserve is released (R8). With such a claim the net loss
 *   waits for an authority's review of it (issue 17 §3); without one it is split at once.
 * - Settlement of the claim (paid, or rejected): the pool pays what was approved and releases the rest;
 *   the loss net of the payout is split by the agreement's risk-sharing rule (R7 after R8, DOMAIN E10), or
 *   borne by the bank when the loan had no guarantee.
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

/** Where a default's or a settlement's money leaves from: the outstanding principal goes to the loss the parties share, to the claim on the pool awaiting review, or back to the bank (accounts.ts `lossPostings`). */
export interface LossMove {
  /** The loan's outstanding principal at a default, or its net loss parked in the claim account at a settlement. */
  from: 'principal' | 'claim';
  total: Decimal;
  /** What the parties share now (R7): written off into the loan's loss account, which the LOSS_SHARE entries empty. */
  shared: Decimal;
  /** What waits for the pool's decision (issue 17 §3): the whole net loss while the bank's claim is under review. */
  awaiting: Decimal;
}

export interface DefaultPlan {
  /**
   * What the bank may claim from the pool (R8: min(net loss × lossShare, the reserve held)); it stays
   * reserved for the loan until an authority decides the claim (issue 17 §3). 0 when the pool gives nothing.
   */
  claimable: Decimal;
  reserveReleased: Decimal;
  /** The split, when nothing waits for the pool: the whole net loss (E6). Empty while the claim is under review. */
  lossSplit: { party: string; amount: Decimal }[];
  entries: Entry[];
  move: LossMove;
}

/** What the loss the parties share becomes: LOSS_SHARE entries by the agreement's rule (null for a loan without a guarantee: the bank bears it). */
function lossShares(loan: Pick<LoanState, 'bankId' | 'guarantorId'>, shared: Decimal, shares: readonly RiskShare[] | null): { lossSplit: { party: string; amount: Decimal }[]; entries: Entry[] } {
  const lossSplit = shares ? splitLoss(shared, shares) : [{ party: 'BANK' as const, amount: shared }];
  const entries = lossSplit.map((part): Entry => {
    const partyId = part.party === 'BANK' ? loan.bankId : part.party === 'GUARANTOR' ? loan.guarantorId : null;
    return { kind: 'LOSS_SHARE', party: part.party, partyId, amount: part.amount, ruleVersion: null, ruleId: null };
  });
  return { lossSplit, entries };
}

/**
 * A default with `netLoss` (0 < netLoss ≤ outstanding, checked by the caller); the guarantee is claimed.
 * When the pool owes the bank something (`lossShare` of the pool rule, null when the loan drew on no
 * pool; R8's payout up to the reserve held), that much stays reserved, the rest of the reserve is
 * released, and the whole net loss waits in the loan's claim account for an authority's decision
 * (`planClaimSettlement`): the split is on the loss net of what the pool pays (E10), known only then.
 * Otherwise the whole reserve is released and the net loss is split now.
 */
export function planDefault(
  loan: LoanState, netLoss: Decimal, lossShare: Decimal | null, shares: readonly RiskShare[] | null, poolRuleVersion: string | null, poolRuleId: string | null = null,
): DefaultPlan {
  const entries: Entry[] = [];
  const { payout: claimable, released } = lossShare && loan.poolId ? claimPayout(netLoss, lossShare, loan.reserveHeld) : { payout: new Decimal(0), released: loan.reserveHeld };
  if (released.gt(0)) entries.push({ kind: 'RESERVE_RELEASE', party: 'POOL', partyId: loan.poolId, amount: released, ruleVersion: poolRuleVersion, ruleId: poolRuleId });
  let lossSplit: DefaultPlan['lossSplit'] = [];
  let move: LossMove;
  if (claimable.gt(0)) {
    move = { from: 'principal', total: loan.outstanding, shared: new Decimal(0), awaiting: money(netLoss) };
  } else {
    const split = lossShares(loan, money(netLoss), shares);
    lossSplit = split.lossSplit;
    entries.push(...split.entries);
    move = { from: 'principal', total: loan.outstanding, shared: money(netLoss), awaiting: new Decimal(0) };
  }
  if (loan.guarantorId) {
    const guaranteeReleased = guaranteedPart(loan, loan.outstanding);
    if (guaranteeReleased.gt(0)) entries.push({ kind: 'GUARANTEE_RELEASE', party: 'GUARANTOR', partyId: loan.guarantorId, amount: guaranteeReleased, ruleVersion: null, ruleId: null });
  }
  return { claimable, reserveReleased: released, lossSplit, entries, move };
}

export interface SettlementPlan {
  /** The loss the parties share: the net loss less the pool's payout (E10). */
  shared: Decimal;
  lossSplit: { party: string; amount: Decimal }[];
  entries: Entry[];
  move: LossMove;
}

/**
 * The bank's claim on the pool decided (issue 17 §3): the pool pays `paid` (what the authority approved
 * and paid; 0 for a rejection) out of the `claimable` it kept reserved (CLAIM_PAYOUT) and releases the rest
 * (RESERVE_RELEASE); the parked net loss goes back to the bank by the payout and to the parties by the rest,
 * split by the agreement's rule (R7 after R8, DOMAIN E10). 0 ≤ paid ≤ claimable ≤ netLoss, checked by the
 * caller. E10: E4's 3,000,000 with 500,000 paid leaves the bank 2,500,000; 1,000,000 under Anhui 4321 with
 * 200,000 paid splits 800,000 into 320,000 / 240,000 / 160,000 / 80,000.
 */
export function planClaimSettlement(
  loan: Pick<LoanState, 'bankId' | 'guarantorId' | 'poolId'>, netLoss: Decimal, claimable: Decimal, paid: Decimal, shares: readonly RiskShare[] | null,
  poolRuleVersion: string | null, poolRuleId: string | null,
): SettlementPlan {
  const entries: Entry[] = [];
  if (paid.gt(0)) entries.push({ kind: 'CLAIM_PAYOUT', party: 'POOL', partyId: loan.poolId, amount: paid, ruleVersion: poolRuleVersion, ruleId: poolRuleId });
  const released = money(claimable.minus(paid));
  if (released.gt(0)) entries.push({ kind: 'RESERVE_RELEASE', party: 'POOL', partyId: loan.poolId, amount: released, ruleVersion: poolRuleVersion, ruleId: poolRuleId });
  const shared = lossAfterPayout(netLoss, paid);
  const split = shared.gt(0) ? lossShares(loan, shared, shares) : { lossSplit: [], entries: [] };
  entries.push(...split.entries);
  return { shared, lossSplit: split.lossSplit, entries, move: { from: 'claim', total: money(netLoss), shared, awaiting: new Decimal(0) } };
}
