/**
 * Reports: the referral projection gains the dates the indicators count from (funds committed, first appointment,
 * closed), and indicator definitions become versioned data, append-only like deadline policies, starting with the
 * first set (domain/report/indicator-definitions.ts). Referrals projected before this migration get the new dates
 * at their next step.
 */
import type { Knex } from 'knex';
import { DEFAULT_INDICATOR_DOCUMENT } from '../../domain/report/indicator-definitions';
import { refuseChanges } from '../append-only';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('referrals', (t) => {
    t.date('funded_on');
    t.date('first_appointment_on');
    t.date('closed_on');
  });
  await db.schema.createTable('indicator_definitions', (t) => {
    t.integer('version').primary();
    t.jsonb('document').notNullable();
    t.text('created_by').notNullable();
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('ALTER TABLE indicator_definitions ADD CONSTRAINT indicator_definitions_version_positive CHECK (version > 0)');
  await db('indicator_definitions').insert({
    version: 1, document: JSON.stringify(DEFAULT_INDICATOR_DOCUMENT), created_by: 'redress', note: 'the first set (issue 13)',
  });
  await refuseChanges(db, 'indicator_definitions');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('indicator_definitions');
  await db.schema.alterTable('referrals', (t) => { t.dropColumns('funded_on', 'first_appointment_on', 'closed_on'); });
}
