/**
 * The reminder outbox: one row per reminder (its status changes: pending, then sent or undeliverable), leased by
 * one delivery attempt at a time, and reminder_deliveries, the append-only log of every attempt and outcome.
 */
import { REMINDER_DELIVERY } from '../domain/escalation/delivery';
import type { Db } from './connection';

/** A reminder of a claim (claimId) or of an incident (incidentId): each outbox row belongs to exactly one. */
export interface ReminderKey {
  claimId?: string;
  incidentId?: string;
  deadlineKey: string;
  level: number;
  occurrence: number;
}

export interface OutboxRow {
  id: string;
  status: 'pending' | 'sent' | 'undeliverable';
  content: unknown;
  smtp_message_id: string | null;
  lease_until: Date | null;
}

export type DeliveryStep = 'leased' | 'sent' | 'failed' | 'rejected' | 'no_address';

const subject = (k: ReminderKey) => (k.incidentId !== undefined ? { column: 'incident_id', id: k.incidentId } : { column: 'claim_id', id: k.claimId! });
const where = (k: ReminderKey) => [subject(k).id, k.deadlineKey, k.level, k.occurrence];
const leaseSeconds = REMINDER_DELIVERY.leaseMs / 1000;

/**
 * Takes the row for this attempt, atomically: only while it is pending and nobody holds an unexpired lease. Two
 * attempts at once both run this UPDATE; PostgreSQL makes the second wait for the first and then finds the lease
 * taken, so it gets null.
 */
export async function leaseReminder(db: Db, key: ReminderKey, token: string, attempt: number): Promise<OutboxRow | null> {
  return db.transaction(async (trx) => {
    const { rows } = await trx.raw(`UPDATE reminders SET lease_token = ?, lease_until = now() + make_interval(secs => ?), attempts = attempts + 1
      WHERE ${subject(key).column} = ? AND deadline_key = ? AND level = ? AND occurrence = ? AND status = 'pending'
        AND (lease_until IS NULL OR lease_until < now())
      RETURNING id, status, content, smtp_message_id, lease_until`, [token, leaseSeconds, ...where(key)]);
    const row = rows[0] as OutboxRow | undefined;
    if (!row) return null;
    await trx('reminder_deliveries').insert({ reminder_id: row.id, attempt, step: 'leased', lease_token: token });
    return row;
  });
}

/** The row as it stands (for an attempt that did not get the lease). */
export async function outboxRow(db: Db, key: ReminderKey): Promise<OutboxRow | undefined> {
  return db('reminders').where({ [subject(key).column]: subject(key).id, deadline_key: key.deadlineKey, level: key.level, occurrence: key.occurrence })
    .first('id', 'status', 'content', 'smtp_message_id', 'lease_until');
}

/** Extends the lease while its send runs; false once another attempt holds it. */
export async function renewLease(db: Db, reminderId: string, token: string): Promise<boolean> {
  const n = await db('reminders').where({ id: reminderId, lease_token: token, status: 'pending' })
    .update({ lease_until: db.raw('now() + make_interval(secs => ?)', [leaseSeconds]) });
  return n > 0;
}

export interface DeliveryOutcome {
  step: Exclude<DeliveryStep, 'leased'>;
  recipients?: string[];
  missingRoles?: string[];
  smtpMessageId?: string;
  smtpResponse?: string;
  detail?: string;
}

/**
 * Records how an attempt ended, in the outbox row and the log, in one transaction. A failure that may pass (the
 * server was unreachable, or answered 4xx) leaves the row pending and frees the lease for the next attempt.
 */
export async function settleReminder(db: Db, reminderId: string, token: string, attempt: number, o: DeliveryOutcome): Promise<void> {
  const detail = o.detail?.slice(0, 1000) ?? null;
  const smtpResponse = o.smtpResponse?.slice(0, 1000) ?? null;
  await db.transaction(async (trx) => {
    const row = trx('reminders').where({ id: reminderId });
    const freed = { lease_token: null, lease_until: null };
    if (o.step === 'failed') {
      await row.where({ lease_token: token }).update({ ...freed, last_error: detail });
    } else if (o.step === 'sent') {
      await row.where({ status: 'pending' }).update({
        ...freed, status: 'sent', smtp_message_id: o.smtpMessageId ?? null, smtp_response: smtpResponse,
        recipients: o.recipients ?? [], missing_roles: o.missingRoles ?? [], sent_at: trx.fn.now(), last_error: detail,
      });
    } else {
      await row.where({ status: 'pending' }).update({
        ...freed, status: 'undeliverable', smtp_response: smtpResponse, missing_roles: o.missingRoles ?? [], last_error: detail,
      });
    }
    await trx('reminder_deliveries').insert({
      reminder_id: reminderId, attempt, step: o.step, lease_token: token, recipients: o.recipients ?? null,
      smtp_response: smtpResponse, detail,
    });
  });
}

export interface ReminderListFilters {
  status?: 'pending' | 'sent' | 'undeliverable';
  claimId?: string;
  incidentId?: string;
  limit: number;
  offset: number;
}

/** The outbox for administrators and auditors: each reminder's outcome, newest first. */
export async function listReminders(db: Db, f: ReminderListFilters) {
  const q = db('reminders');
  if (f.status) q.where({ status: f.status });
  if (f.claimId) q.where({ claim_id: f.claimId });
  if (f.incidentId) q.where({ incident_id: f.incidentId });
  const total = Number((await q.clone().count({ n: '*' }).first())?.n ?? 0);
  const rows = await q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit).offset(f.offset)
    .select('id', 'claim_id', 'incident_id', 'deadline_key', 'kind', 'level', 'occurrence', 'status', 'attempts', 'recipients', 'missing_roles',
      'smtp_message_id', 'smtp_response', 'last_error', 'created_at', 'sent_at');
  return {
    total, limit: f.limit, offset: f.offset,
    items: rows.map((r) => ({
      id: String(r.id), claimId: r.claim_id, incidentId: r.incident_id, deadlineKey: r.deadline_key, kind: r.kind, level: r.level, occurrence: r.occurrence,
      status: r.status, attempts: r.attempts, recipients: r.recipients ?? [], missingRoles: r.missing_roles ?? [],
      smtpMessageId: r.smtp_message_id, smtpResponse: r.smtp_response, problem: r.last_error,
      queuedAt: new Date(r.created_at).toISOString(), sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    })),
  };
}
