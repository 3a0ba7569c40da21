/** R13 CREDIT_RATING: the firm's rating meets the product's minimum (R5, `MIN_RATING`). */
import { MIN_RATING } from '../../credit/credit.conditions';
import { creditCriterion } from './credit';

export const creditRating = creditCriterion({
  code: 'CREDIT_RATING', order: 120, description: 'The firm\'s rating meets the product\'s minimum', credit: MIN_RATING, column: 'min_rating',
});
