/** R13 AMOUNT: the need's amount is within the product's range (R12). */
import { criterion, d2, fail, pass } from './criterion';

export const amount = criterion({
  code: 'AMOUNT',
  order: 30,
  description: 'The amount is within the product\'s range',
  variants: ['ok', 'below', 'above'],
  check({ need, product }) {
    const range = { amount: d2(need.amount), min: d2(product.minAmount), max: d2(product.maxAmount) };
    if (need.amount.lt(product.minAmount)) return fail('below', range);
    if (need.amount.gt(product.maxAmount)) return fail('above', range);
    return pass('ok', range);
  },
  sql: ({ need: n, product: p }) => `${p}.min_amount <= ${n}.amount AND ${p}.max_amount >= ${n}.amount`,
  reads: { need: ['amount'] },
});
