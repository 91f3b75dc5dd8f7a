/**
 * The incident workflow's and its tracks' messages, shared by the workflows and their clients (API, scripts, tests).
 * Every step of a track is an Update with a validator, so an out-of-order step is refused before it enters history.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeadlineView, ReferralSummary } from '../../domain/escalation';
import {
  ALL_TRACK_COMMANDS, type IncidentState, type TrackCommandName, type TrackFacts, type TrackName, type TrackState,
} from '../../domain/incident';
import type { ReferralRequest } from '../../domain/referral';

export interface RecentEvent {
  sequence: number;
  type: string;
  actor: string;
  occurredAt: string;
}

export interface LiveTrackStatus {
  incidentId: string;
  track: TrackName;
  stage: string;
  closed: boolean;
  state: TrackState;
  lastSequence: number;
  /** Every event up to this sequence is in PostgreSQL. */
  recordedSequence: number;
  recentEvents: RecentEvent[];
  policyVersion: number;
  deadlines: DeadlineView[];
  escalationLevel: number;
}

export interface TrackCommandResult {
  /** The event this step produced, or the earlier one it repeats. */
  sequence: number;
  duplicate: boolean;
  status: LiveTrackStatus;
}

/** Failure type of a refused step; `details[0]` is the TrackRefusal (kind, reason, field). */
export const TRACK_COMMAND_REFUSED = 'IncidentCommandRefused';

export const trackUpdates = Object.fromEntries(ALL_TRACK_COMMANDS.map((name) => [name, defineUpdate<TrackCommandResult, [Record<string, unknown>]>(name)])) as
  Record<TrackCommandName, ReturnType<typeof defineUpdate<TrackCommandResult, [Record<string, unknown>]>>>;
export const trackStatusQuery = defineQuery<LiveTrackStatus>('trackStatus');

/** From a track to its incident, after each step it records. */
export interface TrackProgress {
  track: TrackName;
  step: string;
  actor: string;
  facts: TrackFacts;
}
export const trackProgressSignal = defineSignal<[TrackProgress]>('trackProgress');

export interface LiveIncidentStatus {
  incidentId: string;
  state: IncidentState;
  lastSequence: number;
  recordedSequence: number;
  policyVersion: number;
  deadlines: DeadlineView[];
  escalationLevel: number;
  referrals: ReferralSummary[];
  /** Every track and referral has closed. */
  settled: boolean;
}
export interface RecordedIncidentStatus extends LiveIncidentStatus {
  /** true when the asking registration is the one that started this incident; false for a repeat. */
  startedByThisRegistration: boolean;
}
/** Returns once the registration is recorded and its tracks have started: registration waits on it (update-with-start). */
export const awaitIncidentRecordUpdate = defineUpdate<RecordedIncidentStatus, [{ registrationId?: string }?]>('awaitIncidentRecord');
export const incidentStatusQuery = defineQuery<LiveIncidentStatus>('incidentStatus');
/** Opens a rehabilitation referral from the incident (no court order needed); the referral is a child workflow. */
export const requestIncidentReferralUpdate = defineUpdate<LiveIncidentStatus, [ReferralRequest & { referralId: string }]>('requestReferral');
/** A compensation claim names this incident (the order says what it arises from): recorded in the incident's chain. */
export const linkClaimSignal = defineSignal<[{ claimId: string; actor: string }]>('linkClaim');
