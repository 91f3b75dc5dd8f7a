/**
 * Record integrity: every ledger and log refuses UPDATE, DELETE and TRUNCATE (db/append-only.ts); the reminder
 * outbox is leased before a send and logs every attempt and outcome in reminder_deliveries; signed checkpoints
 * of every claim's chain head (db/checkpoint.ts); and reads of personal data that belong to no one claim
 * (decoding Temporal payloads) are logged with what was read.
 */
import type { Knex } from 'knex';
import { refuseChanges } from '../append-only';

/** The ledgers and logs as they stood when this migration was written (later tables get triggers in their own). */
const APPEND_ONLY_TABLES = [
  'claim_events', 'claim_components', 'disbursements', 'budget_allocations', 'fund_ledger', 'contact_changes', 'provider_changes',
  'deadline_policies', 'personal_data_reads', 'reminder_deliveries', 'chain_checkpoints',
] as const;

export async function up(db: Knex): Promise<void> {
  // A decode of Temporal payloads reads personal data of no one claim in particular.
  await db.raw('ALTER TABLE personal_data_reads ALTER COLUMN claim_id DROP NOT NULL');
  await db.schema.alterTable('personal_data_reads', (t) => {
    t.jsonb('details'); // e.g. { namespace, payloads } for a Temporal payload decode
  });

  await db.schema.alterTable('reminders', (t) => {
    // The attempt that may send: taken atomically, renewed while the send runs, cleared when it ends.
    t.text('lease_token');
    t.timestamp('lease_until', { useTz: true });
  });
  await db.schema.createTable('reminder_deliveries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('reminder_id').notNullable().references('reminders.id');
    t.integer('attempt').notNullable();
    t.text('step').notNullable();
    t.text('lease_token');
    t.specificType('recipients', 'text[]');
    t.text('smtp_response');
    t.text('detail');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['reminder_id']);
  });
  await db.raw(`ALTER TABLE reminder_deliveries ADD CONSTRAINT reminder_deliveries_step
    CHECK (step IN ('leased', 'sent', 'failed', 'rejected', 'no_address'))`);

  await db.schema.createTable('chain_checkpoints', (t) => {
    t.integer('number').primary();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('taken_at', { useTz: true }).notNullable();
    t.integer('claim_count').notNullable();
    t.text('heads_digest').notNullable();
    t.text('previous_digest');
    t.text('digest').notNullable().unique();
    t.text('signature').notNullable();
    t.text('public_key_id').notNullable();
    t.jsonb('document').notNullable(); // the signed document: counts and digests, nothing about any one claim
    t.binary('heads').notNullable(); // gzip of the canonical list of [claim id, sequence, hash]: kept here, not published
  });

  for (const table of APPEND_ONLY_TABLES) await refuseChanges(db, table);
}

/** Triggers that 001 did not create (001 gave claim_events, disbursements and budget_allocations both). */
const ADDED_HERE = APPEND_ONLY_TABLES.filter((t) => !['claim_events', 'disbursements', 'budget_allocations'].includes(t));

export async function down(db: Knex): Promise<void> {
  for (const table of ADDED_HERE) {
    await db.raw(`DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table}`);
  }
  await db.raw('DROP TRIGGER IF EXISTS claim_components_append_only ON claim_components');
  await db.schema.dropTableIfExists('chain_checkpoints');
  await db.schema.dropTableIfExists('reminder_deliveries');
  await db.schema.alterTable('reminders', (t) => { t.dropColumn('lease_token'); t.dropColumn('lease_until'); });
  await db.schema.alterTable('personal_data_reads', (t) => { t.dropColumn('details'); });
}
