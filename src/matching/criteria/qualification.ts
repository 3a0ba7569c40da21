/** R13 QUALIFICATION: the firm holds every qualification the product names, recorded by an authority and valid today (R3). */
import { criterion, fail, list, pass } from './criterion';

export const qualification = criterion({
  code: 'QUALIFICATION',
  order: 110,
  description: 'The firm holds the qualifications the product needs',
  variants: ['none', 'ok', 'fail'],
  check({ enterprise, product }) {
    if (!product.qualifications.length) return pass('none');
    const missing = product.qualifications.filter((q) => !enterprise.qualifications.includes(q));
    return missing.length
      ? fail('fail', { missing: list(missing), required: list(product.qualifications) })
      : pass('ok', { required: list(product.qualifications) });
  },
  sql: ({ need: n, product: p }) => `(cardinality(${p}.qualifications) = 0 OR ${p}.qualifications <@ ARRAY(
             SELECT q.code FROM authority_qualification q
              WHERE q.enterprise_id = ${n}.enterprise_id AND (q.valid_from IS NULL OR q.valid_from <= $1::date) AND (q.valid_to IS NULL OR q.valid_to >= $1::date)))`,
  reads: {},
});
