/**
 * The advocates' notice outbox: one row per (claim event, advocate), leased by one attempt at a time like the
 * reminders' outbox, sent once; rows of advocates who chose a weekly digest wait for it.
 */
import type { Knex } from 'knex';
import type { Db } from './connection';

export interface NoticeRow { id: string; advocate_id: string; claim_id: string; kind: string; content: { court: string; caseNumber: string; en: string; sw: string }; created_at: Date }

/** Queues the notice with its event (same transaction), for the claim's advocate unless they chose none. */
export async function queueNotice(trx: Knex.Transaction, claimId: string, sequence: number, kind: string, content: object): Promise<void> {
  await trx.raw(`INSERT INTO advocate_notices (advocate_id, claim_id, event_sequence, kind, content)
    SELECT a.id, c.id, ?, ?, ? FROM claims c JOIN advocates a ON a.id = c.advocate_id WHERE c.id = ? AND a.notify <> 'none'
    ON CONFLICT DO NOTHING`, [sequence, kind, JSON.stringify(content), claimId]);
}

const LEASE_SECONDS = 60;

/** Takes the event's notices for advocates who want them at once; null rows when another attempt holds them or all are sent. */
export async function leaseImmediate(db: Db, claimId: string, sequence: number, token: string): Promise<NoticeRow[]> {
  const { rows } = await db.raw(`UPDATE advocate_notices n SET lease_token = ?, lease_until = now() + make_interval(secs => ?)
    FROM advocates a WHERE a.id = n.advocate_id AND a.notify = 'immediate' AND n.claim_id = ? AND n.event_sequence = ? AND n.status = 'pending'
      AND (n.lease_until IS NULL OR n.lease_until < now())
    RETURNING n.id, n.advocate_id, n.claim_id, n.kind, n.content, n.created_at`, [token, LEASE_SECONDS, claimId, sequence]);
  return rows;
}

/** Every pending notice of a weekly advocate whose oldest has waited `days`, leased for one digest each. */
export async function leaseDigests(db: Db, token: string, days: number, now: Date): Promise<NoticeRow[]> {
  const { rows } = await db.raw(`UPDATE advocate_notices n SET lease_token = ?, lease_until = ?::timestamptz + make_interval(secs => ?)
    FROM advocates a WHERE a.id = n.advocate_id AND a.notify = 'weekly' AND n.status = 'pending' AND (n.lease_until IS NULL OR n.lease_until < ?::timestamptz)
      AND EXISTS (SELECT 1 FROM advocate_notices o WHERE o.advocate_id = n.advocate_id AND o.status = 'pending' AND o.created_at <= ?::timestamptz - make_interval(days => ?))
    RETURNING n.id, n.advocate_id, n.claim_id, n.kind, n.content, n.created_at`, [token, now.toISOString(), LEASE_SECONDS, now.toISOString(), now.toISOString(), days]);
  return rows;
}

export async function settleNotices(db: Db, ids: string[], token: string, outcome: { status: 'sent' | 'in_digest' | 'undeliverable'; messageId: string | null }): Promise<void> {
  if (!ids.length) return;
  await db('advocate_notices').whereIn('id', ids).where({ lease_token: token })
    .update({ status: outcome.status, smtp_message_id: outcome.messageId, sent_at: db.fn.now(), lease_token: null, lease_until: null });
}

export async function releaseNotices(db: Db, ids: string[], token: string): Promise<void> {
  if (ids.length) await db('advocate_notices').whereIn('id', ids).where({ lease_token: token }).update({ lease_token: null, lease_until: null });
}
