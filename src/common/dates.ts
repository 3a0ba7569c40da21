/**
 * Calendar dates (DOMAIN §3): strings YYYY-MM-DD in Asia/Shanghai, compared as text. No Date objects
 * for calendar dates, so no time zone can shift a day.
 */
export const TIME_ZONE = 'Asia/Shanghai';

/** A value the `Date` scalar could not read; reported as a userError by the input's validator. */
export class InvalidDate {
  constructor(readonly raw: unknown) {}
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDateText(text: string): boolean {
  const m = DATE_TEXT.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

export function parseDateText(raw: unknown): string | InvalidDate {
  return typeof raw === 'string' && isValidDateText(raw.trim()) ? raw.trim() : new InvalidDate(raw);
}

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar date in Asia/Shanghai. */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDay.format(now);
}
