/** R13 PRODUCT_ACTIVE: the product is switched on and within its active window today (R12). */
import { criterion, fail, pass } from './criterion';

export const productActive = criterion({
  code: 'PRODUCT_ACTIVE',
  order: 20,
  description: 'The product is switched on and within its active window',
  variants: ['ok', 'disabled', 'notYet', 'ended'],
  check({ product, context: { today } }) {
    if (!product.enabled) return fail('disabled');
    if (product.activeFrom && product.activeFrom > today) return fail('notYet', { activeFrom: product.activeFrom });
    if (product.activeTo && product.activeTo < today) return fail('ended', { activeTo: product.activeTo });
    return pass('ok');
  },
  sql: ({ product: p }) => `${p}.enabled AND (${p}.active_from IS NULL OR ${p}.active_from <= $1::date) AND (${p}.active_to IS NULL OR ${p}.active_to >= $1::date)`,
  reads: {},
});
