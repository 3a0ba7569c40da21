import { Decimal } from '../../src/common/decimal';
import { poolAvailable } from '../../src/policy/pool';

const d = (v: number) => new Decimal(v);

describe('R8 — risk-compensation pool: available = capacity − paid − reserved, never below zero', () => {
  describe('E4 (Qingdao pool, capacity 300,000,000)', () => {
    it('a 500,000 reserve leaves 299,500,000 available', () => {
      expect(poolAvailable(d(300_000_000), d(0), d(500_000)).toFixed(2)).toBe('299500000.00');
    });
    it('after the default pays 500,000 and releases the reserve, 299,500,000 stays available', () => {
      expect(poolAvailable(d(300_000_000), d(500_000), d(0)).toFixed(2)).toBe('299500000.00');
    });
  });

  it('never reads below zero', () => {
    expect(poolAvailable(d(1_000), d(600), d(600)).toFixed(2)).toBe('0.00');
  });
});
