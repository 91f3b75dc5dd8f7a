/**
 * Reads of the incident record. Every read that can reach an incident goes through `scopeIncidents`, so who may see
 * what is decided in the query itself: administrators and auditors see every incident; an investigator, those their
 * body holds; a prosecutor, those forwarded to their office; a documenting organisation's user, those it recorded;
 * anyone else, none.
 */
import type { Knex } from 'knex';
import {
  type TrackBase, type TrackEvent, type TrackName, type TrackStart, TRACK_DEFINITIONS, evolveStep,
} from '../domain/incident';
import { GENESIS_HASH, eventHash } from './chain';
import { dateOnly } from './claims';
import type { Db } from './connection';

/** Who is reading: a user's role and what it is tied to. */
export interface IncidentReader {
  role: string;
  bodyId: string | null;
  organisationId: string | null;
}

/** Limits a query on `incidents` (aliased `alias`) to what the user may see. */
export function scopeIncidents(q: Knex.QueryBuilder, user: IncidentReader, alias = 'incidents'): Knex.QueryBuilder {
  switch (user.role) {
    case 'administrator':
    case 'auditor':
      return q;
    case 'investigator':
      return q.where(`${alias}.investigating_body_id`, user.bodyId ?? '');
    case 'prosecutor':
      return q.where(`${alias}.prosecuting_body_id`, user.bodyId ?? '');
    case 'documenting_organisation':
      return q.where(`${alias}.documenting_organisation_id`, user.organisationId ?? '');
    default:
      return q.whereRaw('false');
  }
}

/** The incident if this user may see it, else undefined (the caller answers 404 either way). */
export async function incidentFor(db: Db, user: IncidentReader, incidentId: string): Promise<{ id: string; documenting_organisation_id: string | null } | undefined> {
  return scopeIncidents(db('incidents').where({ id: incidentId }), user).first('id', 'documenting_organisation_id');
}

export interface IncidentListFilters {
  act?: string;
  county?: string;
  year?: number;
  investigationStage?: string;
  prosecutionStage?: string;
  inquestStage?: string;
  overdue?: boolean;
  body?: string;
  q?: string;
  limit: number;
  offset: number;
}

const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);

/** A page of incidents, most overdue first; no victim reference is in it, so it is not a read of personal data. */
export async function listIncidents(db: Db, user: IncidentReader, f: IncidentListFilters) {
  const q = scopeIncidents(db('incidents'), user);
  if (f.act) q.whereRaw('? = ANY(acts)', [f.act]);
  if (f.county) q.where('county', f.county);
  if (f.year) q.whereRaw('extract(year FROM occurred_on) = ?', [f.year]);
  if (f.investigationStage) q.where('investigation_stage', f.investigationStage);
  if (f.prosecutionStage) q.where('prosecution_stage', f.prosecutionStage);
  if (f.inquestStage) q.where('inquest_stage', f.inquestStage);
  if (f.overdue !== undefined) q.where('escalation_level', f.overdue ? '>=' : '<', 0);
  if (f.body) q.where((w) => w.where('investigating_body_id', f.body!).orWhere('prosecuting_body_id', f.body!));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q.where((w) => w.whereILike('id', like).orWhereILike('reference', like));
  }
  const total = Number((await q.clone().count({ n: '*' }).first())?.n ?? 0);
  const rows = await q.orderBy([{ column: 'escalation_level', order: 'desc' }, { column: 'occurred_on', order: 'desc' }, { column: 'id' }])
    .limit(f.limit).offset(f.offset)
    .select('id', 'reference', 'documenting_organisation_id', 'investigating_body_id', 'prosecuting_body_id', 'occurred_on', 'county',
      'place_category', 'acts', 'perpetrator_agency_ids', 'investigation_stage', 'prosecution_stage', 'inquest_stage', 'escalation_level', 'next_deadline_at');
  return {
    total, limit: f.limit, offset: f.offset,
    items: (rows as Record<string, any>[]).map((r) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      id: r.id, reference: r.reference, documentingOrganisationId: r.documenting_organisation_id, investigatingBodyId: r.investigating_body_id,
      prosecutingBodyId: r.prosecuting_body_id, occurredOn: dateOnly(r.occurred_on), county: r.county, placeCategory: r.place_category,
      acts: r.acts, perpetratorAgencyIds: r.perpetrator_agency_ids,
      stages: { investigation: r.investigation_stage, prosecution: r.prosecution_stage, inquest: r.inquest_stage },
      escalationLevel: r.escalation_level, nextDeadlineAt: iso(r.next_deadline_at),
    })),
  };
}

interface EventRow { track: string; sequence: number; type: string; actor: string; occurred_at: string; payload: Record<string, unknown>; prev_hash: string; hash: string }

// Lists leave PostgreSQL as JSON; dates as text, so no time zone moves them.
const ACTS_SQL = `SELECT coalesce(json_agg(json_build_object('act', a.act, 'victimRef', a.victim_ref, 'claimantRef', a.claimant_ref,
  'perpetratorAgencyId', a.perpetrator_agency_id, 'unitCategory', a.unit_category) ORDER BY a.position), '[]') FROM incident_acts a WHERE a.incident_id = i.id`;
const TRACKS_SQL = `SELECT coalesce(json_agg(json_build_object('track', t.track, 'stage', t.stage, 'closed', t.closed, 'lastSequence', t.last_sequence,
  'escalationLevel', t.escalation_level, 'policyVersion', t.policy_version, 'nextDeadlineAt', t.next_deadline_at) ORDER BY t.track), '[]')
  FROM incident_tracks t WHERE t.incident_id = i.id`;
const DEADLINES_SQL = `SELECT coalesce(json_agg(json_build_object('track', d.track, 'key', d.key, 'kind', d.kind, 'owedBy', d.owed_by,
  'lastDay', d.last_day::text, 'lapsesAt', d.lapses_at, 'paused', d.paused, 'level', d.level, 'remindersSent', d.reminders_sent,
  'nextReminderAt', d.next_reminder_at) ORDER BY d.lapses_at), '[]') FROM incident_deadlines d WHERE d.incident_id = i.id`;
const EVENTS_SQL = `SELECT coalesce(json_agg(json_build_object('track', e.track, 'sequence', e.sequence, 'type', e.type, 'actor', e.actor,
  'occurred_at', e.occurred_at, 'payload', e.payload) ORDER BY e.track, e.sequence), '[]') FROM incident_events e WHERE e.incident_id = i.id`;
const REFERRALS_SQL = `SELECT coalesce(json_agg(json_build_object('id', r.id, 'claimId', r.claim_id, 'service', r.service, 'beneficiaryKind', r.beneficiary_kind,
  'stage', r.stage, 'providerId', r.provider_id, 'approvedCents', r.approved_cents::text, 'paidCents', r.paid_cents::text) ORDER BY r.consented_on, r.id), '[]')
  FROM referrals r WHERE r.incident_id = i.id`;
const CLAIMS_SQL = `SELECT coalesce(json_agg(json_build_object('id', c.id, 'court', c.court, 'caseNumber', c.case_number, 'stage', c.stage) ORDER BY c.id), '[]')
  FROM claims c WHERE c.incident_id = i.id`;

/** Each track's state rebuilt from its recorded events alone (the record is complete without Temporal). */
export function trackStateFromEvents(track: TrackName, events: { sequence: number; type: string; payload: Record<string, unknown> }[]): TrackBase | null {
  const [opened, ...rest] = events;
  if (opened?.type !== 'track_opened') return null;
  const def = TRACK_DEFINITIONS[track];
  return rest.reduce((s, e) => evolveStep(def, s, { type: e.type, ...e.payload } as TrackEvent, e.sequence), def.initial(opened.payload.start as TrackStart));
}

/**
 * The incident page in one statement: its row, acts (victims' pseudonymous references: personal data), tracks with
 * their state rebuilt from the record, deadlines, timeline, referrals and (for those who may see them) linked claims;
 * and on request the personal-data read log entry, written in the same statement and only if the incident exists.
 */
export async function incidentDetail(db: Db, incidentId: string, opts: { logReadBy?: { userId: string; what: string }; withClaims?: boolean } = {}) {
  const log = opts.logReadBy
    ? `, logged AS (INSERT INTO personal_data_reads (user_id, incident_id, what) SELECT ?, id, ? FROM i RETURNING 1)` : '';
  const bindings = [incidentId, ...(opts.logReadBy ? [opts.logReadBy.userId, opts.logReadBy.what] : [])];
  const { rows } = await db.raw(`WITH i AS (SELECT * FROM incidents WHERE id = ?)${log}
    SELECT i.*, i.occurred_on::text AS occurred_on_text, i.ended_on::text AS ended_on_text, (${ACTS_SQL}) AS act_rows, (${TRACKS_SQL}) AS tracks,
      (${DEADLINES_SQL}) AS deadlines, (${EVENTS_SQL}) AS events, (${REFERRALS_SQL}) AS referrals${opts.withClaims ? `, (${CLAIMS_SQL}) AS claims` : ''}
    FROM i`, bindings);
  const row = rows[0];
  if (!row) return null;
  const events = (row.events as { track: string; sequence: number; type: string; actor: string; occurred_at: string; payload: Record<string, unknown> }[]);
  const tracks = (row.tracks as { track: string; stage: string; closed: boolean; lastSequence: number; escalationLevel: number; policyVersion: number | null; nextDeadlineAt: string | null }[])
    .filter((t) => t.track !== 'incident').map((t) => ({
      ...t, nextDeadlineAt: iso(t.nextDeadlineAt),
      state: trackStateFromEvents(t.track as TrackName, events.filter((e) => e.track === t.track)),
    }));
  return {
    id: row.id, reference: row.reference, documentingOrganisationId: row.documenting_organisation_id, investigatingBodyId: row.investigating_body_id,
    prosecutingBodyId: row.prosecuting_body_id, occurredOn: row.occurred_on_text, endedOn: row.ended_on_text, county: row.county,
    placeCategory: row.place_category, acts: row.act_rows, sources: row.sources, interventions: row.interventions,
    escalationLevel: row.escalation_level, nextDeadlineAt: iso(row.next_deadline_at), registeredAt: iso(row.registered_at),
    tracks,
    deadlines: (row.deadlines as Record<string, unknown>[]).map((d) => ({ ...d, lapsesAt: iso(d.lapsesAt as string), nextReminderAt: iso(d.nextReminderAt as string | null) })),
    // Which claim a referral came through is shown only to those who may see the incident's claims.
    referrals: (row.referrals as { claimId: string | null; approvedCents: string | null; paidCents: string }[]).map(({ claimId, ...r }) => ({
      ...r, ...(opts.withClaims ? { claimId } : { fromClaim: claimId !== null }),
      approvedCents: r.approvedCents === null ? null : Number(BigInt(r.approvedCents)), paidCents: Number(BigInt(r.paidCents)),
    })),
    ...(opts.withClaims ? { linkedClaims: row.claims } : {}),
    timeline: events.slice().sort((a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at)).slice(-300).map((e) => ({
      track: e.track, sequence: e.sequence, type: e.type, actor: e.actor, occurredAt: new Date(e.occurred_at).toISOString(),
    })),
    eventCount: events.length,
  };
}

export type IncidentChainVerdict =
  | { ok: true; track: string; events: number; headHash: string }
  | { ok: false; track: string; events: number; firstBrokenSequence: number; reason: string };

/** Verifies each of the incident's chains (its own and each track's), in one snapshot. */
export async function verifyIncidentChains(db: Db, incidentId: string): Promise<{ ok: boolean; incidentId: string; chains: IncidentChainVerdict[] }> {
  const { heads, rows } = await db.transaction(async (trx) => ({
    heads: await trx('incident_tracks').where({ incident_id: incidentId }).orderBy('track').select('track', 'last_sequence', 'last_event_hash'),
    rows: (await trx('incident_events').where({ incident_id: incidentId }).orderBy(['track', 'sequence'])
      .select('track', 'sequence', 'type', 'actor', 'occurred_at', 'payload', 'prev_hash', 'hash')) as EventRow[],
  }), { isolationLevel: 'repeatable read', readOnly: true });
  const chains = heads.map((head): IncidentChainVerdict => {
    const mine = rows.filter((r) => r.track === head.track);
    const broken = (sequence: number, reason: string): IncidentChainVerdict => ({ ok: false, track: head.track, events: mine.length, firstBrokenSequence: sequence, reason });
    let prev = GENESIS_HASH;
    for (const [i, row] of mine.entries()) {
      if (row.sequence !== i + 1) return broken(i + 1, `event ${i + 1} is missing`);
      if (row.prev_hash !== prev) return broken(row.sequence, `event ${row.sequence} does not follow the event before it`);
      const recomputed = eventHash(prev, {
        incidentId, track: head.track, sequence: row.sequence, type: row.type, actor: row.actor,
        occurredAt: new Date(row.occurred_at).toISOString(), payload: row.payload,
      });
      if (recomputed !== row.hash) return broken(row.sequence, `event ${row.sequence} was altered after it was recorded`);
      prev = row.hash;
    }
    if (head.last_sequence > mine.length) return broken(mine.length + 1, `event ${mine.length + 1} is missing: the ${head.track} records ${head.last_sequence} events`);
    if (mine.length > 0 && head.last_event_hash !== prev) return broken(mine.length, "the last event's hash does not match the record of it");
    return { ok: true, track: head.track, events: mine.length, headHash: prev };
  });
  return { ok: chains.length > 0 && chains.every((c) => c.ok), incidentId, chains };
}
