/** Messages of the claim codes (issue 11 §6), merged into common/messages.ts. */
export const CLAIM_MESSAGES: Record<string, { zh: string; en: string }> = {
  CREDIT_CODE_NOT_VERIFIED: {
    zh: '登录凭证核验的是统一社会信用代码 {verified}，不能以此注册其他企业',
    en: 'Your login was verified for credit code {verified}; it cannot register another firm',
  },
  REGISTERED_FACT_LOCKED: {
    zh: '该企业在白名单上，认领核验通过前不能修改其登记信息（名称、行政区划）',
    en: 'This firm is on a whitelist: its registered facts (name, region) cannot change until your claim is verified',
  },
  CLAIM_NOT_VERIFIED: {
    zh: '企业认领尚未核验（请使用电子营业执照登录，或等待主管部门确认）',
    en: 'Your claim on this firm is not verified yet (log in with the electronic business licence, or wait for the authority to confirm it)',
  },
  CLAIM_IS_YOURS: { zh: '您已是该企业的认领人', en: 'You already hold the claim on this firm' },
  CLAIM_ELSEWHERE: { zh: '您已对另一家企业提出认领或异议', en: 'You already have a claim or contest on another firm' },
  NOT_CLAIMED: { zh: '该企业尚无人认领，请直接注册（registerEnterprise）', en: 'Nobody holds this firm: register it (registerEnterprise)' },
  CLAIM_ALREADY_VERIFIED: {
    zh: '该企业的认领已核验（{evidence}）；如有异议请使用经核验的凭证，或联系主管部门',
    en: 'The claim on this firm is verified ({evidence}); contest it with a login verified for the code, or ask the authority',
  },
  CLAIM_NOT_DECIDABLE: { zh: '该认领当前状态为 {status}，不能执行 {decision}', en: 'A claim in status {status} cannot take {decision}' },
};
