/**
 * The ledgers and logs of Redress: rows are only ever added. PostgreSQL refuses UPDATE, DELETE and TRUNCATE on each
 * (redress_refuse_change, db/migrations/001_claim_record.ts), whoever asks, the table's owner included; only a
 * superuser or the owner who first disables the triggers can change them, and the signed chain checkpoints
 * (db/checkpoint.ts) catch that for claim events. A table created later is added here and given the same triggers
 * by its own migration (refuseChanges); test/integration/record-integrity.test.ts tries every table listed.
 */
import type { Knex } from 'knex';

export const APPEND_ONLY_TABLES = [
  'claim_events', 'claim_components', 'disbursements', 'budget_allocations',
  'fund_ledger',
  'contact_changes', 'provider_changes', 'deadline_policies',
  'personal_data_reads',
  'reminder_deliveries',
  'chain_checkpoints',
  'fund_receipt_details',
  'releases', 'release_members', 'release_incident_members',
  'indicator_definitions',
  'incident_events', 'incident_acts',
  'claim_order_amendments', 'claim_component_amendments', 'allocation_corrections', 'import_rows', 'claim_documents',
  'agency_acknowledgments', 'provider_invoices',
] as const;
export type AppendOnlyTable = (typeof APPEND_ONLY_TABLES)[number];

/** Row triggers refuse UPDATE and DELETE; a statement trigger refuses TRUNCATE (which row triggers do not see). */
export async function refuseChanges(db: Knex, table: string): Promise<void> {
  await db.raw(`CREATE OR REPLACE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION redress_refuse_change()`);
  await db.raw(`CREATE OR REPLACE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION redress_refuse_change()`);
}
