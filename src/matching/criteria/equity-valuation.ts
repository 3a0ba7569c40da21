/** R13 EQUITY_VALUATION: an equity need's pre-money valuation is within the investor's cap (unknown fails a cap). */
import { criterion, d2, fail, onlyFor, pass, verdict } from './criterion';

export const equityValuation = criterion({
  code: 'EQUITY_VALUATION',
  order: 230,
  description: 'The pre-money valuation is within the investor\'s cap',
  variants: ['notApplicable', 'none', 'unknown', 'ok', 'fail'],
  check({ need, product }) {
    if (need.kind !== 'EQUITY') return pass('notApplicable');
    const max = product.maxPreMoneyValuation;
    if (!max) return pass('none');
    if (!need.preMoneyValuation) return fail('unknown', { max: d2(max) });
    const passed = need.preMoneyValuation.lte(max);
    return verdict(passed, passed ? 'ok' : 'fail', { valuation: d2(need.preMoneyValuation), max: d2(max) });
  },
  sql: (a) => onlyFor('EQUITY', a, `${a.product}.max_pre_money_valuation IS NULL OR ${a.need}.pre_money_valuation <= ${a.product}.max_pre_money_valuation`),
  reads: { need: ['kind', 'pre_money_valuation'] },
});
