/**
 * Who may do what: users with one role each (an advocate user is linked to the advocate whose claims they see),
 * sessions and API keys stored only as hashes, the log of every read of a survivor's personal data, and the
 * responses kept for Idempotency-Key replays.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('role').notNullable();
    t.text('password_hash').notNullable();
    t.text('advocate_id').references('advocates.id');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_role CHECK (role IN ('administrator', 'advocate', 'auditor'))`);
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_advocate CHECK ((role = 'advocate') = (advocate_id IS NOT NULL))`);

  await db.schema.createTable('sessions', (t) => {
    t.text('token_hash').primary();
    t.text('user_id').notNullable().references('users.id');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('api_keys', (t) => {
    t.bigIncrements('id');
    t.text('key_hash').notNullable().unique();
    t.text('user_id').notNullable().references('users.id');
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('revoked_at', { useTz: true });
  });
  await db.schema.createTable('personal_data_reads', (t) => {
    t.bigIncrements('id');
    t.text('user_id').notNullable().references('users.id');
    t.text('claim_id').notNullable().references('claims.id');
    t.text('what').notNullable();
    t.timestamp('read_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw(`CREATE TRIGGER personal_data_reads_append_only BEFORE UPDATE OR DELETE ON personal_data_reads
    FOR EACH ROW EXECUTE FUNCTION redress_refuse_change()`);
  await db.schema.createTable('idempotency_keys', (t) => {
    t.text('user_id').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.integer('status').notNullable();
    t.jsonb('response').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['user_id', 'key']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['idempotency_keys', 'personal_data_reads', 'api_keys', 'sessions', 'users']) await db.schema.dropTableIfExists(table);
}
