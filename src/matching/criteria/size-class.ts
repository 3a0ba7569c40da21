/** R13 SIZE_CLASS: the firm's size class (R2) is one the product serves. */
import { criterion, list, pass, verdict } from './criterion';

export const sizeClass = criterion({
  code: 'SIZE_CLASS',
  order: 80,
  description: 'The firm\'s size class is one the product serves',
  variants: ['none', 'ok', 'fail'],
  check({ enterprise, product }) {
    if (!product.sizeClasses.length) return pass('none');
    const passed = product.sizeClasses.includes(enterprise.sizeClass);
    return verdict(passed, passed ? 'ok' : 'fail', { sizeClass: enterprise.sizeClass, allowed: list(product.sizeClasses) });
  },
  sql: ({ enterprise: e, product: p }) => `(cardinality(${p}.size_classes) = 0 OR ${e}.size_class = ANY(${p}.size_classes))`,
  reads: { enterprise: ['size_class'] },
});
