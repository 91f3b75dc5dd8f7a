/**
 * One workflow per incident. It records the registration in the incident's own chain and starts a child workflow per
 * track: the investigation at once, an inquest at once for every death, and the prosecution when the investigation
 * forwards its file. Rehabilitation referrals can start from it (no court order needed) as child referral workflows,
 * whose deadlines it keeps, as a claim does for its referrals. It stays open (idle, no timer) once its tracks have
 * closed: a survivor may ask for rehabilitation, or a court order may name the incident, years later.
 */
import {
  ParentClosePolicy, allHandlersFinished, condition, continueAsNew, proxyActivities, proxyLocalActivities,
  setHandler, startChild, workflowInfo,
} from '@temporalio/workflow';
import type { createEscalationActivities } from '../../activities/escalation/deliver';
import type { createIncidentActivities } from '../../activities/incident/record';
import { calendarDateAt, daysBetween } from '../../domain/calendar-date';
import {
  type DeadlinePolicy, type ReferralSummary, type Tracker, DAY_MS, REMINDER_DELIVERY, dueReminders, lapseDate, lastDay, nextWake,
  openReferralDeadlines, recipientsAt, reconcile, stagePolicyFor, viewDeadlines,
} from '../../domain/escalation';
import {
  type Incident, type IncidentEvent, type IncidentReminderContent, type IncidentState, type TrackName, ODPP, evolveIncident,
  initialTracks, newIncident, trackStart, trackWorkflowId,
} from '../../domain/incident';
import { CLOSED_REFERRAL_STAGES, referralRequestSchema } from '../../domain/referral';
import { describeIssues, issuesOf } from '../../domain/validation';
import { referralProgressSignal, referralWorkflowId } from '../referral/messages';
import { referralWorkflow } from '../referral/workflow';
import {
  type LiveIncidentStatus, type RecentEvent, awaitIncidentRecordUpdate, incidentStatusQuery, linkClaimSignal,
  requestIncidentReferralUpdate, trackProgressSignal,
} from './messages';
import { SYSTEM_ACTOR, TRACK_WORKFLOW_TYPES, type TrackWorkflowInput, refusedFailure } from './track';

const recordRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { recordIncidentEvent, projectIncidentDeadlines } = proxyLocalActivities<ReturnType<typeof createIncidentActivities>>({
  startToCloseTimeout: '30 seconds', localRetryThreshold: '10 seconds', retry: recordRetry,
});
const { deliverReminder } = proxyActivities<ReturnType<typeof createEscalationActivities>>({
  startToCloseTimeout: REMINDER_DELIVERY.startToCloseMs,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const DEFAULT_CONTINUE_AS_NEW_AFTER = 2_000;

export interface IncidentWorkflowInput {
  incidentId: string;
  incident: Incident;
  registeredBy: string;
  /** Random id of the registration call that started the incident (see awaitIncidentRecordUpdate). */
  registrationId?: string;
  policy: DeadlinePolicy;
  continueAsNewAfterEvents?: number;
  carried?: {
    state: IncidentState;
    lastSequence: number;
    recentEvents: RecentEvent[];
    tracker: Tracker;
    remindersSent: Record<string, number>;
    referrals: Record<string, ReferralSummary>;
  };
}

export async function incidentWorkflow(input: IncidentWorkflowInput): Promise<LiveIncidentStatus> {
  const { incidentId, policy } = input;
  const today = () => calendarDateAt(Date.now());
  let state: IncidentState = input.carried?.state ?? newIncident(incidentId, input.incident, today());
  let lastSequence = input.carried?.lastSequence ?? 0;
  let recordedSequence = lastSequence;
  const recentEvents: RecentEvent[] = [...(input.carried?.recentEvents ?? [])];
  let tracker: Tracker = input.carried?.tracker ?? {};
  const remindersSent: Record<string, number> = { ...(input.carried?.remindersSent ?? {}) };
  const referrals: Record<string, ReferralSummary> = { ...(input.carried?.referrals ?? {}) };
  const openReferrals = () => Object.values(referrals).filter((r) => !CLOSED_REFERRAL_STAGES.includes(r.stage)).length;
  /** Tracks being started (the record, then the child): the incident does not close under them. */
  const starting = new Set<Promise<void>>();
  let changes = 0;
  let recording: Promise<void> = Promise.resolve();
  const deliveries = new Set<Promise<void>>();

  const escalationLevel = () => Math.max(-1, ...Object.values(tracker).map((d) => d.last?.level ?? -1));
  /** Nothing open: every track and referral closed (the incident then waits, with no timer, for what comes next). */
  const settled = () => starting.size === 0 && openReferrals() === 0 && Object.values(state.tracks).every((t) => t.closed);
  const status = (): LiveIncidentStatus => ({
    incidentId, state, lastSequence, recordedSequence, policyVersion: policy.version,
    deadlines: viewDeadlines(tracker, policy, remindersSent), escalationLevel: escalationLevel(), referrals: Object.values(referrals),
    settled: settled(),
  });

  /** Writes queued and not yet done: the run ends (or continues as new) only once there are none. */
  let pendingWrites = 0;
  function enqueue(write: () => Promise<unknown>): Promise<void> {
    pendingWrites++;
    const done = recording.then(async () => { await write(); });
    recording = done;
    void done.finally(() => { pendingWrites--; });
    return done;
  }

  function append(event: IncidentEvent, actor: string): Promise<number> {
    const sequence = ++lastSequence;
    const occurredAt = new Date(Date.now()).toISOString();
    state = evolveIncident(state, event);
    changes++;
    recentEvents.push({ sequence, type: event.type, actor, occurredAt });
    if (recentEvents.length > 50) recentEvents.shift();
    const workflowId = workflowInfo().workflowId;
    return enqueue(async () => {
      await recordIncidentEvent({
        incidentId, chain: 'incident', workflowId, sequence, actor, occurredAt, event,
        ...(event.type === 'incident_registered' ? { policyVersion: policy.version } : {}),
      });
      recordedSequence = sequence;
    }).then(() => sequence);
  }

  /** Records the track's start, then starts its workflow; reserved at once so no track starts twice. */
  function startTrack(track: TrackName, openedOn: string, actor: string): Promise<void> {
    const start = trackStart(state, track, openedOn);
    const started = append({ type: 'track_started', track, start }, actor).then(async () => {
      const args: TrackWorkflowInput = {
        track, start, parentWorkflowId: workflowInfo().workflowId, policy,
        documentingOrganisationId: state.incident.documentingOrganisationId ?? null, openedBy: actor,
        ...(input.continueAsNewAfterEvents ? { continueAsNewAfterEvents: input.continueAsNewAfterEvents } : {}),
      };
      // Abandoned, not ended, if this run continues as new: the tracks report to the incident's workflow id.
      await startChild(TRACK_WORKFLOW_TYPES[track], { workflowId: trackWorkflowId(incidentId, track), parentClosePolicy: ParentClosePolicy.ABANDON, args: [args] });
    });
    starting.add(started);
    void started.then(() => starting.delete(started));
    return started;
  }

  // Registration is appended before any handler exists: sequence 1 is the registration whatever arrived with the start.
  const registration = input.carried ? Promise.resolve(lastSequence) : append({ type: 'incident_registered', incident: input.incident, investigatingBodyId: state.investigatingBodyId }, input.registeredBy);
  const tracksReady = input.carried ? Promise.resolve() : registration.then(async () => {
    await Promise.all(initialTracks(state).map((track) => startTrack(track, state.registeredOn, input.registeredBy)));
  });

  setHandler(awaitIncidentRecordUpdate, async (ask) => {
    await tracksReady;
    await recording;
    return { ...status(), startedByThisRegistration: ask?.registrationId !== undefined && ask.registrationId === input.registrationId };
  });
  setHandler(incidentStatusQuery, status);

  setHandler(trackProgressSignal, (p) => {
    state = { ...state, tracks: { ...state.tracks, [p.track]: { stage: p.facts.stage, closed: p.facts.closed } } };
    changes++;
    // The investigation forwarded its file: the prosecution starts, once.
    if (p.track === 'investigation' && p.facts.forwardedOn && !state.forwarded) {
      state = { ...state, forwarded: { on: p.facts.forwardedOn, prosecutingBodyId: p.facts.prosecutingBodyId ?? ODPP } };
      state = { ...state, tracks: { ...state.tracks, prosecution: { stage: 'file_received', closed: false } } };
      void startTrack('prosecution', p.facts.forwardedOn, p.actor);
    }
  });

  setHandler(linkClaimSignal, ({ claimId, actor }) => {
    if (state.linkedClaims.includes(claimId)) return;
    void append({ type: 'claim_linked', claimId }, actor);
  });

  setHandler(requestIncidentReferralUpdate, async ({ referralId, ...request }) => {
    const parsed = referralRequestSchema.parse(request);
    // Reserved before the first await, so a concurrent request for the same id is refused by its validator.
    referrals[referralId] = { referralId, service: parsed.service, stage: 'consented', providerId: null, referredOn: null, fundedOn: null, lastCareOn: null };
    await append({ type: 'referral_requested', referralId, service: parsed.service, beneficiaryKind: parsed.beneficiary.kind }, parsed.actor);
    await startChild(referralWorkflow, {
      workflowId: referralWorkflowId(referralId), parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ referralId, claimId: null, incidentId, claimWorkflowId: workflowInfo().workflowId, request: parsed }],
    });
    return status();
  }, {
    validator: ({ referralId, ...request }) => {
      const parsed = referralRequestSchema.safeParse(request);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        throw refusedFailure({ kind: 'invalid', field: issues[0]?.field, reason: describeIssues(issues) });
      }
      if (typeof referralId !== 'string' || !/^[A-Za-z0-9.-]{1,200}$/.test(referralId)) throw refusedFailure({ kind: 'invalid', field: 'referralId', reason: 'referralId is malformed' });
      if (referrals[referralId]) throw refusedFailure({ kind: 'conflict', field: 'referralId', reason: `referral ${referralId} already exists` });
    },
  });
  setHandler(referralProgressSignal, (p) => {
    if (p.step === 'requested') return; // already recorded as referral_requested
    referrals[p.referralId] = {
      referralId: p.referralId, service: p.service, stage: p.stage, providerId: p.providerId,
      referredOn: p.referredOn, fundedOn: p.fundedOn, lastCareOn: p.lastCareOn,
    };
    void append({ type: 'referral_step', referralId: p.referralId, step: p.step, stage: p.stage }, p.actor);
  });

  await registration;
  await tracksReady;

  const limit = input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER;
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;

  let projected = '';
  for (;;) {
    tracker = reconcile(tracker, openReferralDeadlines(Object.values(referrals), policy), Date.now(), false);
    for (const { key, occurrence } of dueReminders(tracker, policy, Date.now())) sendReminder(key, occurrence.level, occurrence.occurrence);
    const deadlines = viewDeadlines(tracker, policy, remindersSent);
    const level = escalationLevel();
    const view = JSON.stringify([deadlines, level]);
    if (view !== projected) {
      projected = view;
      void enqueue(() => projectIncidentDeadlines({ incidentId, chain: 'incident', deadlines, escalationLevel: level }));
    }
    if (historyIsLong()) break;
    const seen = changes;
    const wake = nextWake(tracker, policy);
    const woken = () => changes !== seen || historyIsLong();
    if (wake === null) await condition(woken);
    else await condition(woken, Math.max(1, wake - Date.now()));
  }

  function sendReminder(key: string, level: number, occurrence: number): void {
    const deadline = tracker[key]!;
    const stage = stagePolicyFor(policy, deadline.spec.kind);
    const previousLevel = deadline.last?.level ?? -1;
    tracker = { ...tracker, [key]: { ...deadline, last: { level, occurrence } } };
    remindersSent[key] = (remindersSent[key] ?? 0) + 1;
    const { to, cc } = recipientsAt(stage, level);
    if (level > previousLevel) void append({ type: 'deadline_escalated', deadlineKey: key, kind: deadline.spec.kind, level, roles: to }, SYSTEM_ACTOR);
    const reminder: IncidentReminderContent = {
      incidentId, track: 'incident', investigatingBodyId: state.investigatingBodyId, prosecutingBodyId: state.forwarded?.prosecutingBodyId ?? null,
      documentingOrganisationId: state.incident.documentingOrganisationId ?? null, deadlineKey: key, kind: deadline.spec.kind,
      owedBy: deadline.spec.owedBy, level, occurrence, to, cc, dueDate: lastDay(deadline.spec), asOf: today(),
      daysOverdue: Math.max(0, daysBetween(lapseDate(deadline.lapsesAt - DAY_MS), today())), policyVersion: policy.version,
      ...(deadline.spec.referral ? { referral: deadline.spec.referral } : {}),
    };
    const delivered = append({ type: 'reminder_queued', reminder }, SYSTEM_ACTOR)
      .then(() => deliverReminder({ incidentId, deadlineKey: key, level, occurrence }))
      .then(() => undefined);
    deliveries.add(delivered);
    void delivered.then(() => deliveries.delete(delivered));
  }

  // One condition, checked after every message of an activation (see workflows/incident/track.ts).
  await condition(() => allHandlersFinished() && pendingWrites === 0 && deliveries.size === 0 && starting.size === 0);
  return continueAsNew<typeof incidentWorkflow>({
    ...input, carried: { state, lastSequence, recentEvents, tracker, remindersSent, referrals },
  });
}
