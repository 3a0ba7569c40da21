/** R13 RATE: the product's minimum annual rate is within the loan need's maximum. */
import { criterion, onlyFor, pass, verdict } from './criterion';

export const rate = criterion({
  code: 'RATE',
  order: 190,
  description: 'The product\'s lowest rate is within the need\'s maximum',
  variants: ['notApplicable', 'noCeiling', 'unpriced', 'ok', 'fail'],
  check({ need, product }) {
    if (need.kind !== 'LOAN') return pass('notApplicable');
    if (!need.maxAnnualRate) return pass('noCeiling');
    if (!product.minAnnualRate) return pass('unpriced', { max: need.maxAnnualRate.toFixed() });
    const passed = product.minAnnualRate.lte(need.maxAnnualRate);
    return verdict(passed, passed ? 'ok' : 'fail', { rate: product.minAnnualRate.toFixed(), max: need.maxAnnualRate.toFixed() });
  },
  sql: (a) => onlyFor('LOAN', a,
    `${a.need}.max_annual_rate IS NULL OR ${a.product}.min_annual_rate IS NULL OR ${a.product}.min_annual_rate <= ${a.need}.max_annual_rate`),
  reads: { need: ['kind', 'max_annual_rate'] },
});
