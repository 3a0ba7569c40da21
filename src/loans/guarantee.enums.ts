import { graphqlEnum } from '../common/enums';
import { GUARANTEE_ACCEPTANCES, GUARANTEE_ACTIONS, GUARANTEE_STATUSES, GuaranteeAcceptance, GuaranteeAction, GuaranteeStatus } from './guarantee.rules';

export const GuaranteeStatusEnum = graphqlEnum<GuaranteeStatus>('GuaranteeStatus', GUARANTEE_STATUSES, 'Where a guarantee routed to a guarantor stands (issue 17 §1).', {
  PENDING: 'Waiting for the guarantor\'s answer: the loan cannot be disbursed yet.',
  ACCEPTED: 'The guarantor accepted it (or its agreement accepts automatically): the loan can be disbursed.',
  REFUSED: 'The guarantor refused it; the match was routed to the next guarantor with room, if any.',
});

export const GuaranteeActionEnum = graphqlEnum<GuaranteeAction>('GuaranteeAction', GUARANTEE_ACTIONS, 'A guarantor\'s answer to a guarantee routed to it.', {
  ACCEPT: 'Accept the guarantee.',
  REFUSE: 'Refuse it, with a reason; allowed until a loan is disbursed under it.',
});

export const GuaranteeAcceptanceEnum = graphqlEnum<GuaranteeAcceptance>('GuaranteeAcceptance', GUARANTEE_ACCEPTANCES, 'How a cooperation agreement\'s guarantor answers the guarantees its lender routes (R7).', {
  AUTOMATIC: '见贷即保: a guarantee is accepted when the lender approves the loan (the guarantor may still refuse it until a disbursement).',
  REVIEW: 'Each guarantee waits for the guarantor\'s answer (respondToGuarantee) before the loan can be disbursed.',
});
