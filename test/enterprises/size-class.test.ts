import { Decimal } from '../../src/common/decimal';
import { sizeClassFromYuan, sizeClassOf } from '../../src/enterprises/size-class';

const wan = (n: number) => new Decimal(n);

describe('R2 — size class (工信部联企业〔2011〕300号)', () => {
  describe('E2', () => {
    it.each([
      ['INDUSTRY', 500, 1000, undefined, 'SMALL'],
      ['INDUSTRY', 1200, 50000, undefined, 'LARGE'],
      ['RETAIL', 8, 500, undefined, 'MICRO'],
      ['SOFTWARE_IT', 150, 2000, undefined, 'MEDIUM'],
      ['CONSTRUCTION', undefined, 7000, 4000, 'SMALL'],
    ] as const)('%s, X=%s, Y=%s万元, Z=%s万元 → %s', (sector, x, y, z, expected) => {
      expect(sizeClassOf(sector, { employees: x, revenueWan: y === undefined ? null : wan(y), totalAssetsWan: z === undefined ? null : wan(z) })).toBe(expected);
    });
  });

  it('reads revenue and assets in CNY, exactly (2,000万元 = 20,000,000.00)', () => {
    expect(sizeClassFromYuan('SOFTWARE_IT', 150, new Decimal('20000000.00'), null)).toBe('MEDIUM');
    expect(sizeClassFromYuan('SOFTWARE_IT', 150, new Decimal('9999999.99'), null)).toBe('SMALL');
  });

  it('drops a tier when one bound is missed or unknown', () => {
    expect(sizeClassOf('INDUSTRY', { employees: 1200, revenueWan: wan(39999) })).toBe('MEDIUM');
    expect(sizeClassOf('INDUSTRY', { employees: null, revenueWan: wan(50000) })).toBe('MICRO');
    expect(sizeClassOf('AGRICULTURE', { revenueWan: wan(50) })).toBe('SMALL');
    expect(sizeClassOf('ACCOMMODATION', { employees: 100, revenueWan: wan(2000) })).toBe('MEDIUM');
    expect(sizeClassOf('CATERING', { employees: 100, revenueWan: wan(2000) })).toBe('MEDIUM');
  });
});
