/**
 * Writes each accepted step of an incident or one of its tracks to the record: one chained event in the chain of
 * that incident and track, the rows it implies (the incident and its acts at registration, a track's row when it
 * starts, the outbox row of a reminder), and the current rows, all in one transaction. Keyed on (incident, track,
 * sequence): a retried activity finds its event already there and changes nothing.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DeadlineView } from '../../domain/escalation';
import {
  type IncidentEvent, type TrackEvent, type TrackFacts, type TrackName, TRACK_DEFINITIONS, trackWorkflowId,
} from '../../domain/incident';
import { GENESIS_HASH, eventHash } from '../../db/chain';
import type { Db } from '../../db/connection';

export type ChainName = 'incident' | TrackName;

export interface RecordIncidentEventInput {
  incidentId: string;
  chain: ChainName;
  workflowId: string;
  sequence: number;
  actor: string;
  occurredAt: string;
  event: IncidentEvent | TrackEvent;
  /** A track's state after the event, for the read model. */
  facts?: TrackFacts;
  policyVersion?: number;
}

/** The incident columns each fact goes to. */
const FACT_COLUMNS: Partial<Record<keyof TrackFacts, string>> = {
  investigationOpenedOn: 'investigation_opened_on', forwardedOn: 'forwarded_on', prosecutingBodyId: 'prosecuting_body_id',
  chargedOn: 'charged_on', convicted: 'convicted', inquestOpenedOn: 'inquest_opened_on',
};

export function createIncidentActivities(deps: { db: Db }) {
  const { db } = deps;

  async function recordIncidentEvent(input: RecordIncidentEventInput): Promise<{ sequence: number; hash: string; inserted: boolean }> {
    const { incidentId, chain, sequence, event } = input;
    const { type, ...payload } = event as { type: string };
    return db.transaction(async (trx) => {
      const existing = await trx('incident_events').where({ incident_id: incidentId, track: chain, sequence }).first('hash');
      if (existing) return { sequence, hash: existing.hash as string, inserted: false };
      let prevHash = GENESIS_HASH;
      if (sequence > 1) {
        const prev = await trx('incident_events').where({ incident_id: incidentId, track: chain, sequence: sequence - 1 }).first('hash');
        if (!prev) throw ApplicationFailure.retryable(`event ${sequence - 1} of ${chain} of incident ${incidentId} is not recorded yet`);
        prevHash = prev.hash;
      }
      const hash = eventHash(prevHash, { incidentId, track: chain, sequence, type, actor: input.actor, occurredAt: input.occurredAt, payload });
      const now = input.occurredAt;

      if (event.type === 'incident_registered') {
        const registered = event as Extract<IncidentEvent, { type: 'incident_registered' }>;
        const i = registered.incident;
        await trx('incidents').insert({
          id: incidentId, workflow_id: input.workflowId, reference: i.reference, documenting_organisation_id: i.documentingOrganisationId ?? null,
          investigating_body_id: registered.investigatingBodyId, occurred_on: i.occurredOn, ended_on: i.endedOn ?? null, county: i.county,
          place_category: i.placeCategory, acts: [...new Set(i.acts.map((a) => a.act))].sort(),
          perpetrator_agency_ids: [...new Set(i.acts.map((a) => a.perpetrator.agencyId))].sort(),
          deaths: i.acts.some((a) => a.act === 'extra_judicial_killing' || a.act === 'death_in_custody'),
          sources: JSON.stringify(i.sources), interventions: JSON.stringify(i.interventions),
          registered_by: input.actor, registered_at: now, updated_at: now,
        });
        await trx('incident_acts').insert(i.acts.map((a, position) => ({
          incident_id: incidentId, position, act: a.act, victim_ref: a.victimRef, claimant_ref: a.claimantRef ?? null,
          perpetrator_agency_id: a.perpetrator.agencyId, unit_category: a.perpetrator.unitCategory,
        })));
        await trx('incident_tracks').insert({
          incident_id: incidentId, track: 'incident', workflow_id: input.workflowId, stage: 'registered', last_event_hash: GENESIS_HASH,
          policy_version: input.policyVersion ?? null, updated_at: now,
        });
      } else if (event.type === 'track_started') {
        const e = event as Extract<IncidentEvent, { type: 'track_started' }>;
        const stage = TRACK_DEFINITIONS[e.track].initial(e.start).stage;
        await trx('incident_tracks').insert({
          incident_id: incidentId, track: e.track, workflow_id: trackWorkflowId(incidentId, e.track), stage, last_event_hash: GENESIS_HASH, updated_at: now,
        }).onConflict(['incident_id', 'track']).ignore();
        await trx('incidents').where({ id: incidentId }).update({ [`${e.track}_stage`]: stage, updated_at: now });
      } else if (event.type === 'reminder_queued') {
        // The outbox row: written with its event, so a reminder is never lost and never queued twice.
        const r = (event as Extract<IncidentEvent, { type: 'reminder_queued' }>).reminder;
        await trx('reminders').insert({
          incident_id: incidentId, deadline_key: r.deadlineKey, kind: r.kind, level: r.level, occurrence: r.occurrence,
          event_sequence: sequence, content: JSON.stringify(r),
        });
      }

      await trx('incident_events').insert({
        incident_id: incidentId, track: chain, sequence, type, actor: input.actor, occurred_at: input.occurredAt,
        payload: JSON.stringify(payload), prev_hash: prevHash, hash,
      });
      const facts = input.facts;
      await trx('incident_tracks').where({ incident_id: incidentId, track: chain }).update({
        last_sequence: sequence, last_event_hash: hash, updated_at: now,
        ...(facts ? { stage: facts.stage, closed: facts.closed } : {}),
        ...(input.policyVersion !== undefined ? { policy_version: input.policyVersion } : {}),
      });
      if (facts && chain !== 'incident') {
        const columns: Record<string, unknown> = { [`${chain}_stage`]: facts.stage, updated_at: now };
        for (const [fact, column] of Object.entries(FACT_COLUMNS)) {
          const value = facts[fact as keyof TrackFacts];
          if (value !== undefined) columns[column!] = value;
        }
        await trx('incidents').where({ id: incidentId }).update(columns);
      }
      return { sequence, hash, inserted: true };
    });
  }

  /** Replaces the projection of one chain's open deadlines, and the incident's level and next deadline across its tracks. */
  async function projectIncidentDeadlines(input: { incidentId: string; chain: ChainName; deadlines: DeadlineView[]; escalationLevel: number }): Promise<void> {
    const { incidentId, chain, deadlines } = input;
    await db.transaction(async (trx) => {
      await trx('incident_deadlines').where({ incident_id: incidentId, track: chain }).delete();
      if (deadlines.length) {
        await trx('incident_deadlines').insert(deadlines.map((d) => ({
          incident_id: incidentId, track: chain, key: d.key, kind: d.kind, owed_by: d.owedBy, last_day: d.lastDay, lapses_at: d.lapsesAt,
          paused: d.paused, level: d.level, reminders_sent: d.remindersSent, next_reminder_at: d.nextReminderAt,
        })));
      }
      const running = deadlines.filter((d) => !d.paused).map((d) => d.lapsesAt).sort();
      await trx('incident_tracks').where({ incident_id: incidentId, track: chain })
        .update({ escalation_level: input.escalationLevel, next_deadline_at: running[0] ?? null });
      await trx.raw(`UPDATE incidents i SET escalation_level = t.level, next_deadline_at = t.next
        FROM (SELECT max(escalation_level) AS level, min(next_deadline_at) AS next FROM incident_tracks WHERE incident_id = ?) t
        WHERE i.id = ?`, [incidentId, incidentId]);
    });
  }

  return { recordIncidentEvent, projectIncidentDeadlines };
}
