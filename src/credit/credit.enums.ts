import { graphqlEnum } from '../common/enums';
import { CREDIT_RATINGS, CreditRating, DISHONESTY_KINDS, DishonestyKind, TAX_GRADES, TaxGrade } from './grades';

export const CreditRatingEnum = graphqlEnum<CreditRating>('CreditRating', CREDIT_RATINGS, 'Credit rating, best (AAA) to worst (C) (R5).', {
  AAA: 'AAA', AA: 'AA', A: 'A', BBB: 'BBB', BB: 'BB', B: 'B', CCC: 'CCC', CC: 'CC', C: 'C',
});

export const TaxGradeEnum = graphqlEnum<TaxGrade>('TaxGrade', TAX_GRADES, 'Tax credit grade (纳税信用等级), best first; M is a new taxpayer (R5).', {
  A: 'A 级', B: 'B 级', M: 'M 级 — new taxpayer or one without a full assessment year', C: 'C 级', D: 'D 级',
});

export const DishonestyKindEnum = graphqlEnum<DishonestyKind>('DishonestyKind', DISHONESTY_KINDS, 'Kind of dishonesty listing (R5); active until repaired (信用修复).', {
  DISHONEST_JUDGMENT_DEBTOR: '失信被执行人 — dishonest judgment debtor',
  MAJOR_TAX_VIOLATION: '重大税收违法失信主体 — major tax violation',
  ABNORMAL_OPERATION: '经营异常名录 — abnormal operation list',
});
