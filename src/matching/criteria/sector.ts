/** R13 SECTOR: the firm's sector (R2) is one the product serves. */
import { criterion, list, pass, verdict } from './criterion';

export const sector = criterion({
  code: 'SECTOR',
  order: 60,
  description: 'The firm\'s sector is one the product serves',
  variants: ['none', 'ok', 'fail'],
  check({ enterprise, product }) {
    if (!product.sectors.length) return pass('none');
    const passed = product.sectors.includes(enterprise.sector);
    return verdict(passed, passed ? 'ok' : 'fail', { sector: enterprise.sector, allowed: list(product.sectors) });
  },
  sql: ({ enterprise: e, product: p }) => `(cardinality(${p}.sectors) = 0 OR ${e}.sector = ANY(${p}.sectors))`,
  reads: { enterprise: ['sector'] },
});
