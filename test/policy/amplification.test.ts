import { Decimal } from '../../src/common/decimal';
import { admitGuarantee, capacity } from '../../src/policy/amplification';

const d = (v: string | number) => new Decimal(v);

describe('R6 — guarantee amplification', () => {
  describe('E3', () => {
    it('net assets 2,000,000,000, cap 10, target 5, liability 9,000,000,000 → 4.5, UNDER_TARGET, room 11,000,000,000, single-borrower 200,000,000', () => {
      const c = capacity({ netAssets: d(2_000_000_000), liability: d(9_000_000_000), capMultiple: d(10), targetMultiple: d(5) });
      expect(c.amplificationMultiple.toFixed(6)).toBe('4.500000');
      expect(c.status).toBe('UNDER_TARGET');
      expect(c.remainingCapacity.toFixed(2)).toBe('11000000000.00');
      expect(c.singleBorrowerLimit.toFixed(2)).toBe('200000000.00');
    });

    it('refuses an 80 % guarantee on 5,000,000 for a small firm (4,000,000 × 0.75 = 3,000,000) with 2,000,000 left', () => {
      const f = { netAssets: d(100_000_000), liability: d(998_000_000), capMultiple: d(10), targetMultiple: null };
      expect(capacity(f).remainingCapacity.toFixed(2)).toBe('2000000.00');
      const decision = admitGuarantee(f, { guaranteedAmount: d(4_000_000), borrowerSizeClass: 'SMALL', borrowerBalanceBefore: d(0) });
      expect(decision).toMatchObject({ admitted: false, reason: 'CAPACITY_EXCEEDED' });
      expect(decision.weightedAmount.toFixed(2)).toBe('3000000.00');
    });
  });

  it('is WITHIN between target and cap, AT_CAP when no room is left', () => {
    expect(capacity({ netAssets: d(100), liability: d(600), capMultiple: d(10), targetMultiple: d(5) }).status).toBe('WITHIN');
    expect(capacity({ netAssets: d(100), liability: d(1000), capMultiple: d(10), targetMultiple: d(5) }).status).toBe('AT_CAP');
  });

  it('weighs a small borrower at 1.0 once its balance passes 5,000,000, re-weighing the earlier part', () => {
    const f = { netAssets: d(1_000_000_000), liability: d(0), capMultiple: d(10), targetMultiple: null };
    const decision = admitGuarantee(f, { guaranteedAmount: d(2_000_000), borrowerSizeClass: 'MICRO', borrowerBalanceBefore: d(4_000_000) });
    // before: 4,000,000 × 0.75 = 3,000,000; after: 6,000,000 × 1.0 → +3,000,000
    expect(decision).toMatchObject({ admitted: true });
    expect(decision.weightedAmount.toFixed(2)).toBe('3000000.00');
  });

  it('refuses a guarantee that takes one borrower past 10 % of net assets', () => {
    const f = { netAssets: d(100_000_000), liability: d(0), capMultiple: d(10), targetMultiple: null };
    expect(admitGuarantee(f, { guaranteedAmount: d(10_000_001), borrowerSizeClass: 'LARGE', borrowerBalanceBefore: d(0) })).toMatchObject({ admitted: false, reason: 'SINGLE_BORROWER_LIMIT' });
  });
});
