/**
 * The pending-bills report as the API serves it (JSON, CSV, PDF), built from the record on request. The financial
 * year sets the report date: today while the year runs (or before it starts), its last day once it has ended.
 */
import { z } from 'zod';
import { type CalendarDate, addDays, calendarDateAt, compareDates } from '../../domain/calendar-date';
import { CURRENCY, formatKes } from '../../domain/money';
import { financialYearOf, financialYearPeriod, parseFinancialYear } from '../../domain/report/periods';
import {
  type AllocationView, type PendingBillsReport, type PendingBillsTotals, allocationView, pendingBillsReport,
} from '../../domain/report/pending-bills';
import { calendarDate } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { agencyList, pendingOrderFacts } from '../../db/reports';
import { toCsv } from '../csv';
import { InvalidInput } from '../errors';
import { heading, newReport, paragraph, table } from './pdf';

export const pendingBillsQuerySchema = z.object({
  agency: z.string().min(1).max(64).optional().describe('respondent agency id, e.g. national-police-service (all agencies when omitted)'),
  financialYear: z.string().max(7).optional().describe('Kenyan financial year, 2025/26 or 2025-26 (default: the current one)'),
  allocationCents: z.coerce.number().int('must be a whole number of cents').positive('must be more than 0').max(Number.MAX_SAFE_INTEGER, 'is too large').optional()
    .describe('an amount for the agency (KES cents): which orders it would clear, oldest first, and the interest that saves'),
  reportDate: calendarDate.optional().describe('the position on this day (within the financial year, not after today; default: today, or the last day of a year that has ended)'),
  payOn: calendarDate.optional().describe('the day the allocation is paid (default: the report date, or the first day of a year not yet begun)'),
}).strict();
export type PendingBillsQuery = z.output<typeof pendingBillsQuerySchema>;

export const INTEREST_SAVED_DEFINITION = 'Interest saved: for each order the allocation pays in full, the interest it would otherwise accrue from the payment day to the last day of the financial year (30 June), at its decree rates; against paying none.';
export const PENDING_BILLS_NOTICE = 'Certified court orders not yet paid in full, oldest certificate first (the order a first-in-first-out rule pays them in). '
  + 'Interest is simple interest per award component at its decree rate to the report date, payments appropriated as the order says (the rules of every Redress claim). '
  + 'Reversed tranches are not counted as paid. A stayed order is marked; it stays in the totals. Each debt is named by its court and case number; no survivor is named.';

export interface PendingBillsAnswer extends PendingBillsReport {
  currency: typeof CURRENCY;
  generatedAt: string;
  agencyFilter: string | null;
  notice: string;
  allocation: (AllocationView & { definition: string }) | null;
}

/** Turns the query into the report's dates, naming the field at fault for anything that cannot be. */
function datesOf(q: PendingBillsQuery, today: CalendarDate) {
  const fy = q.financialYear === undefined ? financialYearOf(today) : parseFinancialYear(q.financialYear);
  if (!fy) throw new InvalidInput([{ field: 'financialYear', rule: 'must be a financial year like 2025/26 or 2025-26 (two consecutive years)' }]);
  const year = financialYearPeriod(fy);
  const nextYear = financialYearPeriod(financialYearOf(addDays(financialYearPeriod(financialYearOf(today)).end, 1)));
  if (compareDates(year.start, nextYear.start) > 0) throw new InvalidInput([{ field: 'financialYear', rule: `must be at most the next financial year, ${nextYear.id}` }]);
  if (q.reportDate !== undefined && (compareDates(q.reportDate, today) > 0 || compareDates(q.reportDate, year.start) < 0 || compareDates(q.reportDate, year.end) > 0)) {
    throw new InvalidInput([{ field: 'reportDate', rule: `must be within the financial year ${fy} and not after today (${today})` }]);
  }
  const reportDate = q.reportDate ?? (compareDates(today, year.end) < 0 ? today : year.end);
  const payOn = q.payOn ?? (compareDates(reportDate, year.start) < 0 ? year.start : reportDate);
  if (q.payOn !== undefined && (compareDates(payOn, reportDate) < 0 || compareDates(payOn, year.end) > 0)) {
    throw new InvalidInput([{ field: 'payOn', rule: `must be from the report date ${reportDate} to the end of the financial year ${year.end}` }]);
  }
  return { fy, year, reportDate, payOn };
}

export async function buildPendingBills(db: Db, q: PendingBillsQuery, now = Date.now()): Promise<PendingBillsAnswer> {
  const { fy, year, reportDate, payOn } = datesOf(q, calendarDateAt(now));
  const agencies = await agencyList(db);
  if (q.agency !== undefined && !agencies.has(q.agency)) throw new InvalidInput([{ field: 'agency', rule: `unknown agency ${q.agency}` }]);
  if (q.allocationCents !== undefined && q.agency === undefined) {
    throw new InvalidInput([{ field: 'agency', rule: 'is required with allocationCents: an allocation is for one agency' }]);
  }
  return pendingBillsAt(db, { agencyId: q.agency, financialYear: fy, reportDate, allocation: q.allocationCents === undefined ? undefined : { amountCents: q.allocationCents, payOn, horizon: year.end } }, now);
}

/**
 * The report on a given day, its inputs already checked: what the API serves, and what a reminder to the National
 * Treasury or the Controller of Budget carries (activities/escalation/deliver.ts), so both are the same document.
 */
export async function pendingBillsAt(
  db: Db, o: { agencyId?: string; financialYear: string; reportDate: CalendarDate; allocation?: { amountCents: number; payOn: CalendarDate; horizon: CalendarDate } }, now = Date.now(),
): Promise<PendingBillsAnswer> {
  const agencies = await agencyList(db);
  const facts = await pendingOrderFacts(db, o.agencyId);
  const scope = o.agencyId === undefined ? agencies : new Map([[o.agencyId, agencies.get(o.agencyId) ?? o.agencyId]]);
  const report = pendingBillsReport(facts, { financialYear: o.financialYear, reportDate: o.reportDate, agencies: scope });
  const allocation = o.allocation === undefined ? null : {
    ...allocationView(report.agencies[0]!, new Map(facts.map((f) => [f.claimId, f])), o.allocation.amountCents, o.allocation.payOn, o.allocation.horizon),
    definition: INTEREST_SAVED_DEFINITION,
  };
  return { ...report, currency: CURRENCY, generatedAt: new Date(now).toISOString(), agencyFilter: o.agencyId ?? null, notice: PENDING_BILLS_NOTICE, allocation };
}

export const PENDING_BILLS_COLUMNS = [
  'financial_year', 'report_date', 'row', 'agency_id', 'agency', 'fifo_position', 'court', 'case_number', 'judgment_date', 'certificate_issued_on',
  'days_since_certificate', 'principal_cents', 'interest_accrued_cents', 'paid_cents', 'tranches_paid', 'last_paid_on', 'outstanding_cents',
  'daily_interest_cents', 'stayed_since', 'orders', 'stayed_orders', 'stayed_outstanding_cents',
];

const totalsColumns = (t: PendingBillsTotals) => ({
  principal_cents: t.principalCents, interest_accrued_cents: t.interestAccruedCents, paid_cents: t.paidCents, outstanding_cents: t.outstandingCents,
  daily_interest_cents: t.dailyInterestCents, orders: t.orders, stayed_orders: t.stayedOrders, stayed_outstanding_cents: t.stayedOutstandingCents,
});

/** One row per order, then the agency's total; the State's total last. Amounts in KES cents. */
export function pendingBillsCsv(r: PendingBillsAnswer): string {
  const common = { financial_year: r.financialYear, report_date: r.reportDate };
  const rows: Record<string, unknown>[] = [];
  for (const a of r.agencies) {
    a.rows.forEach((o, i) => rows.push({
      ...common, row: 'order', agency_id: a.agencyId, agency: a.agencyName, fifo_position: i + 1, court: o.court, case_number: o.caseNumber,
      judgment_date: o.judgmentDate, certificate_issued_on: o.certificateIssuedOn, days_since_certificate: o.daysSinceCertificate,
      principal_cents: o.principalCents, interest_accrued_cents: o.interestAccruedCents, paid_cents: o.paidCents, tranches_paid: o.tranchesPaid,
      last_paid_on: o.lastPaidOn ?? '', outstanding_cents: o.outstandingCents, daily_interest_cents: o.dailyInterestCents, stayed_since: o.stayedSince ?? '',
    }));
    rows.push({ ...common, row: 'agency_total', agency_id: a.agencyId, agency: a.agencyName, ...totalsColumns(a.totals) });
  }
  rows.push({ ...common, row: 'state_total', ...totalsColumns(r.state) });
  return toCsv(rows, PENDING_BILLS_COLUMNS);
}

const count = (n: number) => n.toLocaleString('en-KE');

/** The report laid out for a budget hearing: summary by agency, then each agency's orders oldest first. */
export async function pendingBillsPdf(r: PendingBillsAnswer): Promise<Buffer> {
  const scope = r.agencyFilter ? r.agencies[0]!.agencyName : 'all respondent agencies';
  const title = `Pending bills under court orders: ${scope}, financial year ${r.financialYear}`;
  const { doc, finish } = newReport({ title, subject: `Position on ${r.reportDate}`, lang: 'en' });
  heading(doc, title, 15);
  paragraph(doc, `Position on ${r.reportDate} (generated ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC). Amounts in Kenya shillings.`, 10);
  paragraph(doc, r.notice, 8.5);

  heading(doc, 'Summary by agency', 12);
  const summary = r.agencies.map((a) => [a.agencyName, count(a.totals.orders), formatKes(a.totals.principalCents), formatKes(a.totals.interestAccruedCents),
    formatKes(a.totals.paidCents), formatKes(a.totals.outstandingCents), formatKes(a.totals.dailyInterestCents), count(a.totals.stayedOrders)]);
  if (!r.agencyFilter) {
    summary.push(['State total', count(r.state.orders), formatKes(r.state.principalCents), formatKes(r.state.interestAccruedCents), formatKes(r.state.paidCents),
      formatKes(r.state.outstandingCents), formatKes(r.state.dailyInterestCents), count(r.state.stayedOrders)]);
  }
  const money = (header: string) => ({ header, width: 92, align: 'right' as const });
  table(doc, [{ header: 'Agency', width: '*' }, { header: 'Orders', width: 42, align: 'right' }, money('Principal'), money('Interest to date'),
    money('Paid so far'), money('Outstanding'), money('Interest per day'), { header: 'Stayed', width: 40, align: 'right' }],
  summary, { emphasise: (i) => !r.agencyFilter && i === summary.length - 1 });
  paragraph(doc, `Each further day of delay costs the State ${formatKes(r.state.dailyInterestCents)} in interest${r.agencyFilter ? ` (${scope})` : ''}.`, 9);

  for (const a of r.agencies) {
    if (!a.rows.length) continue;
    doc.addPage();
    heading(doc, `${a.agencyName}: ${count(a.totals.orders)} certified orders not paid in full`, 12);
    const rows = a.rows.map((o, i) => [String(i + 1), o.court, o.caseNumber, o.certificateIssuedOn, count(o.daysSinceCertificate), formatKes(o.principalCents),
      formatKes(o.interestAccruedCents), `${formatKes(o.paidCents)}${o.tranchesPaid ? ` (${o.tranchesPaid})` : ''}`, formatKes(o.outstandingCents),
      formatKes(o.dailyInterestCents), o.stayedSince ? `stayed ${o.stayedSince}` : '']);
    rows.push(['', 'Agency total', '', '', '', formatKes(a.totals.principalCents), formatKes(a.totals.interestAccruedCents), formatKes(a.totals.paidCents),
      formatKes(a.totals.outstandingCents), formatKes(a.totals.dailyInterestCents), a.totals.stayedOrders ? `${a.totals.stayedOrders} stayed` : '']);
    table(doc, [{ header: '#', width: 22, align: 'right' }, { header: 'Court', width: '*' }, { header: 'Case number', width: 92 },
      { header: 'Certificate', width: 52 }, { header: 'Days', width: 32, align: 'right' }, { header: 'Principal', width: 78, align: 'right' },
      { header: 'Interest', width: 78, align: 'right' }, { header: 'Paid (tranches)', width: 84, align: 'right' }, { header: 'Outstanding', width: 84, align: 'right' },
      { header: 'Per day', width: 62, align: 'right' }, { header: 'Stay', width: 72 }], rows, { emphasise: (i) => i === rows.length - 1 });
  }

  if (r.allocation) {
    const v = r.allocation;
    doc.addPage();
    heading(doc, `What ${formatKes(v.amountCents)} paid on ${v.payOn} would clear (${scope})`, 12);
    paragraph(doc, `Orders are paid in full, oldest certificate first, while the money lasts; the first order it cannot pay in full stops the rule. Stayed orders are passed over. ${v.definition}`, 8.5);
    const rows = v.cleared.map((c, i) => [String(i + 1), c.court, c.caseNumber, c.certificateIssuedOn, formatKes(c.payCents), formatKes(c.interestSavedCents)]);
    rows.push(['', 'Total', '', '', formatKes(v.spentCents), formatKes(v.interestSavedCents)]);
    table(doc, [{ header: '#', width: 22, align: 'right' }, { header: 'Court', width: '*' }, { header: 'Case number', width: 120 }, { header: 'Certificate', width: 60 },
      { header: 'Pays in full', width: 100, align: 'right' }, { header: `Interest saved to ${v.horizon}`, width: 120, align: 'right' }], rows, { emphasise: (i) => i === rows.length - 1 });
    paragraph(doc, `Left over: ${formatKes(v.leftOverCents)}.${v.nextOrder ? ` The next order, ${v.nextOrder.court} ${v.nextOrder.caseNumber}, needs ${formatKes(v.nextOrder.payCents)} on ${v.payOn}.` : ''}`
      + `${v.skippedStayed.length ? ` Stayed and passed over: ${v.skippedStayed.map((s) => `${s.court} ${s.caseNumber}`).join('; ')}.` : ''}`
      + ` Interest per day before: ${formatKes(v.dailyInterestBeforeCents)}; after: ${formatKes(v.dailyInterestAfterCents)}.`, 9);
  }
  return finish(`Redress: pending bills ${r.financialYear}, position on ${r.reportDate}`, { page: 'page', of: 'of' });
}
