import { graphqlEnum } from '../common/enums';
import { CALCULATORS } from './registry';
import { POLICY_RULE_KINDS, PolicyRuleKind } from './rule-kinds';

export const PolicyRuleKindEnum = graphqlEnum<PolicyRuleKind>(
  'PolicyRuleKind',
  POLICY_RULE_KINDS,
  'Kinds of policy rule (R8, R9); each has its parameters and its calculator.',
  Object.fromEntries(POLICY_RULE_KINDS.map((k) => [k, CALCULATORS[k].description])) as Record<PolicyRuleKind, string>,
);
