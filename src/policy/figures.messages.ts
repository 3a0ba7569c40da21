/** Messages of the policy-figure codes (issue 17 §1), merged into common/messages.ts. */
export const FIGURES_MESSAGES: Record<string, { zh: string; en: string }> = {
  NATIONAL_AUTHORITY_ONLY: {
    zh: '此项为全国统一口径，须由全国主管部门或管理员办理，辖区主管部门（{region}）不能设置',
    en: 'This is set nationally: a national authority or an admin sets it, not a regional authority ({region})',
  },
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
  GUARANTEE_NOT_ACCEPTED: {
    zh: '担保尚未获担保机构接受，暂不能放款',
    en: 'The guarantor has not accepted the guarantee: the loan cannot be disbursed yet',
  },
  'GUARANTEE_NOT_ACCEPTED.pending': {
    zh: '担保正待担保机构答复，接受后方可放款',
    en: 'The guarantee waits for the guarantor\'s answer: the loan can be disbursed once it is accepted',
  },
  'GUARANTEE_NOT_ACCEPTED.refused': {
    zh: '担保机构已拒绝担保，且合作担保机构中没有其他可用额度；可拒绝该匹配',
    en: 'The guarantor refused the guarantee and no other guarantor of the lender has room; you may decline the match',
  },
  'GUARANTEE_NOT_ACCEPTED.none': {
    zh: '该匹配的担保尚未提交担保机构（请先审批通过）',
    en: 'The match\'s guarantee has not gone to the guarantor (approve the match first)',
  },
  GUARANTEE_CLOSED: { zh: '该担保已被拒绝（{status}），不能再答复', en: 'The guarantee was refused ({status}); it takes no further answer' },
  GUARANTEE_IN_USE: { zh: '已有贷款在该担保下放款，不能再拒绝', en: 'A loan was disbursed under this guarantee: it can no longer be refused' },
  YEAR_NOT_OVER: { zh: '只能为已结束的年度计算（今天是 {today}）', en: 'Only a year that is over can be computed (today is {today})' },
  NO_GROWTH_RATIO: { zh: '规则 {code} 没有增长补助比例（growthRatio）', en: 'Rule {code} sets no growth ratio (growthRatio)' },
  GROWTH_SUBSIDY_BOOKED: { zh: '{year} 年的增长补助已按 {ruleVersion} 入账', en: 'The growth subsidy for {year} is already booked under {ruleVersion}' },
  NO_GROWTH: { zh: '{year} 年小微担保额 {volume} 未超过上年 {previous}，没有增长补助', en: 'The small and micro volume of {year}, {volume}, did not grow over the year before ({previous}): no growth subsidy' },
  COUNTER_GUARANTEE_EXCEEDS_ISSUE: { zh: '成员反担保合计 {total} 超过发行额 {issue}', en: 'The members\' counter-guarantees ({total}) exceed the issue ({issue})' },
  MEMBER_OUTSIDE_REGION: { zh: '该企业（地区 {region}）不在规则适用地区（{regions}）内', en: 'This firm (region {region}) is outside the rule\'s regions ({regions})' },
  BOND_NAME_TAKEN: { zh: '已有同名的集合债', en: 'A collective bond issue already has this name' },
  LOSS_EXCEEDS_ISSUE: { zh: '累计损失不能超过发行额 {issue}（已记录 {recorded}）', en: 'Losses together cannot exceed the issue {issue} ({recorded} recorded)' },
};
