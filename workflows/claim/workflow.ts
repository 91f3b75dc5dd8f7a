/**
 * One workflow per court order. It holds the claim's state, decides each command with the pure rules in
 * domain/claim, records every accepted step in order through the recordClaimEvent activity, and (from the
 * `deadlines-v1` patch on) keeps every open deadline as a durable timer that sends reminders up the ladder.
 */
import {
  ApplicationFailure, ParentClosePolicy, allHandlersFinished, condition, continueAsNew, patched, proxyActivities,
  proxyLocalActivities, setHandler, startChild, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { ESCALATION_LEVEL, NEXT_DEADLINE, RESPONDENT_AGENCY, STAGE, STAYED } from '../search-attributes';
import type { createClaimActivities } from '../../activities/claim/record';
import type { createEscalationActivities } from '../../activities/escalation/deliver';
import type { createNoticeActivities } from '../../activities/escalation/notices';
import { calendarDateAt, compareDates, daysBetween } from '../../domain/calendar-date';
import {
  type AnyCommand, type ClaimEvent, type ClaimState, type CommandName, type CourtOrder,
  CLOSED_STAGES, COMMAND_NAMES, type Refusal, activeAllocations, activeTranches, commandSchemas, decide, evolve, initialState, statusOf,
} from '../../domain/claim';
import {
  type AgencyCommitment, type DeadlinePolicy, isNotifiable, type ReferralSummary, acknowledgmentInputSchema, openCommitmentDeadlines, type ReminderContent, type Tracker, DAY_MS, REMINDER_DELIVERY, dueReminders, lapseDate, lastDay,
  nextWake, openDeadlines, openReferralDeadlines, pause, pauseFrom, policyDocumentSchema, recipientsAt, reconcile, registrationGraceMs,
  resume, resumeOn, stagePolicyFor, viewDeadlines,
} from '../../domain/escalation';
import { CLOSED_REFERRAL_STAGES, referralRequestSchema } from '../../domain/referral';
import { referralProgressSignal, referralWorkflowId } from '../referral/messages';
import { referralWorkflow } from '../referral/workflow';
import { describeIssues, issuesOf } from '../../domain/validation';
import {
  type AwaitRecordInput, COMMAND_REFUSED, type CommandResult, type EventSummary, type LiveClaimStatus,
  acknowledgeReminderUpdate, awaitRecordUpdate, claimUpdates, migratePolicyUpdate, requestReferralUpdate, statusQuery,
} from './messages';

// The record must never lose a step: retry through a database outage for as long as it lasts.
const recordRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const recordActivities = proxyActivities<ReturnType<typeof createClaimActivities>>({ startToCloseTimeout: '30 seconds', retry: recordRetry });
// From `local-recording-v1` on, the record is written by local activities: they run inside the workflow task that
// decided the step, so a registration costs one workflow task instead of three plus two activity tasks. Retries
// past the local threshold back off on a durable timer, so a long database outage is still outlasted.
const recordLocalActivities = proxyLocalActivities<ReturnType<typeof createClaimActivities>>({
  startToCloseTimeout: '30 seconds', localRetryThreshold: '10 seconds', retry: recordRetry,
});
// Mail goes out through SMTP outages too; the outbox row, leased by one attempt at a time, makes every retry send
// the same reminder once. The SMTP client's timeouts are shorter than an attempt (domain/escalation/delivery.ts).
const { deliverAdvocateNotice } = proxyActivities<ReturnType<typeof createNoticeActivities>>({
  startToCloseTimeout: REMINDER_DELIVERY.startToCloseMs,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
const { deliverReminder } = proxyActivities<ReturnType<typeof createEscalationActivities>>({
  startToCloseTimeout: REMINDER_DELIVERY.startToCloseMs,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const RECENT_EVENTS = 50;
const DEFAULT_CONTINUE_AS_NEW_AFTER = 2_000;
/** The actor recorded for steps the workflow takes itself (reminders, escalations). */
const SYSTEM_ACTOR = 'redress';

export interface ClaimWorkflowInput {
  claimId: string;
  order: CourtOrder;
  registeredBy: string;
  /** Random id of the registration call that started the claim (see awaitRecordUpdate). */
  registrationId?: string;
  /** The deadline policy the claim starts with (absent in claims started before deadlines existed). */
  policy?: DeadlinePolicy;
  /** History length after which the claim continues as new (Temporal's hard limit is 51,200 events). */
  continueAsNewAfterEvents?: number;
  /** State carried over by continue-as-new. */
  carried?: {
    state: ClaimState;
    lastSequence: number;
    recentEvents: EventSummary[];
    tracker?: Tracker;
    remindersSent?: Record<string, number>;
    referrals?: Record<string, ReferralSummary>;
    /** When the claim was registered (workbench-v1): the registration grace period counts from it. */
    registeredAtMs?: number;
    /** Reminders acknowledged through their links, and the commitments made there. */
    acknowledged?: string[];
    commitments?: AgencyCommitment[];
  };
}

function refusedFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: COMMAND_REFUSED, message: refusal.reason, details: [refusal], nonRetryable: true });
}

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<LiveClaimStatus> {
  const { claimId } = input;
  // Claims started before deadlines existed replay without them (their histories are in test/replay).
  const deadlinesEnabled = patched('deadlines-v1') && input.policy !== undefined;
  const referralsEnabled = patched('referrals-v1');
  // workbench-v1: stays run between the court's dates, corrections restart the State's deadlines, and no reminder goes
  // out in the registration grace period (the policy's registrationGraceHours) while a legacy order's history is entered.
  const workbench = patched('workbench-v1');
  const { recordClaimEvent, projectDeadlines } = patched('local-recording-v1') ? recordLocalActivities : recordActivities;
  // From `search-attributes-v1` on, the claim keeps its search attributes (workflows/search-attributes.ts) current.
  const searchable = patched('search-attributes-v1');
  let published = '';
  let policy: DeadlinePolicy | undefined = input.policy;
  let state: ClaimState = input.carried?.state ?? initialState(claimId, input.order);
  let lastSequence = input.carried?.lastSequence ?? 0;
  let recordedSequence = lastSequence;
  const recentEvents: EventSummary[] = [...(input.carried?.recentEvents ?? [])];
  let tracker: Tracker = input.carried?.tracker ?? {};
  // A claim carried over from a run before workbench-v1 has no registration instant: its grace is long over.
  const registeredAtMs = input.carried ? (input.carried.registeredAtMs ?? 0) : Date.now();
  const acknowledged = new Set<string>(input.carried?.acknowledged ?? []);
  const commitments: AgencyCommitment[] = [...(input.carried?.commitments ?? [])];
  const remindersSent: Record<string, number> = { ...(input.carried?.remindersSent ?? {}) };
  const referrals: Record<string, ReferralSummary> = { ...(input.carried?.referrals ?? {}) };
  const openReferrals = () => Object.values(referrals).filter((r) => !CLOSED_REFERRAL_STAGES.includes(r.stage)).length;
  /** Bumped on every change the deadline loop must react to. */
  let changes = 0;
  // Events are recorded strictly in sequence: each hash in the chain needs the one before it.
  let recording: Promise<void> = Promise.resolve();
  const deliveries = new Set<Promise<void>>();

  const today = () => calendarDateAt(Date.now());
  const escalationLevel = () => Math.max(-1, ...Object.values(tracker).map((d) => d.last?.level ?? -1));
  const status = (): LiveClaimStatus => ({
    ...statusOf(state, today()), lastSequence, recordedSequence, recentEvents: [...recentEvents],
    policyVersion: policy?.version ?? null,
    deadlines: policy ? viewDeadlines(tracker, policy, remindersSent) : [],
    escalationLevel: escalationLevel(),
    referrals: Object.values(referrals),
  });

  function enqueue(write: () => Promise<unknown>): Promise<void> {
    const done = recording.then(async () => { await write(); });
    recording = done;
    return done;
  }

  function append(event: ClaimEvent, actor: string): Promise<number> {
    const sequence = ++lastSequence;
    const occurredAt = new Date(Date.now()).toISOString();
    const wasStayed = state.stay !== null;
    state = evolve(state, event, sequence);
    if (!wasStayed && state.stay) tracker = workbench ? pauseFrom(tracker, Date.now(), state.stay.grantedOn) : pause(tracker, Date.now());
    if (wasStayed && !state.stay) tracker = workbench && event.type === 'stay_lifted' ? resumeOn(tracker, event.liftedOn) : resume(tracker, Date.now());
    changes++;
    recentEvents.push({ sequence, type: event.type, actor, occurredAt });
    if (recentEvents.length > RECENT_EVENTS) recentEvents.shift();
    const projection = {
      stage: state.stage,
      stayed: state.stay !== null,
      paidCents: activeTranches(state).reduce((sum, t) => sum + t.amountCents, 0),
      allocatedCents: activeAllocations(state).reduce((sum, a) => sum + a.amountCents, 0),
      certificateIssuedOn: state.certificate.issuedOn,
      certificateServedOn: state.certificate.servedOn,
      ...(policy ? { policyVersion: policy.version } : {}),
      // Only corrections change these; other events leave their activity input as it always was.
      ...(event.type === 'order_amended' || event.type === 'advocate_reassigned' ? {
        advocateId: state.order.advocateId, awardedCents: state.order.components.reduce((sum, c) => sum + c.amountCents, 0),
      } : {}),
    };
    const workflowId = workflowInfo().workflowId;
    const recorded = enqueue(async () => {
      await recordClaimEvent({ claimId, workflowId, sequence, actor, occurredAt, event, projection });
      recordedSequence = sequence;
    }).then(() => sequence);
    // The advocate hears of it (workbench-v1): its notice was queued with the event; sent at once if they chose so.
    if (workbench && isNotifiable(event)) {
      const sent = recorded.then(() => deliverAdvocateNotice({ claimId, sequence })).then(() => undefined);
      deliveries.add(sent);
      void sent.then(() => deliveries.delete(sent));
    }
    return recorded;
  }

  function parseCommand(name: CommandName, raw: unknown): AnyCommand {
    const parsed = commandSchemas[name].safeParse(raw);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      throw refusedFailure({ kind: 'invalid', field: issues[0]?.field, reason: describeIssues(issues) });
    }
    return { name, input: parsed.data } as AnyCommand;
  }

  // Registration is appended before any handler exists: setHandler delivers buffered updates at once, and
  // sequence 1 must be the registration whatever arrived with the start.
  const registration = input.carried ? Promise.resolve(lastSequence) : append({ type: 'claim_registered', order: input.order }, input.registeredBy);

  for (const name of COMMAND_NAMES) {
    setHandler(claimUpdates[name], async (raw: unknown): Promise<CommandResult> => {
      const command = parseCommand(name, raw);
      // Decided again here: another update may have changed the claim since this one was validated.
      const decision = decide(state, command, today());
      if (decision.outcome === 'refused') throw refusedFailure(decision.refusal);
      if (decision.outcome === 'duplicate') {
        await recording;
        return { sequence: decision.sequence, duplicate: true, status: status() };
      }
      const sequence = await append(decision.event, command.input.actor);
      return { sequence, duplicate: false, status: status() };
    }, {
      validator: (raw: unknown) => {
        const decision = decide(state, parseCommand(name, raw), today());
        if (decision.outcome === 'refused') throw refusedFailure(decision.refusal);
      },
    });
  }
  setHandler(awaitRecordUpdate, async (ask?: AwaitRecordInput) => {
    await recording;
    const registrationId = ask?.registrationId;
    return { ...status(), startedByThisRegistration: registrationId !== undefined && registrationId === input.registrationId };
  });
  setHandler(statusQuery, status);
  if (deadlinesEnabled) {
    setHandler(migratePolicyUpdate, async ({ actor, policy: next }) => {
      const fromVersion = policy!.version;
      policy = { ...policyDocumentSchema.parse({ stages: next.stages, ...(workbench && next.registrationGraceHours !== undefined ? { registrationGraceHours: next.registrationGraceHours } : {}) }), version: next.version };
      await append({ type: 'policy_migrated', fromVersion, toVersion: next.version }, actor);
      return status();
    }, {
      validator: ({ actor, policy: next }) => {
        const parsed = policyDocumentSchema.safeParse({ stages: next?.stages });
        if (!parsed.success) throw refusedFailure({ kind: 'invalid', field: 'policy', reason: describeIssues(issuesOf(parsed.error)) });
        if (typeof actor !== 'string' || actor.trim() === '') throw refusedFailure({ kind: 'invalid', field: 'actor', reason: 'actor is required' });
        if (!Number.isInteger(next.version) || next.version <= policy!.version) {
          throw refusedFailure({ kind: 'conflict', field: 'policyVersion', reason: `the claim is on policy version ${policy!.version}; it can only move to a newer one` });
        }
        if (CLOSED_STAGES.includes(state.stage)) throw refusedFailure({ kind: 'conflict', reason: `the claim is ${state.stage}; it has no deadlines to migrate` });
      },
    });
  }

  // No new command enters history here unless an officer uses a link: safe for claims of any version.
  setHandler(acknowledgeReminderUpdate, async (ask) => {
    const input = acknowledgmentInputSchema.parse({ officerName: ask.officerName, officerRole: ask.officerRole, commitment: ask.commitment });
    acknowledged.add(ask.reminderId);
    if (input.commitment) {
      commitments.push({ reminderId: ask.reminderId, deadlineKey: ask.deadlineKey, ...input.commitment, officerName: input.officerName, madeOn: today() });
    }
    await append({
      type: 'reminder_acknowledged', reminderId: ask.reminderId, deadlineKey: ask.deadlineKey, kind: ask.kind, level: ask.level, officerName: input.officerName,
      ...(input.officerRole ? { officerRole: input.officerRole } : {}), ...(input.commitment ? { commitment: input.commitment } : {}),
    }, `agency:${state.order.respondentAgencyId}`);
    return status();
  }, {
    validator: (ask) => {
      const parsed = acknowledgmentInputSchema.safeParse({ officerName: ask?.officerName, officerRole: ask?.officerRole, commitment: ask?.commitment });
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        throw refusedFailure({ kind: 'invalid', field: issues[0]?.field, reason: describeIssues(issues) });
      }
      if (typeof ask.reminderId !== 'string' || !/^\d{1,18}$/.test(ask.reminderId)) throw refusedFailure({ kind: 'invalid', field: 'reminderId', reason: 'reminderId is malformed' });
      if (acknowledged.has(ask.reminderId)) throw refusedFailure({ kind: 'conflict', reason: 'this reminder was already acknowledged' });
      const c = parsed.data.commitment;
      if (c) {
        if (!tracker[ask.deadlineKey]) throw refusedFailure({ kind: 'conflict', field: 'commitment', reason: 'the step this reminder asked for is already recorded as done; there is nothing to commit to' });
        if (compareDates(c.dueOn, today()) < 0) throw refusedFailure({ kind: 'invalid', field: 'commitment.dueOn', reason: `commitment.dueOn ${c.dueOn} is in the past (today is ${today()})` });
        if (daysBetween(today(), c.dueOn) > 365) throw refusedFailure({ kind: 'invalid', field: 'commitment.dueOn', reason: 'commitment.dueOn must be within a year' });
      }
    },
  });

  if (referralsEnabled) {
    setHandler(requestReferralUpdate, async ({ referralId, ...request }) => {
      const parsed = referralRequestSchema.parse(request);
      // Reserved before the first await, so a concurrent request for the same id is refused by its validator.
      referrals[referralId] = {
        referralId, service: parsed.service, stage: 'consented', providerId: null, referredOn: null, fundedOn: null, lastCareOn: null,
      };
      await append({ type: 'referral_requested', referralId, service: parsed.service, beneficiaryKind: parsed.beneficiary.kind }, parsed.actor);
      // Abandoned, not terminated, if the claim ends: care goes on whatever happens to the money.
      await startChild(referralWorkflow, {
        workflowId: referralWorkflowId(referralId), parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ referralId, claimId, claimWorkflowId: workflowInfo().workflowId, request: parsed }],
      });
      return status();
    }, {
      validator: ({ referralId, ...request }) => {
        const parsed = referralRequestSchema.safeParse(request);
        if (!parsed.success) {
          const issues = issuesOf(parsed.error);
          throw refusedFailure({ kind: 'invalid', field: issues[0]?.field, reason: describeIssues(issues) });
        }
        if (typeof referralId !== 'string' || !/^[A-Za-z0-9-]{1,200}$/.test(referralId)) throw refusedFailure({ kind: 'invalid', field: 'referralId', reason: 'referralId is malformed' });
        if (referrals[referralId]) throw refusedFailure({ kind: 'conflict', field: 'referralId', reason: `referral ${referralId} already exists` });
        if (state.stage === 'withdrawn' || state.stage === 'set_aside') {
          throw refusedFailure({ kind: 'conflict', reason: `the claim is ${state.stage.replace('_', ' ')}; refer through a new claim or the fund directly` });
        }
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
  }

  await registration;

  const limit = input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER;
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;
  // A claim that has ended stays open while any of its referrals is open: they report their steps to it.
  const closed = () => CLOSED_STAGES.includes(state.stage) && openReferrals() === 0;

  if (!deadlinesEnabled) {
    await condition(() => closed() || historyIsLong());
  } else {
    let projected = '';
    for (;;) {
      const owed = openDeadlines(state, policy!);
      const specs = [...owed, ...openReferralDeadlines(Object.values(referrals), policy!), ...openCommitmentDeadlines(commitments, owed)];
      tracker = reconcile(tracker, specs, Date.now(), state.stay !== null, workbench ? state.stay?.grantedOn : undefined);
      // In the grace period after registration nothing is sent; when it ends, only what is due then (the latest of each).
      const graceUntil = workbench ? registeredAtMs + registrationGraceMs(policy!) : 0;
      const inGrace = Date.now() < graceUntil;
      if (!inGrace) for (const { key, occurrence } of dueReminders(tracker, policy!, Date.now())) sendReminder(key, occurrence.level, occurrence.occurrence);
      if (searchable) publishSearchAttributes();
      const view = JSON.stringify([viewDeadlines(tracker, policy!, remindersSent), escalationLevel()]);
      if (view !== projected) {
        projected = view;
        const deadlines = viewDeadlines(tracker, policy!, remindersSent);
        const level = escalationLevel();
        void enqueue(() => projectDeadlines({ claimId, deadlines, escalationLevel: level }));
      }
      if (closed() || historyIsLong()) break;
      const seen = changes;
      let wake = nextWake(tracker, policy!);
      if (inGrace && wake !== null) wake = Math.max(wake, graceUntil);
      const woken = () => changes !== seen || closed() || historyIsLong();
      if (wake === null) await condition(woken);
      else await condition(woken, Math.max(1, wake - Date.now()));
    }
  }

  /** Upserts the claim's search attributes when one of them changed (each upsert is an event in the history). */
  function publishSearchAttributes(): void {
    const running = Object.values(tracker).filter((d) => d.pausedAt === null).map((d) => d.lapsesAt);
    const next = running.length ? new Date(Math.min(...running)) : null;
    const values = [state.stage, state.order.respondentAgencyId, escalationLevel(), state.stay !== null, next?.toISOString() ?? null];
    const key = JSON.stringify(values);
    if (key === published) return;
    published = key;
    upsertSearchAttributes([
      { key: STAGE, value: state.stage },
      { key: RESPONDENT_AGENCY, value: state.order.respondentAgencyId },
      { key: ESCALATION_LEVEL, value: escalationLevel() },
      { key: STAYED, value: state.stay !== null },
      { key: NEXT_DEADLINE, value: next },
    ]);
  }

  function sendReminder(key: string, level: number, occurrence: number): void {
    const deadline = tracker[key]!;
    const stage = stagePolicyFor(policy!, deadline.spec.kind);
    const previousLevel = deadline.last?.level ?? -1;
    tracker = { ...tracker, [key]: { ...deadline, last: { level, occurrence } } };
    remindersSent[key] = (remindersSent[key] ?? 0) + 1;
    const { to, cc } = recipientsAt(stage, level);
    if (level > previousLevel) {
      void append({ type: 'deadline_escalated', deadlineKey: key, kind: deadline.spec.kind, level, roles: to }, SYSTEM_ACTOR);
    }
    const amounts = statusOf(state, today()).amounts;
    const reminder: ReminderContent = {
      claimId, court: state.order.court, caseNumber: state.order.caseNumber,
      respondentAgencyId: state.order.respondentAgencyId, advocateId: state.order.advocateId,
      deadlineKey: key, kind: deadline.spec.kind, owedBy: deadline.spec.owedBy, level, occurrence, to, cc,
      advocateNotice: stage.ladder[level]!.advocateNotice ?? null,
      dueDate: lastDay(deadline.spec), asOf: today(),
      daysOverdue: Math.max(0, daysBetween(lapseDate(deadline.lapsesAt - DAY_MS), today())),
      outstandingCents: amounts.outstandingCents, interestAccruedCents: amounts.interestAccruedCents,
      dailyInterestCents: amounts.dailyInterestCents, policyVersion: policy!.version,
      ...(deadline.spec.referral ? { referral: deadline.spec.referral } : {}),
      ...(deadline.spec.commitment ? { commitment: deadline.spec.commitment } : {}),
    };
    const delivered = append({ type: 'reminder_queued', reminder }, SYSTEM_ACTOR)
      .then(() => deliverReminder({ claimId, deadlineKey: key, level, occurrence }))
      .then(() => undefined);
    deliveries.add(delivered);
    void delivered.then(() => deliveries.delete(delivered));
  }

  await recording;
  await Promise.all([...deliveries]);
  await condition(allHandlersFinished);
  await recording;
  // An update handled meanwhile may have queued an advocate's notice (workbench-v1): it is sent before the run ends.
  if (workbench) {
    while (deliveries.size > 0) {
      await Promise.all([...deliveries]);
      await condition(allHandlersFinished);
      await recording;
    }
  }
  if (closed()) return status();
  return continueAsNew<typeof claimWorkflow>({
    ...input, policy,
    carried: {
      state, lastSequence, recentEvents, tracker, remindersSent, referrals, ...(workbench ? { registeredAtMs } : {}),
      ...(acknowledged.size ? { acknowledged: [...acknowledged] } : {}), ...(commitments.length ? { commitments } : {}),
    },
  });
}
