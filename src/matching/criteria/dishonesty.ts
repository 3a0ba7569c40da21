/** R13 DISHONESTY: no active dishonesty listing, where the product asks (R5, `NO_ACTIVE_DISHONESTY`). */
import { NO_ACTIVE_DISHONESTY } from '../../credit/credit.conditions';
import { creditCriterion } from './credit';

export const dishonesty = creditCriterion({
  code: 'DISHONESTY', order: 140, description: 'The firm has no active dishonesty listing, where the product asks', credit: NO_ACTIVE_DISHONESTY, column: 'no_active_dishonesty',
});
