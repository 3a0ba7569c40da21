/**
 * R13's GUARANTEE, the part no column answers: the guarantee a loan would carry. Among guarantors that
 * have an agreement with the bank (R7) and room under R6 (cap and single-borrower limit) for this
 * guarantee, the lowest fee, then the most remaining capacity, then the guarantor id. Pure.
 */
import { Decimal, money } from '../../common/decimal';
import { admitGuarantee, capacity, Capacity, GuaranteeDecision } from '../../policy/amplification';
import type { BorrowerFacts, GuarantorOption, MatchContext, NeedFacts, ProductFacts } from '../engine/facts';

/** The guarantee R13's GUARANTEE check settled on, for the terms. */
export interface ChosenGuarantee {
  option: GuarantorOption;
  guaranteedAmount: Decimal;
  remainingCapacity: Decimal;
}

/** One guarantor's answer for one need at one coverage: the same whichever bank routes to it. */
interface Admission { guaranteedAmount: Decimal; decision: GuaranteeDecision; remainingCapacity: Decimal }

/** Per option (options are kept in memory per bank, matching/policy-figures.ts): its admissions key and its guarantor's R6 capacity, worked out once. */
const optionFigures = new WeakMap<GuarantorOption, { key: string; capacity: Capacity }>();
function figuresOf(option: GuarantorOption): { key: string; capacity: Capacity } {
  let found = optionFigures.get(option);
  if (!found) optionFigures.set(option, (found = { key: `${option.guarantorId}|${option.coverageRatio.toString()}`, capacity: capacity(option.figures) }));
  return found;
}

/**
 * `admissions`, when given, keeps each guarantor's answer for this need and firm across banks (the
 * engine passes one per need): a guarantor's R6 figures are its own, whatever the agreement.
 */
export function chooseGuarantee(need: NeedFacts, enterprise: BorrowerFacts, product: ProductFacts, context: MatchContext, admissions?: Map<string, Admission>): {
  chosen: ChosenGuarantee | null; options: number; bestRoom: Decimal | null;
} {
  const options = context.guarantorsByBank.get(product.institutionId) ?? [];
  let chosen: ChosenGuarantee | null = null;
  let bestRoom: Decimal | null = null;
  for (const option of options) {
    const { key, capacity: room } = figuresOf(option);
    let admission = admissions?.get(key);
    if (!admission) {
      const guaranteedAmount = money(need.amount.times(option.coverageRatio));
      const decision = admitGuarantee(option.figures, {
        guaranteedAmount,
        borrowerSizeClass: enterprise.sizeClass,
        borrowerBalanceBefore: context.borrowerBalance(option.guarantorId, enterprise.id),
      }, room);
      admission = { guaranteedAmount, decision, remainingCapacity: decision.admitted ? room.remainingCapacity : new Decimal(0) };
      admissions?.set(key, admission);
    }
    const { guaranteedAmount, decision, remainingCapacity } = admission;
    if (!decision.admitted) {
      if (!bestRoom || decision.room.gt(bestRoom)) bestRoom = decision.room;
      continue;
    }
    const better = !chosen
      || option.feeRate.lt(chosen.option.feeRate)
      || (option.feeRate.eq(chosen.option.feeRate) && (remainingCapacity.gt(chosen.remainingCapacity)
        || (remainingCapacity.eq(chosen.remainingCapacity) && option.guarantorId < chosen.option.guarantorId)));
    if (better) chosen = { option, guaranteedAmount, remainingCapacity };
  }
  return { chosen, options: options.length, bestRoom };
}
