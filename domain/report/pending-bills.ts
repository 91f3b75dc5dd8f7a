/**
 * The pending-bills report: what the State owes under certified court orders not yet paid in full, per respondent
 * agency, oldest certificate first (the order a first-in-first-out rule pays them in), with interest to the report
 * date by the same rules the claim itself uses (domain/interest.ts balanceAt, with the order's appropriation rule).
 * A debt is named by its court and case number; nothing here names a survivor.
 *
 * And the allocation view: given an amount for one agency and the day it is paid, which orders it clears in full,
 * oldest first, and the interest that saves against paying none, counted to the end of the financial year.
 */
import { type CalendarDate, compareDates, daysBetween, maxDate } from '../calendar-date';
import { type AppropriationRule, type InterestBearing, balanceAt, dailyInterestCents } from '../interest';
import type { Cents } from '../money';

/** One order as the record holds it (tranches already without the reversed ones). */
export interface PendingOrderFacts {
  claimId: string;
  court: string;
  caseNumber: string;
  agencyId: string;
  judgmentDate: CalendarDate;
  certificateIssuedOn: CalendarDate | null;
  components: InterestBearing[];
  appropriation: AppropriationRule;
  tranches: { paymentReference: string; amountCents: Cents; paidOn: CalendarDate }[];
  stays: { grantedOn: CalendarDate; liftedOn: CalendarDate | null }[];
  /** Withdrawn or set aside on this date: owed no more from then on. */
  closedOn: CalendarDate | null;
}

export interface PendingBillRow {
  claimId: string;
  court: string;
  caseNumber: string;
  judgmentDate: CalendarDate;
  certificateIssuedOn: CalendarDate;
  daysSinceCertificate: number;
  principalCents: Cents;
  interestAccruedCents: Cents;
  paidCents: Cents;
  tranchesPaid: number;
  lastPaidOn: CalendarDate | null;
  outstandingCents: Cents;
  /** What one more day adds: one day's interest on the principal still unpaid. */
  dailyInterestCents: Cents;
  /** A stay of execution in force on the report date: shown, marked, and skipped by the allocation view. */
  stayedSince: CalendarDate | null;
}

export interface PendingBillsTotals {
  orders: number;
  principalCents: Cents;
  interestAccruedCents: Cents;
  paidCents: Cents;
  outstandingCents: Cents;
  dailyInterestCents: Cents;
  stayedOrders: number;
  stayedOutstandingCents: Cents;
}

export interface AgencyPendingBills {
  agencyId: string;
  agencyName: string;
  rows: PendingBillRow[];
  totals: PendingBillsTotals;
}

export interface PendingBillsReport {
  financialYear: string;
  reportDate: CalendarDate;
  agencies: AgencyPendingBills[];
  state: PendingBillsTotals;
}

export const EMPTY_TOTALS: PendingBillsTotals = {
  orders: 0, principalCents: 0, interestAccruedCents: 0, paidCents: 0, outstandingCents: 0, dailyInterestCents: 0, stayedOrders: 0, stayedOutstandingCents: 0,
};

/** The stay in force on `date`, if any: granted on or before it and not lifted by then. */
export function stayInForce(stays: PendingOrderFacts['stays'], date: CalendarDate): CalendarDate | null {
  const current = stays.filter((s) => compareDates(s.grantedOn, date) <= 0 && (s.liftedOn === null || compareDates(s.liftedOn, date) > 0));
  return current.length ? current.map((s) => s.grantedOn).sort()[0]! : null;
}

/** Oldest certificate first; ties by judgment, then court and case number, so the order never depends on the query. */
export function fifoOrder(a: Pick<PendingBillRow, 'certificateIssuedOn' | 'judgmentDate' | 'court' | 'caseNumber' | 'claimId'>, b: typeof a): number {
  return compareDates(a.certificateIssuedOn, b.certificateIssuedOn) || compareDates(a.judgmentDate, b.judgmentDate)
    || a.court.localeCompare(b.court) || a.caseNumber.localeCompare(b.caseNumber) || (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0);
}

/** The order's row on `date`, or null when it is not a pending bill then (not certified, closed, or paid in full). */
export function pendingBillRow(f: PendingOrderFacts, date: CalendarDate): PendingBillRow | null {
  if (f.certificateIssuedOn === null || compareDates(f.certificateIssuedOn, date) > 0) return null;
  if (f.closedOn !== null && compareDates(f.closedOn, date) <= 0) return null;
  const balance = balanceAt(f.components, f.tranches, date, f.appropriation);
  if (balance.outstandingCents <= 0) return null;
  const paid = f.tranches.filter((t) => compareDates(t.paidOn, date) <= 0);
  return {
    claimId: f.claimId, court: f.court, caseNumber: f.caseNumber, judgmentDate: f.judgmentDate,
    certificateIssuedOn: f.certificateIssuedOn, daysSinceCertificate: daysBetween(f.certificateIssuedOn, date),
    principalCents: balance.awardedCents, interestAccruedCents: balance.interestAccruedCents, paidCents: balance.paidCents,
    tranchesPaid: paid.length, lastPaidOn: paid.length ? paid.map((t) => t.paidOn).sort().at(-1)! : null,
    outstandingCents: balance.outstandingCents, dailyInterestCents: dailyInterestCents(balance, f.components),
    stayedSince: stayInForce(f.stays, date),
  };
}

export function totalsOf(rows: PendingBillRow[]): PendingBillsTotals {
  return rows.reduce((t, r) => ({
    orders: t.orders + 1,
    principalCents: t.principalCents + r.principalCents,
    interestAccruedCents: t.interestAccruedCents + r.interestAccruedCents,
    paidCents: t.paidCents + r.paidCents,
    outstandingCents: t.outstandingCents + r.outstandingCents,
    dailyInterestCents: t.dailyInterestCents + r.dailyInterestCents,
    stayedOrders: t.stayedOrders + (r.stayedSince ? 1 : 0),
    stayedOutstandingCents: t.stayedOutstandingCents + (r.stayedSince ? r.outstandingCents : 0),
  }), EMPTY_TOTALS);
}

function addTotals(a: PendingBillsTotals, b: PendingBillsTotals): PendingBillsTotals {
  return Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof PendingBillsTotals] + b[k as keyof PendingBillsTotals]])) as unknown as PendingBillsTotals;
}

/**
 * The report on `reportDate` for the orders given. Every agency named in `agencies` appears (with no rows if it owes
 * nothing), so "nothing pending" is stated rather than left out; agencies in name order.
 */
export function pendingBillsReport(
  orders: PendingOrderFacts[], opts: { financialYear: string; reportDate: CalendarDate; agencies: Map<string, string> },
): PendingBillsReport {
  const byAgency = new Map<string, PendingBillRow[]>([...opts.agencies.keys()].map((id) => [id, []]));
  for (const f of orders) {
    const row = pendingBillRow(f, opts.reportDate);
    if (!row) continue;
    if (!byAgency.has(f.agencyId)) byAgency.set(f.agencyId, []);
    byAgency.get(f.agencyId)!.push(row);
  }
  const agencies = [...byAgency.entries()].map(([agencyId, rows]) => {
    rows.sort(fifoOrder);
    return { agencyId, agencyName: opts.agencies.get(agencyId) ?? agencyId, rows, totals: totalsOf(rows) };
  }).sort((a, b) => a.agencyName.localeCompare(b.agencyName) || a.agencyId.localeCompare(b.agencyId));
  return {
    financialYear: opts.financialYear, reportDate: opts.reportDate, agencies,
    state: agencies.reduce((t, a) => addTotals(t, a.totals), EMPTY_TOTALS),
  };
}

export interface ClearedOrder {
  claimId: string;
  court: string;
  caseNumber: string;
  certificateIssuedOn: CalendarDate;
  /** What paying it in full costs on the payment date (interest to that date included). */
  payCents: Cents;
  /** Interest it would accrue from the payment date to the end of the financial year if left unpaid. */
  interestSavedCents: Cents;
}

export interface AllocationView {
  agencyId: string;
  amountCents: Cents;
  payOn: CalendarDate;
  /** The last day of the financial year: interest saved is counted to here. */
  horizon: CalendarDate;
  cleared: ClearedOrder[];
  spentCents: Cents;
  leftOverCents: Cents;
  /** The oldest order the amount left could not clear (FIFO stops here), with what it would take. */
  nextOrder: { claimId: string; court: string; caseNumber: string; certificateIssuedOn: CalendarDate; payCents: Cents } | null;
  /** Stayed orders passed over: execution is stayed, so the rule does not pay them first. */
  skippedStayed: { claimId: string; court: string; caseNumber: string }[];
  interestSavedCents: Cents;
  dailyInterestBeforeCents: Cents;
  dailyInterestAfterCents: Cents;
}

/**
 * What `amountCents` paid on `payOn` would clear for one agency, first in first out: orders are paid in full in
 * the report's order while the money lasts; the first one it cannot pay in full stops the rule (what is left over is
 * reported, not spent on later, smaller orders: that would break the queue). Orders stayed on `payOn` are passed over.
 * "Interest saved" is, for each order cleared, the interest it would otherwise accrue from `payOn` to `horizon` (the
 * end of the financial year), computed exactly with balanceAt: against paying none, the State owes that much less
 * on the last day of the year.
 */
export function allocationView(
  agency: Pick<AgencyPendingBills, 'agencyId' | 'rows'>, facts: Map<string, PendingOrderFacts>, amountCents: Cents, payOn: CalendarDate, horizon: CalendarDate,
): AllocationView {
  const end = maxDate(horizon, payOn);
  let left = amountCents;
  const cleared: ClearedOrder[] = [];
  const skippedStayed: AllocationView['skippedStayed'] = [];
  let nextOrder: AllocationView['nextOrder'] = null;
  let dailyBefore = 0;
  let dailyAfter = 0;
  for (const row of agency.rows) {
    const f = facts.get(row.claimId);
    if (!f) throw new Error(`no facts for claim ${row.claimId}`);
    const atPay = balanceAt(f.components, f.tranches, payOn, f.appropriation);
    const daily = dailyInterestCents(atPay, f.components);
    dailyBefore += daily;
    if (nextOrder || atPay.outstandingCents <= 0) { dailyAfter += daily; continue; }
    if (stayInForce(f.stays, payOn)) {
      skippedStayed.push({ claimId: f.claimId, court: f.court, caseNumber: f.caseNumber });
      dailyAfter += daily;
      continue;
    }
    const who = { claimId: f.claimId, court: f.court, caseNumber: f.caseNumber, certificateIssuedOn: row.certificateIssuedOn };
    if (atPay.outstandingCents > left) {
      nextOrder = { ...who, payCents: atPay.outstandingCents };
      dailyAfter += daily;
      continue;
    }
    const atEnd = balanceAt(f.components, f.tranches, end, f.appropriation);
    cleared.push({ ...who, payCents: atPay.outstandingCents, interestSavedCents: atEnd.interestAccruedCents - atPay.interestAccruedCents });
    left -= atPay.outstandingCents;
  }
  return {
    agencyId: agency.agencyId, amountCents, payOn, horizon: end, cleared, spentCents: amountCents - left, leftOverCents: left, nextOrder, skippedStayed,
    interestSavedCents: cleared.reduce((s, c) => s + c.interestSavedCents, 0), dailyInterestBeforeCents: dailyBefore, dailyInterestAfterCents: dailyAfter,
  };
}
