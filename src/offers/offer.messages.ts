/** Words of issue 15 §2 (spread into common/messages.ts): the offers' and documents' userErrors and HTTP errors. */
export const OFFER_MESSAGES: Record<string, { zh: string; en: string }> = {
  OFFER_BEFORE_CONTACT: { zh: '须先联系企业（CONTACT）才能报价；该匹配当前为 {status}', en: 'Contact the enterprise (CONTACT) before making an offer; the match is {status}' },
  OFFER_NOT_A_LOAN: { zh: '报价仅适用于贷款需求', en: 'Offers are made on loan needs only' },
  OFFER_ALREADY_OPEN: { zh: '该匹配已有一份有效报价（有效期至 {validUntil}）', en: 'This match already has an open offer (valid until {validUntil})' },
  OFFER_EXCEEDS_NEED: { zh: '报价金额不能超过需求金额 {needAmount}', en: 'The offer cannot exceed the need\'s amount of {needAmount}' },
  RATE_ABOVE_CEILING: { zh: '年利率不能超过 {max}（一年期 LPR 的 4 倍）', en: 'The annual rate cannot exceed {max} (4 × the one-year LPR)' },
  RATE_OUTSIDE_PRODUCT: { zh: '年利率须在产品的利率区间 {min} 至 {max} 之内', en: 'The annual rate must be within the product\'s range, {min} to {max}' },
  FEE_AMOUNT_OR_RATE: { zh: '每项费用须且只能填写金额（amount）或费率（rate）之一', en: 'Each fee gives exactly one of amount and rate' },
  UNKNOWN_DOCUMENT_KIND: { zh: '未知的材料类型“{value}”（可选：{allowed}）', en: 'Unknown document kind "{value}" (one of: {allowed})' },
  VALID_UNTIL_NOT_FUTURE: { zh: '有效期须晚于当前时间（{now}）', en: 'validUntil must be after now ({now})' },
  VALID_UNTIL_TOO_FAR: { zh: '报价有效期最长 {days} 天（至 {latest}）', en: 'An offer stays open at most {days} days (until {latest})' },
  OFFER_NOT_OPEN: { zh: '该报价已{status}，不能接受', en: 'This offer is {status} and cannot be accepted' },
  'OFFER_NOT_OPEN.MATCH_CLOSED': { zh: '该报价所属的匹配已结束（机构已拒绝或已逾期），报价随之失效，不能接受', en: 'This offer\'s match was closed (the bank declined it, or it lapsed), so the offer was declined and cannot be accepted' },
  'OFFER_NOT_OPEN.NEED_CLOSED': { zh: '该报价所属的融资需求已结束（撤回、关闭、已获融资或已过期），报价随之失效，不能接受', en: 'This offer\'s need is over (withdrawn, closed, funded or expired), so the offer was declined and cannot be accepted' },
  OFFER_EXPIRED: { zh: '该报价已于 {validUntil} 过期', en: 'This offer expired at {validUntil}' },

  // The document endpoints (plain HTTP beside /graphql).
  'DOCUMENT.FORBIDDEN_UPLOAD': { zh: '只有企业可以上传材料（当前角色 {role}）', en: 'Only an enterprise uploads documents (this token is {role})' },
  'DOCUMENT.INVALID_KIND': { zh: '材料类型 kind 须为 {allowed} 之一', en: 'kind must be one of {allowed}' },
  'DOCUMENT.UNSUPPORTED_TYPE': { zh: '不支持的文件类型“{type}”（支持：{allowed}）', en: 'Unsupported file type "{type}" (accepted: {allowed})' },
  'DOCUMENT.CONTENT_MISMATCH': { zh: '文件内容不是 {type} 格式', en: 'The file\'s content is not {type}' },
  'DOCUMENT.TOO_LARGE': { zh: '文件超过 {limit} 字节上限', en: 'The file is larger than the {limit}-byte limit' },
  'DOCUMENT.EMPTY': { zh: '文件为空', en: 'The file is empty' },
  'DOCUMENT.NO_FILE': { zh: '表单中没有文件', en: 'The form holds no file' },
  'DOCUMENT.NOT_FOUND': { zh: '没有这份材料，或未向您共享', en: 'No such document, or it was not shared with you' },
  'DOCUMENT.UNAVAILABLE': { zh: '材料文件暂时无法读取，请稍后重试', en: 'The document\'s file cannot be read at the moment; try again shortly' },
};
