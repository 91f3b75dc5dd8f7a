/**
 * The monitoring and evaluation report for Parliament and oversight bodies: every indicator of a definitions
 * version for a quarter or a financial year, with its trend, target and the financial year to date, computed from
 * the record on request. JSON carries both languages; the PDF is in English or Kiswahili; CSV has a row per
 * indicator and period of the trend.
 */
import { z } from 'zod';
import { calendarDateAt, compareDates } from '../../domain/calendar-date';
import { formatKes } from '../../domain/money';
import type { IndicatorUnit } from '../../domain/report/indicator-definitions';
import { type IndicatorResult, type IndicatorValue, indicatorResults } from '../../domain/report/indicators';
import { type Period, parsePeriod } from '../../domain/report/periods';
import type { Db } from '../../db/connection';
import { indicatorDefinitionsVersion, indicatorRecord, latestIndicatorDefinitions } from '../../db/reports';
import { toCsv } from '../csv';
import { InvalidInput } from '../errors';
import { HttpProblem } from '../http/problem';
import { barChart, heading, newReport, paragraph, table } from './pdf';

export const indicatorReportQuerySchema = z.object({
  period: z.string().max(7).describe('a calendar quarter, 2026-Q3 (July-September 2026, quarter 1 of 2026/27), or a financial year, 2026/27 or 2026-27'),
  version: z.coerce.number().int().min(1).max(1_000_000).optional().describe('indicator definitions version (default: the latest)'),
  lang: z.enum(['en', 'sw']).default('en').describe('language of the PDF (JSON and CSV carry both)'),
}).strict();
export type IndicatorReportQuery = z.output<typeof indicatorReportQuerySchema>;

type Text = { en: string; sw: string };
export const INDICATOR_NOTICE: Text = {
  en: 'Every value is computed from the record held in Redress (court orders, payments, escalations, referrals and incidents as recorded), never typed in. '
    + 'A period that has not ended is measured to date. Counts are what was recorded in Redress, not every award or violation there is. '
    + 'This report is for Parliament and oversight bodies; the public figures come from the published releases, with small counts withheld.',
  sw: 'Kila thamani imekokotolewa kutoka kwa kumbukumbu za Redress (amri za mahakama, malipo, ukumbusho, rufaa na matukio kama yalivyorekodiwa), haijaandikwa kwa mkono. '
    + 'Kipindi ambacho hakijaisha kinapimwa hadi leo. Idadi ni zile zilizorekodiwa katika Redress, si kila tuzo au ukiukaji uliopo. '
    + 'Ripoti hii ni ya Bunge na taasisi za usimamizi; takwimu za umma hutoka kwa matoleo yaliyochapishwa, idadi ndogo zikizuiliwa.',
};

const periodOut = (p: Period) => ({ id: p.id, kind: p.kind, start: p.start, end: p.end, label: p.label });
const valueOut = (v: IndicatorValue & { partial: boolean }) => ({
  status: v.status, reason: v.reason, unit: v.unit, value: v.value, numerator: v.numerator, denominator: v.denominator,
  numeratorCount: v.numeratorCount, denominatorCount: v.denominatorCount, toDate: v.partial,
});

export interface IndicatorReport {
  period: ReturnType<typeof periodOut>;
  asOf: string;
  generatedAt: string;
  definitionsVersion: number;
  notice: Text;
  indicators: {
    id: string; name: Text; measures: Text; numerator: Text; denominator: Text | null; reportedPer: Period['kind'];
    computation: IndicatorResult['definition']['computation']; target: IndicatorResult['definition']['target']; source: IndicatorResult['definition']['source'];
    value: ReturnType<typeof valueOut>; meetsTarget: boolean | null;
    financialYearToDate: { period: ReturnType<typeof periodOut>; value: ReturnType<typeof valueOut> } | null;
    trend: { period: ReturnType<typeof periodOut>; value: ReturnType<typeof valueOut> }[];
  }[];
}

export async function buildIndicatorReport(db: Db, q: IndicatorReportQuery, now = Date.now()): Promise<IndicatorReport> {
  const period = parsePeriod(q.period);
  if (!period) throw new InvalidInput([{ field: 'period', rule: 'must be a quarter like 2026-Q3 or a financial year like 2026/27' }]);
  const asOf = calendarDateAt(now);
  if (compareDates(period.start, asOf) > 0) throw new InvalidInput([{ field: 'period', rule: `must have begun by today (${asOf})` }]);
  const definitions = q.version === undefined ? await latestIndicatorDefinitions(db) : await indicatorDefinitionsVersion(db, q.version);
  if (!definitions) throw new HttpProblem(404, 'Not Found', `no indicator definitions version ${q.version}`);
  const results = indicatorResults(definitions.indicators, await indicatorRecord(db), period, asOf);
  return {
    period: periodOut(period), asOf, generatedAt: new Date(now).toISOString(), definitionsVersion: definitions.version, notice: INDICATOR_NOTICE,
    indicators: results.map((r) => ({
      id: r.definition.id, name: r.definition.name, measures: r.definition.measures, numerator: r.definition.numerator, denominator: r.definition.denominator,
      reportedPer: r.definition.period, computation: r.definition.computation, target: r.definition.target, source: r.definition.source,
      value: valueOut(r.value), meetsTarget: r.meetsTarget,
      financialYearToDate: r.financialYearToDate ? { period: periodOut(r.financialYearToDate.period), value: valueOut(r.financialYearToDate.value) } : null,
      trend: r.trend.map((t) => ({ period: periodOut(t.period), value: valueOut(t.value) })),
    })),
  };
}

export const INDICATOR_COLUMNS = [
  'indicator_id', 'name_en', 'name_sw', 'period', 'period_kind', 'period_start', 'period_end', 'to_date', 'status', 'value', 'unit',
  'numerator', 'denominator', 'numerator_count', 'denominator_count', 'target', 'target_direction', 'meets_target', 'source', 'definitions_version',
];

/** One row per indicator and period of its trend (the report's period last), then the financial year to date. */
export function indicatorReportCsv(r: IndicatorReport): string {
  const rows = r.indicators.flatMap((i) => [...i.trend, ...(i.financialYearToDate ? [i.financialYearToDate] : [])].map((t) => ({
    indicator_id: i.id, name_en: i.name.en, name_sw: i.name.sw, period: t.period.id, period_kind: t.period.kind, period_start: t.period.start,
    period_end: t.period.end, to_date: String(t.value.toDate), status: t.value.status, value: t.value.value ?? '', unit: t.value.unit,
    numerator: t.value.numerator ?? '', denominator: t.value.denominator ?? '', numerator_count: t.value.numeratorCount ?? '', denominator_count: t.value.denominatorCount ?? '',
    target: i.target?.value ?? '', target_direction: i.target?.direction ?? '',
    meets_target: t.period.id === r.period.id && i.meetsTarget !== null ? String(i.meetsTarget) : '',
    source: i.source.recommendation ? `${i.source.law}; ${i.source.recommendation}` : i.source.law, definitions_version: r.definitionsVersion,
  })));
  return toCsv(rows, INDICATOR_COLUMNS);
}

const WORDS = {
  en: {
    title: 'Monitoring and evaluation report', indicator: 'Indicator', value: 'Value', target: 'Target', met: 'Target met', fy: 'Financial year to date',
    yes: 'yes', no: 'no', noData: 'no data', empty: 'nothing to measure', atLeast: 'at least', atMost: 'at most', none: 'none set',
    measures: 'What it measures', numerator: 'Numerator', denominator: 'Denominator', source: 'Law or recommendation tracked', trend: 'Trend',
    summary: 'Summary', page: 'page', of: 'of', toDate: 'to date', version: 'indicator definitions version', generated: 'generated', asOf: 'record as on',
    dashed: 'The dashed line is the target.',
  },
  sw: {
    title: 'Ripoti ya ufuatiliaji na tathmini', indicator: 'Kiashiria', value: 'Thamani', target: 'Lengo', met: 'Lengo limefikiwa', fy: 'Mwaka wa fedha hadi sasa',
    yes: 'ndiyo', no: 'hapana', noData: 'hakuna data', empty: 'hakuna cha kupima', atLeast: 'angalau', atMost: 'isiyozidi', none: 'halijawekwa',
    measures: 'Kinachopimwa', numerator: 'Kiasi cha juu (numerator)', denominator: 'Kiasi cha chini (denominator)', source: 'Sheria au pendekezo linalofuatiliwa', trend: 'Mwenendo',
    summary: 'Muhtasari', page: 'ukurasa', of: 'kati ya', toDate: 'hadi sasa', version: 'toleo la ufafanuzi wa viashiria', generated: 'imetolewa', asOf: 'kumbukumbu kufikia',
    dashed: 'Mstari wa vistari ni lengo.',
  },
} as const;

/** A value as a reader sees it: "64.3%", "212 days", "KSh 1,234.00", "6.7 per 100". */
export function showValue(unit: IndicatorUnit, value: number | null, lang: 'en' | 'sw'): string {
  if (value === null) return '—';
  switch (unit) {
    case 'percent': return `${value.toFixed(1)}%`;
    case 'days': return lang === 'en' ? `${value} days` : `siku ${value}`;
    case 'cents': return formatKes(value);
    case 'per_100': return lang === 'en' ? `${value.toFixed(1)} per 100` : `${value.toFixed(1)} kwa kila 100`;
  }
}

function shown(v: ReturnType<typeof valueOut>, lang: 'en' | 'sw'): string {
  const w = WORDS[lang];
  if (v.status === 'no_data') return w.noData;
  if (v.status === 'empty' && v.value === null) return w.empty;
  return `${showValue(v.unit, v.value, lang)}${v.toDate ? ` (${w.toDate})` : ''}`;
}

function shortLabel(p: ReturnType<typeof periodOut>): string {
  return p.kind === 'quarter' ? p.id.replace('-', ' ') : p.id;
}

export async function indicatorReportPdf(r: IndicatorReport, lang: 'en' | 'sw'): Promise<Buffer> {
  const w = WORDS[lang];
  const title = `${w.title}: ${r.period.label[lang]}`;
  const { doc, finish } = newReport({ title, subject: 'Redress monitoring and evaluation', lang });
  heading(doc, title, 15);
  paragraph(doc, `${w.asOf} ${r.asOf}; ${w.generated} ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC; ${w.version} ${r.definitionsVersion}.`, 9);
  paragraph(doc, r.notice[lang], 8.5);
  heading(doc, w.summary, 12);
  const target = (i: IndicatorReport['indicators'][number]) => (i.target
    ? `${i.target.direction === 'at_least' ? w.atLeast : w.atMost} ${showValue(i.value.unit, i.target.value, lang)}` : w.none);
  table(doc, [{ header: w.indicator, width: '*' }, { header: w.value, width: 120, align: 'right' }, { header: w.target, width: 120, align: 'right' },
    { header: w.met, width: 60 }, { header: w.fy, width: 120, align: 'right' }],
  r.indicators.map((i) => [i.name[lang], shown(i.value, lang), target(i), i.meetsTarget === null ? '—' : i.meetsTarget ? w.yes : w.no,
    i.financialYearToDate ? shown(i.financialYearToDate.value, lang) : '—']));

  for (const i of r.indicators) {
    doc.addPage();
    heading(doc, i.name[lang], 13);
    paragraph(doc, `${w.value}: ${shown(i.value, lang)}.  ${w.target}: ${target(i)}.${i.financialYearToDate ? `  ${w.fy}: ${shown(i.financialYearToDate.value, lang)}.` : ''}`, 10);
    if (i.value.numerator !== null && i.value.denominator !== null) {
      const money = i.computation.kind === 'rehabilitation_need_funded';
      const show = (n: number) => (money ? formatKes(n) : n.toLocaleString('en-KE'));
      paragraph(doc, `${show(i.value.numerator)} / ${show(i.value.denominator)}`, 9);
    }
    paragraph(doc, `${w.measures}: ${i.measures[lang]}`, 8.5);
    paragraph(doc, `${w.numerator}: ${i.numerator[lang]}${i.denominator ? `. ${w.denominator}: ${i.denominator[lang]}` : ''}.`, 8.5);
    paragraph(doc, `${w.source}: ${i.source.law}${i.source.recommendation ? `; ${i.source.recommendation}` : ''}.`, 8.5);
    heading(doc, `${w.trend}${i.target ? ` (${w.dashed})` : ''}`, 10);
    barChart(doc, i.trend.map((t) => ({
      label: shortLabel(t.period), value: t.value.status === 'value' ? t.value.value : null,
      caption: t.value.status === 'value' ? showValue(t.value.unit, t.value.value, lang) : t.value.status === 'no_data' ? w.noData : '—',
    })), { target: i.target?.value ?? null, max: i.value.unit === 'percent' ? 100 : undefined, width: 560 });
  }
  return finish(`Redress: ${w.title.toLowerCase()}, ${r.period.id}`, { page: w.page, of: w.of });
}
