/**
 * The scan of incidents a release's accountability tables are built from (domain/release/incidents-schema.ts). Like
 * scanClaimFacts (db/releases.ts) it reads in keyset batches (id order, a fixed number of parameters per query), so
 * a scan over hundreds of thousands of incidents holds one batch in memory at a time. What it yields carries no
 * identifier: no id, no reference, no victim, no date finer than the year; the id is used only to page.
 */
import type { Knex } from 'knex';
import { daysBetween } from '../domain/calendar-date';
import type { Act, County } from '../domain/incident/incident';
import type { IncidentFact } from '../domain/incident/fact';
import type { Db } from './connection';

export const INCIDENT_BATCH = 5_000;

interface FactRow {
  id: string;
  occurred_on: string;
  acts: Act[];
  county: County;
  perpetrator_agency_ids: string[];
  investigating_body_id: string;
  investigation_opened_on: string | null;
  charged_on: string | null;
  convicted: boolean;
  deaths: boolean;
  inquest_opened_on: string | null;
  investigation_closed: boolean | null;
  investigation_level: number | null;
}

// Dates leave PostgreSQL as text, so no time zone can move them.
const FACTS_SQL = `SELECT i.id, i.occurred_on::text AS occurred_on, i.acts, i.county, i.perpetrator_agency_ids, i.investigating_body_id,
  i.investigation_opened_on::text AS investigation_opened_on, i.charged_on::text AS charged_on, i.convicted, i.deaths,
  i.inquest_opened_on::text AS inquest_opened_on, t.closed AS investigation_closed, t.escalation_level AS investigation_level
  FROM incidents i LEFT JOIN incident_tracks t ON t.incident_id = i.id AND t.track = 'investigation'
  WHERE i.id > ? AND (?::boolean OR EXISTS (SELECT 1 FROM release_incident_members m WHERE m.incident_id = i.id)) ORDER BY i.id LIMIT ?`;

const PENDING = 'FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM release_incident_members m WHERE m.incident_id = i.id)';

/** Incidents registered but not yet counted by any release. */
export async function pendingIncidents(db: Db | Knex.Transaction): Promise<number> {
  const { rows } = await db.raw(`SELECT count(*)::int AS n ${PENDING}`);
  return rows[0].n as number;
}

/** Counts every pending incident from release `number` on (in the caller's snapshot). */
export async function admitPendingIncidents(trx: Knex.Transaction, number: number): Promise<number> {
  const { rowCount } = await trx.raw(`INSERT INTO release_incident_members (incident_id, release_number) SELECT i.id, ? ${PENDING}`, [number]);
  return rowCount ?? 0;
}

/** The responsible bodies on the register (their rows are listed whether or not any incident names them). */
export async function incidentBodies(db: Db | Knex.Transaction): Promise<Map<string, string>> {
  const rows = await db('incident_bodies').select('id', 'name');
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}

export function factOf(row: Omit<FactRow, 'id'>): IncidentFact {
  const open = row.investigation_closed === false;
  return {
    year: Number(row.occurred_on.slice(0, 4)),
    acts: [...row.acts].sort(),
    county: row.county,
    perpetratorAgencies: [...row.perpetrator_agency_ids].sort(),
    responsibleBody: row.investigating_body_id,
    investigated: row.investigation_opened_on !== null,
    charged: row.charged_on !== null,
    convicted: row.convicted,
    inquestDue: row.deaths,
    inquestOpened: row.inquest_opened_on !== null,
    daysToCharge: row.charged_on ? daysBetween(row.occurred_on, row.charged_on) : null,
    investigationOpen: open,
    stalledInvestigation: open && (row.investigation_level ?? -1) >= 0,
  };
}

/** Every incident's facts, batch by batch, in the caller's snapshot (pass a transaction for one consistent read). */
export async function scanIncidentFacts(
  db: Db | Knex.Transaction, onBatch: (facts: IncidentFact[]) => void | Promise<void>, batch = INCIDENT_BATCH,
  opts: { counted?: 'all' | 'released' | 'released-and-pending' } = {},
): Promise<number> {
  // 'all' (the default: every incident), or only those a release counts (and, when it admits them, the pending ones).
  const everyone = (opts.counted ?? 'all') !== 'released';
  let after = '';
  let total = 0;
  for (;;) {
    const { rows } = (await db.raw(FACTS_SQL, [after, everyone, batch])) as { rows: FactRow[] };
    if (!rows.length) return total;
    await onBatch(rows.map(({ id: _id, ...row }) => factOf(row)));
    total += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}
