/** Messages of the policy-figure codes (issue 17 §1), merged into common/messages.ts. */
export const FIGURES_MESSAGES: Record<string, { zh: string; en: string }> = {
  REGION_REQUIRED: {
    zh: '政策规则须写明适用地区（地区前缀），全国适用的规则请标记 national',
    en: 'A policy rule names the regions it applies to (region prefixes), or is marked national',
  },
  NATIONAL_WITH_REGIONS: {
    zh: '全国适用的规则不再列出地区前缀',
    en: 'A national rule lists no region prefixes',
  },
  POOL_RESERVE_SHORT: {
    zh: '风险补偿资金池余额不足：报价准备金 {quoted}，本笔应计 {due}，实际计提 {reserved}',
    en: 'The risk-compensation pool ran short: {quoted} was quoted, {due} was due on this loan and {reserved} was reserved',
  },
};
