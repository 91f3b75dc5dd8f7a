/**
 * The workflow's bookkeeping of open deadlines, as pure functions over plain data (carried across
 * continue-as-new). A stay freezes every deadline; the lift moves each by exactly the time the stay lasted.
 */
import { type CalendarDate, calendarDateAt, daysBetween, maxDate } from '../calendar-date';
import {
  DAY_MS, type DeadlineSpec, type Occurrence, compareOccurrences, lapseInstant, lastDay, latestDueOccurrence, nextOccurrence,
} from './deadlines';
import { type PolicyDocument, stagePolicyFor } from './policy';

export interface TrackedDeadline {
  spec: DeadlineSpec;
  /** When the deadline lapses, including the time stays have added. */
  lapsesAt: number;
  stayShiftMs: number;
  /** While the claim is stayed: the instant the stay began (or was recorded, for stays timed by their court dates). */
  pausedAt: number | null;
  /** For stays timed by their court dates (stay-dates-v1): the date this deadline stopped running. */
  pausedOn?: CalendarDate;
  /** The last reminder sent, if any. */
  last: { level: number; occurrence: number } | null;
}

export type Tracker = Record<string, TrackedDeadline>;

const sameSpec = (a: DeadlineSpec, b: DeadlineSpec) => a.anchor === b.anchor && a.days === b.days && a.kind === b.kind;

/** Opens new deadlines, closes those no longer owed, and recomputes any whose length changed (policy migration). */
export function reconcile(tracker: Tracker, specs: DeadlineSpec[], now: number, stayed: boolean, stayedSince?: CalendarDate): Tracker {
  const next: Tracker = {};
  for (const spec of specs) {
    const current = tracker[spec.key];
    if (!current) {
      // A deadline opened during a stay runs from the later of the stay and its own opening date, once lifted.
      const pausedOn = stayed && stayedSince ? { pausedOn: maxDate(stayedSince, spec.anchor) } : {};
      next[spec.key] = { spec, lapsesAt: lapseInstant(spec.anchor, spec.days), stayShiftMs: 0, pausedAt: stayed ? now : null, last: null, ...pausedOn };
    } else if (!sameSpec(current.spec, spec)) {
      next[spec.key] = { ...current, spec, lapsesAt: lapseInstant(spec.anchor, spec.days) + current.stayShiftMs };
    } else {
      next[spec.key] = current;
    }
  }
  return next;
}

export function pause(tracker: Tracker, now: number): Tracker {
  return Object.fromEntries(Object.entries(tracker).map(([k, d]) => [k, d.pausedAt === null ? { ...d, pausedAt: now } : d]));
}

export function resume(tracker: Tracker, now: number): Tracker {
  return Object.fromEntries(Object.entries(tracker).map(([k, d]) => {
    if (d.pausedAt === null) return [k, d];
    const shift = now - d.pausedAt;
    return [k, { ...d, pausedAt: null, lapsesAt: d.lapsesAt + shift, stayShiftMs: d.stayShiftMs + shift }];
  }));
}

/**
 * Stays timed by the court's dates (DESIGN.md "Corrections"): a stay runs from the date the court granted it to the
 * date it was lifted, even when recorded later, and deadlines move by exactly those days.
 */
export function pauseFrom(tracker: Tracker, now: number, grantedOn: CalendarDate): Tracker {
  // A deadline that opened after the stay's date (a step recorded before the stay was) stops from its own opening.
  return Object.fromEntries(Object.entries(tracker).map(([k, d]) => [k, d.pausedAt === null ? { ...d, pausedAt: now, pausedOn: maxDate(grantedOn, d.spec.anchor) } : d]));
}

export function resumeOn(tracker: Tracker, liftedOn: CalendarDate): Tracker {
  return Object.fromEntries(Object.entries(tracker).map(([k, d]) => {
    if (d.pausedAt === null) return [k, d];
    const shift = Math.max(0, daysBetween(d.pausedOn ?? calendarDateAt(d.pausedAt), liftedOn)) * DAY_MS;
    const { pausedOn: _, ...rest } = d;
    return [k, { ...rest, pausedAt: null, lapsesAt: d.lapsesAt + shift, stayShiftMs: d.stayShiftMs + shift }];
  }));
}

/** Reminders due now: for each running deadline, the latest occurrence not yet sent. */
export function dueReminders(tracker: Tracker, policy: PolicyDocument, now: number): { key: string; occurrence: Occurrence }[] {
  const due: { key: string; occurrence: Occurrence }[] = [];
  for (const [key, d] of Object.entries(tracker)) {
    if (d.pausedAt !== null) continue;
    const latest = latestDueOccurrence(d.lapsesAt, stagePolicyFor(policy, d.spec.kind), now);
    if (latest && (!d.last || compareOccurrences(latest, d.last) > 0)) due.push({ key, occurrence: latest });
  }
  return due.sort((a, b) => a.occurrence.at - b.occurrence.at || a.key.localeCompare(b.key));
}

/** The next instant a reminder falls due, or null when nothing runs (no deadlines, or all paused). */
export function nextWake(tracker: Tracker, policy: PolicyDocument): number | null {
  let wake: number | null = null;
  for (const d of Object.values(tracker)) {
    if (d.pausedAt !== null) continue;
    const at = nextOccurrence(d.lapsesAt, stagePolicyFor(policy, d.spec.kind), d.last).at;
    if (wake === null || at < wake) wake = at;
  }
  return wake;
}

export interface DeadlineView {
  key: string;
  kind: DeadlineSpec['kind'];
  owedBy: DeadlineSpec['owedBy'];
  /** The last day to act, as the court or policy set it (before any stay). */
  lastDay: string;
  lapsesAt: string;
  paused: boolean;
  /** -1 until the deadline lapses; then the ladder level reached. */
  level: number;
  remindersSent: number;
  nextReminderAt: string | null;
}

export function viewDeadlines(tracker: Tracker, policy: PolicyDocument, remindersSent: Record<string, number>): DeadlineView[] {
  return Object.values(tracker)
    .sort((a, b) => a.lapsesAt - b.lapsesAt || a.spec.key.localeCompare(b.spec.key))
    .map((d) => ({
      key: d.spec.key,
      kind: d.spec.kind,
      owedBy: d.spec.owedBy,
      lastDay: lastDay(d.spec),
      lapsesAt: new Date(d.lapsesAt).toISOString(),
      paused: d.pausedAt !== null,
      level: d.last?.level ?? -1,
      remindersSent: remindersSent[d.spec.key] ?? 0,
      nextReminderAt: d.pausedAt !== null ? null : new Date(nextOccurrence(d.lapsesAt, stagePolicyFor(policy, d.spec.kind), d.last).at).toISOString(),
    }));
}

/** The calendar date a lapse instant falls on, for "overdue since". */
export function lapseDate(lapsesAt: number): string {
  return calendarDateAt(lapsesAt);
}
