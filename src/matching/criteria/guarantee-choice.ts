/**
 * R13's GUARANTEE, the part no column answers: the guarantee a loan would carry. Among guarantors that
 * have an agreement with the bank (R7) and room under R6 (cap and single-borrower limit) for this
 * guarantee, the lowest fee, then the most remaining capacity, then the guarantor id. Pure.
 */
import { Decimal, money } from '../../common/decimal';
import { admitGuarantee, capacity } from '../../policy/amplification';
import type { BorrowerFacts, GuarantorOption, MatchContext, NeedFacts, ProductFacts } from '../engine/facts';

/** The guarantee R13's GUARANTEE check settled on, for the terms. */
export interface ChosenGuarantee {
  option: GuarantorOption;
  guaranteedAmount: Decimal;
  remainingCapacity: Decimal;
}

export function chooseGuarantee(need: NeedFacts, enterprise: BorrowerFacts, product: ProductFacts, context: MatchContext): {
  chosen: ChosenGuarantee | null; options: number; bestRoom: Decimal | null;
} {
  const options = context.guarantorsByBank.get(product.institutionId) ?? [];
  let chosen: ChosenGuarantee | null = null;
  let bestRoom: Decimal | null = null;
  for (const option of options) {
    const guaranteedAmount = money(need.amount.times(option.coverageRatio));
    const decision = admitGuarantee(option.figures, {
      guaranteedAmount,
      borrowerSizeClass: enterprise.sizeClass,
      borrowerBalanceBefore: context.borrowerBalance(option.guarantorId, enterprise.id),
    });
    if (!decision.admitted) {
      if (!bestRoom || decision.room.gt(bestRoom)) bestRoom = decision.room;
      continue;
    }
    const { remainingCapacity } = capacity(option.figures);
    const better = !chosen
      || option.feeRate.lt(chosen.option.feeRate)
      || (option.feeRate.eq(chosen.option.feeRate) && (remainingCapacity.gt(chosen.remainingCapacity)
        || (remainingCapacity.eq(chosen.remainingCapacity) && option.guarantorId < chosen.option.guarantorId)));
    if (better) chosen = { option, guaranteedAmount, remainingCapacity };
  }
  return { chosen, options: options.length, bestRoom };
}
