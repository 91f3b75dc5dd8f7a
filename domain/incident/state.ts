/**
 * The incident itself, as its workflow holds it: the registration, which tracks are open (from their progress
 * signals), and the claims linked to it. Its own chain records the registration, each track started, each claim
 * linked, and the steps of referrals started from the incident.
 */
import type { CalendarDate } from '../calendar-date';
import type { DeadlineKind } from '../escalation/policy';
import { type Incident, hasDeath, investigatingBodyFor } from './incident';
import type { IncidentReminderContent } from './reminder';
import type { TrackName, TrackStart } from './track';

export interface TrackSummary {
  stage: string;
  closed: boolean;
}

export interface IncidentState {
  incidentId: string;
  incident: Incident;
  investigatingBodyId: string;
  registeredOn: CalendarDate;
  tracks: Partial<Record<TrackName, TrackSummary>>;
  /** Set when the investigation forwards its file: the prosecution track is started from it. */
  forwarded: { on: CalendarDate; prosecutingBodyId: string } | null;
  linkedClaims: string[];
}

export type IncidentEvent =
  | { type: 'incident_registered'; incident: Incident; investigatingBodyId: string }
  | { type: 'track_started'; track: TrackName; start: TrackStart }
  | { type: 'claim_linked'; claimId: string }
  | { type: 'referral_requested'; referralId: string; service: string; beneficiaryKind: string }
  | { type: 'referral_step'; referralId: string; step: string; stage: string }
  | { type: 'deadline_escalated'; deadlineKey: string; kind: DeadlineKind; level: number; roles: string[] }
  | { type: 'reminder_queued'; reminder: IncidentReminderContent };

export function newIncident(incidentId: string, incident: Incident, registeredOn: CalendarDate): IncidentState {
  return { incidentId, incident, investigatingBodyId: investigatingBodyFor(incident), registeredOn, tracks: {}, forwarded: null, linkedClaims: [] };
}

/** The tracks an incident opens at registration: always an investigation; an inquest for every death. */
export function initialTracks(state: IncidentState): TrackName[] {
  return hasDeath(state.incident) ? ['investigation', 'inquest'] : ['investigation'];
}

export function trackStart(state: IncidentState, track: TrackName, openedOn: CalendarDate): TrackStart {
  return {
    incidentId: state.incidentId, occurredOn: state.incident.occurredOn, investigatingBodyId: state.investigatingBodyId, openedOn,
    ...(track === 'prosecution' && state.forwarded ? { prosecutingBodyId: state.forwarded.prosecutingBodyId } : {}),
  };
}

export function evolveIncident(state: IncidentState, event: IncidentEvent): IncidentState {
  switch (event.type) {
    case 'incident_registered': return { ...state, incident: event.incident, investigatingBodyId: event.investigatingBodyId };
    case 'track_started': return { ...state, tracks: { ...state.tracks, [event.track]: state.tracks[event.track] ?? { stage: 'opened', closed: false } } };
    case 'claim_linked': return state.linkedClaims.includes(event.claimId) ? state : { ...state, linkedClaims: [...state.linkedClaims, event.claimId] };
    default: return state;
  }
}
