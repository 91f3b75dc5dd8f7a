/** Reads of the claim record. Money columns are BIGINT, returned by pg as strings and parsed exactly here. */
import type { CalendarDate } from '../domain/calendar-date';
import { type ClaimEvent, type ClaimState, type Stage, courtOrderSchema, evolve, initialState } from '../domain/claim';
import { type Cents, centsFromDb } from '../domain/money';
import type { Db } from './connection';

export interface ClaimRecord {
  id: string;
  workflowId: string;
  court: string;
  caseNumber: string;
  judgmentDate: CalendarDate;
  respondentAgencyId: string;
  advocateId: string;
  stage: Stage;
  stayed: boolean;
  awardedCents: Cents;
  paidCents: Cents;
  allocatedCents: Cents;
  lastSequence: number;
  policyVersion: number | null;
  escalationLevel: number;
  events: { sequence: number; type: string; actor: string; occurredAt: string; payload: unknown }[];
  disbursements: { eventSequence: number; entry: 'tranche' | 'reversal'; paymentReference: string; amountCents: Cents; paidOn: CalendarDate | null }[];
}

/** pg returns DATE as a JS Date at local midnight; a court date is read back as the calendar date it was. */
export function dateOnly(value: Date | string | null): CalendarDate | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  const y = value.getFullYear(); const m = value.getMonth() + 1; const d = value.getDate();
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export async function readClaimRecord(db: Db, claimId: string): Promise<ClaimRecord | null> {
  const row = await db('claims').where({ id: claimId }).first();
  if (!row) return null;
  const [events, disbursements] = await Promise.all([
    db('claim_events').where({ claim_id: claimId }).orderBy('sequence').select('sequence', 'type', 'actor', 'occurred_at', 'payload'),
    db('disbursements').where({ claim_id: claimId }).orderBy('event_sequence').select(),
  ]);
  return {
    id: row.id, workflowId: row.workflow_id, court: row.court, caseNumber: row.case_number,
    judgmentDate: dateOnly(row.judgment_date)!, respondentAgencyId: row.respondent_agency_id, advocateId: row.advocate_id,
    stage: row.stage, stayed: row.stayed, awardedCents: centsFromDb(row.awarded_cents), paidCents: centsFromDb(row.paid_cents),
    allocatedCents: centsFromDb(row.allocated_cents), lastSequence: row.last_sequence,
    policyVersion: row.policy_version ?? null, escalationLevel: row.escalation_level ?? -1,
    events: events.map((e) => ({ sequence: e.sequence, type: e.type, actor: e.actor, occurredAt: new Date(e.occurred_at).toISOString(), payload: e.payload })),
    disbursements: disbursements.map((d) => ({
      eventSequence: d.event_sequence, entry: d.entry, paymentReference: d.payment_reference,
      amountCents: centsFromDb(d.amount_cents), paidOn: dateOnly(d.paid_on),
    })),
  };
}

export async function agencyExists(db: Db, agencyId: string): Promise<boolean> {
  return (await db('agencies').where({ id: agencyId }).first('id')) !== undefined;
}

/** The claim's state rebuilt from its recorded events alone: the record is complete without Temporal. */
export function stateFromRecord(record: ClaimRecord): ClaimState {
  const [registration, ...rest] = record.events;
  if (registration?.type !== 'claim_registered') throw new Error(`claim ${record.id} has no registration event`);
  const order = courtOrderSchema.parse((registration.payload as { order: unknown }).order);
  return rest.reduce(
    (state, e) => evolve(state, { type: e.type, ...(e.payload as object) } as ClaimEvent, e.sequence),
    initialState(record.id, order),
  );
}
