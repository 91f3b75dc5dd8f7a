/**
 * Which deadlines a claim has open is a function of its state; when each reminder falls due is a function
 * of the deadline's lapse instant and its stage policy. Both pure, so the workflow replays them exactly.
 */
import { type CalendarDate, addDays, compareDates, maxDate } from '../calendar-date';
import { type ClaimState, CLOSED_STAGES, activeAllocations, activeTranches, earliestCertificateDate } from '../claim';
import type { ReferralStage, Service } from '../referral/referral';
import type { AgencyCommitment } from './reminder';
import { COURT_SET_KINDS, type DeadlineKind, type Obligor, OWED_BY, type PolicyDocument, type StagePolicy, stagePolicyFor } from './policy';

export const DAY_MS = 86_400_000;
const JURISDICTION_UTC_OFFSET_MS = 3 * 3_600_000;

export interface DeadlineSpec {
  /** Unique per claim: the kind, plus the payment reference for receipts. */
  key: string;
  kind: DeadlineKind;
  owedBy: Obligor;
  /** The date that opens the stage; the deadline is its last day + `days`. */
  anchor: CalendarDate;
  days: number;
  courtSet: boolean;
  /** For a referral's deadlines: which referral, and its provider. */
  referral?: { referralId: string; providerId: string | null; service: Service };
  /** For an agency's commitment: what it committed to. */
  commitment?: AgencyCommitment;
}

/**
 * The latest commitment made on each deadline the State still owes becomes a deadline of its own, falling on the
 * date the agency gave; a commitment on a step since done lapses with it.
 */
export function openCommitmentDeadlines(commitments: AgencyCommitment[], open: DeadlineSpec[]): DeadlineSpec[] {
  const owed = new Set(open.filter((s) => s.owedBy === 'state').map((s) => s.key));
  const latest = new Map<string, AgencyCommitment>();
  for (const c of commitments) if (owed.has(c.deadlineKey)) latest.set(c.deadlineKey, c);
  return [...latest.values()].map((c) => ({
    key: `commitment:${c.reminderId}`, kind: 'agency_commitment' as const, owedBy: 'state' as const, anchor: c.dueOn, days: 0, courtSet: true, commitment: c,
  }));
}

/** What the claim workflow knows of each of its referrals (from their progress signals). */
export interface ReferralSummary {
  referralId: string;
  service: Service;
  stage: ReferralStage;
  providerId: string | null;
  referredOn: CalendarDate | null;
  fundedOn: CalendarDate | null;
  /** The first appointment or the latest session: the provider's next report is due from here. */
  lastCareOn: CalendarDate | null;
}

export function openReferralDeadlines(referrals: ReferralSummary[], policy: PolicyDocument): DeadlineSpec[] {
  const specs: DeadlineSpec[] = [];
  for (const r of referrals) {
    const add = (kind: DeadlineKind, suffix: string, anchor: CalendarDate | null) => {
      if (!anchor) return;
      specs.push({
        key: `referral:${r.referralId}:${suffix}`, kind, owedBy: OWED_BY[kind], anchor, days: stagePolicyFor(policy, kind).days ?? 0,
        courtSet: false, referral: { referralId: r.referralId, providerId: r.providerId, service: r.service },
      });
    };
    if (r.stage === 'referred') add('referral_funding_decision', 'funding_decision', r.referredOn);
    if (r.stage === 'funded') add('referral_first_appointment', 'first_appointment', r.fundedOn);
    if (r.stage === 'in_care') add('referral_session_report', 'session_report', r.lastCareOn);
  }
  return specs;
}

/** The instant a deadline lapses: the end of its last day in Nairobi. */
export function lapseInstant(anchor: CalendarDate, days: number): number {
  const [y, m, d] = addDays(anchor, days + 1).split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - JURISDICTION_UTC_OFFSET_MS;
}

export function openDeadlines(state: ClaimState, policy: PolicyDocument): DeadlineSpec[] {
  if (CLOSED_STAGES.includes(state.stage)) return [];
  const specs: DeadlineSpec[] = [];
  const add = (kind: DeadlineKind, anchor: CalendarDate, courtDays?: number, key: string = kind) => {
    const days = courtDays ?? stagePolicyFor(policy, kind).days ?? 0;
    specs.push({ key, kind, owedBy: OWED_BY[kind], anchor, days, courtSet: COURT_SET_KINDS.includes(kind) });
  };
  const paid = state.stage === 'paid_in_full';

  if (state.stage === 'registered') add('certificate_application', earliestCertificateDate(state.order));
  if (state.stage === 'certificate_issued') add('certificate_service', state.certificate.issuedOn!);
  // A correction of what the State owes (an amended award, a corrected allocation) starts its deadline again from the
  // correction's date, under a key of its own; claims never corrected have no restart, their keys and anchors as always.
  const restart = state.restart;
  const restarted = (kind: DeadlineKind, anchor: CalendarDate) =>
    add(kind, restart ? maxDate(anchor, restart.on) : anchor, undefined, restart ? `${kind}:after-${restart.sequence}` : kind);
  if (state.stage === 'certificate_served') restarted('budget_allocation', state.certificate.servedOn!);
  if (state.stage === 'budget_allocated' || state.stage === 'disbursing') restarted('payment', activeAllocations(state)[0]!.allocatedOn);
  for (const t of activeTranches(state)) {
    const key = `receipt_confirmation:${t.paymentReference}${t.reopenedBy ? `:reopened-${t.reopenedBy}` : ''}`;
    if (t.receivedOn === null) add('receipt_confirmation', t.paidOn, undefined, key);
  }
  const e = state.enforcement;
  if (!paid) {
    // Each court step closes the one before it: the next step is the advocate's to take.
    if (e.noticeServedOn && !e.mandamusFiledOn) add('enforcement_notice', e.noticeServedOn);
    if (e.mandamusGranted && !e.showCauseServedOn) add('mandamus_compliance', e.mandamusGranted.on, e.mandamusGranted.complianceDays);
    if (e.contemptFound) add('contempt_purge', e.contemptFound.on, e.contemptFound.purgeDays);
  }
  return specs;
}

export interface Occurrence {
  level: number;
  occurrence: number;
  at: number;
}

export function compareOccurrences(a: Pick<Occurrence, 'level' | 'occurrence'>, b: Pick<Occurrence, 'level' | 'occurrence'>): number {
  return a.level - b.level || a.occurrence - b.occurrence;
}

function levelStart(lapsesAt: number, stage: StagePolicy, level: number): number {
  return lapsesAt + stage.ladder[level]!.afterDays * DAY_MS;
}

/** The first reminder after `after` (or the first of all): level by level, every `cadenceDays` within a level. */
export function nextOccurrence(lapsesAt: number, stage: StagePolicy, after: Pick<Occurrence, 'level' | 'occurrence'> | null): Occurrence {
  if (!after) return { level: 0, occurrence: 0, at: levelStart(lapsesAt, stage, 0) };
  const at = levelStart(lapsesAt, stage, after.level) + (after.occurrence + 1) * stage.cadenceDays * DAY_MS;
  const nextLevel = after.level + 1;
  if (nextLevel < stage.ladder.length && at >= levelStart(lapsesAt, stage, nextLevel)) {
    return { level: nextLevel, occurrence: 0, at: levelStart(lapsesAt, stage, nextLevel) };
  }
  return { level: after.level, occurrence: after.occurrence + 1, at };
}

/**
 * The latest reminder due at `now`, or null before the deadline. After a gap (a claim registered years late,
 * a worker down) only the current reminder is sent, not every one missed.
 */
export function latestDueOccurrence(lapsesAt: number, stage: StagePolicy, now: number): Occurrence | null {
  if (now < levelStart(lapsesAt, stage, 0)) return null;
  let level = 0;
  while (level + 1 < stage.ladder.length && levelStart(lapsesAt, stage, level + 1) <= now) level++;
  const start = levelStart(lapsesAt, stage, level);
  const occurrence = Math.floor((now - start) / (stage.cadenceDays * DAY_MS));
  return { level, occurrence, at: start + occurrence * stage.cadenceDays * DAY_MS };
}

/** The roles a reminder at `level` goes to, and those copied (every earlier level's). */
export function recipientsAt(stage: StagePolicy, level: number): { to: string[]; cc: string[] } {
  const to = [...stage.ladder[level]!.roles];
  const cc = [...new Set(stage.ladder.slice(0, level).flatMap((s) => s.roles))].filter((r) => !to.includes(r));
  return { to, cc };
}

export function lastDay(spec: Pick<DeadlineSpec, 'anchor' | 'days'>): CalendarDate {
  return addDays(spec.anchor, spec.days);
}

export { compareDates, maxDate };
