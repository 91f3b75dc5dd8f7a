/**
 * Dates that a court writes (judgment, certificate, payment value date) are calendar dates, kept as
 * ISO strings "YYYY-MM-DD" so that no time zone can shift them. Instants are UTC milliseconds.
 */
export type CalendarDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** Kenya (East Africa Time) is UTC+3 all year, with no daylight saving. */
const JURISDICTION_UTC_OFFSET_MS = 3 * 3_600_000;

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function toEpochDay(date: CalendarDate): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromEpochDay(day: number): CalendarDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return toEpochDay(a) - toEpochDay(b);
}

export function maxDate(...dates: CalendarDate[]): CalendarDate {
  return dates.reduce((a, b) => (compareDates(a, b) >= 0 ? a : b));
}

/** The calendar date in Nairobi at a UTC instant: what "today" means for a court date. */
export function calendarDateAt(instantMs: number): CalendarDate {
  return new Date(instantMs + JURISDICTION_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last day of the month before the one `date` is in. */
export function endOfPreviousMonth(date: CalendarDate): CalendarDate {
  return addDays(`${date.slice(0, 8)}01`, -1);
}
