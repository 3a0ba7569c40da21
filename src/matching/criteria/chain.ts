/** R13 CHAIN: the firm is in one of the product's industry chains. */
import { criterion, fail, list, pass } from './criterion';

export const chain = criterion({
  code: 'CHAIN',
  order: 70,
  description: 'The firm is in one of the product\'s industry chains',
  variants: ['none', 'ok', 'fail'],
  check({ enterprise, product }) {
    if (!product.industryChains.length) return pass('none');
    const common = product.industryChains.filter((c) => enterprise.industryChains.includes(c));
    return common.length
      ? pass('ok', { chains: list(common) })
      : fail('fail', { chains: list(enterprise.industryChains) || '—', allowed: list(product.industryChains) });
  },
  sql: ({ enterprise: e, product: p }) => `(cardinality(${p}.industry_chains) = 0 OR ${p}.industry_chains && ${e}.industry_chains)`,
  reads: { enterprise: ['industry_chains'] },
});
