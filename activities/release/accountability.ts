/**
 * The accountability section of a release: the incidents' tables, through the same disclosure control as the
 * orders' (domain/release/incidents-schema.ts), in the release's snapshot. New incidents enter six or more at a time.
 */
import type { Knex } from 'knex';
import { admitPendingIncidents, incidentBodies, pendingIncidents, scanIncidentFacts } from '../../db/incident-facts';
import { agencyNames } from '../../db/releases';
import { INCIDENTS, type IncidentRowContext, UnitGroups, admission, incidentUnit, previousRelease, releaseContentFor } from '../../domain/release';
import type { AnyTables } from '../../domain/release/publish';
import type { DisclosureRecord } from '../../domain/release/release';
import type { LinearSolver } from '../../domain/release/attack';

export interface AccountabilitySection {
  tables: AnyTables;
  disclosure: DisclosureRecord;
}

/** Null until six incidents can be counted (or when the record has no incidents table). */
export async function accountabilitySection(
  trx: Knex.Transaction, solver: LinearSolver, opts: { number: number; asOf: string; last: AccountabilitySection | null },
): Promise<AccountabilitySection | null> {
  const { rows: [exists] } = await trx.raw(`SELECT to_regclass('public.release_incident_members') IS NOT NULL AS ok`);
  if (!exists.ok) return null;
  const { admit, publish } = admission(await pendingIncidents(trx), opts.last !== null);
  if (!publish) return null;
  const groups = new UnitGroups();
  await scanIncidentFacts(trx, (facts) => { for (const f of facts) groups.addUnit(incidentUnit(f)); }, undefined, { counted: admit ? 'released-and-pending' : 'released' });
  const [agencies, bodies] = await Promise.all([agencyNames(trx), incidentBodies(trx)]);
  const context: IncidentRowContext & { labels: Map<string, string>; number: number } = {
    agencies: [...agencies.keys()], bodies: [...bodies.keys()], asOfYear: Number(opts.asOf.slice(0, 4)),
    labels: new Map([...agencies, ...bodies]), number: opts.number,
  };
  const previous = opts.last ? previousRelease(opts.last.tables, opts.last.disclosure, INCIDENTS) : null;
  const { tables, disclosure } = releaseContentFor(INCIDENTS, groups.list(), solver, previous, context,
    opts.last?.disclosure.shown ?? {}, opts.last?.disclosure.changesSinceShown ?? {});
  if (admit) await admitPendingIncidents(trx, opts.number);
  return { tables, disclosure };
}
