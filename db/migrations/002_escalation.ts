/**
 * Deadlines and escalation: advocates and agency contacts (every change logged), versioned deadline policies
 * (append-only), the reminder outbox (unique per claim, deadline, level and occurrence) and the projection of
 * each claim's open deadlines.
 */
import type { Knex } from 'knex';
import { DEFAULT_POLICY_DOCUMENT } from '../../domain/escalation/policy';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('advocates', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('contacts', (t) => {
    t.bigIncrements('id');
    t.text('agency_id').references('agencies.id'); // null for shared bodies (Attorney General, Treasury, ...)
    t.text('role').notNullable();
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  // One current contact per agency and role (shared bodies: agency_id is null).
  await db.raw(`CREATE UNIQUE INDEX contacts_one_active ON contacts (coalesce(agency_id, ''), role) WHERE active`);

  await db.schema.createTable('contact_changes', (t) => {
    t.bigIncrements('id');
    t.text('subject').notNullable(); // 'contact' or 'advocate'
    t.text('agency_id');
    t.text('role').notNullable();
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.text('actor').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('deadline_policies', (t) => {
    t.integer('version').primary();
    t.jsonb('document').notNullable();
    t.text('created_by').notNullable();
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db('deadline_policies').insert({
    version: 1, document: JSON.stringify(DEFAULT_POLICY_DOCUMENT), created_by: 'redress', note: 'defaults of DESIGN.md',
  });

  await db.schema.createTable('reminders', (t) => {
    t.bigIncrements('id');
    t.text('claim_id').notNullable().references('claims.id');
    t.text('deadline_key').notNullable();
    t.text('kind').notNullable();
    t.integer('level').notNullable();
    t.integer('occurrence').notNullable();
    t.integer('event_sequence').notNullable();
    t.jsonb('content').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.specificType('recipients', 'text[]');
    t.specificType('missing_roles', 'text[]');
    t.text('smtp_message_id');
    t.text('smtp_response');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.unique(['claim_id', 'deadline_key', 'level', 'occurrence']);
    t.index(['status']);
  });
  await db.raw(`ALTER TABLE reminders ADD CONSTRAINT reminders_status CHECK (status IN ('pending', 'sent', 'undeliverable'))`);

  await db.schema.createTable('claim_deadlines', (t) => {
    t.text('claim_id').notNullable().references('claims.id');
    t.text('key').notNullable();
    t.text('kind').notNullable();
    t.text('owed_by').notNullable();
    t.date('last_day').notNullable();
    t.timestamp('lapses_at', { useTz: true }).notNullable();
    t.boolean('paused').notNullable();
    t.integer('level').notNullable();
    t.integer('reminders_sent').notNullable();
    t.timestamp('next_reminder_at', { useTz: true });
    t.primary(['claim_id', 'key']);
  });

  await db.schema.alterTable('claims', (t) => {
    t.integer('policy_version').references('deadline_policies.version');
    t.integer('escalation_level').notNullable().defaultTo(-1);
    t.timestamp('next_deadline_at', { useTz: true });
    t.index(['escalation_level']);
  });

  for (const table of ['contact_changes', 'deadline_policies']) {
    await db.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION redress_refuse_change()`);
  }
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('claims', (t) => {
    t.dropColumn('policy_version');
    t.dropColumn('escalation_level');
    t.dropColumn('next_deadline_at');
  });
  for (const table of ['claim_deadlines', 'reminders', 'deadline_policies', 'contact_changes', 'contacts', 'advocates']) {
    await db.schema.dropTableIfExists(table);
  }
}
