/** R13 COLLATERAL: a loan offers collateral the product accepts (none needed when it accepts NONE or names nothing). */
import { criterion, fail, list, onlyFor, pass } from './criterion';

export const collateral = criterion({
  code: 'COLLATERAL',
  order: 180,
  description: 'The collateral offered is what the product accepts',
  variants: ['notApplicable', 'none', 'ok', 'fail'],
  check({ need, product }) {
    if (need.kind !== 'LOAN') return pass('notApplicable');
    if (!product.collateralAccepted.length || product.collateralAccepted.includes('NONE')) return pass('none');
    const offered = product.collateralAccepted.filter((c) => need.collateralOffered.includes(c));
    return offered.length
      ? pass('ok', { offered: list(offered) })
      : fail('fail', { offered: list(need.collateralOffered) || 'NONE', accepted: list(product.collateralAccepted) });
  },
  sql: (a) => onlyFor('LOAN', a,
    `cardinality(${a.product}.collateral_accepted) = 0 OR 'NONE' = ANY(${a.product}.collateral_accepted) OR ${a.product}.collateral_accepted && ${a.need}.collateral_offered`),
  reads: { need: ['kind', 'collateral_offered'] },
});
