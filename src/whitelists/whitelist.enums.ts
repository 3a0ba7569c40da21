import { graphqlEnum } from '../common/enums';
import { QUALIFICATION_TIERS, QualificationTier } from './tier';

export const QualificationTierEnum = graphqlEnum<QualificationTier>(
  'QualificationTier',
  QUALIFICATION_TIERS,
  'Tier of the SME cultivation ladder (梯度培育, seed 002), lowest first; "at least" filters follow this order.',
  {
    INNOVATIVE_SME: '创新型中小企业 — innovative SME',
    SPECIALIZED_SME: '专精特新中小企业 — specialised, refined, distinctive and innovative SME',
    LITTLE_GIANT: '专精特新"小巨人"企业 — "little giant"',
    SINGLE_CHAMPION: '制造业单项冠军企业 — manufacturing single champion',
  },
);
