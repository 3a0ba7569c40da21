/**
 * Messages of the GraphQL errors that are not userErrors (API.md "Errors"): authentication, permission,
 * rate limits, query limits and outages. messages.ts spreads them in; auth/errors.ts and the plugins
 * look them up by code, so no message is written inline.
 */

/** Why a FORBIDDEN is refused beyond the role (`FORBIDDEN.<reason>`), for `forbiddenBecause`. */
export const FORBIDDEN_REASONS = {
  ownEnterpriseOnly: { zh: '企业只能查看本企业的信息', en: 'an enterprise sees only its own records' },
  ownProductsOnly: { zh: '只能管理本机构的产品', en: 'only your own institution\'s products' },
  creditFilters: { zh: '仅银行、主管部门和管理员可按信用数据筛选企业', en: 'credit filters are for banks, authorities and admins (R10)' },
  claimNotVerified: { zh: '企业认领核验通过后才能查看信用数据', en: 'the firm\'s credit data is shown once your claim on it is verified' },
} satisfies Record<string, { zh: string; en: string }>;

export type ForbiddenReason = keyof typeof FORBIDDEN_REASONS;

export const ERROR_MESSAGES: Record<string, { zh: string; en: string }> = {
  UNAUTHENTICATED: { zh: '需要登录：请在请求头中携带 Authorization: Bearer <token>', en: 'Authentication required: send Authorization: Bearer <token>' },
  FORBIDDEN: { zh: '当前角色无权执行此操作', en: 'Your role may not do this' },
  ...Object.fromEntries(Object.entries(FORBIDDEN_REASONS).map(([reason, text]) => [`FORBIDDEN.${reason}`, text])),
  RATE_LIMITED: { zh: '请求过于频繁：请在 {seconds} 秒后重试', en: 'Too many requests: try again in {seconds} s' },
  SERVICE_UNAVAILABLE: { zh: '数据库暂时不可用，请稍后重试', en: 'The database is unavailable for a moment; send the request again shortly' },
  LIST_TOO_LONG: { zh: '列表（{at}）有 {length} 个值，超过上限 {limit}', en: 'A list of {length} values ({at}) is longer than the {limit} accepted' },
  // Requests that never reach GraphQL (http-errors.ts).
  'PAYLOAD_TOO_LARGE.body': { zh: '请求体超过 {limit} 字节上限', en: 'The request body is larger than the {limit}-byte limit' },
  'BAD_REQUEST.json': { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  'BAD_REQUEST.aborted': { zh: '请求在读完之前被中止', en: 'The request was aborted before it was read' },
  'BAD_REQUEST.size': { zh: '请求体长度与 Content-Length 不符', en: 'The request body does not match its Content-Length' },
  'UNSUPPORTED_MEDIA_TYPE.encoding': { zh: '不支持该内容编码', en: 'The content encoding is not supported' },
  'UNSUPPORTED_MEDIA_TYPE.charset': { zh: '不支持该字符集，请使用 UTF-8', en: 'The charset is not supported; send UTF-8' },
  'NOT_FOUND.path': { zh: '没有这个地址：GraphQL 接口在 /graphql', en: 'Nothing here: the GraphQL API is at /graphql' },
  'INTERNAL_SERVER_ERROR.http': { zh: '服务器内部错误', en: 'Internal server error' },
};
