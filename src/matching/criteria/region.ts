/** R13 REGION: the firm's region code starts with one of the product's prefixes (R3: `1101` covers every code starting with it). */
import { criterion, list, pass, verdict } from './criterion';

export const region = criterion({
  code: 'REGION',
  order: 50,
  description: 'The firm\'s region is one the product serves',
  variants: ['none', 'ok', 'fail'],
  check({ enterprise, product }) {
    if (!product.regionPrefixes.length) return pass('none');
    const passed = product.regionPrefixes.some((p) => enterprise.regionCode.startsWith(p));
    return verdict(passed, passed ? 'ok' : 'fail', { region: enterprise.regionCode, allowed: list(product.regionPrefixes) });
  },
  // Prefixes are 2, 4 or 6 digits, so a code's three prefixes are all it can start with.
  sql: ({ enterprise: e, product: p }) =>
    `(cardinality(${p}.region_prefixes) = 0 OR ${p}.region_prefixes && ARRAY[left(${e}.region_code, 2), left(${e}.region_code, 4), ${e}.region_code::text])`,
  reads: { enterprise: ['region_code'] },
});
