/**
 * The statutory record of claims: the current row per claim (a projection), and the append-only event log
 * and money ledgers that the projection is derived from. Unique keys make every activity idempotent.
 */
import type { Knex } from 'knex';

const APPEND_ONLY = ['claim_events', 'disbursements', 'budget_allocations'];

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('agencies', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('kind').notNullable().defaultTo('respondent');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('claims', (t) => {
    t.text('id').primary();
    t.text('workflow_id').notNullable().unique();
    t.text('court').notNullable();
    t.text('case_number').notNullable();
    t.date('judgment_date').notNullable();
    t.date('costs_taxed_on');
    t.text('respondent_agency_id').notNullable().references('agencies.id');
    t.text('survivor_ref').notNullable();
    t.specificType('violation_types', 'text[]').notNullable();
    t.text('advocate_id').notNullable();
    t.text('appropriation').notNullable();
    t.text('stage').notNullable();
    t.boolean('stayed').notNullable().defaultTo(false);
    t.bigInteger('awarded_cents').notNullable();
    t.bigInteger('paid_cents').notNullable().defaultTo(0);
    t.bigInteger('allocated_cents').notNullable().defaultTo(0);
    t.date('certificate_issued_on');
    t.date('certificate_served_on');
    t.integer('last_sequence').notNullable();
    t.text('last_event_hash').notNullable();
    t.timestamp('registered_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['stage']);
    t.index(['respondent_agency_id']);
    t.index(['advocate_id']);
  });

  await db.schema.createTable('claim_components', (t) => {
    t.text('claim_id').notNullable().references('claims.id');
    t.integer('position').notNullable();
    t.text('label').notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.integer('rate_basis_points').notNullable();
    t.date('interest_from').notNullable();
    t.primary(['claim_id', 'position']);
  });

  await db.schema.createTable('claim_events', (t) => {
    t.bigIncrements('id');
    t.text('claim_id').notNullable().references('claims.id');
    t.integer('sequence').notNullable();
    t.text('type').notNullable();
    t.text('actor').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.jsonb('payload').notNullable();
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['claim_id', 'sequence']);
  });
  await db.raw('ALTER TABLE claim_events ADD CONSTRAINT claim_events_sequence_positive CHECK (sequence > 0)');

  await db.schema.createTable('disbursements', (t) => {
    t.bigIncrements('id');
    t.text('claim_id').notNullable().references('claims.id');
    t.integer('event_sequence').notNullable();
    t.text('entry').notNullable();
    t.text('payment_reference').notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.date('paid_on');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['claim_id', 'event_sequence']);
    t.unique(['claim_id', 'payment_reference', 'entry']);
  });
  // A tranche is positive; its reversal is the same amount negated, in a new row.
  await db.raw(`ALTER TABLE disbursements ADD CONSTRAINT disbursements_entry_sign CHECK (
    (entry = 'tranche' AND amount_cents > 0) OR (entry = 'reversal' AND amount_cents < 0))`);

  await db.schema.createTable('budget_allocations', (t) => {
    t.bigIncrements('id');
    t.text('claim_id').notNullable().references('claims.id');
    t.integer('event_sequence').notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.text('budget_line').notNullable();
    t.text('financial_year').notNullable();
    t.date('allocated_on').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['claim_id', 'event_sequence']);
  });
  await db.raw('ALTER TABLE budget_allocations ADD CONSTRAINT budget_allocations_positive CHECK (amount_cents > 0)');

  await db.raw(`CREATE FUNCTION redress_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% on %: this record is append-only; correct it with a new entry', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END $$`);
  for (const table of APPEND_ONLY) {
    await db.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION redress_refuse_change()`);
    await db.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION redress_refuse_change()`);
  }

  // Respondent agencies named in reported Kenyan compensation cases; administrators add others.
  await db('agencies').insert([
    { id: 'national-police-service', name: 'National Police Service' },
    { id: 'office-of-the-attorney-general', name: 'Office of the Attorney General and Department of Justice' },
    { id: 'ministry-of-interior', name: 'Ministry of Interior and National Administration' },
    { id: 'kenya-prisons-service', name: 'Kenya Prisons Service' },
    { id: 'kenya-defence-forces', name: 'Kenya Defence Forces' },
    { id: 'kenya-wildlife-service', name: 'Kenya Wildlife Service' },
  ]);
}

export async function down(db: Knex): Promise<void> {
  for (const table of [...APPEND_ONLY, 'claim_components', 'claims', 'agencies']) {
    await db.schema.dropTableIfExists(table);
  }
  await db.raw('DROP FUNCTION IF EXISTS redress_refuse_change()');
}
