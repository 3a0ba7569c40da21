/** R13 NEED_KIND: the product serves the need's kind (loan or equity). */
import { criterion, fail, pass } from './criterion';

export const needKind = criterion({
  code: 'NEED_KIND',
  order: 10,
  description: 'The product serves the need\'s kind (loan or equity)',
  variants: ['ok', 'fail'],
  check: ({ need, product }) => (product.needKind === need.kind
    ? pass('ok', { kind: need.kind })
    : fail('fail', { kind: need.kind, productKind: product.needKind })),
  sql: (a) => `${a.product}.need_kind = ${a.need}.kind`,
  reads: { need: ['kind'] },
});
