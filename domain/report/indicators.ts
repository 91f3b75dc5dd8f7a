/**
 * Indicator values, computed from the record and never typed in. Each computation reads facts the record holds
 * (court dates, payments, escalations, referrals, incidents), for a period, as known on `asOf`: a period that has
 * not ended is measured to date, and a cohort whose deadline falls after `asOf` is not counted yet.
 *
 * Cohorts are chosen so that each order, referral or incident counts in exactly one period of a kind: the period in
 * which its deadline fell (awards within 12 months, first appointments, investigations, inquests), it was paid in
 * full (median), it was assessed (rehabilitation need) or it was documented (convictions per 100 incidents).
 * A financial year's value is computed over the whole year in the same way, not averaged from its quarters.
 */
import { type CalendarDate, addDays, compareDates, daysBetween } from '../calendar-date';
import { type AppropriationRule, type InterestBearing, balanceAt } from '../interest';
import { type Cents, divideRoundHalfUp } from '../money';
import { type Computation, type IndicatorDefinition, type IndicatorUnit, UNIT_OF } from './indicator-definitions';
import { type Period, addYears, financialYearOf, financialYearPeriod, periodsEndingWith } from './periods';

export interface ClaimIndicatorFacts {
  claimId: string;
  judgmentDate: CalendarDate;
  certificateIssuedOn: CalendarDate | null;
  components: InterestBearing[];
  appropriation: AppropriationRule;
  /** Tranches not reversed. */
  tranches: { amountCents: Cents; paidOn: CalendarDate }[];
  closedOn: CalendarDate | null;
  /** The day (in Nairobi) each escalation of the claim happened, with its ladder level. */
  escalations: { level: number; on: CalendarDate }[];
}

export interface ReferralIndicatorFacts {
  referralId: string;
  assessedOn: CalendarDate | null;
  assessedCostCents: Cents | null;
  /** The day the Fund committed the money (the referral became funded). */
  fundedOn: CalendarDate | null;
  approvedCents: Cents | null;
  firstAppointmentOn: CalendarDate | null;
  closedOn: CalendarDate | null;
  /** Days the deadline policy gives for the first appointment after funding. */
  firstAppointmentDays: number;
}

/** One incident of the accountability track, as the incidents' view of the record gives it (docs/indicators.md). */
export interface IncidentIndicatorFacts {
  incidentId: string;
  documentedOn: CalendarDate;
  investigationDueOn: CalendarDate | null;
  investigationOpenedOn: CalendarDate | null;
  investigationEndedOn: CalendarDate | null;
  chargingDecisionOn: CalendarDate | null;
  death: boolean;
  inquestDueOn: CalendarDate | null;
  inquestOpenedOn: CalendarDate | null;
  convictionDates: CalendarDate[];
}

export interface IndicatorRecord {
  claims: ClaimIndicatorFacts[];
  referrals: ReferralIndicatorFacts[];
  /** Null while the record has no incidents table: the accountability indicators then have no data. */
  incidents: IncidentIndicatorFacts[] | null;
}

export interface IndicatorValue {
  /** `value`: computed; `empty`: nothing to measure in the period; `no_data`: the record does not hold this yet. */
  status: 'value' | 'empty' | 'no_data';
  reason: string | null;
  unit: IndicatorUnit;
  /** Percent to one decimal, whole days, KES cents, or per 100 to one decimal; null unless status is `value`. */
  value: number | null;
  /** In the unit counted: orders, referrals, incidents, convictions, or KES cents for a share of money. */
  numerator: number | null;
  denominator: number | null;
  /** How many orders, referrals, incidents or convictions stand behind the numerator and denominator: what disclosure control looks at. */
  numeratorCount: number | null;
  denominatorCount: number | null;
}

/** Where a period is measured: from its first day to its last, or to `asOf` if that comes first. */
interface Window { start: CalendarDate; end: CalendarDate; partial: boolean }

function windowOf(period: Period, asOf: CalendarDate): Window | null {
  if (compareDates(period.start, asOf) > 0) return null;
  const partial = compareDates(period.end, asOf) > 0;
  return { start: period.start, end: partial ? asOf : period.end, partial };
}

// Calendar dates are ISO strings (YYYY-MM-DD), whose order is their string order: these run millions of times a
// report, so they compare strings rather than parse dates.
const within = (w: Window, date: CalendarDate | null): date is CalendarDate => date !== null && date >= w.start && date <= w.end;
const onOrBefore = (date: CalendarDate | null, limit: CalendarDate): date is CalendarDate => date !== null && date <= limit;

/** Percent (or per 100) to one decimal, half up, in integers: the numerator may be money. */
export function perHundred(numerator: number, denominator: number): number {
  return Number(divideRoundHalfUp(BigInt(numerator) * 1000n, BigInt(denominator))) / 10;
}

/** The median, halfway between the two middle values for an even count, rounded half up to a whole day. */
export function medianDays(days: number[]): number {
  const s = [...days].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.floor((s[m - 1]! + s[m]! + 1) / 2);
}

/** The day an order was first paid in full: its first tranche after which nothing is outstanding on that day. */
const fullPayments = new WeakMap<ClaimIndicatorFacts, CalendarDate | null>();
export function fullPaymentOn(c: ClaimIndicatorFacts): CalendarDate | null {
  if (fullPayments.has(c)) return fullPayments.get(c)!;
  let found: CalendarDate | null = null;
  for (const date of [...new Set(c.tranches.map((t) => t.paidOn))].sort()) {
    if (balanceAt(c.components, c.tranches, date, c.appropriation).outstandingCents <= 0) { found = date; break; }
  }
  fullPayments.set(c, found);
  return found;
}

/** Interest paid on an order up to and including `date`: accrued interest less what of it is still unpaid. */
export function interestPaidBy(c: ClaimIndicatorFacts, date: CalendarDate): Cents {
  const b = balanceAt(c.components, c.tranches, date, c.appropriation);
  return b.components.reduce((s, x) => s + x.interestAccruedCents - x.interestOutstandingCents, 0);
}

/**
 * The interest each payment day paid, worked out once per order: interest paid changes only on a payment day, so a
 * period's interest is the sum over the payment days inside it (rather than two balances per order and period).
 */
const interestDays = new WeakMap<ClaimIndicatorFacts, { on: CalendarDate; cents: Cents }[]>();
export function interestPaidOnPaymentDays(c: ClaimIndicatorFacts): { on: CalendarDate; cents: Cents }[] {
  let days = interestDays.get(c);
  if (!days) {
    let before = 0;
    days = [...new Set(c.tranches.map((t) => t.paidOn))].sort().map((on) => {
      const upTo = interestPaidBy(c, on);
      const cents = upTo - before;
      before = upTo;
      return { on, cents };
    });
    interestDays.set(c, days);
  }
  return days;
}

/** Owed on `date`: an order is owed from its award until the day it is paid in full, and nothing accrues after. */
const owedOn = (c: ClaimIndicatorFacts, date: CalendarDate) => !onOrBefore(fullPaymentOn(c), date);

/** The day the claim's escalation first reached `level` or above, if it did. */
export function reachedLevelOn(c: ClaimIndicatorFacts, level: number): CalendarDate | null {
  const days = c.escalations.filter((e) => e.level >= level).map((e) => e.on).sort();
  return days[0] ?? null;
}

function share(numerator: number, denominator: number, numeratorCount = numerator, denominatorCount = denominator): Omit<IndicatorValue, 'unit'> {
  if (denominatorCount === 0) return { status: 'empty', reason: 'nothing to measure in this period', value: null, numerator, denominator, numeratorCount, denominatorCount };
  return { status: 'value', reason: null, value: perHundred(numerator, denominator), numerator, denominator, numeratorCount, denominatorCount };
}

const NO_INCIDENTS = 'the record has no incidents yet (the accountability track)';

function compute(c: Computation, record: IndicatorRecord, w: Window): Omit<IndicatorValue, 'unit'> {
  switch (c.kind) {
    case 'paid_in_full_within_months': {
      const cohort = record.claims.flatMap((claim) => {
        if (!claim.certificateIssuedOn) return [];
        const due = c.months % 12 === 0 ? addYears(claim.certificateIssuedOn, c.months / 12) : addMonths(claim.certificateIssuedOn, c.months);
        if (!within(w, due) || onOrBefore(claim.closedOn, due)) return [];
        return [onOrBefore(fullPaymentOn(claim), due)];
      });
      return share(cohort.filter(Boolean).length, cohort.length);
    }
    case 'median_days_certificate_to_full_payment': {
      const days = record.claims.flatMap((claim) => {
        const paid = fullPaymentOn(claim);
        return claim.certificateIssuedOn && within(w, paid) ? [Math.max(0, daysBetween(claim.certificateIssuedOn, paid))] : [];
      });
      if (!days.length) return { status: 'empty', reason: 'no order was paid in full in this period', value: null, numerator: null, denominator: null, numeratorCount: null, denominatorCount: 0 };
      return { status: 'value', reason: null, value: medianDays(days), numerator: null, denominator: null, numeratorCount: null, denominatorCount: days.length };
    }
    case 'outstanding_escalated_to_level': {
      const outstanding = record.claims.filter((claim) => claim.judgmentDate <= w.end && !onOrBefore(claim.closedOn, w.end) && owedOn(claim, w.end));
      return share(outstanding.filter((claim) => onOrBefore(reachedLevelOn(claim, c.level), w.end)).length, outstanding.length);
    }
    case 'interest_paid': {
      const paid = record.claims.map((claim) => interestPaidOnPaymentDays(claim).reduce((s, d) => s + (within(w, d.on) ? d.cents : 0), 0)).filter((x) => x > 0);
      if (!paid.length) return { status: 'empty', reason: 'no interest was paid in this period', value: 0, numerator: 0, denominator: null, numeratorCount: 0, denominatorCount: null };
      const total = paid.reduce((s, x) => s + x, 0);
      return { status: 'value', reason: null, value: total, numerator: total, denominator: null, numeratorCount: paid.length, denominatorCount: null };
    }
    case 'rehabilitation_need_funded': {
      const assessed = record.referrals.filter((r) => within(w, r.assessedOn) && r.assessedCostCents !== null);
      const funded = assessed.filter((r) => onOrBefore(r.fundedOn, w.end) && r.approvedCents !== null);
      return share(funded.reduce((s, r) => s + r.approvedCents!, 0), assessed.reduce((s, r) => s + r.assessedCostCents!, 0), funded.length, assessed.length);
    }
    case 'first_appointment_on_time': {
      const cohort = record.referrals.flatMap((r) => {
        if (!r.fundedOn) return [];
        const due = addDays(r.fundedOn, r.firstAppointmentDays);
        const met = onOrBefore(r.firstAppointmentOn, due);
        if (!within(w, due) || (!met && onOrBefore(r.closedOn, due))) return [];
        return [met];
      });
      return share(cohort.filter(Boolean).length, cohort.length);
    }
    case 'incidents_investigated_on_time':
    case 'investigations_with_charging_decision':
    case 'deaths_with_inquest_on_time':
    case 'convictions_per_100_incidents': {
      const incidents = record.incidents;
      if (incidents === null) return { status: 'no_data', reason: NO_INCIDENTS, value: null, numerator: null, denominator: null, numeratorCount: null, denominatorCount: null };
      if (c.kind === 'incidents_investigated_on_time') {
        const cohort = incidents.filter((i) => within(w, i.investigationDueOn));
        return share(cohort.filter((i) => onOrBefore(i.investigationOpenedOn, i.investigationDueOn!)).length, cohort.length);
      }
      if (c.kind === 'investigations_with_charging_decision') {
        const cohort = incidents.filter((i) => within(w, i.investigationEndedOn));
        return share(cohort.filter((i) => onOrBefore(i.chargingDecisionOn, w.end)).length, cohort.length);
      }
      if (c.kind === 'deaths_with_inquest_on_time') {
        const cohort = incidents.filter((i) => i.death && within(w, i.inquestDueOn));
        return share(cohort.filter((i) => onOrBefore(i.inquestOpenedOn, i.inquestDueOn!)).length, cohort.length);
      }
      const convictions = incidents.reduce((n, i) => n + i.convictionDates.filter((d) => within(w, d)).length, 0);
      return share(convictions, incidents.filter((i) => within(w, i.documentedOn)).length);
    }
  }
}

/** The same day `months` later, or the month's last day when it has fewer days. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const firstOfNext = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  const last = Number(addDays(firstOfNext, -1).slice(8));
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function indicatorValue(def: Pick<IndicatorDefinition, 'computation'>, record: IndicatorRecord, period: Period, asOf: CalendarDate): IndicatorValue & { partial: boolean } {
  const unit = UNIT_OF[def.computation.kind];
  const w = windowOf(period, asOf);
  if (!w) return { status: 'empty', reason: 'the period has not begun', unit, value: null, numerator: null, denominator: null, numeratorCount: null, denominatorCount: null, partial: true };
  return { ...compute(def.computation, record, w), unit, partial: w.partial };
}

export interface IndicatorResult {
  definition: IndicatorDefinition;
  period: Period;
  value: IndicatorValue & { partial: boolean };
  /** Whether the value meets the target; null without a target or a value. */
  meetsTarget: boolean | null;
  /** The periods of the same kind before, oldest first, ending with this one. */
  trend: { period: Period; value: IndicatorValue & { partial: boolean } }[];
  /** For a quarter: its financial year to the quarter's end (or to date). */
  financialYearToDate: { period: Period; value: IndicatorValue & { partial: boolean } } | null;
}

export function meetsTarget(def: Pick<IndicatorDefinition, 'target'>, value: IndicatorValue): boolean | null {
  if (!def.target || value.status !== 'value' || value.value === null) return null;
  return def.target.direction === 'at_least' ? value.value >= def.target.value : value.value <= def.target.value;
}

/** Trend lengths: two years of quarters, five financial years. */
export const TREND_LENGTH = { quarter: 8, financial_year: 5 } as const;

export function indicatorResults(
  definitions: IndicatorDefinition[], record: IndicatorRecord, period: Period, asOf: CalendarDate,
): IndicatorResult[] {
  const trendPeriods = periodsEndingWith(period, TREND_LENGTH[period.kind]);
  return definitions.map((definition) => {
    const trend = trendPeriods.map((p) => ({ period: p, value: indicatorValue(definition, record, p, asOf) }));
    const value = trend.at(-1)!.value;
    const fy = period.kind === 'quarter' ? financialYearPeriod(financialYearOf(period.start)) : null;
    return {
      definition, period, value, meetsTarget: meetsTarget(definition, value), trend,
      // Measured to the quarter's end (or today): the year so far, not the quarters after this one.
      financialYearToDate: fy ? { period: fy, value: indicatorValue(definition, record, fy, minDate(asOf, period.end)) } : null,
    };
  });
}

const minDate = (a: CalendarDate, b: CalendarDate) => (compareDates(a, b) <= 0 ? a : b);
