/**
 * Rehabilitation referrals and the Victim Protection Fund: providers (every activation change logged), the
 * referral projection, the health facts that set queue priority (kept here, never in workflow history), the
 * fund's append-only ledger per financial year, and the funding queue.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('providers', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.specificType('services', 'text[]').notNullable();
    t.text('county').notNullable();
    t.text('email').notNullable();
    t.text('phone');
    t.integer('capacity').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('provider_changes', (t) => {
    t.bigIncrements('id');
    t.text('provider_id').notNullable().references('providers.id');
    t.text('change').notNullable(); // registered | updated | activated | deactivated
    t.jsonb('details').notNullable();
    t.text('actor').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('referrals', (t) => {
    t.text('id').primary();
    t.text('claim_id').notNullable().references('claims.id');
    t.text('workflow_id').notNullable().unique();
    t.text('service').notNullable();
    t.text('beneficiary_kind').notNullable();
    t.text('stage').notNullable();
    t.text('provider_id').references('providers.id');
    t.bigInteger('assessed_cost_cents');
    t.date('assessed_on');
    t.text('financial_year');
    t.bigInteger('approved_cents');
    t.bigInteger('paid_cents').notNullable().defaultTo(0);
    t.date('consented_on').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['claim_id']);
  });
  await db.schema.createTable('referral_priority', (t) => {
    t.text('referral_id').primary();
    t.boolean('urgent_medical').notNullable();
    t.integer('age_years').notNullable();
    t.boolean('disability').notNullable();
    t.text('needs_note'); // the assessment in the survivor's words: shared with the provider only with consent
    t.boolean('share_assessment').notNullable();
  });

  await db.schema.createTable('fund_years', (t) => {
    t.text('financial_year').primary(); // the row each commitment locks, so commitments in a year are serial
  });
  await db.schema.createTable('fund_ledger', (t) => {
    t.bigIncrements('id');
    t.text('financial_year').notNullable().references('fund_years.financial_year');
    t.text('entry').notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.text('referral_id');
    t.text('reference').notNullable();
    t.text('actor').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['financial_year', 'entry', 'reference']);
  });
  await db.raw(`ALTER TABLE fund_ledger ADD CONSTRAINT fund_ledger_entry CHECK (entry IN ('receipt', 'commitment', 'payment', 'release'))`);
  await db.raw('ALTER TABLE fund_ledger ADD CONSTRAINT fund_ledger_positive CHECK (amount_cents > 0)');
  await db.raw(`ALTER TABLE fund_ledger ADD CONSTRAINT fund_ledger_referral CHECK ((entry = 'receipt') = (referral_id IS NULL))`);
  // One commitment and at most one release per referral: a retried activity cannot commit twice.
  await db.raw(`CREATE UNIQUE INDEX fund_ledger_one_commitment ON fund_ledger (referral_id) WHERE entry = 'commitment'`);
  await db.raw(`CREATE UNIQUE INDEX fund_ledger_one_release ON fund_ledger (referral_id) WHERE entry = 'release'`);
  await db.raw(`CREATE TRIGGER fund_ledger_append_only BEFORE UPDATE OR DELETE ON fund_ledger
    FOR EACH ROW EXECUTE FUNCTION redress_refuse_change()`);
  await db.raw(`CREATE TRIGGER provider_changes_append_only BEFORE UPDATE OR DELETE ON provider_changes
    FOR EACH ROW EXECUTE FUNCTION redress_refuse_change()`);
  // The last guard against over-commitment: whatever the code does, the year's uncommitted balance and each
  // referral's unpaid commitment never go below zero.
  await db.raw(`CREATE FUNCTION redress_fund_balance_check() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE uncommitted bigint; unpaid bigint;
    BEGIN
      SELECT coalesce(sum(CASE entry WHEN 'receipt' THEN amount_cents WHEN 'commitment' THEN -amount_cents
                                     WHEN 'release' THEN amount_cents ELSE 0 END), 0)
        INTO uncommitted FROM fund_ledger WHERE financial_year = NEW.financial_year;
      IF uncommitted < 0 THEN
        RAISE EXCEPTION 'fund % would be over-committed by % cents', NEW.financial_year, -uncommitted USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.referral_id IS NOT NULL THEN
        SELECT coalesce(sum(CASE entry WHEN 'commitment' THEN amount_cents ELSE -amount_cents END), 0)
          INTO unpaid FROM fund_ledger WHERE referral_id = NEW.referral_id AND entry <> 'receipt';
        IF unpaid < 0 THEN
          RAISE EXCEPTION 'referral % would be paid or released beyond its commitment', NEW.referral_id USING ERRCODE = 'check_violation';
        END IF;
      END IF;
      RETURN NULL;
    END $$`);
  await db.raw(`CREATE TRIGGER fund_ledger_balance AFTER INSERT ON fund_ledger FOR EACH ROW EXECUTE FUNCTION redress_fund_balance_check()`);

  await db.schema.createTable('funding_queue', (t) => {
    t.text('referral_id').primary();
    t.text('financial_year').notNullable().references('fund_years.financial_year');
    t.bigInteger('amount_cents').notNullable();
    t.boolean('urgent_medical').notNullable();
    t.integer('age_years').notNullable();
    t.boolean('disability').notNullable();
    t.timestamp('queued_at', { useTz: true }).notNullable();
    t.timestamp('admitted_at', { useTz: true });
    t.timestamp('removed_at', { useTz: true });
    t.index(['financial_year']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['funding_queue', 'fund_ledger', 'fund_years', 'referral_priority', 'referrals', 'provider_changes', 'providers']) {
    await db.schema.dropTableIfExists(table);
  }
  await db.raw('DROP FUNCTION IF EXISTS redress_fund_balance_check()');
}
