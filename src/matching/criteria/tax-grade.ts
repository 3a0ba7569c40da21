/** R13 TAX_GRADE: the firm's tax credit grade meets the product's minimum (R5, `MIN_TAX_GRADE`). */
import { MIN_TAX_GRADE } from '../../credit/credit.conditions';
import { creditCriterion } from './credit';

export const taxGrade = creditCriterion({
  code: 'TAX_GRADE', order: 130, description: 'The firm\'s tax credit grade meets the product\'s minimum', credit: MIN_TAX_GRADE, column: 'min_tax_grade',
});
