/**
 * Words of issue 17 §2 (spread into common/messages.ts): renewals' and warnings' userErrors, and the
 * notifications of their events (title and body per event type).
 */
export const AFTER_LOAN_MESSAGES: Record<string, { zh: string; en: string }> = {
  RENEWAL_OUTSIDE_WINDOW: {
    zh: '续贷须在到期日（{maturity}）前 60 至 30 天内申请，即 {opensOn} 至 {closesOn}（今天是 {today}）',
    en: 'A renewal is asked for 60 to 30 days before maturity ({maturity}): from {opensOn} to {closesOn} (today is {today})',
  },
  RENEWAL_LOAN_OVERDUE: { zh: '贷款有逾期本金 {overdue} 元（逾期 {days} 天），不能申请续贷', en: 'The loan has CNY {overdue} of principal overdue ({days} days): no renewal' },
  RENEWAL_ALREADY_REQUESTED: { zh: '该贷款在到期日 {maturity} 前已申请过续贷（{status}）', en: 'A renewal was already asked for before the maturity of {maturity} ({status})' },
  EXTENSION_TOO_LONG: {
    zh: '展期累计不得超过《贷款通则》的上限：期限 {term} 个月的贷款还可展期 {left} 个月',
    en: 'Extensions together may not exceed the General Rules on Loans\' limit: a {term}-month loan may be extended {left} more months',
  },
  RENEWAL_CLOSED: { zh: '该续贷申请已处理（{status}）', en: 'This renewal request is already closed ({status})' },
  RENEWAL_DEADLINE_PASSED: { zh: '答复期限 {respondBy} 已过，申请已转入周转资金', en: 'The deadline to answer ({respondBy}) has passed; the request goes to turnover funds' },
  WARNING_TRIGGERS_EMPTY: { zh: '至少选择一种预警类型', en: 'Choose at least one kind of warning' },
  'NOTIFICATION_TITLE.RENEWAL_REQUESTED': { zh: '续贷申请已提交', en: 'Renewal requested' },
  'NOTIFICATION_BODY.RENEWAL_REQUESTED': { zh: '已向{institutionName}申请续贷，对方将于 {respondBy} 前答复', en: 'You asked {institutionName} to renew your loan; it answers by {respondBy}' },
  'NOTIFICATION_TITLE.RENEWAL_APPROVED': { zh: '续贷已获批准', en: 'Renewal approved' },
  'NOTIFICATION_BODY.RENEWAL_APPROVED': { zh: '{institutionName}同意续贷：贷款展期 {approvedMonths} 个月，新到期日 {maturity}', en: '{institutionName} approved the renewal: the loan is extended {approvedMonths} months, to {maturity}' },
  'NOTIFICATION_TITLE.RENEWAL_REFUSED': { zh: '续贷未获批准', en: 'Renewal refused' },
  'NOTIFICATION_BODY.RENEWAL_REFUSED': {
    zh: '{institutionName}未同意续贷（{reason}）。已为您发布 {outstanding} 元的转贷周转资金需求',
    en: '{institutionName} refused the renewal ({reason}). A turnover-fund need for CNY {outstanding} was posted for you',
  },
  'NOTIFICATION_TITLE.RENEWAL_LAPSED': { zh: '续贷申请未获答复', en: 'Renewal not answered' },
  'NOTIFICATION_BODY.RENEWAL_LAPSED': {
    zh: '{institutionName}未在期限内答复续贷申请。已为您发布 {outstanding} 元的转贷周转资金需求',
    en: '{institutionName} did not answer the renewal in time. A turnover-fund need for CNY {outstanding} was posted for you',
  },
  'NOTIFICATION_TITLE.WARNING': { zh: '贷后预警', en: 'Post-loan warning' },
  'NOTIFICATION_BODY.WARNING': { zh: '借款企业出现预警情形：{kind}', en: 'A borrower triggered a warning: {kind}' },
};
