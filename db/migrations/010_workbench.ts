/**
 * The workbench (issue 14): corrections of a claim (amended orders, corrected allocations) kept beside the originals,
 * the components that hold today as a view; imports as durable work (the file, and each row's outcome once); documents
 * with their SHA-256; agency officers' acknowledgments and commitments; advocates' notices and how they want them;
 * providers who sign in.
 */
import type { Knex } from 'knex';
import { refuseChanges } from '../append-only';

const APPEND_ONLY = [
  'claim_order_amendments', 'claim_component_amendments', 'allocation_corrections', 'import_rows', 'claim_documents',
  'agency_acknowledgments', 'provider_invoices',
] as const;

/** The roles migration 008 (incidents) allowed; providers join them here. */
const ROLES_BEFORE = ['administrator', 'advocate', 'auditor', 'investigator', 'prosecutor', 'documenting_organisation'];

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('claim_order_amendments', (t) => {
    t.text('claim_id').notNullable().references('claims.id');
    t.integer('event_sequence').notNullable();
    t.date('amended_on').notNullable();
    t.text('reason').notNullable();
    t.date('costs_taxed_on');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['claim_id', 'event_sequence']);
  });
  await db.schema.createTable('claim_component_amendments', (t) => {
    t.text('claim_id').notNullable();
    t.integer('event_sequence').notNullable();
    t.integer('position').notNullable();
    t.text('label').notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.integer('rate_basis_points').notNullable();
    t.date('interest_from').notNullable();
    t.primary(['claim_id', 'event_sequence', 'position']);
    t.foreign(['claim_id', 'event_sequence']).references(['claim_id', 'event_sequence']).inTable('claim_order_amendments');
  });
  // The components that hold today: the latest amendment's list, else the order as registered.
  await db.raw(`CREATE VIEW claim_current_components AS
    SELECT cc.claim_id, cc.position, cc.label, cc.amount_cents, cc.rate_basis_points, cc.interest_from
      FROM claim_components cc
     WHERE NOT EXISTS (SELECT 1 FROM claim_component_amendments a WHERE a.claim_id = cc.claim_id)
    UNION ALL
    SELECT a.claim_id, a.position, a.label, a.amount_cents, a.rate_basis_points, a.interest_from
      FROM claim_component_amendments a
     WHERE a.event_sequence = (SELECT max(b.event_sequence) FROM claim_component_amendments b WHERE b.claim_id = a.claim_id)`);

  await db.schema.createTable('allocation_corrections', (t) => {
    t.text('claim_id').notNullable().references('claims.id');
    t.integer('event_sequence').notNullable();
    t.integer('corrects_sequence').notNullable();
    t.text('reason').notNullable();
    t.date('corrected_on').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['claim_id', 'event_sequence']);
    t.unique(['claim_id', 'corrects_sequence']);
  });

  // An import is a workflow per file; the file is kept here (it names survivors' references: never in Temporal).
  await db.schema.createTable('imports', (t) => {
    t.text('id').primary();
    t.text('sha256').notNullable();
    t.text('csv').notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  // Each row's outcome, once: a resumed import skips the rows already done.
  await db.schema.createTable('import_rows', (t) => {
    t.text('import_id').notNullable().references('imports.id');
    t.integer('line').notNullable();
    t.text('outcome').notNullable();
    t.text('claim_id');
    t.jsonb('problems').notNullable().defaultTo('[]');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['import_id', 'line']);
  });
  await db.raw(`ALTER TABLE import_rows ADD CONSTRAINT import_rows_outcome
    CHECK (outcome IN ('imported', 'already_registered', 'rejected', 'duplicate', 'header'))`);

  await db.schema.createTable('claim_documents', (t) => {
    t.uuid('id').primary();
    t.text('claim_id').notNullable().references('claims.id');
    t.text('referral_id');
    t.text('kind').notNullable();
    t.text('filename').notNullable();
    t.text('content_type').notNullable();
    t.integer('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.text('storage').notNullable();
    t.binary('content'); // null when kept in an object store (storage = 's3')
    t.text('uploaded_by').notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['claim_id']);
  });
  await db.raw(`ALTER TABLE claim_documents ADD CONSTRAINT claim_documents_kind
    CHECK (kind IN ('decree', 'certificate_of_order', 'payment_voucher', 'assessment_report'))`);
  await db.raw(`ALTER TABLE claim_documents ADD CONSTRAINT claim_documents_referral CHECK ((kind = 'assessment_report') = (referral_id IS NOT NULL))`);
  await db.raw(`ALTER TABLE claim_documents ADD CONSTRAINT claim_documents_stored CHECK ((storage = 'postgres') = (content IS NOT NULL))`);

  // What an agency officer did with a reminder's link: acknowledged it, and perhaps committed to a step by a date.
  await db.schema.createTable('agency_acknowledgments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('reminder_id').notNullable().references('reminders.id');
    t.text('claim_id').notNullable().references('claims.id');
    t.text('agency_id').notNullable().references('agencies.id');
    t.text('officer_name').notNullable();
    t.text('officer_role');
    t.text('commitment_action');
    t.date('commitment_due_on');
    t.text('commitment_responsible');
    t.timestamp('acknowledged_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['reminder_id']);
    t.index(['agency_id']);
    t.index(['claim_id']); // a release reads whether each order had a reminder acknowledged
  });

  // Advocates hear of what happens on their claims: at once, or in a weekly digest.
  await db.schema.alterTable('advocates', (t) => {
    t.text('notify').notNullable().defaultTo('immediate');
  });
  await db.raw(`ALTER TABLE advocates ADD CONSTRAINT advocates_notify CHECK (notify IN ('immediate', 'weekly', 'none'))`);
  await db.schema.createTable('advocate_notices', (t) => {
    t.bigIncrements('id');
    t.text('advocate_id').notNullable().references('advocates.id');
    t.text('claim_id').notNullable().references('claims.id');
    t.integer('event_sequence').notNullable();
    t.text('kind').notNullable();
    t.jsonb('content').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('smtp_message_id');
    t.text('lease_token');
    t.timestamp('lease_until', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.unique(['claim_id', 'event_sequence', 'advocate_id']);
    t.index(['advocate_id', 'status']);
  });
  await db.raw(`ALTER TABLE advocate_notices ADD CONSTRAINT advocate_notices_status CHECK (status IN ('pending', 'sent', 'in_digest', 'undeliverable'))`);

  // A provider's invoice for care given under a referral; the fund pays it through the referral's payProvider step.
  await db.schema.createTable('provider_invoices', (t) => {
    t.bigIncrements('id');
    t.text('referral_id').notNullable().references('referrals.id');
    t.text('provider_id').notNullable().references('providers.id');
    t.text('reference').notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.date('invoiced_on').notNullable();
    t.text('recorded_by').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['referral_id', 'reference']);
  });
  await db.raw('ALTER TABLE provider_invoices ADD CONSTRAINT provider_invoices_positive CHECK (amount_cents > 0)');

  // Providers sign in and see the referrals sent to them.
  await db.raw('ALTER TABLE users DROP CONSTRAINT users_role');
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_role CHECK (role IN (${[...ROLES_BEFORE, 'provider'].map((r) => `'${r}'`).join(', ')}))`);
  await db.schema.alterTable('users', (t) => { t.text('provider_id').references('providers.id'); });
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_provider CHECK ((role = 'provider') = (provider_id IS NOT NULL))`);

  for (const table of APPEND_ONLY) await refuseChanges(db, table);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('ALTER TABLE users DROP CONSTRAINT users_provider');
  await db.schema.alterTable('users', (t) => { t.dropColumn('provider_id'); });
  await db('users').where({ role: 'provider' }).update({ active: false, role: 'auditor' });
  await db.raw('ALTER TABLE users DROP CONSTRAINT users_role');
  await db.raw(`ALTER TABLE users ADD CONSTRAINT users_role CHECK (role IN (${ROLES_BEFORE.map((r) => `'${r}'`).join(', ')}))`);
  await db.schema.dropTableIfExists('advocate_notices');
  await db.schema.alterTable('advocates', (t) => { t.dropColumn('notify'); });
  await db.raw('DROP VIEW IF EXISTS claim_current_components');
  for (const table of ['provider_invoices', 'agency_acknowledgments', 'claim_documents', 'import_rows', 'imports', 'allocation_corrections', 'claim_component_amendments', 'claim_order_amendments']) {
    await db.schema.dropTableIfExists(table);
  }
}
