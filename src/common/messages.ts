/**
 * The one place that turns a stable error code into words, in Simplified Chinese (default) and English
 * (`Accept-Language: en`). Services return codes with parameters; nothing else writes messages.
 */
export type Lang = 'zh' | 'en';
export type Params = Record<string, string | number | undefined>;

interface Text {
  zh: string;
  en: string;
}

/** Message keys are a code, or `CODE.variant` where one code has several explanations. */
const MESSAGES: Record<string, Text> = {
  REQUIRED: { zh: '必填项', en: 'This field is required' },
  INVALID_LENGTH: { zh: '长度须在 {min} 到 {max} 个字符之间', en: 'Must be {min} to {max} characters long' },
  OUT_OF_RANGE: { zh: '须在 {min} 到 {max} 之间', en: 'Must be between {min} and {max}' },
  'OUT_OF_RANGE.min': { zh: '不能小于 {min}', en: 'Must be at least {min}' },
  'OUT_OF_RANGE.max': { zh: '不能大于 {max}', en: 'Must be at most {max}' },
  INVALID_DECIMAL: { zh: '不是有效的数字，请以字符串形式填写，如 "5000000.00"', en: 'Not a valid decimal number; send it as a string such as "5000000.00"' },
  TOO_MANY_DECIMAL_PLACES: { zh: '最多 {places} 位小数', en: 'At most {places} decimal places' },
  INVALID_DATE: { zh: '不是有效的日期（格式 YYYY-MM-DD）', en: 'Not a valid date (YYYY-MM-DD)' },
  DATE_IN_PAST: { zh: '日期不能早于今天（{today}）', en: 'The date cannot be before today ({today})' },
  DATE_IN_FUTURE: { zh: '日期不能晚于今天（{today}）', en: 'The date cannot be after today ({today})' },
  INVALID_FORMAT: { zh: '格式不正确：{expected}', en: 'Wrong format: {expected}' },
  DUPLICATE_VALUE: { zh: '重复的值：{value}', en: 'Duplicate value: {value}' },
  INVALID_ID: { zh: '无效的标识', en: 'Not a valid id' },
  NOT_FOUND: { zh: '未找到该记录', en: 'No such record' },
  MIN_GREATER_THAN_MAX: { zh: '下限 {min} 大于上限 {max}', en: 'The lower bound {min} is greater than the upper bound {max}' },

  'INVALID_CREDIT_CODE.length': {
    zh: '统一社会信用代码须为 18 位，当前为 {length} 位',
    en: 'A unified social credit code has 18 characters; this one has {length}',
  },
  'INVALID_CREDIT_CODE.character': {
    zh: '第 {position} 位字符“{character}”不是统一社会信用代码允许的字符（不含 I、O、S、V、Z）',
    en: 'Character {position} ("{character}") is not allowed in a unified social credit code (no I, O, S, V, Z)',
  },
  'INVALID_CREDIT_CODE.check': {
    zh: '第 18 位校验码应为“{expected}”，当前为“{character}”',
    en: 'Check character (position 18) should be "{expected}", not "{character}"',
  },
  CREDIT_CODE_TAKEN: { zh: '该统一社会信用代码已由其他用户注册', en: 'This credit code is already registered by another user' },
  ALREADY_REGISTERED: { zh: '当前用户已绑定企业 {creditCode}', en: 'This user is already bound to enterprise {creditCode}' },
  NOT_REGISTERED: { zh: '请先注册企业（registerEnterprise）', en: 'Register your enterprise first (registerEnterprise)' },
  INVALID_REGION_CODE: { zh: '行政区划代码须为 6 位数字（GB/T 2260）', en: 'A region code is six digits (GB/T 2260)' },
  INVALID_REGION_PREFIX: { zh: '地区前缀须为 2、4 或 6 位数字', en: 'A region prefix is 2, 4 or 6 digits' },
  INVALID_INDUSTRY_CODE: { zh: '国民经济行业代码须为门类字母加 2–4 位数字（GB/T 4754，如 C3562）', en: 'An industry code is a section letter and 2–4 digits (GB/T 4754, e.g. C3562)' },
  UNKNOWN_INDUSTRY_CHAIN: { zh: '未知的产业链：{value}（可选：{known}）', en: 'Unknown industry chain: {value} (known: {known})' },
  INVALID_TAG: { zh: '标签须为大写字母、数字和下划线：{value}', en: 'Tags are upper-case letters, digits and underscores: {value}' },
  INVALID_EMAIL: { zh: '电子邮箱格式不正确', en: 'Not a valid email address' },
  INVALID_PHONE: { zh: '电话号码格式不正确', en: 'Not a valid phone number' },
  FOUNDED_IN_FUTURE: { zh: '成立日期不能晚于今天', en: 'The founding date cannot be in the future' },

  DUPLICATE_NEED: {
    zh: '已有一笔相同类型、金额和期限的未结需求（{channel} 渠道发布）',
    en: 'An open need of the same kind, amount and term already exists (posted via {channel})',
  },
  IDEMPOTENCY_KEY_REUSED: {
    zh: '该幂等键已用于另一笔不同的请求',
    en: 'This idempotency key was already used for a different request',
  },
  NOT_APPLICABLE: { zh: '{kind} 需求不适用此字段', en: 'This field does not apply to a {kind} need' },
  INVALID_CHANNEL: { zh: '渠道须为 {allowed} 之一', en: 'Channel must be one of {allowed}' },
  NEED_NOT_WITHDRAWABLE: { zh: '状态为 {status} 的需求不能撤回', en: 'A need in status {status} cannot be withdrawn' },

  INSTITUTION_KIND_MISMATCH: { zh: '{kind} 类机构不能{action}', en: 'A {kind} institution cannot {action}' },
  GUARANTEE_PROFILE_REQUIRED: { zh: '担保机构须提供担保能力信息（净资产、费率）', en: 'A guarantor needs a guarantee profile (net assets, fee rate)' },
  GUARANTEE_PROFILE_NOT_ALLOWED: { zh: '只有担保和再担保机构才有担保能力信息', en: 'Only guarantors and re-guarantors carry a guarantee profile' },
  INSTITUTION_NAME_TAKEN: { zh: '已有同名机构', en: 'An institution with this name already exists' },
  NOT_YOUR_INSTITUTION: { zh: '只能管理本机构的产品', en: 'You can only manage your own institution\'s products' },
  EQUITY_CRITERIA_NOT_ALLOWED: { zh: '债权类产品不适用股权条件', en: 'Equity criteria apply only to equity products' },
  NEED_KIND_MISMATCH: { zh: '产品类型 {kind} 只能服务 {needKind} 需求', en: 'Product kind {kind} serves only {needKind} needs' },
  ACTIVE_WINDOW_INVALID: { zh: '生效结束日期早于开始日期', en: 'The active window ends before it starts' },
  NOTHING_TO_UPDATE: { zh: '没有需要更新的字段', en: 'Nothing to update' },

  'DUPLICATE_ROW.entry': { zh: '统一社会信用代码 {creditCode} 与第 {first} 条（从 0 起）重复', en: 'Credit code {creditCode} repeats entry {first} (counting from 0)' },
  'DUPLICATE_ROW.row': { zh: '统一社会信用代码 {creditCode} 与第 {first} 行重复', en: 'Credit code {creditCode} repeats row {first}' },
  VALID_TO_BEFORE_VALID_FROM: { zh: '有效期止（{validTo}）早于有效期起（{validFrom}）', en: 'validTo ({validTo}) is before validFrom ({validFrom})' },
  BATCH_EXISTS: { zh: '白名单“{whitelist}”已发布过批次 {batch}；已发布的批次不能修改，请使用新的批次号', en: 'Whitelist "{whitelist}" already has batch {batch}; a published batch cannot change, use a new batch number' },
  ALREADY_REVOKED: { zh: '该条目已于 {revokedOn} 撤销', en: 'This entry was already revoked on {revokedOn}' },
  REVOCATION_OUTSIDE_VALIDITY: { zh: '撤销日期须在有效期 {validFrom} 至 {validTo} 之内', en: 'The revocation date must fall within the validity {validFrom} to {validTo}' },
  EMPTY_RECORD: { zh: '信用记录至少须包含一项数据（评级、纳税等级、逾期、社保、贷款记录或失信记录）', en: 'A credit record needs at least one figure (rating, tax grade, overdue, social security, loan history or a listing)' },
  LISTED_AFTER_AS_OF: { zh: '列入日期 {listedOn} 晚于数据日期 {asOf}', en: 'Listed on {listedOn}, after the data date {asOf}' },
  REPAIRED_BEFORE_LISTED: { zh: '修复日期 {repairedOn} 早于列入日期 {listedOn}', en: 'Repaired on {repairedOn}, before it was listed on {listedOn}' },
  REPAIRED_AFTER_AS_OF: { zh: '修复日期 {repairedOn} 晚于数据日期 {asOf}', en: 'Repaired on {repairedOn}, after the data date {asOf}' },
  CONSENT_NOT_APPLICABLE: { zh: '只能向金融机构、担保机构或投资机构授权', en: 'Consent is given to financial, guarantee or investment institutions only' },
  CONSENT_NOT_GRANTED: { zh: '尚未向该机构授权，无需撤回', en: 'No consent to this institution is in force' },

  UNSUPPORTED_FILE_TYPE: { zh: '不支持的文件类型“{extension}”（支持 .csv、.xlsx、.jsonl）', en: 'Unsupported file type "{extension}" (use .csv, .xlsx or .jsonl)' },
  MISSING_COLUMN: { zh: '缺少列“{column}”', en: 'Missing column "{column}"' },
  DUPLICATE_COLUMN: { zh: '列“{column}”出现了不止一次', en: 'Column "{column}" appears more than once' },
  INVALID_JSON_LINE: { zh: '该行不是 JSON 对象', en: 'This line is not a JSON object' },
  EMPTY_FILE: { zh: '文件为空（没有表头）', en: 'The file is empty (no header row)' },
  INVALID_INTEGER: { zh: '不是整数：{value}', en: 'Not a whole number: {value}' },
  INVALID_BOOLEAN: { zh: '应为 是/否：{value}', en: 'Expected yes or no: {value}' },
  UNKNOWN_TIER: { zh: '未知的资质类型“{value}”（可选：{allowed}）', en: 'Unknown tier "{value}" (one of: {allowed})' },
  UNKNOWN_RATING: { zh: '未知的信用评级“{value}”（可选：{allowed}）', en: 'Unknown credit rating "{value}" (one of: {allowed})' },
  UNKNOWN_TAX_GRADE: { zh: '未知的纳税信用等级“{value}”（可选：{allowed}）', en: 'Unknown tax credit grade "{value}" (one of: {allowed})' },
  UNKNOWN_DISHONESTY_KIND: { zh: '未知的失信类型“{value}”', en: 'Unknown dishonesty kind "{value}"' },
  INVALID_DISHONESTY: { zh: '失信记录格式应为 {expected}：{value}', en: 'A dishonesty listing is written {expected}: {value}' },
};

const FALLBACK: Text = { zh: '输入无效（{code}）', en: 'Invalid input ({code})' };

export function message(lang: Lang, key: string, params: Params = {}): string {
  const text = MESSAGES[key] ?? MESSAGES[key.split('.')[0]] ?? FALLBACK;
  return text[lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = name === 'code' ? key.split('.')[0] : params[name];
    return value === undefined ? `{${name}}` : String(value);
  });
}

/** `Accept-Language: en`, `en-US,en;q=0.9`… → en; anything else (or nothing) → zh. */
export function languageFrom(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...rest] = part.trim().toLowerCase().split(';');
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('en')) return 'en';
    if (tag.startsWith('zh')) return 'zh';
  }
  return 'zh';
}
