/**
 * Published releases: every public figure comes from one of these numbered, immutable snapshots, never from a
 * live query. `tables` is what the public sees; `disclosure` (never served publicly) keeps the true values of the
 * release's cells and what the disclosure attack could prove about each, so the next release and
 * `npm run audit-release` can check the two against each other.
 */
import type { Knex } from 'knex';
import { refuseChanges } from '../append-only';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('releases', (t) => {
    t.integer('number').primary();
    // The workflow that built it: a retried build finds its release instead of publishing a second.
    t.text('request_key').notNullable().unique();
    t.timestamp('published_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.date('as_of').notNullable();
    // Amounts are as at the end of the month before the release: a daily release shows no day's interest or payment.
    t.date('money_as_of').notNullable();
    t.text('trigger').notNullable();
    t.text('requested_by');
    t.integer('claims').notNullable();
    t.text('data_package_version').notNullable();
    t.jsonb('tables').notNullable();
    t.text('digest').notNullable();
    t.jsonb('checkpoint');
    // Further public sections (the indicators), each with its own disclosure rule.
    t.jsonb('extras').notNullable().defaultTo('{}');
    t.jsonb('disclosure').notNullable();
  });
  await db.raw(`ALTER TABLE releases ADD CONSTRAINT releases_trigger CHECK (trigger IN ('schedule', 'administrator'))`);
  await db.raw(`ALTER TABLE releases ADD CONSTRAINT releases_number_positive CHECK (number > 0)`);
  await refuseChanges(db, 'releases');
  // Which release first counted each order: new orders enter the public figures six or more at a time.
  await db.schema.createTable('release_members', (t) => {
    t.text('claim_id').primary().references('claims.id');
    t.integer('release_number').notNullable();
  });
  await refuseChanges(db, 'release_members');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('release_members');
  await db.schema.dropTableIfExists('releases');
}
