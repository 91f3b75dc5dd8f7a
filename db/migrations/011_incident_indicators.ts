/**
 * Incidents in releases (which release first counted each), and what the accountability indicators read of each incident (db/reports.ts incidentFacts; docs/indicators.md): a view
 * over the incidents and their chains, so the indicators follow the record as it is written. Due dates are the
 * policy's period (the version the track runs on) from the day the clock started: the complaint's acknowledgment for
 * opening an investigation, the post-mortem for opening an inquest.
 */
import type { Knex } from 'knex';
import { refuseChanges } from '../append-only';

const stepDate = (track: string, type: string, field: string, extra = '') => `(SELECT min((e.payload->>'${field}')::date) FROM incident_events e
    WHERE e.incident_id = i.id AND e.track = '${track}' AND e.type = '${type}'${extra})`;
const dueDate = (track: string, type: string, field: string, stage: string, fallbackDays: number) => `(SELECT (e.payload->>'${field}')::date
    + coalesce((p.document->'stages'->'${stage}'->>'days')::int, ${fallbackDays})
    FROM incident_events e JOIN incident_tracks t ON t.incident_id = e.incident_id AND t.track = e.track
    LEFT JOIN deadline_policies p ON p.version = t.policy_version
    WHERE e.incident_id = i.id AND e.track = '${track}' AND e.type = '${type}' ORDER BY e.sequence LIMIT 1)`;

export async function up(db: Knex): Promise<void> {
  // Which release first counted each incident: like orders, new incidents enter the public tables six or more at a time.
  await db.schema.createTable('release_incident_members', (t) => {
    t.text('incident_id').primary().references('incidents.id');
    t.integer('release_number').notNullable();
  });
  await refuseChanges(db, 'release_incident_members');
  await db.raw(`CREATE VIEW incident_indicator_facts AS SELECT
    i.id AS incident_id,
    (i.registered_at AT TIME ZONE 'Africa/Nairobi')::date AS documented_on,
    ${dueDate('investigation', 'complaint_acknowledged', 'acknowledgedOn', 'investigation_opening', 30)} AS investigation_due_on,
    i.investigation_opened_on,
    least(${stepDate('investigation', 'findings_recorded', 'foundOn')}, ${stepDate('investigation', 'file_forwarded', 'forwardedOn')}) AS investigation_ended_on,
    ${stepDate('prosecution', 'charging_decided', 'decidedOn', " AND e.payload->>'decision' <> 'further_investigation'")} AS charging_decision_on,
    i.deaths AS death,
    ${dueDate('inquest', 'post_mortem_recorded', 'examinedOn', 'inquest_opening', 30)} AS inquest_due_on,
    i.inquest_opened_on,
    (SELECT array_agg((e.payload->>'deliveredOn')::date ORDER BY e.sequence) FROM incident_events e
      WHERE e.incident_id = i.id AND e.track = 'prosecution' AND e.type = 'verdict_recorded' AND e.payload->>'verdict' = 'convicted') AS conviction_dates
    FROM incidents i`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP VIEW IF EXISTS incident_indicator_facts');
  await db.schema.dropTableIfExists('release_incident_members');
}
