/** R13 FIRST_LOAN: the firm never had a bank loan (首贷户), where the product is for first-time borrowers (R5, `FIRST_LOAN_ONLY`). */
import { FIRST_LOAN_ONLY } from '../../credit/credit.conditions';
import { creditCriterion } from './credit';

export const firstLoan = creditCriterion({
  code: 'FIRST_LOAN', order: 170, description: 'The firm never had a bank loan, where the product is for first-time borrowers', credit: FIRST_LOAN_ONLY,
  column: 'first_loan_only',
});
