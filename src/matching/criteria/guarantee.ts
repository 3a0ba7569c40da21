/**
 * R13 GUARANTEE: where a loan product requires a guarantee, the need accepts one and a guarantor with an
 * agreement with the bank has room for it under R6 (guarantee-choice.ts). Only the first part is a
 * column: the SQL keeps pairs whose guarantor search is left, and the engine decides them (engine.ts
 * `decideCandidate`).
 */
import { Decimal } from '../../common/decimal';
import { criterion, d2, fail, onlyFor, pass } from './criterion';
import { chooseGuarantee } from './guarantee-choice';

export const guarantee = criterion({
  code: 'GUARANTEE',
  order: 200,
  description: 'Where a guarantee is required: a guarantor with an agreement with the bank and room under R6',
  variants: ['notApplicable', 'none', 'declined', 'noAgreement', 'noRoom', 'ok'],
  check({ need, enterprise, product, context }) {
    if (need.kind !== 'LOAN') return pass('notApplicable');
    if (!product.requiresGuarantee) return pass('none');
    if (!need.acceptGuarantee) return fail('declined');
    const { chosen, options, bestRoom } = chooseGuarantee(need, enterprise, product, context);
    if (chosen) {
      return { ...pass('ok', { guarantor: chosen.option.guarantorName, coverage: chosen.option.coverageRatio.toFixed(), fee: chosen.option.feeRate.toFixed() }), guarantee: chosen };
    }
    if (!options) return fail('noAgreement');
    return fail('noRoom', { options, room: d2(bestRoom ?? new Decimal(0)) });
  },
  sql: (a) => onlyFor('LOAN', a, `NOT ${a.product}.requires_guarantee OR ${a.need}.accept_guarantee`),
  reads: { need: ['kind', 'accept_guarantee'] },
  engineVariants: ['noAgreement', 'noRoom'],
});
