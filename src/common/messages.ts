/**
 * The one place that turns a stable error code into words, in Simplified Chinese (default) and English
 * (`Accept-Language: en`). Services return codes with parameters; nothing else writes messages.
 */
import { CLAIM_MESSAGES } from '../enterprises/claim.messages';
import { FIGURES_MESSAGES } from '../policy/figures.messages';
import { EVENT_MESSAGES } from '../events/events.messages';
import { AFTER_LOAN_MESSAGES } from '../loans/afterloan.messages';
import { ERROR_MESSAGES } from './error-messages';
import { REVIEWS_MESSAGES } from '../reviews/reviews.messages';
import { ROADSHOW_MESSAGES } from '../roadshows/roadshow.messages';
import { TARGET_MESSAGES } from '../stats/target.messages';
import { FILE_MESSAGES } from './file-messages';
import { OFFER_MESSAGES } from '../offers/offer.messages';

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
  INVALID_TEXT: {
    zh: '第 {position} 个字符（{codePoint}）不是文本：不接受 NUL、孤立代理项、除制表符和换行外的控制字符及非字符码位',
    en: 'Character {position} ({codePoint}) is not text: NUL, lone surrogates, control characters other than tab and line breaks, and noncharacters are refused',
  },
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
  'INSTITUTION_ACTION.offerProducts': { zh: '发布金融产品', en: 'offer products' },
  'INSTITUTION_ACTION.lendUnderAgreement': { zh: '作为贷款方签订银担合作协议', en: 'lend under a cooperation agreement' },
  'INSTITUTION_ACTION.guaranteeUnderAgreement': { zh: '作为担保方签订银担合作协议', en: 'guarantee under a cooperation agreement' },
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

  // R13 — match checks: what each check found, worded so the enterprise or the banker can act on it.
  'CHECK_NEED_KIND.ok': { zh: '产品服务{kind}需求', en: 'The product serves {kind} needs' },
  'CHECK_NEED_KIND.fail': { zh: '这是{kind}需求，该产品只服务{productKind}需求', en: 'This is a {kind} need; the product serves {productKind} needs only' },
  'CHECK_PRODUCT_ACTIVE.ok': { zh: '产品在有效期内', en: 'The product is on offer' },
  'CHECK_PRODUCT_ACTIVE.disabled': { zh: '产品已下架', en: 'The product has been switched off' },
  'CHECK_PRODUCT_ACTIVE.notYet': { zh: '产品自 {activeFrom} 起才开办', en: 'The product opens on {activeFrom}' },
  'CHECK_PRODUCT_ACTIVE.ended': { zh: '产品已于 {activeTo} 停办', en: 'The product closed on {activeTo}' },
  'CHECK_AMOUNT.ok': { zh: '金额 {amount} 在产品额度 {min}–{max} 之内', en: 'Amount {amount} is within the product\'s {min}–{max}' },
  'CHECK_AMOUNT.below': { zh: '金额 {amount} 低于产品最低额度 {min}', en: 'Amount {amount} is below the product\'s minimum {min}' },
  'CHECK_AMOUNT.above': { zh: '金额 {amount} 超过产品最高额度 {max}，可考虑降低金额或拆分需求', en: 'Amount {amount} is above the product\'s maximum {max}; a smaller amount or a split need would fit' },
  'CHECK_TERM.notApplicable': { zh: '股权需求无期限要求', en: 'An equity need has no term' },
  'CHECK_TERM.none': { zh: '产品不限期限', en: 'The product sets no term limits' },
  'CHECK_TERM.ok': { zh: '期限 {term} 个月在产品 {min}–{max} 个月之内', en: 'Term of {term} months is within the product\'s {min}–{max}' },
  'CHECK_TERM.below': { zh: '期限 {term} 个月短于产品最短 {min} 个月', en: 'Term of {term} months is shorter than the product\'s minimum {min}' },
  'CHECK_TERM.above': { zh: '期限 {term} 个月长于产品最长 {max} 个月', en: 'Term of {term} months is longer than the product\'s maximum {max}' },
  'CHECK_REGION.none': { zh: '产品不限地区', en: 'The product serves every region' },
  'CHECK_REGION.ok': { zh: '所在地 {region} 在产品服务地区（{allowed}）之内', en: 'Region {region} is among the product\'s ({allowed})' },
  'CHECK_REGION.fail': { zh: '所在地 {region} 不在产品服务地区（{allowed}）之内', en: 'Region {region} is outside the product\'s ({allowed})' },
  'CHECK_SECTOR.none': { zh: '产品不限行业', en: 'The product serves every sector' },
  'CHECK_SECTOR.ok': { zh: '行业 {sector} 符合产品要求', en: 'Sector {sector} is among the product\'s ({allowed})' },
  'CHECK_SECTOR.fail': { zh: '行业 {sector} 不在产品支持的行业（{allowed}）之内', en: 'Sector {sector} is not among the product\'s ({allowed})' },
  'CHECK_CHAIN.none': { zh: '产品不限产业链', en: 'The product serves every industry chain' },
  'CHECK_CHAIN.ok': { zh: '属于产品支持的产业链：{chains}', en: 'In the product\'s industry chains: {chains}' },
  'CHECK_CHAIN.fail': { zh: '企业所属产业链（{chains}）不在产品支持的产业链（{allowed}）之内；如确属其中，请在企业信息中补充', en: 'The firm\'s chains ({chains}) are not the product\'s ({allowed}); if the firm belongs to one, add it to the profile' },
  'CHECK_SIZE_CLASS.none': { zh: '产品不限企业规模', en: 'The product serves firms of every size' },
  'CHECK_SIZE_CLASS.ok': { zh: '企业规模 {sizeClass} 符合产品要求', en: 'Size class {sizeClass} is among the product\'s ({allowed})' },
  'CHECK_SIZE_CLASS.fail': { zh: '企业规模 {sizeClass} 不在产品支持的规模（{allowed}）之内', en: 'Size class {sizeClass} is not among the product\'s ({allowed})' },
  'CHECK_YEARS_IN_BUSINESS.none': { zh: '产品不限经营年限', en: 'The product sets no minimum years in business' },
  'CHECK_YEARS_IN_BUSINESS.unknown': { zh: '产品要求经营满 {min} 年，企业信息缺少成立日期，请补充', en: 'The product needs {min} years in business and the profile has no founding date; add it' },
  'CHECK_YEARS_IN_BUSINESS.ok': { zh: '经营 {years} 年（{foundedOn} 成立），满足至少 {min} 年', en: '{years} years in business (founded {foundedOn}), at least {min} needed' },
  'CHECK_YEARS_IN_BUSINESS.fail': { zh: '经营 {years} 年（{foundedOn} 成立），产品要求至少 {min} 年', en: '{years} years in business (founded {foundedOn}); the product needs {min}' },
  'CHECK_ANNUAL_REVENUE.none': { zh: '产品不限年营业收入', en: 'The product sets no minimum annual revenue' },
  'CHECK_ANNUAL_REVENUE.unknown': { zh: '产品要求年营业收入不低于 {min}，企业信息缺少营业收入，请补充', en: 'The product needs an annual revenue of at least {min} and the profile states none; add it' },
  'CHECK_ANNUAL_REVENUE.ok': { zh: '年营业收入 {revenue}，不低于产品要求的 {min}', en: 'Annual revenue {revenue} meets the product\'s minimum {min}' },
  'CHECK_ANNUAL_REVENUE.fail': { zh: '年营业收入 {revenue} 低于产品要求的 {min}', en: 'Annual revenue {revenue} is below the product\'s minimum {min}' },
  'CHECK_WHITELIST_TIER.none': { zh: '产品不要求白名单资质', en: 'The product needs no whitelist tier' },
  'CHECK_WHITELIST_TIER.notListed': { zh: '产品要求白名单资质 {required} 及以上，企业当前不在白名单上；可申报专精特新梯度培育', en: 'The product needs whitelist tier {required} or higher and the firm is on no whitelist today; it could apply for the tiers of seed 002' },
  'CHECK_WHITELIST_TIER.ok': { zh: '白名单资质 {tier}，满足 {required} 及以上', en: 'Whitelist tier {tier} meets {required} or higher' },
  'CHECK_WHITELIST_TIER.fail': { zh: '白名单资质 {tier} 低于产品要求的 {required}', en: 'Whitelist tier {tier} is below the product\'s {required}' },
  'CHECK_QUALIFICATION.none': { zh: '产品不要求资质认定', en: 'The product needs no qualification' },
  'CHECK_QUALIFICATION.ok': { zh: '具备产品要求的资质：{required}', en: 'Holds the qualifications the product needs: {required}' },
  'CHECK_QUALIFICATION.fail': { zh: '缺少有效资质：{missing}（产品要求 {required}）', en: 'Missing valid qualifications: {missing} (the product needs {required})' },
  'CHECK_CREDIT_RATING.none': { zh: '产品不要求信用评级', en: 'The product needs no credit rating' },
  'CHECK_CREDIT_RATING.noData': { zh: '产品要求信用评级 {required} 及以上，尚无评级数据', en: 'The product needs a rating of {required} or better and no rating is on file' },
  'CHECK_CREDIT_RATING.ok': { zh: '信用评级 {actual}，满足 {required} 及以上', en: 'Rating {actual} meets the product\'s {required}' },
  'CHECK_CREDIT_RATING.fail': { zh: '信用评级 {actual} 低于产品要求的 {required}', en: 'Rating {actual} is below the product\'s {required}' },
  'CHECK_TAX_GRADE.none': { zh: '产品不要求纳税信用等级', en: 'The product needs no tax credit grade' },
  'CHECK_TAX_GRADE.noData': { zh: '产品要求纳税信用 {required} 级及以上，尚无纳税信用数据', en: 'The product needs tax grade {required} or better and none is on file' },
  'CHECK_TAX_GRADE.ok': { zh: '纳税信用 {actual} 级，满足 {required} 级及以上', en: 'Tax grade {actual} meets the product\'s {required}' },
  'CHECK_TAX_GRADE.fail': { zh: '纳税信用 {actual} 级低于产品要求的 {required} 级', en: 'Tax grade {actual} is below the product\'s {required}' },
  'CHECK_DISHONESTY.none': { zh: '产品不审查失信记录', en: 'The product does not screen dishonesty listings' },
  'CHECK_DISHONESTY.noData': { zh: '产品要求无失信记录，尚无信用数据可查', en: 'The product needs a record free of dishonesty listings and no credit data is on file' },
  'CHECK_DISHONESTY.ok': { zh: '无在列的失信记录', en: 'No active dishonesty listing' },
  'CHECK_DISHONESTY.fail': { zh: '有在列的失信记录；完成信用修复后可重新匹配', en: 'An active dishonesty listing; once repaired (信用修复) the need is matched again' },
  'CHECK_OVERDUE.none': { zh: '产品不限逾期次数', en: 'The product sets no overdue limit' },
  'CHECK_OVERDUE.noData': { zh: '产品要求近 12 个月逾期不超过 {required} 次，尚无逾期数据', en: 'The product allows at most {required} overdue payments in 12 months and no such data is on file' },
  'CHECK_OVERDUE.ok': { zh: '近 12 个月逾期 {actual} 次，不超过 {required} 次', en: '{actual} overdue payments in 12 months, at most {required} allowed' },
  'CHECK_OVERDUE.fail': { zh: '近 12 个月逾期 {actual} 次，超过产品允许的 {required} 次', en: '{actual} overdue payments in 12 months, more than the product\'s {required}' },
  'CHECK_OVERDUE.withheld': { zh: '未经企业授权不显示：产品要求近 12 个月逾期不超过 {required} 次', en: 'Not shown without the firm\'s consent: the product allows at most {required} overdue payments in 12 months' },
  'CHECK_CREDIT_DATA_AGE.none': { zh: '产品不限信用数据时效', en: 'The product sets no limit on the credit data\'s age' },
  'CHECK_CREDIT_DATA_AGE.noData': { zh: '产品要求 {required} 天内的信用数据，尚无信用数据', en: 'The product needs credit data at most {required} days old and none is on file' },
  'CHECK_CREDIT_DATA_AGE.ok': { zh: '信用数据为 {actual} 天前的，在 {required} 天之内', en: 'Credit data is {actual} days old, within {required}' },
  'CHECK_CREDIT_DATA_AGE.fail': { zh: '信用数据已是 {actual} 天前的，产品要求 {required} 天之内；更新信用数据后可重新匹配', en: 'Credit data is {actual} days old and the product needs at most {required}; fresh data gets the need matched again' },
  'CHECK_FIRST_LOAN.none': { zh: '产品不限首贷户', en: 'The product is not limited to first-time borrowers' },
  'CHECK_FIRST_LOAN.noData': { zh: '产品只面向首贷户，尚无贷款记录数据', en: 'The product is for first-time borrowers and the firm\'s loan history is not on file' },
  'CHECK_FIRST_LOAN.ok': { zh: '首贷户，符合产品要求', en: 'A first-time borrower, as the product requires' },
  'CHECK_FIRST_LOAN.fail': { zh: '产品只面向首贷户，企业已有银行贷款记录', en: 'The product is for first-time borrowers and the firm has had a bank loan' },
  'CHECK_COLLATERAL.notApplicable': { zh: '股权需求无需抵押', en: 'An equity need offers no collateral' },
  'CHECK_COLLATERAL.none': { zh: '产品无需抵质押', en: 'The product needs no collateral' },
  'CHECK_COLLATERAL.ok': { zh: '提供的担保物（{offered}）为产品所接受', en: 'The product accepts the collateral offered ({offered})' },
  'CHECK_COLLATERAL.fail': { zh: '提供的担保物（{offered}）不在产品接受的范围（{accepted}）之内', en: 'The collateral offered ({offered}) is not what the product accepts ({accepted})' },
  'CHECK_RATE.notApplicable': { zh: '股权需求无利率要求', en: 'An equity need has no rate' },
  'CHECK_RATE.noCeiling': { zh: '需求未设利率上限', en: 'The need sets no maximum rate' },
  'CHECK_RATE.unpriced': { zh: '产品未公布利率，需与银行商定（需求上限 {max}）', en: 'The product states no rate; it is agreed with the bank (the need\'s maximum is {max})' },
  'CHECK_RATE.ok': { zh: '产品最低年利率 {rate} 不高于需求上限 {max}', en: 'The product\'s lowest rate {rate} is within the need\'s maximum {max}' },
  'CHECK_RATE.fail': { zh: '产品最低年利率 {rate} 高于需求上限 {max}；提高可接受利率或选择贴息产品', en: 'The product\'s lowest rate {rate} is above the need\'s maximum {max}; a higher ceiling or a subsidised product would fit' },
  'CHECK_GUARANTEE.notApplicable': { zh: '股权需求无需担保', en: 'An equity need takes no guarantee' },
  'CHECK_GUARANTEE.none': { zh: '产品无需担保', en: 'The product needs no guarantee' },
  'CHECK_GUARANTEE.declined': { zh: '产品须由担保机构担保，需求选择了不接受担保', en: 'The product needs a guarantee and the need does not accept one' },
  'CHECK_GUARANTEE.noAgreement': { zh: '产品须担保，但该银行尚未与任何担保机构签订银担合作协议', en: 'The product needs a guarantee and the bank has no cooperation agreement with a guarantor' },
  'CHECK_GUARANTEE.noRoom': { zh: '合作的 {options} 家担保机构均已无足够担保额度（放大倍数或单户上限），最多还可承担 {room}', en: 'None of the bank\'s {options} guarantors has room under its cap or single-borrower limit (at most {room} left)' },
  'CHECK_GUARANTEE.ok': { zh: '由 {guarantor} 担保，担保比例 {coverage}，费率 {fee}', en: 'Guaranteed by {guarantor}: coverage {coverage}, fee {fee}' },
  'CHECK_EQUITY_STAGE.notApplicable': { zh: '债权需求无融资轮次', en: 'A loan need has no stage' },
  'CHECK_EQUITY_STAGE.none': { zh: '产品不限融资轮次', en: 'The product invests at every stage' },
  'CHECK_EQUITY_STAGE.ok': { zh: '融资轮次 {stage} 符合产品要求', en: 'Stage {stage} is among the product\'s ({allowed})' },
  'CHECK_EQUITY_STAGE.fail': { zh: '融资轮次 {stage} 不在产品投资的轮次（{allowed}）之内', en: 'Stage {stage} is not among the product\'s ({allowed})' },
  'CHECK_EQUITY_TICKET.notApplicable': { zh: '债权需求无投资额要求', en: 'A loan need has no ticket' },
  'CHECK_EQUITY_TICKET.none': { zh: '产品不限单笔投资额', en: 'The product sets no ticket range' },
  'CHECK_EQUITY_TICKET.ok': { zh: '融资额 {amount} 在单笔投资额 {min}–{max} 之内', en: 'Amount {amount} is within the ticket range {min}–{max}' },
  'CHECK_EQUITY_TICKET.below': { zh: '融资额 {amount} 低于单笔最低投资额 {min}', en: 'Amount {amount} is below the smallest ticket {min}' },
  'CHECK_EQUITY_TICKET.above': { zh: '融资额 {amount} 高于单笔最高投资额 {max}', en: 'Amount {amount} is above the largest ticket {max}' },
  'CHECK_EQUITY_VALUATION.notApplicable': { zh: '债权需求无估值要求', en: 'A loan need has no valuation' },
  'CHECK_EQUITY_VALUATION.none': { zh: '产品不限投前估值', en: 'The product sets no valuation cap' },
  'CHECK_EQUITY_VALUATION.unknown': { zh: '产品要求投前估值不超过 {max}，需求未填写估值', en: 'The product invests up to a pre-money valuation of {max} and the need states none' },
  'CHECK_EQUITY_VALUATION.ok': { zh: '投前估值 {valuation} 不超过 {max}', en: 'Pre-money valuation {valuation} is within {max}' },
  'CHECK_EQUITY_VALUATION.fail': { zh: '投前估值 {valuation} 高于产品上限 {max}', en: 'Pre-money valuation {valuation} is above the product\'s {max}' },

  // Policy records (R6–R9).
  PARAMS_NOT_OBJECT: { zh: '参数须为对象，包含：{expected}', en: 'Parameters must be an object with: {expected}' },
  UNKNOWN_PARAM: { zh: '未知参数“{name}”（可用：{expected}）', en: 'Unknown parameter "{name}" (expected: {expected})' },
  SHARES_NOT_ONE: { zh: '各方分担比例之和须恰好为 1，当前为 {sum}', en: 'Shares must add up to exactly 1; these add up to {sum}' },
  SHARE_OUT_OF_RANGE: { zh: '分担比例须大于 0 且不超过 1', en: 'A share must be above 0 and at most 1' },
  PARTY_REPEATED: { zh: '同一方只能出现一次', en: 'Each party appears once' },
  UNKNOWN_PARTY: { zh: '未知的分担方“{value}”（可选：{allowed}）', en: 'Unknown party "{value}" (one of: {allowed})' },
  RULE_NAME_TAKEN: { zh: '已有同名的风险分担规则', en: 'A risk-sharing rule with this name already exists' },
  POOL_NAME_TAKEN: { zh: '已有同名的风险补偿资金池', en: 'A risk-compensation pool with this name already exists' },
  AGREEMENT_EXISTS: { zh: '该银行与该担保机构已签订合作协议', en: 'This bank and this guarantor already have an agreement' },
  POOL_REQUIRED: { zh: '风险补偿规则须指定资金池', en: 'A risk-compensation rule names its pool' },
  POOL_NOT_ALLOWED: { zh: '只有风险补偿规则使用资金池', en: 'Only risk-compensation rules draw on a pool' },
  RULE_KIND_CHANGED: { zh: '规则 {code} 的类型是 {kind}，新版本不能改变类型', en: 'Rule {code} is of kind {kind}; a new version cannot change it' },
  BENCHMARK_RATE_EXISTS: { zh: '{code} 自 {effectiveFrom} 起的基准利率已登记为 {rate}', en: '{code} from {effectiveFrom} is already recorded as {rate}' },

  // Match lifecycle (R14).
  INVALID_ACTION: { zh: '操作须为 {allowed} 之一', en: 'The action must be one of {allowed}' },
  'NOT_APPLICABLE.action': { zh: '{action} 操作不适用此字段', en: 'This field does not apply to {action}' },
  'ILLEGAL_TRANSITION.state': { zh: '匹配当前为 {status} 状态，不能执行 {action}', en: 'The match is {status}; {action} is not possible now' },
  'ILLEGAL_TRANSITION.closed': { zh: '匹配已结束（{status}），不能执行 {action}', en: 'The match is over ({status}); {action} is not possible' },
  'ILLEGAL_TRANSITION.notApplied': { zh: '企业尚未申请（当前 {status}），不能执行 {action}', en: 'The enterprise has not applied yet (the match is {status}); {action} needs its application' },
  'ILLEGAL_TRANSITION.notApproved': { zh: '尚未审批通过（当前 {status}），不能放款', en: 'The financing is not approved yet (the match is {status}); approve it before disbursing' },
  NOT_RESPONSIBLE: { zh: '只有产品所属机构可以处理该匹配；担保机构仅可查看', en: 'Only the product\'s institution acts on this match; a guarantor only sees it' },
  NEED_NOT_ACTIVE: { zh: '该融资需求已不在进行中（{status}）', en: 'The financing need is no longer being worked ({status})' },
  ILLEGAL_NEED_TRANSITION: { zh: '融资需求当前为 {status} 状态，{event} 不能改变它（R11）', en: 'The financing need is {status}; {event} cannot move it (R11)' },
  MATCH_NOT_ELIGIBLE: { zh: '该产品已不再符合需求条件，无法申请；请查看 explainMatch 了解原因', en: 'The product no longer qualifies for the need, so it cannot be applied to; explainMatch says why' },
  'DECLINE_ADVICE.INSUFFICIENT_CREDIT_HISTORY': { zh: '信用记录不足：可先申请首贷、信用贷等面向首贷户的产品，或按时缴纳税费、社保以积累信用数据', en: 'Too little credit history: first-loan products are made for this; paying taxes and social security on time builds the record' },
  'DECLINE_ADVICE.WEAK_CASH_FLOW': { zh: '现金流偏弱：可降低金额、延长期限，或选择有担保、贴息的产品', en: 'Cash flow too weak: a smaller amount, a longer term, or a guaranteed or subsidised product eases the repayments' },
  'DECLINE_ADVICE.COLLATERAL_INSUFFICIENT': { zh: '抵质押不足：可补充知识产权、应收账款等担保物，或接受担保机构担保', en: 'Collateral short: offer IP, receivables or other collateral, or accept a guarantor' },
  'DECLINE_ADVICE.DEBT_TOO_HIGH': { zh: '负债偏高：可在偿还部分现有贷款后再申请，或选择股权融资', en: 'Debt too high: apply again after repaying part of the existing loans, or look at equity' },
  'DECLINE_ADVICE.INDUSTRY_RESTRICTED': { zh: '该机构限制此行业：其他机构或政策性产品可能适用', en: 'The lender restricts the industry: other lenders or policy products may take it' },
  'DECLINE_ADVICE.INCOMPLETE_DOCUMENTS': { zh: '材料不全：补齐材料后可重新发布需求或再次申请', en: 'Documents incomplete: complete them and post the need again or apply again' },
  'DECLINE_ADVICE.AMOUNT_TOO_LARGE': { zh: '金额过大：可降低金额，或分拆为多笔、由多家机构共同提供', en: 'Amount too large: ask for less, or split it across several lenders' },
  'DECLINE_ADVICE.RATE_NOT_ACCEPTED': { zh: '利率未达成一致：可提高可接受利率上限，或选择贴息产品', en: 'No agreement on the rate: raise the acceptable maximum or choose a product with an interest subsidy' },
  'DECLINE_ADVICE.ENTERPRISE_UNRESPONSIVE': { zh: '机构未能联系到企业：请更新联系方式并及时回复', en: 'The lender could not reach the enterprise: update the contact details and answer promptly' },
  'DECLINE_ADVICE.OTHER': { zh: '请查看机构的说明，或联系该机构了解详情', en: 'See the lender\'s note, or ask the lender for details' },

  // Loans and the ledger (R6–R9, R14).
  INVALID_OUTCOME: { zh: '结果须为 {allowed} 之一', en: 'The outcome must be one of {allowed}' },
  'CAPACITY_EXCEEDED.cap': { zh: '担保机构放大倍数已达上限：本笔加权担保责任 {weighted}，剩余额度仅 {room}', en: 'The guarantor is at its cap: this guarantee weighs {weighted} and only {room} is left' },
  'CAPACITY_EXCEEDED.singleBorrower': { zh: '超过单户担保上限（净资产的 10%，{limit}）：该企业最多还可担保 {room}', en: 'Over the single-borrower limit (10 % of net assets, {limit}): at most {room} more for this borrower' },
  AMOUNT_EXCEEDS_NEED: { zh: '放款合计将超过需求金额：最多还可放款 {left}', en: 'Disbursements would exceed the need: at most {left} more' },
  NOT_A_LOAN: { zh: '股权投资不在贷款台账中放款；可记录 APPROVED 或 DECLINED', en: 'An equity match is not disbursed as a loan; record APPROVED or DECLINED' },
  LOAN_NOT_ACTIVE: { zh: '贷款已结清或已核销（{status}）', en: 'The loan is closed ({status})' },
  REPAYMENT_EXCEEDS_OUTSTANDING: { zh: '还款额超过未偿本金 {outstanding}', en: 'The repayment is more than the outstanding principal {outstanding}' },
  LOSS_EXCEEDS_OUTSTANDING: { zh: '净损失不能超过未偿本金 {outstanding}', en: 'The net loss cannot exceed the outstanding principal {outstanding}' },

  UNSUPPORTED_FILE_TYPE: { zh: '不支持的文件类型“{extension}”（支持 .csv、.xlsx、.jsonl）', en: 'Unsupported file type "{extension}" (use .csv, .xlsx or .jsonl)' },
  MISSING_COLUMN: { zh: '缺少列“{column}”', en: 'Missing column "{column}"' },
  DUPLICATE_COLUMN: { zh: '列“{column}”出现了不止一次', en: 'Column "{column}" appears more than once' },
  INVALID_JSON_LINE: { zh: '该行不是 JSON 对象', en: 'This line is not a JSON object' },
  EMPTY_FILE: { zh: '文件为空（没有表头）', en: 'The file is empty (no header row)' },
  ...FILE_MESSAGES,
  ...ERROR_MESSAGES,
  ...ROADSHOW_MESSAGES,
  ...TARGET_MESSAGES,
  INVALID_INTEGER: { zh: '不是整数：{value}', en: 'Not a whole number: {value}' },
  INVALID_BOOLEAN: { zh: '应为 是/否：{value}', en: 'Expected yes or no: {value}' },
  UNKNOWN_TIER: { zh: '未知的资质类型“{value}”（可选：{allowed}）', en: 'Unknown tier "{value}" (one of: {allowed})' },
  UNKNOWN_RATING: { zh: '未知的信用评级“{value}”（可选：{allowed}）', en: 'Unknown credit rating "{value}" (one of: {allowed})' },
  UNKNOWN_TAX_GRADE: { zh: '未知的纳税信用等级“{value}”（可选：{allowed}）', en: 'Unknown tax credit grade "{value}" (one of: {allowed})' },
  UNKNOWN_DISHONESTY_KIND: { zh: '未知的失信类型“{value}”', en: 'Unknown dishonesty kind "{value}"' },
  INVALID_DISHONESTY: { zh: '失信记录格式应为 {expected}：{value}', en: 'A dishonesty listing is written {expected}: {value}' },
};

Object.assign(MESSAGES, CLAIM_MESSAGES);
Object.assign(MESSAGES, FIGURES_MESSAGES);
Object.assign(MESSAGES, EVENT_MESSAGES);
Object.assign(MESSAGES, AFTER_LOAN_MESSAGES);
Object.assign(MESSAGES, OFFER_MESSAGES);
Object.assign(MESSAGES, REVIEWS_MESSAGES);

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
