/** R13 TERM: a loan's term is within the product's range (R11: 1–360 months when the product names no bound). */
import { criterion, fail, pass } from './criterion';

export const term = criterion({
  code: 'TERM',
  order: 40,
  description: 'The loan term is within the product\'s range',
  variants: ['notApplicable', 'none', 'ok', 'below', 'above'],
  check({ need, product }) {
    if (need.kind !== 'LOAN' || need.termMonths === null) return pass('notApplicable');
    if (product.minTermMonths === null && product.maxTermMonths === null) return pass('none');
    const range = { term: need.termMonths, min: product.minTermMonths ?? 1, max: product.maxTermMonths ?? 360 };
    if (need.termMonths < range.min) return fail('below', range);
    if (need.termMonths > range.max) return fail('above', range);
    return pass('ok', range);
  },
  // An equity need has no term (null), so it passes here as in the check.
  sql: ({ need: n, product: p }) => `(${n}.term_months IS NULL OR ((${p}.min_term_months IS NULL OR ${p}.min_term_months <= ${n}.term_months)
                                   AND (${p}.max_term_months IS NULL OR ${p}.max_term_months >= ${n}.term_months)))`,
  reads: { need: ['term_months'] },
});
