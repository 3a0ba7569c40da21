/** R13 EQUITY_TICKET: an equity need's amount is within the investor's ticket range. */
import { criterion, d2, fail, onlyFor, pass } from './criterion';

export const equityTicket = criterion({
  code: 'EQUITY_TICKET',
  order: 220,
  description: 'The amount is within the investor\'s ticket range',
  variants: ['notApplicable', 'none', 'ok', 'below', 'above'],
  check({ need, product }) {
    if (need.kind !== 'EQUITY') return pass('notApplicable');
    if (!product.minTicket && !product.maxTicket) return pass('none');
    const ticket = { amount: d2(need.amount), min: product.minTicket ? d2(product.minTicket) : '0.00', max: product.maxTicket ? d2(product.maxTicket) : '—' };
    if (product.minTicket && need.amount.lt(product.minTicket)) return fail('below', ticket);
    if (product.maxTicket && need.amount.gt(product.maxTicket)) return fail('above', ticket);
    return pass('ok', ticket);
  },
  sql: (a) => onlyFor('EQUITY', a,
    `(${a.product}.min_ticket IS NULL OR ${a.need}.amount >= ${a.product}.min_ticket) AND (${a.product}.max_ticket IS NULL OR ${a.need}.amount <= ${a.product}.max_ticket)`),
  reads: { need: ['kind', 'amount'] },
});
