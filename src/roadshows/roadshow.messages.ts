/** Messages of the roadshow codes (issue 17 §4; docs/AUTHORITIES.md RS1–RS4), merged into common/messages.ts. */
export const ROADSHOW_MESSAGES: Record<string, { zh: string; en: string }> = {
  INVALID_MONTH: { zh: '月份格式应为 YYYY-MM（如 2026-03）', en: 'A month is written YYYY-MM (e.g. 2026-03)' },
  MONTH_IN_PAST: { zh: '不能安排在已过去的月份（当前为 {month}）', en: 'The month has passed (this month is {month})' },
  DAY_NOT_IN_MONTH: { zh: '路演日期须在 {month} 月内', en: 'The day must fall in {month}' },
  ROADSHOW_EXISTS: { zh: '{chain} 产业链 {month} 已安排路演（同一地区每链每月一场）', en: 'The {chain} chain already has a roadshow in {month} (one per chain, month and region)' },
  ROADSHOW_OVER: { zh: '路演已于 {day} 举行，不能再更改邀请或路演企业', en: 'The roadshow took place on {day}; its invitations and pitches can no longer change' },
  NOT_INVITABLE: { zh: '{kind} 类机构不能受邀参加路演', en: 'A {kind} institution cannot be invited to a roadshow' },
  NOT_INVITED: { zh: '贵机构未受邀参加该路演', en: 'Your institution is not invited to this roadshow' },
  ALREADY_PITCHING: { zh: '该企业已在本场路演', en: 'This firm already pitches at this roadshow' },
  NEED_NOT_OPEN: { zh: '该融资需求已不在对接中（已融资、撤回、关闭或过期）', en: 'This need is no longer open (funded, withdrawn, closed or expired)' },
  NEED_AT_OTHER_ROADSHOW: { zh: '该融资需求已归属另一场路演', en: 'This need belongs to another roadshow' },
  'NOT_ELIGIBLE_TO_PITCH.nameNeed': {
    zh: '该企业不在 {chain} 产业链的白名单上；它有 {openNeeds} 项对接中的融资需求，请用 needId 指明路演的需求',
    en: 'This firm is not on the whitelist for the {chain} chain; it has {openNeeds} open need(s): name the one it pitches (needId)',
  },
  'NOT_ELIGIBLE_TO_PITCH.notInChain': {
    zh: '该企业在白名单上，但不属于 {chain} 产业链，且没有对接中的融资需求',
    en: 'This firm is on a whitelist but not in the {chain} chain, and has no open need',
  },
  'NOT_ELIGIBLE_TO_PITCH.none': {
    zh: '该企业既不在白名单上，也没有对接中的融资需求，不能参加路演',
    en: 'This firm is neither on a whitelist nor has an open need, so it cannot pitch',
  },
  NOT_PITCHING: { zh: '贵企业不是该路演的路演企业', en: 'Your firm does not pitch at this roadshow' },
  OUTSIDE_ROADSHOW_WINDOW: { zh: '该路演只接受 {from} 至 {to} 发布的融资需求', en: 'Needs for this roadshow are posted from {from} to {to}' },
  ROADSHOW_CHANNEL: { zh: '为路演发布的需求渠道为 ROADSHOW，不能是 {channel}', en: 'A need posted for a roadshow has channel ROADSHOW, not {channel}' },
};
