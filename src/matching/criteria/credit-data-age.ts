/** R13 CREDIT_DATA_AGE: the firm's credit profile is recent enough (R5, `MAX_CREDIT_DATA_AGE`). */
import { MAX_CREDIT_DATA_AGE } from '../../credit/credit.conditions';
import { creditCriterion } from './credit';

export const creditDataAge = creditCriterion({
  code: 'CREDIT_DATA_AGE', order: 160, description: 'The firm\'s credit data is recent enough', credit: MAX_CREDIT_DATA_AGE, column: 'max_credit_data_age_days',
});
