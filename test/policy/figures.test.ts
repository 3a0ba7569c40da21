/**
 * Issue 17 §1 — the policy figures that came out wrong, as pure rules: DOMAIN E9 (a multi-year
 * guarantee's fee subsidy allocated to its calendar years, each against its own cap) and E10 (the loss
 * split applies to the loss net of the pool's payout), to the cent.
 */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import type { LoanFigures, QuoteContext } from '../../src/policy/calculator';
import { claimPayout, lossAfterPayout } from '../../src/policy/compensation';
import { checkParams, readParams } from '../../src/policy/params';
import { quoteRules } from '../../src/policy/quotes';
import { calculatorFor } from '../../src/policy/registry';
import { RiskShare, splitLoss } from '../../src/policy/risk-sharing';
import { allocateByMonths, guaranteeFeeSubsidyByYear, monthsByYear, volumeGrowthSubsidy } from '../../src/policy/subsidies';

const d = (v: string | number) => new Decimal(v);
const years = (list: { year: number; amount: Decimal }[]) => list.map((y) => [y.year, y.amount.toFixed(2)]);

/** E9: benchmark 0.0435, fee 0.010, 5,000,000 at coverage 0.8 (guaranteed 4,000,000), 36 months from 2026-07-01. */
const e9 = { benchmarkRate: d('0.0435'), ratioOfBenchmark: d('0.5'), feeRate: d('0.010'), guaranteedAmount: d(4_000_000), termMonths: 36, startsOn: '2026-07-01', annualCapPerGuarantor: d(3_000_000) };

describe('R9 — the calendar years a guarantee covers (DOMAIN E9)', () => {
  it('counts each month of the term in the year it starts in', () => {
    expect(monthsByYear('2026-07-01', 36)).toEqual([{ year: 2026, months: 6 }, { year: 2027, months: 12 }, { year: 2028, months: 12 }, { year: 2029, months: 6 }]);
    expect(monthsByYear('2026-12-15', 12)).toEqual([{ year: 2026, months: 1 }, { year: 2027, months: 11 }]);
    expect(monthsByYear('2027-01-31', 12)).toEqual([{ year: 2027, months: 12 }]);
    expect(monthsByYear('2026-12-01', 1)).toEqual([{ year: 2026, months: 1 }]);
  });

  it('E9: 47,000.00 a year — 23,500.00 in 2026, 47,000.00 in 2027 and 2028, 23,500.00 in 2029', () => {
    expect(years(guaranteeFeeSubsidyByYear({ ...e9, bookedIn: () => d(0) }))).toEqual([[2026, '23500.00'], [2027, '47000.00'], [2028, '47000.00'], [2029, '23500.00']]);
  });

  it('E9: each year against its own cap — 2,980,000.00 booked in 2027 leaves 20,000.00 there and the other years whole', () => {
    const booked = (year: number) => (year === 2027 ? d('2980000.00') : year === 2029 ? d(3_000_000) : d(0));
    expect(years(guaranteeFeeSubsidyByYear({ ...e9, bookedIn: booked }))).toEqual([[2026, '23500.00'], [2027, '20000.00'], [2028, '47000.00'], [2029, '0.00']]);
  });

  it('E5 within one calendar year is one year\'s 47,000.00, and 20,000.00 when 2,980,000.00 was booked that year', () => {
    const e5 = { ...e9, termMonths: 12, startsOn: '2027-01-10' };
    expect(years(guaranteeFeeSubsidyByYear({ ...e5, bookedIn: () => d(0) }))).toEqual([[2027, '47000.00']]);
    expect(years(guaranteeFeeSubsidyByYear({ ...e5, bookedIn: () => d('2980000.00') }))).toEqual([[2027, '20000.00']]);
  });

  it('allocates any amount to the years so that the parts add up to it to the cent', () => {
    const seed = 20261217;
    // eslint-disable-next-line no-console
    console.log(`allocation property seed ${seed}`);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000_000_00 }), fc.integer({ min: 1, max: 360 }), fc.integer({ min: 1, max: 12 }), (cents, term, month) => {
      const total = d(cents).div(100);
      const parts = allocateByMonths(total, `2026-${String(month).padStart(2, '0')}-15`, term);
      const months = monthsByYear(`2026-${String(month).padStart(2, '0')}-15`, term);
      return parts.reduce((s, p) => s.plus(p.amount), d(0)).eq(total) && parts.every((p) => p.amount.gte(0) && p.amount.decimalPlaces() <= 2)
        && months.reduce((s, m) => s + m.months, 0) === term && parts.length === months.length;
    }), { seed, numRuns: 300 });
  });

  describe('the GUARANTEE_FEE_SUBSIDY calculator, as the matcher and a disbursement call it', () => {
    const calculator = calculatorFor('GUARANTEE_FEE_SUBSIDY');
    const params = readParams(calculator.params, checkParams(calculator.params, { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }).params);
    const context = (booked: Record<number, string> = {}): QuoteContext => ({
      benchmarkRate: () => d('0.0435'), feeSubsidyBookedThisYear: () => d(0), poolAvailable: () => d(0), feeSubsidyBookedIn: (_g, year) => d(booked[year] ?? 0),
    });
    const loan: LoanFigures = {
      principal: d(5_000_000), termMonths: 36, annualRate: d('0.045'), productKind: 'GUARANTEED_LOAN', enterpriseId: 'firm', startsOn: '2026-07-01',
      guarantee: { guarantorId: 'g', feeRate: d('0.010'), guaranteedAmount: d(4_000_000) },
    };

    it('E9: quotes 141,000.00 over the term, with its years', () => {
      const quote = calculator.quote!(params, loan, context(), null);
      expect(quote && quote.kind === 'SUBSIDY' && [quote.amount.toFixed(2), years(quote.byYear!)]).toEqual(['141000.00', [[2026, '23500.00'], [2027, '47000.00'], [2028, '47000.00'], [2029, '23500.00']]]);
    });

    it('a year whose cap is spent gives nothing and is left out; the quote is the rest', () => {
      const quote = calculator.quote!(params, loan, context({ 2026: '3000000', 2028: '2999000' }), null);
      expect(quote && quote.kind === 'SUBSIDY' && [quote.amount.toFixed(2), years(quote.byYear!)]).toEqual(['71500.00', [[2027, '47000.00'], [2028, '1000.00'], [2029, '23500.00']]]);
    });
  });
});

describe('R9 — two fee-subsidy rules on one loan share the guarantor\'s yearly caps', () => {
  it('the second rule sees what the first quoted: together they stop at the cap', () => {
    const calculator = calculatorFor('GUARANTEE_FEE_SUBSIDY');
    const params = readParams(calculator.params, checkParams(calculator.params, { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }).params);
    const rules = ['FEE-A', 'FEE-B'].map((code) => ({ id: code, code, version: 1, kind: 'GUARANTEE_FEE_SUBSIDY' as const, poolId: null, params }));
    const context: QuoteContext = { benchmarkRate: () => d('0.0435'), feeSubsidyBookedThisYear: () => d(0), poolAvailable: () => d(0), feeSubsidyBookedIn: (_g, year) => d(year === 2027 ? '2980000' : 0) };
    const loan: LoanFigures = {
      principal: d(5_000_000), termMonths: 12, annualRate: d('0.045'), productKind: 'GUARANTEED_LOAN', enterpriseId: 'firm', startsOn: '2027-01-10',
      guarantee: { guarantorId: 'g', feeRate: d('0.010'), guaranteedAmount: d(4_000_000) },
    };
    expect(quoteRules(rules, loan, context).subsidies.map((s) => [s.ruleVersion, s.amount.toFixed(2)])).toEqual([['FEE-A@v1', '20000.00']]);
  });
});

describe('R7 after R8 — the loss split applies to the loss net of the pool\'s payout (DOMAIN E10)', () => {
  const anhui: RiskShare[] = [
    { party: 'GUARANTOR', share: d('0.40') }, { party: 'RE_GUARANTOR', share: d('0.30') },
    { party: 'BANK', share: d('0.20') }, { party: 'LOCAL_GOVERNMENT', share: d('0.10') },
  ];

  it('E10: E4\'s default — the pool pays 500,000.00, the bank bears 2,500,000.00', () => {
    const { payout } = claimPayout(d(3_000_000), d(1), d(500_000));
    expect([payout.toFixed(2), lossAfterPayout(d(3_000_000), payout).toFixed(2)]).toEqual(['500000.00', '2500000.00']);
  });

  it('E10: 1,000,000 under Anhui 4321 with a 200,000 payout → 320,000.00 / 240,000.00 / 160,000.00 / 80,000.00', () => {
    expect(splitLoss(lossAfterPayout(d(1_000_000), d(200_000)), anhui).map((p) => [p.party, p.amount.toFixed(2)])).toEqual([
      ['GUARANTOR', '320000.00'], ['RE_GUARANTOR', '240000.00'], ['BANK', '160000.00'], ['LOCAL_GOVERNMENT', '80000.00'],
    ]);
  });

  it('a payout that covers the loss leaves nothing to split', () => {
    expect(lossAfterPayout(d(100_000), d(100_000)).toFixed(2)).toBe('0.00');
  });
});

describe('R9 — the growth subsidy (seed 004 Art. (24), docs/LEDGER.md)', () => {
  const cents = (r: { growth: Decimal; amount: Decimal }) => [r.growth.toFixed(2), r.amount.toFixed(2)];

  it('1,600,000 guaranteed in 2024 and 4,000,000 in 2025 → growth 2,400,000.00 → 24,000.00 at 0.01', () => {
    expect(cents(volumeGrowthSubsidy({ volume: d(4_000_000), previousVolume: d(1_600_000), growthRatio: d('0.01') }))).toEqual(['2400000.00', '24000.00']);
  });

  it('a decline is no growth and gives nothing', () => {
    expect(cents(volumeGrowthSubsidy({ volume: d(1_600_000), previousVolume: d(4_000_000), growthRatio: d('0.01') }))).toEqual(['0.00', '0.00']);
  });
});
