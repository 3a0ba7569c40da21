/**
 * R13 — the checks, in the rule's order, for any need and product. Each yields {code, passed, detail}
 * where the detail is a message key and its figures, so a person can act on it ("rating BBB is below
 * the product's A"); messages.ts words it in Chinese or English. A check that does not apply to the
 * pair passes and says why. Pure.
 */
import { Decimal, money } from '../../common/decimal';
import { checkCredit, CreditCheck, CreditCheckCode } from '../../credit/credit.conditions';
import { admitGuarantee, capacity } from '../../policy/amplification';
import { tierRank } from '../../whitelists/tier';
import type { BorrowerFacts, EnterpriseFacts, GuarantorOption, MatchContext, NeedFacts, ProductFacts } from './facts';

export const MATCH_CHECK_CODES = [
  'NEED_KIND', 'PRODUCT_ACTIVE', 'AMOUNT', 'TERM', 'REGION', 'SECTOR', 'CHAIN', 'SIZE_CLASS', 'YEARS_IN_BUSINESS', 'WHITELIST_TIER',
  'QUALIFICATION', 'CREDIT_RATING', 'TAX_GRADE', 'DISHONESTY', 'OVERDUE', 'CREDIT_DATA_AGE', 'FIRST_LOAN', 'COLLATERAL', 'RATE', 'GUARANTEE',
  'EQUITY_STAGE', 'EQUITY_TICKET', 'EQUITY_VALUATION',
] as const;
export type MatchCheckCode = (typeof MATCH_CHECK_CODES)[number];

export type DetailParams = Record<string, string | number>;

export interface CheckResult {
  code: MatchCheckCode;
  passed: boolean;
  /** Message key: `CHECK_<CODE>.<variant>`. */
  detail: string;
  params: DetailParams;
}

/** The guarantee R13's GUARANTEE check settled on, for the terms. */
export interface ChosenGuarantee {
  option: GuarantorOption;
  guaranteedAmount: Decimal;
  remainingCapacity: Decimal;
}

const d2 = (v: Decimal) => v.toFixed(2);
const list = (values: readonly string[]) => values.join(', ');

function result(code: MatchCheckCode, passed: boolean, variant: string, params: DetailParams = {}): CheckResult {
  return { code, passed, detail: `CHECK_${code}.${variant}`, params };
}

/** Full years from `from` to `to` (YYYY-MM-DD), counting a year only once its anniversary is reached. */
export function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

function creditResult(c: CreditCheck): CheckResult {
  const fields = { actual: c.actual === null ? '' : String(c.actual), required: String(c.required) };
  if (c.actual === null) return result(c.code, false, 'noData', fields);
  return result(c.code, c.passed, c.passed ? 'ok' : 'fail', fields);
}

const CREDIT_CODES: readonly CreditCheckCode[] = ['CREDIT_RATING', 'TAX_GRADE', 'DISHONESTY', 'OVERDUE', 'CREDIT_DATA_AGE', 'FIRST_LOAN'];

function creditChecks(enterprise: EnterpriseFacts, product: ProductFacts, today: string): CheckResult[] {
  const done = checkCredit(enterprise.credit, product, today);
  return CREDIT_CODES.map((code) => {
    const c = done.find((x) => x.code === code);
    return c ? creditResult(c) : result(code, true, 'none');
  });
}

/**
 * The guarantee a loan would carry: among guarantors that have an agreement with the bank and room
 * under R6 (cap and single-borrower limit) for this guarantee, the lowest fee, then the most remaining
 * capacity, then the guarantor id.
 */
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

export function runChecks(need: NeedFacts, enterprise: EnterpriseFacts, product: ProductFacts, context: MatchContext): {
  checks: CheckResult[]; guarantee: ChosenGuarantee | null;
} {
  const today = context.today;
  const loan = need.kind === 'LOAN';
  const checks: CheckResult[] = [];

  checks.push(product.needKind === need.kind
    ? result('NEED_KIND', true, 'ok', { kind: need.kind })
    : result('NEED_KIND', false, 'fail', { kind: need.kind, productKind: product.needKind }));

  if (!product.enabled) checks.push(result('PRODUCT_ACTIVE', false, 'disabled'));
  else if (product.activeFrom && product.activeFrom > today) checks.push(result('PRODUCT_ACTIVE', false, 'notYet', { activeFrom: product.activeFrom }));
  else if (product.activeTo && product.activeTo < today) checks.push(result('PRODUCT_ACTIVE', false, 'ended', { activeTo: product.activeTo }));
  else checks.push(result('PRODUCT_ACTIVE', true, 'ok'));

  const range = { amount: d2(need.amount), min: d2(product.minAmount), max: d2(product.maxAmount) };
  if (need.amount.lt(product.minAmount)) checks.push(result('AMOUNT', false, 'below', range));
  else if (need.amount.gt(product.maxAmount)) checks.push(result('AMOUNT', false, 'above', range));
  else checks.push(result('AMOUNT', true, 'ok', range));

  if (!loan || need.termMonths === null) checks.push(result('TERM', true, 'notApplicable'));
  else if (product.minTermMonths === null && product.maxTermMonths === null) checks.push(result('TERM', true, 'none'));
  else {
    const term = { term: need.termMonths, min: product.minTermMonths ?? 1, max: product.maxTermMonths ?? 360 };
    if (need.termMonths < term.min) checks.push(result('TERM', false, 'below', term));
    else if (need.termMonths > term.max) checks.push(result('TERM', false, 'above', term));
    else checks.push(result('TERM', true, 'ok', term));
  }

  if (!product.regionPrefixes.length) checks.push(result('REGION', true, 'none'));
  else {
    const passed = product.regionPrefixes.some((p) => enterprise.regionCode.startsWith(p));
    checks.push(result('REGION', passed, passed ? 'ok' : 'fail', { region: enterprise.regionCode, allowed: list(product.regionPrefixes) }));
  }

  if (!product.sectors.length) checks.push(result('SECTOR', true, 'none'));
  else {
    const passed = product.sectors.includes(enterprise.sector);
    checks.push(result('SECTOR', passed, passed ? 'ok' : 'fail', { sector: enterprise.sector, allowed: list(product.sectors) }));
  }

  if (!product.industryChains.length) checks.push(result('CHAIN', true, 'none'));
  else {
    const common = product.industryChains.filter((c) => enterprise.industryChains.includes(c));
    checks.push(common.length
      ? result('CHAIN', true, 'ok', { chains: list(common) })
      : result('CHAIN', false, 'fail', { chains: list(enterprise.industryChains) || '—', allowed: list(product.industryChains) }));
  }

  if (!product.sizeClasses.length) checks.push(result('SIZE_CLASS', true, 'none'));
  else {
    const passed = product.sizeClasses.includes(enterprise.sizeClass);
    checks.push(result('SIZE_CLASS', passed, passed ? 'ok' : 'fail', { sizeClass: enterprise.sizeClass, allowed: list(product.sizeClasses) }));
  }

  if (product.minYearsInBusiness === null) checks.push(result('YEARS_IN_BUSINESS', true, 'none'));
  else if (!enterprise.foundedOn) checks.push(result('YEARS_IN_BUSINESS', false, 'unknown', { min: product.minYearsInBusiness }));
  else {
    const years = fullYears(enterprise.foundedOn, today);
    const passed = years >= product.minYearsInBusiness;
    checks.push(result('YEARS_IN_BUSINESS', passed, passed ? 'ok' : 'fail', { years, min: product.minYearsInBusiness, foundedOn: enterprise.foundedOn }));
  }

  if (!product.whitelistTierAtLeast) checks.push(result('WHITELIST_TIER', true, 'none'));
  else if (!enterprise.whitelistTier) checks.push(result('WHITELIST_TIER', false, 'notListed', { required: product.whitelistTierAtLeast }));
  else {
    const passed = tierRank(enterprise.whitelistTier) >= tierRank(product.whitelistTierAtLeast);
    checks.push(result('WHITELIST_TIER', passed, passed ? 'ok' : 'fail', { tier: enterprise.whitelistTier, required: product.whitelistTierAtLeast }));
  }

  if (!product.qualifications.length) checks.push(result('QUALIFICATION', true, 'none'));
  else {
    const missing = product.qualifications.filter((q) => !enterprise.qualifications.includes(q));
    checks.push(missing.length
      ? result('QUALIFICATION', false, 'fail', { missing: list(missing), required: list(product.qualifications) })
      : result('QUALIFICATION', true, 'ok', { required: list(product.qualifications) }));
  }

  checks.push(...creditChecks(enterprise, product, today));

  if (!loan) checks.push(result('COLLATERAL', true, 'notApplicable'));
  else if (!product.collateralAccepted.length || product.collateralAccepted.includes('NONE')) checks.push(result('COLLATERAL', true, 'none'));
  else {
    const offered = product.collateralAccepted.filter((c) => need.collateralOffered.includes(c));
    checks.push(offered.length
      ? result('COLLATERAL', true, 'ok', { offered: list(offered) })
      : result('COLLATERAL', false, 'fail', { offered: list(need.collateralOffered) || 'NONE', accepted: list(product.collateralAccepted) }));
  }

  if (!loan) checks.push(result('RATE', true, 'notApplicable'));
  else if (!need.maxAnnualRate) checks.push(result('RATE', true, 'noCeiling'));
  else if (!product.minAnnualRate) checks.push(result('RATE', true, 'unpriced', { max: need.maxAnnualRate.toFixed() }));
  else {
    const passed = product.minAnnualRate.lte(need.maxAnnualRate);
    checks.push(result('RATE', passed, passed ? 'ok' : 'fail', { rate: product.minAnnualRate.toFixed(), max: need.maxAnnualRate.toFixed() }));
  }

  let guarantee: ChosenGuarantee | null = null;
  if (!loan) checks.push(result('GUARANTEE', true, 'notApplicable'));
  else if (!product.requiresGuarantee) checks.push(result('GUARANTEE', true, 'none'));
  else if (!need.acceptGuarantee) checks.push(result('GUARANTEE', false, 'declined'));
  else {
    const { chosen, options, bestRoom } = chooseGuarantee(need, enterprise, product, context);
    guarantee = chosen;
    if (chosen) {
      checks.push(result('GUARANTEE', true, 'ok', { guarantor: chosen.option.guarantorName, coverage: chosen.option.coverageRatio.toFixed(), fee: chosen.option.feeRate.toFixed() }));
    } else if (!options) checks.push(result('GUARANTEE', false, 'noAgreement'));
    else checks.push(result('GUARANTEE', false, 'noRoom', { options, room: d2(bestRoom ?? new Decimal(0)) }));
  }

  if (loan) {
    checks.push(result('EQUITY_STAGE', true, 'notApplicable'), result('EQUITY_TICKET', true, 'notApplicable'), result('EQUITY_VALUATION', true, 'notApplicable'));
  } else {
    if (!product.equityStages.length) checks.push(result('EQUITY_STAGE', true, 'none'));
    else {
      const passed = need.equityStage !== null && product.equityStages.includes(need.equityStage);
      checks.push(result('EQUITY_STAGE', passed, passed ? 'ok' : 'fail', { stage: need.equityStage ?? '—', allowed: list(product.equityStages) }));
    }
    if (!product.minTicket && !product.maxTicket) checks.push(result('EQUITY_TICKET', true, 'none'));
    else {
      const ticket = { amount: d2(need.amount), min: product.minTicket ? d2(product.minTicket) : '0.00', max: product.maxTicket ? d2(product.maxTicket) : '—' };
      if (product.minTicket && need.amount.lt(product.minTicket)) checks.push(result('EQUITY_TICKET', false, 'below', ticket));
      else if (product.maxTicket && need.amount.gt(product.maxTicket)) checks.push(result('EQUITY_TICKET', false, 'above', ticket));
      else checks.push(result('EQUITY_TICKET', true, 'ok', ticket));
    }
    if (!product.maxPreMoneyValuation) checks.push(result('EQUITY_VALUATION', true, 'none'));
    else if (!need.preMoneyValuation) checks.push(result('EQUITY_VALUATION', false, 'unknown', { max: d2(product.maxPreMoneyValuation) }));
    else {
      const passed = need.preMoneyValuation.lte(product.maxPreMoneyValuation);
      checks.push(result('EQUITY_VALUATION', passed, passed ? 'ok' : 'fail', { valuation: d2(need.preMoneyValuation), max: d2(product.maxPreMoneyValuation) }));
    }
  }

  return { checks, guarantee };
}
