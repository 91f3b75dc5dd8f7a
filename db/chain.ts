/**
 * The tamper-evident chain of a claim's events: each event's hash covers its content and the hash of the
 * event before it, so altering, removing or reordering any stored event breaks every hash after it.
 */
import { createHash } from 'node:crypto';
import type { Db } from './connection';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEventContent {
  claimId: string;
  sequence: number;
  type: string;
  actor: string;
  occurredAt: string; // ISO 8601 UTC, millisecond precision
  payload: unknown;
}

/** JSON with object keys sorted at every depth: PostgreSQL jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An incident keeps one chain per track (its own steps under 'incident'); each is hashed like a claim's. */
export interface IncidentChainedEventContent extends Omit<ChainedEventContent, 'claimId'> {
  incidentId: string;
  track: string;
}

export function eventHash(prevHash: string, event: ChainedEventContent | IncidentChainedEventContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(event)).digest('hex');
}

export type ChainVerdict =
  | { ok: true; claimId: string; events: number; headHash: string }
  | { ok: false; claimId: string; events: number; firstBrokenSequence: number; reason: string };

export async function verifyClaimChain(db: Db, claimId: string): Promise<ChainVerdict> {
  // One snapshot for both reads: a claim that is recording a step meanwhile must not look broken.
  const { claim, rows } = await db.transaction(async (trx) => ({
    claim: await trx('claims').where({ id: claimId }).first('last_sequence', 'last_event_hash'),
    rows: await trx('claim_events').where({ claim_id: claimId }).orderBy('sequence')
      .select('sequence', 'type', 'actor', 'occurred_at', 'payload', 'prev_hash', 'hash'),
  }), { isolationLevel: 'repeatable read', readOnly: true });
  let prev = GENESIS_HASH;
  const broken = (sequence: number, reason: string): ChainVerdict =>
    ({ ok: false, claimId, events: rows.length, firstBrokenSequence: sequence, reason });
  for (const [i, row] of rows.entries()) {
    const expectedSequence = i + 1;
    if (row.sequence !== expectedSequence) return broken(expectedSequence, `event ${expectedSequence} is missing`);
    if (row.prev_hash !== prev) return broken(row.sequence, `event ${row.sequence} does not follow the event before it`);
    const recomputed = eventHash(prev, {
      claimId, sequence: row.sequence, type: row.type, actor: row.actor,
      occurredAt: new Date(row.occurred_at).toISOString(), payload: row.payload,
    });
    if (recomputed !== row.hash) return broken(row.sequence, `event ${row.sequence} was altered after it was recorded`);
    prev = row.hash;
  }
  if (claim && claim.last_sequence > rows.length) {
    return broken(rows.length + 1, `event ${rows.length + 1} is missing: the claim records ${claim.last_sequence} events`);
  }
  if (claim && rows.length > 0 && claim.last_event_hash !== prev) {
    return broken(rows.length, `the last event's hash does not match the claim's record of it`);
  }
  return { ok: true, claimId, events: rows.length, headHash: prev };
}
