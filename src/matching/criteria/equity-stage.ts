/** R13 EQUITY_STAGE: an equity need's round is one the investor invests in. */
import { criterion, list, onlyFor, pass, verdict } from './criterion';

export const equityStage = criterion({
  code: 'EQUITY_STAGE',
  order: 210,
  description: 'The funding round is one the investor invests in',
  variants: ['notApplicable', 'none', 'ok', 'fail'],
  check({ need, product }) {
    if (need.kind !== 'EQUITY') return pass('notApplicable');
    if (!product.equityStages.length) return pass('none');
    const passed = need.equityStage !== null && product.equityStages.includes(need.equityStage);
    return verdict(passed, passed ? 'ok' : 'fail', { stage: need.equityStage ?? '—', allowed: list(product.equityStages) });
  },
  sql: (a) => onlyFor('EQUITY', a, `cardinality(${a.product}.equity_stages) = 0 OR ${a.need}.equity_stage = ANY(${a.product}.equity_stages)`),
  reads: { need: ['kind', 'equity_stage'] },
});
