/**
 * One workflow per track of an incident (investigation, prosecution, inquest), a child of the incident workflow.
 * It decides each step with the track's pure rules (domain/incident), records every accepted step in the track's own
 * chain through a local activity, tells the incident, and keeps each waiting step's deadline as a durable timer that
 * climbs the ladder (the body holding the track, then the oversight bodies) through the reminder outbox.
 */
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, proxyActivities,
  proxyLocalActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { createIncidentActivities } from '../../activities/incident/record';
import type { createEscalationActivities } from '../../activities/escalation/deliver';
import { calendarDateAt, daysBetween } from '../../domain/calendar-date';
import {
  type DeadlinePolicy, type Tracker, DAY_MS, REMINDER_DELIVERY, dueReminders, lapseDate, lapseInstant, lastDay, nextWake, reconcile,
  recipientsAt, stagePolicyFor, viewDeadlines,
} from '../../domain/escalation';
import {
  type IncidentReminderContent, type StepEvent, type TrackCommand, type TrackEvent, type TrackName, type TrackRefusal, type TrackStart,
  type TrackState, TRACK_COMMANDS, TRACK_DEFINITIONS, decideStep, evolveStep, trackDeadlines,
} from '../../domain/incident';
import { describeIssues, issuesOf } from '../../domain/validation';
import {
  type LiveTrackStatus, type RecentEvent, TRACK_COMMAND_REFUSED, type TrackCommandResult, trackProgressSignal, trackStatusQuery, trackUpdates,
} from './messages';

const recordRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { recordIncidentEvent, projectIncidentDeadlines } = proxyLocalActivities<ReturnType<typeof createIncidentActivities>>({
  startToCloseTimeout: '30 seconds', localRetryThreshold: '10 seconds', retry: recordRetry,
});
const { deliverReminder } = proxyActivities<ReturnType<typeof createEscalationActivities>>({
  startToCloseTimeout: REMINDER_DELIVERY.startToCloseMs,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const RECENT_EVENTS = 50;
const DEFAULT_CONTINUE_AS_NEW_AFTER = 2_000;
export const SYSTEM_ACTOR = 'redress';

export interface TrackWorkflowInput {
  track: TrackName;
  start: TrackStart;
  /** The incident workflow, told of every step. */
  parentWorkflowId: string;
  policy: DeadlinePolicy;
  documentingOrganisationId: string | null;
  openedBy: string;
  continueAsNewAfterEvents?: number;
  carried?: { state: TrackState; lastSequence: number; recentEvents: RecentEvent[]; tracker: Tracker; remindersSent: Record<string, number> };
}

export function refusedFailure(refusal: TrackRefusal): ApplicationFailure {
  return ApplicationFailure.create({ type: TRACK_COMMAND_REFUSED, message: refusal.reason, details: [refusal], nonRetryable: true });
}

export async function runTrack(input: TrackWorkflowInput): Promise<LiveTrackStatus> {
  const def = TRACK_DEFINITIONS[input.track];
  const { incidentId } = input.start;
  const policy = input.policy;
  let state = (input.carried?.state ?? def.initial(input.start)) as TrackState;
  let lastSequence = input.carried?.lastSequence ?? 0;
  let recordedSequence = lastSequence;
  const recentEvents: RecentEvent[] = [...(input.carried?.recentEvents ?? [])];
  let tracker: Tracker = input.carried?.tracker ?? {};
  const remindersSent: Record<string, number> = { ...(input.carried?.remindersSent ?? {}) };
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let changes = 0;
  let recording: Promise<void> = Promise.resolve();
  const deliveries = new Set<Promise<void>>();

  const today = () => calendarDateAt(Date.now());
  const escalationLevel = () => Math.max(-1, ...Object.values(tracker).map((d) => d.last?.level ?? -1));
  const closed = () => def.isClosed(state);
  const status = (): LiveTrackStatus => ({
    incidentId, track: input.track, stage: state.stage, closed: closed(), state, lastSequence, recordedSequence,
    // The deadlines of the state as it is now: an update's answer comes before the loop below reconciles the tracker.
    recentEvents: [...recentEvents], policyVersion: policy.version,
    deadlines: viewDeadlines(reconcile(tracker, trackDeadlines(def, state, policy), Date.now(), false), policy, remindersSent),
    escalationLevel: escalationLevel(),
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

  function append(event: TrackEvent, actor: string): Promise<number> {
    const sequence = ++lastSequence;
    const occurredAt = new Date(Date.now()).toISOString();
    state = evolveStep(def, state, event, sequence) as TrackState;
    changes++;
    recentEvents.push({ sequence, type: event.type, actor, occurredAt });
    if (recentEvents.length > RECENT_EVENTS) recentEvents.shift();
    const facts = def.facts(state);
    const workflowId = workflowInfo().workflowId;
    return enqueue(async () => {
      await recordIncidentEvent({
        incidentId, chain: input.track, workflowId, sequence, actor, occurredAt, event, facts,
        ...(event.type === 'track_opened' ? { policyVersion: policy.version } : {}),
      });
      recordedSequence = sequence;
    }).then(() => sequence);
  }

  /** A step of the track itself: recorded, then reported to the incident (in order, after the record). */
  function step(event: StepEvent, actor: string): Promise<number> {
    const recorded = append(event, actor);
    const facts = def.facts(state);
    void enqueue(() => parent.signal(trackProgressSignal, { track: input.track, step: event.type, actor, facts }));
    return recorded;
  }

  function parse(name: string, raw: unknown): TrackCommand {
    const parsed = def.commandSchemas[name]!.safeParse(raw);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      throw refusedFailure({ kind: 'invalid', field: issues[0]?.field, reason: describeIssues(issues) });
    }
    return { name, input: parsed.data as TrackCommand['input'] };
  }

  // The track's first event is its opening (what it started from); handlers deliver buffered updates after it.
  const opening = input.carried ? Promise.resolve(lastSequence) : append({ type: 'track_opened', start: input.start }, input.openedBy);

  for (const name of TRACK_COMMANDS[input.track]) {
    setHandler(trackUpdates[name], async (raw: unknown): Promise<TrackCommandResult> => {
      const command = parse(name, raw);
      // Decided again here: another update may have changed the track since this one was validated.
      const decision = decideStep(def, state, command, today());
      if (decision.outcome === 'refused') throw refusedFailure(decision.refusal);
      if (decision.outcome === 'duplicate') {
        await recording;
        return { sequence: decision.sequence, duplicate: true, status: status() };
      }
      const sequence = await step(decision.event, command.input.actor);
      return { sequence, duplicate: false, status: status() };
    }, {
      validator: (raw: unknown) => {
        const decision = decideStep(def, state, parse(name, raw), today());
        if (decision.outcome === 'refused') throw refusedFailure(decision.refusal);
      },
    });
  }
  setHandler(trackStatusQuery, status);

  await opening;

  const limit = input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER;
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;
  let projected = '';
  for (;;) {
    // A period that ends the track by itself (the appeal period): taken the day after it ends.
    const lapse = def.lapse?.(state as never) ?? null;
    if (lapse && today() > lapse.after) {
      await step({ type: def.eventOf[lapse.command]!, ...lapse.fields }, SYSTEM_ACTOR);
      continue;
    }
    tracker = reconcile(tracker, trackDeadlines(def, state, policy), Date.now(), false);
    for (const { key, occurrence } of dueReminders(tracker, policy, Date.now())) sendReminder(key, occurrence.level, occurrence.occurrence);
    const deadlines = viewDeadlines(tracker, policy, remindersSent);
    const level = escalationLevel();
    const view = JSON.stringify([deadlines, level]);
    if (view !== projected) {
      projected = view;
      void enqueue(() => projectIncidentDeadlines({ incidentId, chain: input.track, deadlines, escalationLevel: level }));
    }
    if (closed() || historyIsLong()) break;
    const seen = changes;
    const wakes = [nextWake(tracker, policy), lapse ? lapseInstant(lapse.after, 0) : null].filter((w): w is number => w !== null);
    const woken = () => changes !== seen || closed() || historyIsLong();
    if (wakes.length === 0) await condition(woken);
    else await condition(woken, Math.max(1, Math.min(...wakes) - Date.now()));
  }

  function sendReminder(key: string, level: number, occurrence: number): void {
    const deadline = tracker[key]!;
    const stage = stagePolicyFor(policy, deadline.spec.kind);
    const previousLevel = deadline.last?.level ?? -1;
    tracker = { ...tracker, [key]: { ...deadline, last: { level, occurrence } } };
    remindersSent[key] = (remindersSent[key] ?? 0) + 1;
    const { to, cc } = recipientsAt(stage, level);
    if (level > previousLevel) {
      void append({ type: 'deadline_escalated', deadlineKey: key, kind: deadline.spec.kind, level, roles: to }, SYSTEM_ACTOR);
    }
    const reminder: IncidentReminderContent = {
      incidentId, track: input.track, investigatingBodyId: input.start.investigatingBodyId,
      prosecutingBodyId: input.start.prosecutingBodyId ?? (input.track === 'investigation' ? null : 'odpp'),
      documentingOrganisationId: input.documentingOrganisationId, deadlineKey: key, kind: deadline.spec.kind, owedBy: deadline.spec.owedBy,
      level, occurrence, to, cc, dueDate: lastDay(deadline.spec), asOf: today(),
      daysOverdue: Math.max(0, daysBetween(lapseDate(deadline.lapsesAt - DAY_MS), today())), policyVersion: policy.version,
    };
    const delivered = append({ type: 'reminder_queued', reminder }, SYSTEM_ACTOR)
      .then(() => deliverReminder({ incidentId, deadlineKey: key, level, occurrence }))
      .then(() => undefined);
    deliveries.add(delivered);
    void delivered.then(() => deliveries.delete(delivered));
  }

  // One condition, checked after every message of an activation: no step in flight, nothing left to write or send.
  // (Awaiting each in turn would let an update accepted meanwhile be cut off by the continue-as-new.)
  await condition(() => allHandlersFinished() && pendingWrites === 0 && deliveries.size === 0);
  if (closed()) return status();
  return continueAsNew<(i: TrackWorkflowInput) => Promise<LiveTrackStatus>>({
    ...input, carried: { state, lastSequence, recentEvents, tracker, remindersSent },
  });
}

export async function investigationWorkflow(input: TrackWorkflowInput): Promise<LiveTrackStatus> {
  return runTrack({ ...input, track: 'investigation' });
}
export async function prosecutionWorkflow(input: TrackWorkflowInput): Promise<LiveTrackStatus> {
  return runTrack({ ...input, track: 'prosecution' });
}
export async function inquestWorkflow(input: TrackWorkflowInput): Promise<LiveTrackStatus> {
  return runTrack({ ...input, track: 'inquest' });
}
export const TRACK_WORKFLOW_TYPES: Record<TrackName, string> = {
  investigation: 'investigationWorkflow', prosecution: 'prosecutionWorkflow', inquest: 'inquestWorkflow',
};
