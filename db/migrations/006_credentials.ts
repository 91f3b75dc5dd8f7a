/**
 * Keys, sessions and requests: Idempotency-Keys reserved before their command runs and scoped per user and route,
 * with an expiry; API keys with an opaque public id, an expiry and who revoked them; who deactivated a user;
 * sign-in failures per account (shared by every API process); and the details of each fund receipt, so the same
 * receipt sent again is answered with the first.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // Rows kept before this migration have no route; they stay readable until they expire and are purged.
  await db.raw('ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey');
  await db.schema.alterTable('idempotency_keys', (t) => {
    t.text('route').notNullable().defaultTo('(before 006)');
    t.text('state').notNullable().defaultTo('completed');
    t.text('content_type');
    t.timestamp('reserved_until', { useTz: true });
    t.timestamp('expires_at', { useTz: true });
  });
  await db.raw(`UPDATE idempotency_keys SET expires_at = created_at + interval '24 hours'`);
  await db.raw(`ALTER TABLE idempotency_keys
    ALTER COLUMN route DROP DEFAULT, ALTER COLUMN state DROP DEFAULT, ALTER COLUMN expires_at SET NOT NULL,
    ALTER COLUMN status DROP NOT NULL, ALTER COLUMN response DROP NOT NULL,
    ADD PRIMARY KEY (user_id, route, key),
    ADD CONSTRAINT idempotency_keys_state CHECK (state IN ('in_progress', 'completed', 'secret_withheld')),
    ADD CONSTRAINT idempotency_keys_answer CHECK (state = 'in_progress' OR status IS NOT NULL)`);
  await db.raw('CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)');

  await db.raw('CREATE INDEX sessions_user ON sessions (user_id)');
  await db.raw('CREATE INDEX sessions_expiry ON sessions (expires_at)');

  // Keys made before this migration get the default lifetime from today, rather than expiring at once.
  await db.schema.alterTable('api_keys', (t) => {
    t.uuid('public_id').notNullable().defaultTo(db.raw('gen_random_uuid()')).unique();
    t.timestamp('expires_at', { useTz: true });
    t.text('revoked_by');
    t.index(['user_id']);
  });
  await db.raw(`UPDATE api_keys SET expires_at = now() + interval '90 days'`);
  await db.raw('ALTER TABLE api_keys ALTER COLUMN expires_at SET NOT NULL');

  await db.schema.alterTable('users', (t) => {
    t.timestamp('deactivated_at', { useTz: true });
    t.text('deactivated_by');
    t.timestamp('password_changed_at', { useTz: true });
  });

  // Keyed by the user id as typed, known or not, so throttling does not reveal which accounts exist.
  await db.schema.createTable('sign_in_failures', (t) => {
    t.text('account').primary();
    t.integer('failures').notNullable();
    t.timestamp('blocked_until', { useTz: true }).notNullable();
    t.timestamp('last_attempt_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('fund_receipt_details', (t) => {
    t.bigInteger('ledger_id').primary().references('fund_ledger.id');
    t.date('received_on').notNullable();
    t.jsonb('admitted').notNullable(); // the referrals this receipt let through, for the answer to a repeat
  });
  await db.raw(`CREATE TRIGGER fund_receipt_details_append_only BEFORE UPDATE OR DELETE ON fund_receipt_details
    FOR EACH ROW EXECUTE FUNCTION redress_refuse_change()`);
  await db.raw(`CREATE TRIGGER fund_receipt_details_no_truncate BEFORE TRUNCATE ON fund_receipt_details
    FOR EACH STATEMENT EXECUTE FUNCTION redress_refuse_change()`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('fund_receipt_details');
  await db.schema.dropTableIfExists('sign_in_failures');
  await db.schema.alterTable('users', (t) => { t.dropColumns('deactivated_at', 'deactivated_by', 'password_changed_at'); });
  await db.schema.alterTable('api_keys', (t) => { t.dropIndex(['user_id']); t.dropColumns('public_id', 'expires_at', 'revoked_by'); });
  await db.raw('DROP INDEX sessions_user; DROP INDEX sessions_expiry');
  await db('idempotency_keys').whereNot({ state: 'completed' }).delete();
  await db.raw(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey, DROP CONSTRAINT idempotency_keys_state,
    DROP CONSTRAINT idempotency_keys_answer`);
  await db.raw('DROP INDEX idempotency_keys_expiry');
  await db.schema.alterTable('idempotency_keys', (t) => { t.dropColumns('route', 'state', 'content_type', 'reserved_until', 'expires_at'); });
  await db.raw('DELETE FROM idempotency_keys a USING idempotency_keys b WHERE a.ctid > b.ctid AND a.user_id = b.user_id AND a.key = b.key');
  await db.raw('ALTER TABLE idempotency_keys ADD PRIMARY KEY (user_id, key)');
}
