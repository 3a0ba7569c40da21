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

const DAY_MS = 86_400_000;
const utcMs = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `day` + `days` days (negative: before). */
export const addDays = (day: string, days: number): string => dayText(utcMs(day) + days * DAY_MS);

/** `day` + `months` months, clamped to the month's last day as PostgreSQL's `date + interval 'n months'` is (31 January + 1 month: 28 or 29 February). */
export function addMonths(day: string, months: number): string {
  const m = Number(day.slice(5, 7)) - 1 + months;
  const year = Number(day.slice(0, 4)) + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return dayText(Date.UTC(year, month, Math.min(Number(day.slice(8, 10)), last)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((utcMs(to) - utcMs(from)) / DAY_MS);

/** Today's calendar date in Asia/Shanghai. */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDay.format(now);
}
