/**
 * Roadshows (issue 17 §4; seed 003 二.(三).1: "举办‘千亿畅融’一月一链融资路演活动"): the month a roadshow is
 * scheduled for, the window its attribution covers, and the answers an invited institution gives. Pure:
 * dates are YYYY-MM-DD / YYYY-MM text, compared as text. docs/AUTHORITIES.md states the rules (RS1–RS4).
 */
import type { Failure } from '../common/failure';
import { failure } from '../common/failure';
import { addDays, isValidDateText } from '../common/dates';

export const INVITATION_STATUSES = ['INVITED', 'ACCEPTED', 'DECLINED'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const INVITATION_ANSWERS = ['ACCEPT', 'DECLINE'] as const;
export type InvitationAnswer = (typeof INVITATION_ANSWERS)[number];

export const PITCH_BASES = ['WHITELIST', 'OPEN_NEED'] as const;
export type PitchBasis = (typeof PITCH_BASES)[number];

/** Days after the roadshow during which needs may still be posted for it (RS3), unless the authority sets another. */
export const DEFAULT_ATTRIBUTION_DAYS = 90;
export const MAX_ATTRIBUTION_DAYS = 365;

/** A month as YYYY-MM (RS1; the inputs check it with this pattern too). */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The first day of a YYYY-MM month, or null when the text is not one. */
export function monthStart(month: string): string | null {
  return MONTH_PATTERN.test(month) ? `${month}-01` : null;
}

/** The last day of the month that `firstDay` (YYYY-MM-01) starts. */
export function monthEnd(firstDay: string): string {
  const [y, m] = firstDay.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${firstDay.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

/**
 * RS1: the month is YYYY-MM and not before today's month; a day, if given, is a date in that month and not
 * before today. Returns the month's first day, or the failures.
 */
export function scheduleFailures(month: string, heldOn: string | null | undefined, today: string): { first: string | null; failures: Failure[] } {
  const first = monthStart(month);
  if (!first) return { first: null, failures: [failure('month', 'INVALID_MONTH')] };
  const failures: Failure[] = [];
  if (first < `${today.slice(0, 7)}-01`) failures.push(failure('month', 'MONTH_IN_PAST', { month: today.slice(0, 7) }));
  if (heldOn != null) {
    if (!isValidDateText(heldOn)) failures.push(failure('heldOn', 'INVALID_DATE'));
    else if (heldOn.slice(0, 7) !== month) failures.push(failure('heldOn', 'DAY_NOT_IN_MONTH', { month }));
    else if (heldOn < today) failures.push(failure('heldOn', 'DATE_IN_PAST', { today }));
  }
  return { first, failures };
}

/** The roadshow's day for attribution: the day it is held, else the last day of its month. */
export function roadshowDay(r: { month: string; heldOn: string | null }): string {
  return r.heldOn ?? monthEnd(r.month);
}

/** RS3: the days on which a need may be posted for the roadshow: from its month's first day to its day + the window. */
export function postingWindow(r: { month: string; heldOn: string | null; attributionDays: number }): { from: string; to: string } {
  return { from: r.month, to: addDays(roadshowDay(r), r.attributionDays) };
}

/** RS2: an invitation can be answered until the roadshow's day has passed. */
export function answerable(r: { month: string; heldOn: string | null }, today: string): boolean {
  return today <= roadshowDay(r);
}
