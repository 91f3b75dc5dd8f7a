/**
 * Reporting periods. Kenya's financial year runs 1 July to 30 June ("2026/27"). A quarter is written as a
 * calendar quarter, "2026-Q3" (1 July to 30 September 2026), which is also quarter 1 of the financial year 2026/27:
 * both names are shown, so a reader used to either finds it.
 */
import { type CalendarDate, addDays, compareDates, isCalendarDate } from '../calendar-date';
import { financialYearOf } from '../referral/priority';

export { financialYearOf };

export interface Period {
  /** "2026-Q3" or "2026/27". */
  id: string;
  kind: 'quarter' | 'financial_year';
  start: CalendarDate;
  /** The last day of the period (inclusive). */
  end: CalendarDate;
  label: { en: string; sw: string };
}

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  sw: ['Januari', 'Februari', 'Machi', 'Aprili', 'Mei', 'Juni', 'Julai', 'Agosti', 'Septemba', 'Oktoba', 'Novemba', 'Desemba'],
};

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number): CalendarDate => addDays(`${month === 12 ? year + 1 : year}-${pad(month === 12 ? 1 : month + 1)}-01`, -1);

export function quarterPeriod(year: number, quarter: number): Period {
  const firstMonth = (quarter - 1) * 3 + 1;
  const start = `${year}-${pad(firstMonth)}-01`;
  const fy = financialYearOf(start);
  const fyQuarter = ((quarter + 1) % 4) + 1; // July-September is the first quarter of the financial year
  const months = (lang: 'en' | 'sw') => `${MONTHS[lang][firstMonth - 1]}–${MONTHS[lang][firstMonth + 1]} ${year}`;
  return {
    id: `${year}-Q${quarter}`, kind: 'quarter', start, end: lastDayOfMonth(year, firstMonth + 2),
    label: {
      en: `${months('en')} (financial year ${fy}, quarter ${fyQuarter})`,
      sw: `${months('sw')} (mwaka wa fedha ${fy}, robo ya ${fyQuarter})`,
    },
  };
}

/** The financial year "2026/27": 1 July 2026 to 30 June 2027. */
export function financialYearPeriod(fy: string): Period {
  const startYear = Number(fy.slice(0, 4));
  return {
    id: fy, kind: 'financial_year', start: `${startYear}-07-01`, end: `${startYear + 1}-06-30`,
    label: { en: `Financial year ${fy} (1 July ${startYear} – 30 June ${startYear + 1})`, sw: `Mwaka wa fedha ${fy} (1 Julai ${startYear} – 30 Juni ${startYear + 1})` },
  };
}

/** "2026-Q3", "2026/27" or "2026-27" (a slash is awkward in a URL); null when it names no period. */
export function parsePeriod(text: string): Period | null {
  const q = /^(\d{4})-Q([1-4])$/.exec(text);
  if (q) return quarterPeriod(Number(q[1]), Number(q[2]));
  const fy = parseFinancialYear(text);
  return fy ? financialYearPeriod(fy) : null;
}

/** "2026/27" or "2026-27" as "2026/27"; null unless the two years follow each other. */
export function parseFinancialYear(text: string): string | null {
  const m = /^(\d{4})[/-](\d{2})$/.exec(text);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) return null;
  return `${m[1]}/${m[2]}`;
}

/** The period of the same kind just before. */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'financial_year') return financialYearPeriod(financialYearOf(addDays(p.start, -1)));
  const [year, quarter] = p.id.split('-Q').map(Number) as [number, number];
  return quarter === 1 ? quarterPeriod(year - 1, 4) : quarterPeriod(year, quarter - 1);
}

/** `count` periods ending with `p`, oldest first: the trend a report shows. */
export function periodsEndingWith(p: Period, count: number): Period[] {
  const out = [p];
  while (out.length < count) out.unshift(previousPeriod(out[0]!));
  return out;
}

/** The quarter that contains a date. */
export function quarterOf(date: CalendarDate): Period {
  return quarterPeriod(Number(date.slice(0, 4)), Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1);
}

export function contains(p: Period, date: CalendarDate): boolean {
  return compareDates(date, p.start) >= 0 && compareDates(date, p.end) <= 0;
}

/** The same calendar date `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const y = Number(date.slice(0, 4)) + years;
  const candidate = `${y}${date.slice(4)}`;
  return isCalendarDate(candidate) ? candidate : `${y}-02-28`;
}
