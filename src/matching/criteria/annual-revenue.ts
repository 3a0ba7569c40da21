/**
 * R13 ANNUAL_REVENUE: the firm's annual revenue (营业收入, R3, in CNY as the firm states it in its profile)
 * reaches the product's minimum (R12 eligibility `minAnnualRevenue`). A firm that states no revenue
 * does not meet a minimum: the check asks it to add the figure.
 */
import { criterion, d2, fail, pass, verdict } from './criterion';

export const annualRevenue = criterion({
  code: 'ANNUAL_REVENUE',
  order: 95,
  description: 'The firm\'s annual revenue reaches the product\'s minimum',
  variants: ['none', 'unknown', 'ok', 'fail'],
  check({ enterprise, product }) {
    const min = product.minAnnualRevenue;
    if (min == null) return pass('none');
    if (enterprise.revenue == null) return fail('unknown', { min: d2(min) });
    const passed = enterprise.revenue.gte(min);
    return verdict(passed, passed ? 'ok' : 'fail', { revenue: d2(enterprise.revenue), min: d2(min) });
  },
  sql: ({ enterprise: e, product: p }) => `(${p}.min_annual_revenue IS NULL OR ${e}.revenue >= ${p}.min_annual_revenue)`,
  reads: { enterprise: ['revenue'] },
  samples: {
    product: { min_annual_revenue: ['0.00', '1000000.00', '20000000.00'] },
    enterprise: { revenue: ['0.00', '999999.99', '1000000.00', '50000000.00'] },
  },
});
