/**
 * Words of issue 15 §1 (spread into common/messages.ts): the enterprise's notifications, title and body
 * per event type, and the webhook mutations' userErrors. Parameters come from the notification's payload
 * (product and institution names are added when it is fanned out).
 */
export const EVENT_MESSAGES: Record<string, { zh: string; en: string }> = {
  NOTIFICATION_SOME_INSTITUTION: { zh: '机构', en: 'the institution' },
  NOTIFICATION_SOME_PRODUCT: { zh: '产品', en: 'the product' },
  'NOTIFICATION_TITLE.MATCH_PROPOSED': { zh: '新的匹配', en: 'New match' },
  'NOTIFICATION_BODY.MATCH_PROPOSED': { zh: '您的融资需求已推送给{institutionName}的“{productName}”', en: 'Your financing need was proposed to {institutionName}: {productName}' },
  'NOTIFICATION_TITLE.NEW_ELIGIBLE_PRODUCT': { zh: '有新产品符合条件', en: 'A new product fits' },
  'NOTIFICATION_BODY.NEW_ELIGIBLE_PRODUCT': { zh: '产品或政策调整后，{institutionName}的“{productName}”现已符合您的融资需求', en: 'After a product or policy change, {productName} of {institutionName} now fits your financing need' },
  'NOTIFICATION_TITLE.MATCH_CONTACTED': { zh: '机构已联系', en: 'An institution made contact' },
  'NOTIFICATION_BODY.MATCH_CONTACTED': { zh: '{institutionName}已就“{productName}”与您联系', en: '{institutionName} contacted you about {productName}' },
  'NOTIFICATION_TITLE.MATCH_DECLINED': { zh: '匹配未通过', en: 'Match declined' },
  'NOTIFICATION_BODY.MATCH_DECLINED': { zh: '{institutionName}婉拒了“{productName}”。建议：{advice}', en: '{institutionName} declined {productName}. What you could do: {advice}' },
  'NOTIFICATION_TITLE.MATCH_LAPSED': { zh: '匹配已超时', en: 'Match lapsed' },
  'NOTIFICATION_BODY.MATCH_LAPSED': { zh: '{institutionName}未在期限内答复“{productName}”，已为您推荐下一家机构', en: '{institutionName} did not answer in time about {productName}; the next institution has been proposed' },
  'NOTIFICATION_TITLE.LOAN_DISBURSED': { zh: '贷款已发放', en: 'Loan disbursed' },
  'NOTIFICATION_BODY.LOAN_DISBURSED': { zh: '{institutionName}已发放贷款 {principal} 元，年利率 {annualRate}，期限 {termMonths} 个月', en: '{institutionName} disbursed CNY {principal} at an annual rate of {annualRate} for {termMonths} months' },
  'NOTIFICATION_TITLE.REPAYMENT_DUE': { zh: '还款提醒', en: 'Repayment due' },
  'NOTIFICATION_BODY.REPAYMENT_DUE': { zh: '{institutionName}的贷款将于 {maturity} 到期，未还本金 {outstanding} 元', en: 'Your loan from {institutionName} matures on {maturity}; CNY {outstanding} is outstanding' },
  'NOTIFICATION_TITLE.OFFER_MADE': { zh: '收到报价', en: 'Offer received' },
  'NOTIFICATION_BODY.OFFER_MADE': { zh: '{institutionName}就“{productName}”向您报价', en: '{institutionName} made you an offer for {productName}' },
  'NOTIFICATION_TITLE.OFFER_ACCEPTED': { zh: '报价已接受', en: 'Offer accepted' },
  'NOTIFICATION_BODY.OFFER_ACCEPTED': { zh: '您已接受{institutionName}的报价', en: 'You accepted the offer of {institutionName}' },
  'NOTIFICATION_TITLE.OFFER_EXPIRED': { zh: '报价已过期', en: 'Offer expired' },
  'NOTIFICATION_BODY.OFFER_EXPIRED': { zh: '{institutionName}的报价已过有效期', en: 'The offer of {institutionName} has expired' },
  'NOTIFICATION_TITLE.MATCH_DEADLINE_APPROACHING': { zh: '答复期限将至', en: 'Response deadline approaching' },
  'NOTIFICATION_BODY.MATCH_DEADLINE_APPROACHING': { zh: '匹配将于 {respondBy} 到期', en: 'The match must be answered by {respondBy}' },

  WEBHOOK_ORIGINS_NONE: {
    zh: '本平台尚未允许任何 Webhook 地址：需由管理员在 WEBHOOK_ALLOWED_ORIGINS 中配置允许的来源',
    en: 'This platform allows no webhook address yet: an administrator lists the allowed origins in WEBHOOK_ALLOWED_ORIGINS',
  },
  WEBHOOK_ORIGIN_NOT_ALLOWED: {
    zh: '来源 {origin} 不在管理员允许的列表中（允许：{allowed}）',
    en: 'The origin {origin} is not one an administrator allows (allowed: {allowed})',
  },
  INVALID_WEBHOOK_URL: { zh: '须为不含用户名和密码的 http(s) 地址', en: 'Must be an http(s) URL without user name or password' },
  EVENT_NOT_FOR_INSTITUTIONS: { zh: '机构不会收到 {type} 事件（它只发给企业）', en: 'Institutions do not receive {type} events (they go to the enterprise)' },
  NO_WEBHOOK_FOR_EVENT: { zh: '您没有订阅该事件的已启用 Webhook', en: 'None of your enabled webhooks subscribes to this event' },
};
