/**
 * The three tracks of an incident (investigation, prosecution, inquest) are step machines of one shape, run by one
 * workflow runner (workflows/incident/track.ts):
 *   decide(state, command, today) -> the event it produces, a repeat of an earlier step, or a refusal with a reason;
 *   evolve(state, event, sequence) -> the next state.
 * Each track says, per command, which stage allows it (check), what it changes (apply) and under which key it is
 * logged; the engine here turns that into decide/evolve, answers an exact repeat of a step with its first sequence
 * (an import or a client retrying) and refuses a different second version of it.
 */
import type { z } from 'zod';
import { type CalendarDate, compareDates } from '../calendar-date';
import type { DeadlineSpec } from '../escalation/deadlines';
import type { DeadlineKind, PolicyDocument } from '../escalation/policy';
import { OWED_BY, stagePolicyFor } from '../escalation/policy';
import type { IncidentReminderContent } from './reminder';

export const TRACKS = ['investigation', 'prosecution', 'inquest'] as const;
export type TrackName = (typeof TRACKS)[number];

/** `invalid`: the input itself is wrong (HTTP 422). `conflict`: the track's state does not allow it (409). */
export interface TrackRefusal {
  kind: 'invalid' | 'conflict';
  field?: string;
  reason: string;
}

/** A step already taken, kept so that the same step sent again gets its first answer. */
export interface StepRecord {
  sequence: number;
  fields: Record<string, unknown>;
}

export interface TrackBase {
  incidentId: string;
  track: TrackName;
  stage: string;
  /** The date of the incident: no step can be dated before it. */
  occurredOn: CalendarDate;
  log: Record<string, StepRecord>;
}

/** What opens a track: sent by the incident workflow, carried in the track's first event. */
export interface TrackStart {
  incidentId: string;
  occurredOn: CalendarDate;
  investigatingBodyId: string;
  /** The day the track opened (registration, or the day the file reached the prosecutor). */
  openedOn: CalendarDate;
  prosecutingBodyId?: string;
}

/** Events the escalation capability records in a track's chain; they change no stage. */
export type TrackEscalationEvent =
  | { type: 'track_opened'; start: TrackStart }
  | { type: 'deadline_escalated'; deadlineKey: string; kind: DeadlineKind; level: number; roles: string[] }
  | { type: 'reminder_queued'; reminder: IncidentReminderContent };
export const ESCALATION_EVENT_TYPES = ['track_opened', 'deadline_escalated', 'reminder_queued'] as const;

export interface StepEvent {
  type: string;
  [field: string]: unknown;
}
export type TrackEvent = TrackEscalationEvent | StepEvent;

export interface TrackCommand {
  name: string;
  input: { actor: string } & Record<string, unknown>;
}

export type TrackDecision =
  | { outcome: 'accepted'; event: StepEvent }
  | { outcome: 'duplicate'; sequence: number }
  | { outcome: 'refused'; refusal: TrackRefusal };

/** What a track tells the record and its incident after each step (the read model's columns). */
export interface TrackFacts {
  stage: string;
  closed: boolean;
  investigationOpenedOn?: CalendarDate | null;
  forwardedOn?: CalendarDate | null;
  prosecutingBodyId?: string | null;
  chargedOn?: CalendarDate | null;
  convicted?: boolean;
  inquestOpenedOn?: CalendarDate | null;
}

export interface TrackDefinition<S extends TrackBase> {
  track: TrackName;
  commandSchemas: Record<string, z.AnyZodObject>;
  /** The event each command produces (events are the command's fields, without the actor). */
  eventOf: Record<string, string>;
  initial(start: TrackStart): S;
  /** The log key of a step: one per step that happens once (per accused, per round of a file's return). */
  key(state: S, command: string, fields: Record<string, unknown>): string;
  /** Why this step cannot be taken now, or null; the engine has already answered repeats. */
  check(state: S, command: string, fields: Record<string, unknown>, today: CalendarDate): TrackRefusal | null;
  /** Words for a step already taken, for the refusal of a different second version. */
  done(command: string, fields: Record<string, unknown>): string;
  apply(state: S, command: string, fields: Record<string, unknown>): S;
  /** The waiting stages open now, each with the date that opened it. */
  waiting(state: S): { kind: DeadlineKind; anchor: CalendarDate | null }[];
  isClosed(state: S): boolean;
  facts(state: S): TrackFacts;
  /** A step the track takes itself once a date has passed (the appeal period lapsing), or null. */
  lapse?(state: S): { after: CalendarDate; command: string; fields: Record<string, unknown> } | null;
}

export const refuse = (kind: TrackRefusal['kind'], reason: string, field?: string): TrackRefusal =>
  (field ? { kind, field, reason } : { kind, reason });

/** JSON with sorted keys, so two versions of a step compare by content (no Node builtins here). */
export function sameContent(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      return `{${Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`).join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return canon(a) === canon(b);
}

/**
 * A date of a step: not in the future, not before the incident, and not before the step it follows. Each bound is
 * [date, words]; null bounds are skipped.
 */
export function checkStepDate(field: string, date: string, today: CalendarDate, ...notBefore: [CalendarDate | null | undefined, string][]): TrackRefusal | null {
  if (compareDates(date, today) > 0) return refuse('invalid', `${field} ${date} is in the future (today is ${today})`, field);
  for (const [bound, words] of notBefore) {
    if (bound && compareDates(date, bound) < 0) return refuse('invalid', `${field} ${date} is before ${words} (${bound})`, field);
  }
  return null;
}

export function decideStep<S extends TrackBase>(def: TrackDefinition<S>, state: S, command: TrackCommand, today: CalendarDate): TrackDecision {
  const { actor: _actor, ...fields } = command.input;
  const key = def.key(state, command.name, fields);
  const earlier = state.log[key];
  if (earlier) {
    if (sameContent(earlier.fields, fields)) return { outcome: 'duplicate', sequence: earlier.sequence };
    return { outcome: 'refused', refusal: refuse('conflict', `${def.done(command.name, earlier.fields)}; a different version of that step cannot be recorded`) };
  }
  if (def.isClosed(state)) return { outcome: 'refused', refusal: refuse('conflict', `the ${def.track} is ${state.stage.replace(/_/g, ' ')}; no further step can be recorded`) };
  const refusal = def.check(state, command.name, fields, today);
  if (refusal) return { outcome: 'refused', refusal };
  return { outcome: 'accepted', event: { type: def.eventOf[command.name]!, ...fields } };
}

const commandOfEvent = new WeakMap<object, Map<string, string>>();

export function evolveStep<S extends TrackBase>(def: TrackDefinition<S>, state: S, event: TrackEvent, sequence: number): S {
  if ((ESCALATION_EVENT_TYPES as readonly string[]).includes(event.type)) return state;
  let byEvent = commandOfEvent.get(def.eventOf);
  if (!byEvent) commandOfEvent.set(def.eventOf, (byEvent = new Map(Object.entries(def.eventOf).map(([c, e]) => [e, c]))));
  const command = byEvent.get(event.type);
  if (!command) throw new Error(`the ${def.track} has no step ${event.type}`);
  const { type: _type, ...fields } = event as StepEvent;
  const key = def.key(state, command, fields);
  return { ...def.apply(state, command, fields), log: { ...state.log, [key]: { sequence, fields } } };
}

/** The track's open deadlines under a policy (keys carry the track, so one incident's tracks never collide). */
export function trackDeadlines<S extends TrackBase>(def: TrackDefinition<S>, state: S, policy: PolicyDocument): DeadlineSpec[] {
  if (def.isClosed(state)) return [];
  return def.waiting(state).filter((w) => w.anchor).map((w) => ({
    key: `${def.track}:${w.kind}`, kind: w.kind, owedBy: OWED_BY[w.kind], anchor: w.anchor!,
    days: stagePolicyFor(policy, w.kind).days ?? 0, courtSet: false,
  }));
}
