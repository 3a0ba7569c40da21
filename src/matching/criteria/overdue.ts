/**
 * R13 OVERDUE: the firm's overdue count in 12 months is within the product's maximum (R5,
 * `MAX_OVERDUE_COUNT`). The count is consent-only (R10): explainMatch withholds this check from a viewer
 * the firm has not consented to (engine/consent-only.ts, `CHECK_OVERDUE.withheld`).
 */
import { MAX_OVERDUE_COUNT } from '../../credit/credit.conditions';
import { creditCriterion } from './credit';

export const overdue = creditCriterion({
  code: 'OVERDUE', order: 150, description: 'The firm\'s overdue count in 12 months is within the product\'s maximum', credit: MAX_OVERDUE_COUNT,
  column: 'max_overdue_count_12m', consentOnly: true,
});
