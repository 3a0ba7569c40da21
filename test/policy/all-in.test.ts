/**
 * Issue 15 §2 — the all-in annual cost with an offer's fees (src/policy/all-in.ts), the one formula a
 * match's terms (R13) and an offer use; and the offer's figures (src/offers/offer.rules.ts). Pure.
 */
import { Decimal } from '../../src/common/decimal';
import { allInAnnualCostRate, feesAsAnnualRate } from '../../src/policy/all-in';
import { effectiveOfferStatus, feeCharged, offerCost, offerFailures, offerStanding } from '../../src/offers/offer.rules';

const d = (v: string) => new Decimal(v);

describe('all-in annual cost (R13, extended by an offer\'s fees)', () => {
  it('without fees is R13\'s: rate + guarantee fee − interest-subsidy rate, never below 0', () => {
    expect(allInAnnualCostRate({ annualRate: d('0.045'), guaranteeFeeRate: d('0.010'), rateReduction: d('0.0135') }).toFixed()).toBe('0.0415');
    expect(allInAnnualCostRate({ annualRate: d('0.01'), rateReduction: d('0.02') }).toFixed()).toBe('0');
  });

  it('spreads one-off fees over the term as a yearly rate, taken exactly and rounded once', () => {
    const fees = { total: d('12345.67'), principal: d('2500000'), termMonths: 24 };
    expect(feesAsAnnualRate(fees).toFixed(12)).toBe('0.002469134000');
    expect(allInAnnualCostRate({ annualRate: d('0.042'), rateReduction: d('0.0126'), fees }).toFixed()).toBe('0.031869');
    // Rounded once: 1 CNY on 3,000,000 over 7 months is 0.000000571… a year, which alone rounds to 0.000001.
    expect(allInAnnualCostRate({ annualRate: d('0.05'), fees: { total: d('1'), principal: d('3000000'), termMonths: 7 } }).toFixed()).toBe('0.050001');
  });
});

describe('an offer\'s fees and figures', () => {
  it('charges a rate fee on the principal, half-up to the cent, and counts every fee', () => {
    expect(feeCharged({ kind: 'APPRAISAL', rate: d('0.0012345') }, d('1000001')).toFixed(2)).toBe('1234.50');
    const cost = offerCost({ amount: d('3000000'), annualRate: d('0.045'), termMonths: 12, fees: [{ kind: 'ARRANGEMENT', amount: d('6000') }, { kind: 'APPRAISAL', rate: d('0.001235') }] }, null, [d('0.3')]);
    expect([cost.feeTotal.toFixed(2), cost.feesAnnualRate.toFixed(), cost.interestSubsidyRate.toFixed(), cost.allInAnnualCostRate.toFixed()]).toEqual(['9705.00', '0.003235', '0.0135', '0.034735']);
    const guaranteed = offerCost({ amount: d('1000000'), annualRate: d('0.05'), termMonths: 12, fees: [] }, d('0.010'), []);
    expect(guaranteed.allInAnnualCostRate.toFixed()).toBe('0.06');
  });

  it('reproduces docs/OFFERS.md\'s worked example to the cent: bank 2 (bank 1 is the offer above), 贴息 ratio 0.3', () => {
    const bank2 = offerCost({ amount: d('2500000'), annualRate: d('0.042'), termMonths: 24, fees: [{ kind: 'ARRANGEMENT', amount: d('12345.67') }] }, null, [d('0.3')]);
    expect([bank2.feeTotal.toFixed(2), bank2.feesAnnualRate.toFixed(), bank2.interestSubsidyRate.toFixed(), bank2.allInAnnualCostRate.toFixed()]).toEqual(['12345.67', '0.002469', '0.0126', '0.031869']);
    // The all-in takes the fees exactly (0.002469134…), not the 6-place feesAnnualRate shown: 0.031869134… → 0.031869.
    expect(d('0.042').plus(feesAsAnnualRate({ total: bank2.feeTotal, principal: d('2500000'), termMonths: 24 })).minus(bank2.interestSubsidyRate).toFixed(9)).toBe('0.031869134');
  });

  it('refuses what R14 and seed 004 (23) do not allow, each at its field', () => {
    const failures = offerFailures(
      { amount: d('5000000.01'), annualRate: d('0.03'), termMonths: 12, fees: [{ kind: 'ARRANGEMENT' }, { kind: 'ARRANGEMENT', amount: d('1') }], requiredDocuments: ['TAX_CERTIFICATE', 'ID_CARD'] },
      { needAmount: d('5000000'), productMinRate: d('0.035'), productMaxRate: null },
    );
    expect(failures.map((f) => [f.field.join('.'), f.code])).toEqual([
      ['amount', 'OFFER_EXCEEDS_NEED'], ['annualRate', 'RATE_OUTSIDE_PRODUCT'], ['fees.0', 'FEE_AMOUNT_OR_RATE'], ['fees.1.kind', 'DUPLICATE_VALUE'], ['requiredDocuments.1', 'UNKNOWN_DOCUMENT_KIND'],
    ]);
    expect(offerFailures({ amount: d('1'), annualRate: d('0.1201'), termMonths: 1, fees: [], requiredDocuments: [] }, { needAmount: d('1'), productMinRate: null, productMaxRate: null })
      .map((f) => f.code)).toEqual(['RATE_ABOVE_CEILING']);
  });

  it('reads an open offer past validUntil as EXPIRED', () => {
    const until = new Date('2026-12-01T08:00:00Z');
    expect(effectiveOfferStatus('OPEN', until, new Date('2026-12-01T07:59:59Z'))).toBe('OPEN');
    expect(effectiveOfferStatus('OPEN', until, until)).toBe('EXPIRED');
    expect(effectiveOfferStatus('ACCEPTED', until, new Date('2027-01-01T00:00:00Z'))).toBe('ACCEPTED');
  });

  it('reads an open offer on a closed match or need as DECLINED with its reason, after expiry and in that order', () => {
    const until = new Date('2026-12-01T08:00:00Z');
    const before = new Date('2026-12-01T07:00:00Z');
    const open = { status: 'OPEN' as const, declineReason: null, validUntil: until };
    const live = { matchStatus: 'CONTACTED' as const, needActive: true };
    expect(offerStanding(open, before, live)).toEqual({ status: 'OPEN', declineReason: null });
    expect(offerStanding(open, before, { ...live, matchStatus: 'DECLINED' })).toEqual({ status: 'DECLINED', declineReason: 'MATCH_CLOSED' });
    expect(offerStanding(open, before, { ...live, matchStatus: 'OVERDUE', needActive: false })).toEqual({ status: 'DECLINED', declineReason: 'MATCH_CLOSED' });
    expect(offerStanding(open, before, { ...live, needActive: false })).toEqual({ status: 'DECLINED', declineReason: 'NEED_CLOSED' });
    expect(offerStanding(open, until, { matchStatus: 'DECLINED', needActive: false })).toEqual({ status: 'EXPIRED', declineReason: null });
    // What is stored and not OPEN stays as stored.
    expect(offerStanding({ ...open, status: 'DECLINED', declineReason: 'OFFER_ACCEPTED_ELSEWHERE' }, before, { ...live, needActive: false }))
      .toEqual({ status: 'DECLINED', declineReason: 'OFFER_ACCEPTED_ELSEWHERE' });
    expect(offerStanding({ ...open, status: 'ACCEPTED' }, before, { matchStatus: 'APPLIED', needActive: false })).toEqual({ status: 'ACCEPTED', declineReason: null });
  });
});
