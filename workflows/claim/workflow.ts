/**
 * One workflow per court order. It holds the claim's state, decides each command with the pure rules in
 * domain/claim, and records every accepted step, in order, through the recordClaimEvent activity.
 */
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { createClaimActivities } from '../../activities/claim/record';
import { calendarDateAt } from '../../domain/calendar-date';
import {
  type AnyCommand, type ClaimEvent, type ClaimState, type CommandName, type CourtOrder,
  CLOSED_STAGES, COMMAND_NAMES, type Refusal, commandSchemas, decide, evolve, initialState, statusOf,
} from '../../domain/claim';
import { describeIssues, issuesOf } from '../../domain/validation';
import {
  COMMAND_REFUSED, type CommandResult, type EventSummary, type LiveClaimStatus,
  awaitRecordUpdate, claimUpdates, statusQuery,
} from './messages';

const { recordClaimEvent } = proxyActivities<ReturnType<typeof createClaimActivities>>({
  startToCloseTimeout: '30 seconds',
  // The record must never lose a step: retry through a database outage for as long as it lasts.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const RECENT_EVENTS = 50;
const DEFAULT_CONTINUE_AS_NEW_AFTER = 2_000;

export interface ClaimWorkflowInput {
  claimId: string;
  order: CourtOrder;
  registeredBy: string;
  /** History length after which the claim continues as new (Temporal's hard limit is 51,200 events). */
  continueAsNewAfterEvents?: number;
  /** State carried over by continue-as-new. */
  carried?: { state: ClaimState; lastSequence: number; recentEvents: EventSummary[] };
}

function refusedFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: COMMAND_REFUSED, message: refusal.reason, details: [refusal], nonRetryable: true });
}

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<LiveClaimStatus> {
  const { claimId } = input;
  let state: ClaimState = input.carried?.state ?? initialState(claimId, input.order);
  let lastSequence = input.carried?.lastSequence ?? 0;
  let recordedSequence = lastSequence;
  const recentEvents: EventSummary[] = [...(input.carried?.recentEvents ?? [])];
  // Events are recorded strictly in sequence: each hash in the chain needs the one before it.
  let recording: Promise<void> = Promise.resolve();

  const today = () => calendarDateAt(Date.now());
  const status = (): LiveClaimStatus => ({
    ...statusOf(state, today()), lastSequence, recordedSequence, recentEvents: [...recentEvents],
  });

  function append(event: ClaimEvent, actor: string): Promise<number> {
    const sequence = ++lastSequence;
    const occurredAt = new Date(Date.now()).toISOString();
    state = evolve(state, event, sequence);
    recentEvents.push({ sequence, type: event.type, actor, occurredAt });
    if (recentEvents.length > RECENT_EVENTS) recentEvents.shift();
    const projection = {
      stage: state.stage,
      stayed: state.stay !== null,
      paidCents: statusOf(state, today()).amounts.paidCents,
      allocatedCents: state.allocations.reduce((sum, a) => sum + a.amountCents, 0),
      certificateIssuedOn: state.certificate.issuedOn,
      certificateServedOn: state.certificate.servedOn,
    };
    const workflowId = workflowInfo().workflowId;
    const recorded = recording.then(async () => {
      await recordClaimEvent({ claimId, workflowId, sequence, actor, occurredAt, event, projection });
      recordedSequence = sequence;
    });
    recording = recorded;
    return recorded.then(() => sequence);
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
  setHandler(awaitRecordUpdate, async () => { await recording; return status(); });
  setHandler(statusQuery, status);

  await registration;

  const limit = input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER;
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;
  await condition(() => CLOSED_STAGES.includes(state.stage) || historyIsLong());
  await recording;
  await condition(allHandlersFinished);
  await recording;
  if (CLOSED_STAGES.includes(state.stage)) return status();
  return continueAsNew<typeof claimWorkflow>({
    ...input, carried: { state, lastSequence, recentEvents },
  });
}
