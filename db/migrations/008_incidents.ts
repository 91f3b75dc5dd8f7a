/**
 * The accountability track: documenting organisations and the bodies that investigate and prosecute (each with the
 * address its reminders go to), incidents and their acts, one hash-chained event log per incident and track
 * (append-only, like claim_events), each track's current row and open deadlines, and links from claims, referrals,
 * reminders and the personal-data read log to incidents. Users gain the roles investigator, prosecutor and
 * documenting organisation, each tied to the body or organisation whose incidents they see.
 */
import type { Knex } from 'knex';
import { refuseChanges } from '../append-only';

const TRACKS = `('incident', 'investigation', 'prosecution', 'inquest')`;

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('documenting_organisations', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('incident_bodies', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('kind').notNullable();
    t.text('email'); // where the body's reminders go; until set, its reminders are undeliverable and say so
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw(`ALTER TABLE incident_bodies ADD CONSTRAINT incident_bodies_kind CHECK (kind IN ('investigating', 'prosecuting'))`);
  await db('incident_bodies').insert([
    { id: 'ipoa', name: 'Independent Policing Oversight Authority', kind: 'investigating' },
    { id: 'dci', name: 'Directorate of Criminal Investigations', kind: 'investigating' },
    { id: 'nps-internal-affairs', name: 'National Police Service Internal Affairs Unit', kind: 'investigating' },
    { id: 'odpp', name: 'Office of the Director of Public Prosecutions', kind: 'prosecuting' },
  ]);

  await db.schema.createTable('incidents', (t) => {
    t.text('id').primary();
    t.text('workflow_id').notNullable().unique();
    t.text('reference').notNullable();
    t.text('documenting_organisation_id').references('documenting_organisations.id');
    t.text('investigating_body_id').notNullable().references('incident_bodies.id');
    // Set when the investigation forwards its file: from then on the prosecutor sees the incident.
    t.text('prosecuting_body_id').references('incident_bodies.id');
    t.date('occurred_on').notNullable();
    t.date('ended_on');
    t.text('county').notNullable();
    t.text('place_category').notNullable();
    t.specificType('acts', 'text[]').notNullable(); // the set of acts, for lists and the public tables
    t.specificType('perpetrator_agency_ids', 'text[]').notNullable();
    t.boolean('deaths').notNullable();
    t.jsonb('sources').notNullable();
    t.jsonb('interventions').notNullable();
    t.text('investigation_stage');
    t.text('prosecution_stage');
    t.text('inquest_stage');
    t.date('investigation_opened_on');
    t.date('forwarded_on');
    t.date('charged_on');
    t.boolean('convicted').notNullable().defaultTo(false);
    t.date('inquest_opened_on');
    t.integer('escalation_level').notNullable().defaultTo(-1);
    t.timestamp('next_deadline_at', { useTz: true });
    t.text('registered_by').notNullable();
    t.timestamp('registered_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['documenting_organisation_id']);
    t.index(['investigating_body_id']);
    t.index(['prosecuting_body_id']);
    t.index(['occurred_on']);
  });

  await db.schema.createTable('incident_acts', (t) => {
    t.text('incident_id').notNullable().references('incidents.id');
    t.integer('position').notNullable();
    t.text('act').notNullable();
    t.text('victim_ref').notNullable();
    t.text('claimant_ref');
    t.text('perpetrator_agency_id').notNullable().references('agencies.id');
    t.text('unit_category').notNullable();
    t.primary(['incident_id', 'position']);
  });
  await refuseChanges(db, 'incident_acts');

  // One chain per incident and track: each workflow is the only writer of its own chain, in sequence.
  await db.schema.createTable('incident_events', (t) => {
    t.bigIncrements('id');
    t.text('incident_id').notNullable().references('incidents.id');
    t.text('track').notNullable();
    t.integer('sequence').notNullable();
    t.text('type').notNullable();
    t.text('actor').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.jsonb('payload').notNullable();
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['incident_id', 'track', 'sequence']);
  });
  await db.raw(`ALTER TABLE incident_events ADD CONSTRAINT incident_events_track CHECK (track IN ${TRACKS})`);
  await db.raw('ALTER TABLE incident_events ADD CONSTRAINT incident_events_sequence_positive CHECK (sequence > 0)');
  await refuseChanges(db, 'incident_events');

  await db.schema.createTable('incident_tracks', (t) => {
    t.text('incident_id').notNullable().references('incidents.id');
    t.text('track').notNullable();
    t.text('workflow_id').notNullable().unique();
    t.text('stage').notNullable();
    t.boolean('closed').notNullable().defaultTo(false);
    t.integer('last_sequence').notNullable().defaultTo(0);
    t.text('last_event_hash').notNullable();
    t.integer('policy_version').references('deadline_policies.version');
    t.integer('escalation_level').notNullable().defaultTo(-1);
    t.timestamp('next_deadline_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['incident_id', 'track']);
  });
  await db.raw(`ALTER TABLE incident_tracks ADD CONSTRAINT incident_tracks_track CHECK (track IN ${TRACKS})`);

  await db.schema.createTable('incident_deadlines', (t) => {
    t.text('incident_id').notNullable().references('incidents.id');
    t.text('track').notNullable();
    t.text('key').notNullable();
    t.text('kind').notNullable();
    t.text('owed_by').notNullable();
    t.date('last_day').notNullable();
    t.timestamp('lapses_at', { useTz: true }).notNullable();
    t.boolean('paused').notNullable();
    t.integer('level').notNullable();
    t.integer('reminders_sent').notNullable();
    t.timestamp('next_reminder_at', { useTz: true });
    t.primary(['incident_id', 'key']);
  });

  // The outbox serves incidents too: each row belongs to exactly one claim or one incident.
  await db.raw('ALTER TABLE reminders ALTER COLUMN claim_id DROP NOT NULL');
  await db.schema.alterTable('reminders', (t) => {
    t.text('incident_id').references('incidents.id');
    t.unique(['incident_id', 'deadline_key', 'level', 'occurrence']);
  });
  await db.raw('ALTER TABLE reminders ADD CONSTRAINT reminders_one_subject CHECK (num_nonnulls(claim_id, incident_id) = 1)');

  // A referral starts from a claim or from an incident alone (no court order); one from a claim of an incident is linked to both.
  await db.raw('ALTER TABLE referrals ALTER COLUMN claim_id DROP NOT NULL');
  await db.schema.alterTable('referrals', (t) => {
    t.text('incident_id').references('incidents.id');
    t.index(['incident_id']);
  });
  await db.raw('ALTER TABLE referrals ADD CONSTRAINT referrals_origin CHECK (claim_id IS NOT NULL OR incident_id IS NOT NULL)');

  await db.schema.alterTable('claims', (t) => {
    t.text('incident_id').references('incidents.id');
    t.index(['incident_id']);
  });
  await db.schema.alterTable('personal_data_reads', (t) => {
    t.text('incident_id').references('incidents.id');
  });

  await db.schema.alterTable('users', (t) => {
    t.text('body_id').references('incident_bodies.id');
    t.text('organisation_id').references('documenting_organisations.id');
  });
  await db.raw('ALTER TABLE users DROP CONSTRAINT users_role');
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_role CHECK (role IN ('administrator', 'advocate', 'auditor', 'investigator', 'prosecutor', 'documenting_organisation'))`);
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_body CHECK ((role IN ('investigator', 'prosecutor')) = (body_id IS NOT NULL))`);
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_organisation CHECK ((role = 'documenting_organisation') = (organisation_id IS NOT NULL))`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('ALTER TABLE users DROP CONSTRAINT users_body, DROP CONSTRAINT users_organisation, DROP CONSTRAINT users_role');
  await db('users').whereIn('role', ['investigator', 'prosecutor', 'documenting_organisation']).update({ active: false, role: 'auditor' });
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_role CHECK (role IN ('administrator', 'advocate', 'auditor'))`);
  await db.schema.alterTable('users', (t) => { t.dropColumns('body_id', 'organisation_id'); });
  await db.schema.alterTable('personal_data_reads', (t) => { t.dropColumn('incident_id'); });
  await db.schema.alterTable('claims', (t) => { t.dropColumn('incident_id'); });
  await db.raw('ALTER TABLE referrals DROP CONSTRAINT referrals_origin');
  await db.schema.alterTable('referrals', (t) => { t.dropColumn('incident_id'); });
  await db.raw('ALTER TABLE reminders DROP CONSTRAINT reminders_one_subject');
  await db.schema.alterTable('reminders', (t) => { t.dropColumn('incident_id'); });
  for (const table of ['incident_deadlines', 'incident_tracks', 'incident_events', 'incident_acts', 'incidents', 'incident_bodies', 'documenting_organisations']) {
    await db.schema.dropTableIfExists(table);
  }
}
