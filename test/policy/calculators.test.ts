/**
 * The worked examples of DOMAIN.md for the pure calculators of R7, R8 and R9, to the cent.
 */
import { Decimal } from '../../src/common/decimal';
import { bankNetExposure, claimPayout, reserveFor } from '../../src/policy/compensation';
import { coverageRatio, RiskShare, shareProblems, splitLoss } from '../../src/policy/risk-sharing';
import { amountSubsidy, collectiveBond, guaranteeFeeSubsidy, guaranteeRiskSubsidy, interestSubsidy } from '../../src/policy/subsidies';
import type { LoanFigures, QuoteContext } from '../../src/policy/calculator';
import { checkParams, readParams } from '../../src/policy/params';
import { calculatorFor } from '../../src/policy/registry';
import type { PolicyRuleKind } from '../../src/policy/rule-kinds';

const d = (v: string | number) => new Decimal(v);
const cents = (v: Decimal) => v.toFixed(2);

describe('R7 — risk sharing', () => {
  const anhui: RiskShare[] = [
    { party: 'GUARANTOR', share: d('0.40') }, { party: 'RE_GUARANTOR', share: d('0.30') },
    { party: 'BANK', share: d('0.20') }, { party: 'LOCAL_GOVERNMENT', share: d('0.10') },
  ];
  const national: RiskShare[] = [
    { party: 'GUARANTOR', share: d('0.40') }, { party: 'NATIONAL_FUND', share: d('0.20') },
    { party: 'RE_GUARANTOR', share: d('0.20') }, { party: 'BANK', share: d('0.20') },
  ];

  it('E6: a 1,000,000 loss under Anhui 4321 splits 400,000 / 300,000 / 200,000 / 100,000', () => {
    expect(splitLoss(d(1_000_000), anhui).map((p) => [p.party, cents(p.amount)])).toEqual([
      ['GUARANTOR', '400000.00'], ['RE_GUARANTOR', '300000.00'], ['BANK', '200000.00'], ['LOCAL_GOVERNMENT', '100000.00'],
    ]);
  });

  it('E6: under the national-fund model 400,000 / 200,000 / 200,000 / 200,000', () => {
    expect(splitLoss(d(1_000_000), national).map((p) => cents(p.amount))).toEqual(['400000.00', '200000.00', '200000.00', '200000.00']);
  });

  it('coverage is 1 − the bank share (0.8 for both models)', () => {
    expect(coverageRatio(anhui).toFixed()).toBe('0.8');
    expect(coverageRatio(national).toFixed()).toBe('0.8');
  });

  it('parts always add up to the loss: the rounding cent goes to the largest share', () => {
    const thirds: RiskShare[] = [{ party: 'GUARANTOR', share: d('0.333334') }, { party: 'BANK', share: d('0.333333') }, { party: 'LOCAL_GOVERNMENT', share: d('0.333333') }];
    const parts = splitLoss(d('100.00'), thirds);
    expect(parts.map((p) => cents(p.amount))).toEqual(['33.34', '33.33', '33.33']);
    const odd = splitLoss(d('0.05'), [{ party: 'GUARANTOR', share: d('0.5') }, { party: 'BANK', share: d('0.5') }]);
    expect(odd.reduce((a, p) => a.plus(p.amount), d(0)).toFixed(2)).toBe('0.05');
  });

  it('refuses shares that do not sum to exactly 1, a share outside (0, 1] and a repeated party', () => {
    expect(shareProblems(anhui)).toEqual([]);
    expect(shareProblems([{ party: 'GUARANTOR', share: d('0.5') }, { party: 'BANK', share: d('0.49') }])).toEqual([{ kind: 'SHARES_NOT_ONE', sum: '0.99' }]);
    expect(shareProblems([{ party: 'GUARANTOR', share: d('1.2') }, { party: 'BANK', share: d('-0.2') }]).map((p) => p.kind)).toEqual(['SHARE_OUT_OF_RANGE', 'SHARE_OUT_OF_RANGE']);
    expect(shareProblems([{ party: 'BANK', share: d('0.5') }, { party: 'BANK', share: d('0.5') }])).toEqual([{ kind: 'PARTY_REPEATED', index: 1 }]);
  });
});

describe('R8 — reserve, claim and bank net exposure', () => {
  it('E4: a 10,000,000 credit loan to an EMERGING firm reserves 500,000; exposure 9,500,000', () => {
    const reserve = reserveFor({ principal: d(10_000_000), commitmentRatio: d('0.05'), poolAvailable: d(300_000_000) });
    expect(cents(reserve)).toBe('500000.00');
    expect(cents(bankNetExposure(d(10_000_000), d(0), reserve))).toBe('9500000.00');
  });

  it('E4: a default with net loss 3,000,000 pays 500,000 (the reserve) and releases nothing', () => {
    const { payout, released } = claimPayout(d(3_000_000), d('1.0'), d(500_000));
    expect([cents(payout), cents(released)]).toEqual(['500000.00', '0.00']);
  });

  it('E4: the same loan to an untagged firm reserves nothing: exposure 10,000,000', () => {
    expect(cents(bankNetExposure(d(10_000_000), d(0), d(0)))).toBe('10000000.00');
  });

  it('the reserve is held to the per-loan cap and to what the pool has left; a small loss releases the rest', () => {
    expect(cents(reserveFor({ principal: d(10_000_000), commitmentRatio: d('0.05'), perLoanCap: d(300_000), poolAvailable: d(1_000_000) }))).toBe('300000.00');
    expect(cents(reserveFor({ principal: d(10_000_000), commitmentRatio: d('0.05'), poolAvailable: d(120_000) }))).toBe('120000.00');
    const { payout, released } = claimPayout(d(200_000), d('0.5'), d(500_000));
    expect([cents(payout), cents(released)]).toEqual(['100000.00', '400000.00']);
  });

  it('exposure with a guarantee: 80 % coverage on 5,000,000 leaves 1,000,000, never below zero', () => {
    expect(cents(bankNetExposure(d(5_000_000), d('0.8'), d(0)))).toBe('1000000.00');
    expect(cents(bankNetExposure(d(5_000_000), d('0.8'), d(2_000_000)))).toBe('0.00');
  });
});

describe('R9 — subsidies', () => {
  const e5 = { benchmarkRate: d('0.0435'), ratioOfBenchmark: d('0.5'), feeRate: d('0.010'), guaranteedAmount: d(4_000_000), termMonths: 12, annualCapPerGuarantor: d(3_000_000) };

  it('E5: fee subsidy (0.02175 − 0.010) × 4,000,000 = 47,000.00; risk subsidy 60,000.00', () => {
    expect(cents(guaranteeFeeSubsidy({ ...e5, paidThisYear: d(0) }))).toBe('47000.00');
    expect(cents(guaranteeRiskSubsidy({ guaranteedAmount: d(4_000_000), ratio: d('0.015') }))).toBe('60000.00');
  });

  it('E5: with 2,980,000.00 already paid this year, the fee subsidy is 20,000.00', () => {
    expect(cents(guaranteeFeeSubsidy({ ...e5, paidThisYear: d('2980000.00') }))).toBe('20000.00');
  });

  it('no fee subsidy at or above half the benchmark, or once the yearly cap is spent', () => {
    expect(cents(guaranteeFeeSubsidy({ ...e5, feeRate: d('0.02175') }))).toBe('0.00');
    expect(cents(guaranteeFeeSubsidy({ ...e5, paidThisYear: d(3_000_000) }))).toBe('0.00');
  });

  it('the risk subsidy adds 0.01 × the year\'s small/micro volume growth, and nothing for a decline', () => {
    expect(cents(guaranteeRiskSubsidy({ guaranteedAmount: d(4_000_000), ratio: d('0.015'), growthRatio: d('0.01'), volumeGrowth: d(20_000_000) }))).toBe('260000.00');
    expect(cents(guaranteeRiskSubsidy({ guaranteedAmount: d(4_000_000), ratio: d('0.015'), growthRatio: d('0.01'), volumeGrowth: d(-5_000_000) }))).toBe('60000.00');
  });

  it('E7: leasing 10,000,000 → 200,000.00; turnover fund 3,000,000 → 9,000.00', () => {
    expect(cents(amountSubsidy(d(10_000_000), d('0.02')))).toBe('200000.00');
    expect(cents(amountSubsidy(d(3_000_000), d('0.003')))).toBe('9000.00');
  });

  it('E8: a 200,000,000 collective bond: fund 10,000,000; support 500,000.00 and 1,000,000.00 (capped); a 6,000,000 loss 3,000,000 each', () => {
    const bond = collectiveBond({
      issueAmount: d(200_000_000), counterGuaranteed: [d(50_000_000), d(150_000_000)], supportRatio: d('0.01'),
      perEnterpriseCap: d(1_000_000), fundRatio: d('0.05'), loss: d(6_000_000), publicShare: d('0.5'),
    });
    expect(cents(bond.mitigationFund)).toBe('10000000.00');
    expect(bond.supports.map(cents)).toEqual(['500000.00', '1000000.00']);
    expect([cents(bond.publicFinance), cents(bond.guaranteeCentre), cents(bond.beyondFund)]).toEqual(['3000000.00', '3000000.00', '0.00']);
  });

  it('interest subsidy: half the interest of 1,000,000 at 4 % for 6 months is 10,000.00, taking 0.02 off the all-in rate', () => {
    const { amount, rateReduction } = interestSubsidy({ principal: d(1_000_000), annualRate: d('0.04'), termMonths: 6, ratio: d('0.5') });
    expect([cents(amount), rateReduction.toFixed()]).toEqual(['10000.00', '0.02']);
  });
});

describe('R9 — the kinds\' quotes on a loan (the registry\'s calculators, as matching calls them)', () => {
  const quote = (kind: PolicyRuleKind, raw: Record<string, string>, loan: Partial<LoanFigures>, paidThisYear = '0') => {
    const calculator = calculatorFor(kind);
    const { params, failures } = checkParams(calculator.params, raw);
    expect(failures).toEqual([]);
    const context: QuoteContext = { benchmarkRate: (code) => (code === 'PBOC_1Y' ? d('0.0435') : null), feeSubsidyBookedThisYear: () => d(paidThisYear), poolAvailable: () => d(0) };
    const figures: LoanFigures = { principal: d(5_000_000), termMonths: 12, annualRate: d('0.04'), productKind: 'CREDIT_LOAN', enterpriseId: 'firm', guarantee: null, ...loan };
    return calculator.quote!(readParams(calculator.params, params), figures, context, null);
  };
  const e5Guarantee = { guarantorId: 'guarantor', feeRate: d('0.010'), guaranteedAmount: d(4_000_000) };
  const fee = { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' };

  it('E5: the fee subsidy is 47,000.00, and 20,000.00 when 2,980,000.00 was booked for the guarantor this year', () => {
    expect(quote('GUARANTEE_FEE_SUBSIDY', fee, { guarantee: e5Guarantee })).toEqual({ kind: 'SUBSIDY', payee: 'GUARANTOR', payeeId: 'guarantor', amount: d('47000.00') });
    expect(quote('GUARANTEE_FEE_SUBSIDY', fee, { guarantee: e5Guarantee }, '2980000.00')).toEqual({ kind: 'SUBSIDY', payee: 'GUARANTOR', payeeId: 'guarantor', amount: d('20000.00') });
    expect(quote('GUARANTEE_FEE_SUBSIDY', fee, { guarantee: e5Guarantee }, '3000000.00')).toBeNull();
  });

  it('E7: leasing 10,000,000 gives the enterprise 200,000.00; a 3,000,000 turnover fund 9,000.00', () => {
    expect(calculatorFor('LEASING_SUBSIDY').defaultProductKinds).toEqual(['LEASING']);
    expect(quote('LEASING_SUBSIDY', { ratio: '0.02' }, { principal: d(10_000_000), productKind: 'LEASING' }))
      .toEqual({ kind: 'SUBSIDY', payee: 'ENTERPRISE', payeeId: 'firm', amount: d('200000.00') });
    expect(quote('TURNOVER_FUND_SUBSIDY', { ratio: '0.003' }, { principal: d(3_000_000), productKind: 'TURNOVER_FUND' }))
      .toEqual({ kind: 'SUBSIDY', payee: 'ENTERPRISE', payeeId: 'firm', amount: d('9000.00') });
  });
});
