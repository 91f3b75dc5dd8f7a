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

/** Options of {@link readClaimRecord}: what else to read in the same statement. */
export interface ClaimReadOptions {
  /** Also the claim page's deadlines, referrals and award components. */
  page?: boolean;
  /** Log this read of personal data (the survivor reference) for this user, in the same statement. */
  logReadBy?: { userId: string; what: string };
}

/** The page's lists as PostgreSQL sent them (JSON: dates and instants as strings, amounts as text). */
export interface ClaimPageRows {
  deadlines: {
    key: string; kind: string; owed_by: string; last_day: string; lapses_at: string; paused: boolean; level: number;
    reminders_sent: number; next_reminder_at: string | null;
  }[];
  referrals: {
    id: string; service: string; beneficiary_kind: string; stage: string; provider_id: string | null;
    approved_cents: string | null; paid_cents: string; consented_on: string;
  }[];
  components: { position: number; label: string; amount_cents: string; rate_basis_points: number; interest_from: string }[];
}

// Amounts leave PostgreSQL as text inside JSON too: a JSON number would round past 2^53.
const EVENTS_SQL = `SELECT coalesce(json_agg(json_build_object('sequence', e.sequence, 'type', e.type, 'actor', e.actor,
  'occurred_at', e.occurred_at, 'payload', e.payload) ORDER BY e.sequence), '[]') FROM claim_events e WHERE e.claim_id = c.id`;
const DISBURSEMENTS_SQL = `SELECT coalesce(json_agg(json_build_object('event_sequence', d.event_sequence, 'entry', d.entry,
  'payment_reference', d.payment_reference, 'amount_cents', d.amount_cents::text, 'paid_on', d.paid_on) ORDER BY d.event_sequence), '[]')
  FROM disbursements d WHERE d.claim_id = c.id`;
const DEADLINES_SQL = `SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.lapses_at), '[]') FROM (SELECT key, kind, owed_by, last_day,
  lapses_at, paused, level, reminders_sent, next_reminder_at FROM claim_deadlines WHERE claim_id = c.id) x`;
const REFERRALS_SQL = `SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.consented_on, x.id), '[]') FROM (SELECT id, service, beneficiary_kind,
  stage, provider_id, approved_cents::text AS approved_cents, paid_cents::text AS paid_cents, consented_on FROM referrals WHERE claim_id = c.id) x`;
const COMPONENTS_SQL = `SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.position), '[]') FROM (SELECT position, label,
  amount_cents::text AS amount_cents, rate_basis_points, interest_from FROM claim_current_components WHERE claim_id = c.id) x`;

/**
 * The claim's record in one statement (one round trip): its row, events and disbursements, and on request the
 * page's other lists and the personal-data read log entry, written only if the claim exists.
 */
export async function readClaimRecord(db: Db, claimId: string, opts: ClaimReadOptions & { page: true }): Promise<(ClaimRecord & ClaimPageRows) | null>;
export async function readClaimRecord(db: Db, claimId: string, opts?: ClaimReadOptions): Promise<ClaimRecord | null>;
export async function readClaimRecord(db: Db, claimId: string, opts: ClaimReadOptions = {}): Promise<ClaimRecord | null> {
  const page = opts.page ? `, (${DEADLINES_SQL}) AS deadlines, (${REFERRALS_SQL}) AS referrals, (${COMPONENTS_SQL}) AS components` : '';
  const log = opts.logReadBy
    ? `, logged AS (INSERT INTO personal_data_reads (user_id, claim_id, what) SELECT ?, id, ? FROM c RETURNING 1)` : '';
  const bindings = [claimId, ...(opts.logReadBy ? [opts.logReadBy.userId, opts.logReadBy.what] : [])];
  const { rows } = await db.raw(`WITH c AS (SELECT * FROM claims WHERE id = ?)${log}
    SELECT c.*, (${EVENTS_SQL}) AS events, (${DISBURSEMENTS_SQL}) AS disbursements${page} FROM c`, bindings);
  const row = rows[0];
  if (!row) return null;
  const record: ClaimRecord = {
    id: row.id, workflowId: row.workflow_id, court: row.court, caseNumber: row.case_number,
    judgmentDate: dateOnly(row.judgment_date)!, respondentAgencyId: row.respondent_agency_id, advocateId: row.advocate_id,
    stage: row.stage, stayed: row.stayed, awardedCents: centsFromDb(row.awarded_cents), paidCents: centsFromDb(row.paid_cents),
    allocatedCents: centsFromDb(row.allocated_cents), lastSequence: row.last_sequence,
    policyVersion: row.policy_version ?? null, escalationLevel: row.escalation_level ?? -1,
    events: (row.events as { sequence: number; type: string; actor: string; occurred_at: string; payload: unknown }[]).map((e) => ({
      sequence: e.sequence, type: e.type, actor: e.actor, occurredAt: new Date(e.occurred_at).toISOString(), payload: e.payload,
    })),
    disbursements: (row.disbursements as { event_sequence: number; entry: 'tranche' | 'reversal'; payment_reference: string; amount_cents: string; paid_on: string | null }[]).map((d) => ({
      eventSequence: d.event_sequence, entry: d.entry, paymentReference: d.payment_reference,
      amountCents: centsFromDb(d.amount_cents), paidOn: dateOnly(d.paid_on),
    })),
  };
  if (!opts.page) return record;
  const pageRows: ClaimPageRows = { deadlines: row.deadlines, referrals: row.referrals, components: row.components };
  return { ...record, ...pageRows } as ClaimRecord;
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
