/**
 * R6 — guarantee amplification (融资担保公司监督管理条例 Art. 15–16; 融资担保业务权重计量办法 2018;
 * seed 002: policy fund ≥ 5x; seed 000: raise guarantors' average multiple). Pure: no database.
 *
 * liability = Σ over live guarantees of guaranteed principal outstanding × risk weight (1.0; 0.75 for a
 * small or micro borrower whose guaranteed balance with this guarantor stays ≤ 5,000,000).
 * amplificationMultiple = liability ÷ net assets; remainingCapacity = netAssets × capMultiple − liability;
 * one borrower's guaranteed liability ≤ 10 % of net assets.
 */
import { Decimal, money, rate } from '../common/decimal';
import type { SizeClass } from '../enterprises/size-class';

export const SMALL_MICRO_WEIGHT = new Decimal('0.75');
export const FULL_WEIGHT = new Decimal(1);
export const SMALL_MICRO_BALANCE_CEILING = new Decimal(5_000_000);
export const SINGLE_BORROWER_SHARE = new Decimal('0.10');

export type CapacityStatus = 'UNDER_TARGET' | 'WITHIN' | 'AT_CAP';

export interface CapacityFigures {
  netAssets: Decimal;
  liability: Decimal;
  capMultiple: Decimal;
  targetMultiple: Decimal | null;
}

export interface Capacity {
  amplificationMultiple: Decimal;
  remainingCapacity: Decimal;
  singleBorrowerLimit: Decimal;
  status: CapacityStatus;
}

export function capacity(f: CapacityFigures): Capacity {
  const amplificationMultiple = rate(f.liability.div(f.netAssets));
  const remainingCapacity = money(f.netAssets.mul(f.capMultiple).minus(f.liability));
  const status: CapacityStatus = remainingCapacity.lte(0)
    ? 'AT_CAP'
    : f.targetMultiple && f.liability.div(f.netAssets).lt(f.targetMultiple)
      ? 'UNDER_TARGET'
      : 'WITHIN';
  return { amplificationMultiple, remainingCapacity, singleBorrowerLimit: money(f.netAssets.mul(SINGLE_BORROWER_SHARE)), status };
}

/** Risk weight of a borrower's guarantees with one guarantor, given its guaranteed balance there. */
export function riskWeight(sizeClass: SizeClass, borrowerGuaranteedBalance: Decimal): Decimal {
  return (sizeClass === 'SMALL' || sizeClass === 'MICRO') && borrowerGuaranteedBalance.lte(SMALL_MICRO_BALANCE_CEILING) ? SMALL_MICRO_WEIGHT : FULL_WEIGHT;
}

export interface NewGuarantee {
  /** Guaranteed principal of the new guarantee (principal × coverage). */
  guaranteedAmount: Decimal;
  borrowerSizeClass: SizeClass;
  /** The borrower's guaranteed balance with this guarantor before the new guarantee. */
  borrowerBalanceBefore: Decimal;
}

export type GuaranteeDecision =
  | { admitted: true; weightedAmount: Decimal; liabilityAfter: Decimal }
  | { admitted: false; reason: 'CAPACITY_EXCEEDED' | 'SINGLE_BORROWER_LIMIT'; weightedAmount: Decimal; room: Decimal };

/**
 * Whether a new guarantee fits under the cap and the single-borrower limit. The weight applies to the
 * borrower's whole balance after the guarantee: crossing 5,000,000 re-weighs the earlier part at 1.0.
 * `capacityOfF` is `capacity(f)`, for a caller that admits many guarantees against the same figures.
 */
export function admitGuarantee(f: CapacityFigures, g: NewGuarantee, capacityOfF: Capacity = capacity(f)): GuaranteeDecision {
  const balanceAfter = g.borrowerBalanceBefore.plus(g.guaranteedAmount);
  const borrowerBefore = weightedBalance(g.borrowerSizeClass, g.borrowerBalanceBefore);
  const borrowerAfter = weightedBalance(g.borrowerSizeClass, balanceAfter);
  const weightedAmount = borrowerAfter.minus(borrowerBefore);
  const { remainingCapacity, singleBorrowerLimit } = capacityOfF;
  if (weightedAmount.gt(remainingCapacity)) return { admitted: false, reason: 'CAPACITY_EXCEEDED', weightedAmount, room: Decimal.max(remainingCapacity, 0) };
  if (borrowerAfter.gt(singleBorrowerLimit)) {
    return { admitted: false, reason: 'SINGLE_BORROWER_LIMIT', weightedAmount, room: Decimal.max(singleBorrowerLimit.minus(borrowerBefore), 0) };
  }
  return { admitted: true, weightedAmount, liabilityAfter: f.liability.plus(weightedAmount) };
}

/** A borrower's guaranteed balance with one guarantor, weighted (R6): the weight applies to the whole balance. */
export function weightedBalance(sizeClass: SizeClass, balance: Decimal): Decimal {
  return money(balance.mul(riskWeight(sizeClass, balance)));
}

/** A guarantor's liability: the opening liability carried in (weight 1.0) plus each borrower's weighted live balance. */
export function liabilityOf(opening: Decimal, borrowers: readonly { sizeClass: SizeClass; balance: Decimal }[]): Decimal {
  return borrowers.reduce((sum, b) => sum.plus(weightedBalance(b.sizeClass, b.balance)), opening);
}
