/** Messages of the review codes (issue 17 §3), merged into common/messages.ts. */
export const REVIEWS_MESSAGES: Record<string, { zh: string; en: string }> = {
  OUTSIDE_AUTHORITY_REGION: {
    zh: '超出本主管部门的辖区（{region}）：只能查看和办理本辖区的事项',
    en: 'Outside your region ({region}): an authority sees and acts within its own region only',
  },
  NOTHING_TO_CLAIM: { zh: '该补助金额为 0，无需申请', en: 'The entitlement is 0: there is nothing to claim' },
  CLAIM_EXISTS: { zh: '该补助已有申请（状态 {status}）', en: 'This entitlement already has a claim ({status})' },
  DOCUMENTS_MISSING: { zh: '缺少规则要求的材料：{missing}', en: 'Documents the rule asks for are missing: {missing}' },
  CLAIM_NOT_SUBMITTED: { zh: '只能审核待审的申请（当前状态 {status}）', en: 'Only a submitted claim can be reviewed (it is {status})' },
  CLAIM_NOT_APPROVED: { zh: '只能拨付已批准的申请（当前状态 {status}）', en: 'Only an approved claim can be paid (it is {status})' },
  BUDGET_NOT_SET: {
    zh: '规则 {ruleCode} 尚未设定 {year} 年度预算，不能批准',
    en: 'Rule {ruleCode} has no budget for {year}: set one (setPolicyBudget) before approving',
  },
  BUDGET_EXCEEDED: {
    zh: '规则 {ruleCode} 的 {year} 年度预算不足：申请 {amount}，剩余 {remaining}',
    en: 'Rule {ruleCode}\'s budget for {year} is short: {amount} asked, {remaining} remaining',
  },
  SUBSIDY_CAP_REACHED: {
    zh: '该担保机构 {year} 年度保费补助已达上限 {cap}',
    en: 'The guarantor\'s fee subsidies for {year} have reached the cap of {cap}',
  },
  BUDGET_BELOW_COMMITTED: {
    zh: '预算不能低于已批准和已拨付的合计 {committed}',
    en: 'A budget cannot be below what approvals committed and payments paid: {committed}',
  },
  NOT_A_SUBSIDY_RULE: { zh: '{code} 不是补助规则', en: '{code} is not a subsidy rule' },
  LISTING_RESERVE_KEPT_BY_LIST: {
    zh: '上市储备库由主管部门维护（addToListingReserve），不能作为资质申报或记录',
    en: 'The listing reserve pool is kept by authorities (addToListingReserve), not recorded as a qualification',
  },
  ALREADY_IN_RESERVE: { zh: '该企业已在上市储备库中（自 {since}）', en: 'The firm is already in the listing reserve pool (since {since})' },
  NOT_IN_RESERVE: { zh: '该企业不在上市储备库中', en: 'The firm is not in the listing reserve pool' },
  NO_POOL_CLAIM: {
    zh: '该贷款没有风险补偿资金池的代偿申请：未违约，或资金池对其无需补偿',
    en: 'This loan has no claim on a risk-compensation pool: it has not defaulted, or its pool owes nothing on it',
  },
  POOL_CLAIM_NOT_OPEN: { zh: '该代偿申请已提交过（当前状态 {status}）', en: 'This pool claim was already applied for (it is {status})' },
  APPROVED_OUTSIDE_CLAIM: { zh: '批准金额须大于 0 且不超过申请金额 {claimed}', en: 'The approved amount must be more than 0 and at most the claim of {claimed}' },
  'NOTIFICATION_TITLE.POOL_CLAIM_APPROVED': { zh: '风险补偿申请已批准', en: 'Pool claim approved' },
  'NOTIFICATION_BODY.POOL_CLAIM_APPROVED': { zh: '风险补偿申请获批 {approved} 元（申请 {claimed} 元）', en: 'The pool claim was approved for CNY {approved} (claimed {claimed})' },
  'NOTIFICATION_TITLE.POOL_CLAIM_REJECTED': { zh: '风险补偿申请未获批准', en: 'Pool claim rejected' },
  'NOTIFICATION_BODY.POOL_CLAIM_REJECTED': { zh: '风险补偿申请（{claimed} 元）未获批准：{reason}', en: 'The pool claim (CNY {claimed}) was rejected: {reason}' },
  'NOTIFICATION_TITLE.POOL_CLAIM_PAID': { zh: '风险补偿已拨付', en: 'Pool claim paid' },
  'NOTIFICATION_BODY.POOL_CLAIM_PAID': { zh: '风险补偿资金池已拨付 {paid} 元', en: 'The pool paid CNY {paid}' },
};
