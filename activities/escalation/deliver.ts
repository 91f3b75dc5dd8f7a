/**
 * Sends a queued reminder from the outbox over SMTP. The outbox row (unique per claim, deadline, level and
 * occurrence) is the idempotency key: once it is marked sent, a retried activity returns without sending.
 * Each message carries a Message-ID derived from the row, so a receiving server can also spot the one
 * duplicate that a crash between SMTP acceptance and the status update could cause.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import { AGENCY_ROLES, type ReminderContent } from '../../domain/escalation';
import type { Db } from '../../db/connection';
import { renderReminder } from './render';

export interface DeliverReminderInput {
  claimId: string;
  deadlineKey: string;
  level: number;
  occurrence: number;
}

export interface DeliveryFaults {
  /** Runs after the outbox row is read and before the message is handed to SMTP. */
  beforeSend?: (input: DeliverReminderInput, attempt: number) => void | Promise<void>;
}

export interface EscalationDeps {
  db: Db;
  mailer: Transporter;
  mailFrom: string;
  deliveryFaults?: DeliveryFaults;
}

export async function resolveRecipients(db: Db, r: ReminderContent, roles: string[]): Promise<{ emails: string[]; missing: string[] }> {
  const emails: string[] = [];
  const missing: string[] = [];
  for (const role of roles) {
    let email: string | undefined;
    if (role === 'advocate') {
      email = (await db('advocates').where({ id: r.advocateId }).first('email'))?.email;
    } else if (role === 'provider') {
      email = r.referral?.providerId ? (await db('providers').where({ id: r.referral.providerId }).first('email'))?.email : undefined;
    } else {
      const agencyId = AGENCY_ROLES.includes(role as never) ? r.respondentAgencyId : null;
      const q = db('contacts').where({ role, active: true });
      email = (await (agencyId ? q.where({ agency_id: agencyId }) : q.whereNull('agency_id')).first('email'))?.email;
    }
    if (email) emails.push(email); else missing.push(role);
  }
  return { emails: [...new Set(emails)], missing };
}

export function createEscalationActivities(deps: EscalationDeps) {
  const { db, mailer, mailFrom, deliveryFaults } = deps;

  async function deliverReminder(input: DeliverReminderInput): Promise<{ status: string; messageId: string | null }> {
    const key = { claim_id: input.claimId, deadline_key: input.deadlineKey, level: input.level, occurrence: input.occurrence };
    const row = await db('reminders').where(key).first();
    if (!row) throw ApplicationFailure.retryable(`reminder ${input.deadlineKey}/${input.level}/${input.occurrence} is not in the outbox yet`);
    if (row.status !== 'pending') return { status: row.status, messageId: row.smtp_message_id };
    await db('reminders').where({ id: row.id }).increment('attempts', 1);
    await deliveryFaults?.beforeSend?.(input, Context.current().info.attempt);

    const content = row.content as ReminderContent;
    const to = await resolveRecipients(db, content, content.to);
    const cc = await resolveRecipients(db, content, content.cc);
    const missing = [...to.missing, ...cc.missing];
    if (to.emails.length + cc.emails.length === 0) {
      await db('reminders').where({ id: row.id }).update({
        status: 'undeliverable', missing_roles: missing, last_error: `no contact address for ${missing.join(', ')}`,
      });
      return { status: 'undeliverable', messageId: null };
    }
    const agency = await db('agencies').where({ id: content.respondentAgencyId }).first('name');
    const mail = renderReminder(content, agency?.name ?? content.respondentAgencyId);
    const messageId = `<reminder-${row.id}-${content.deadlineKey.replace(/[^A-Za-z0-9.-]/g, '_')}-${content.level}-${content.occurrence}@redress>`;
    try {
      const info = await mailer.sendMail({
        from: mailFrom,
        to: to.emails.length ? to.emails : cc.emails,
        cc: to.emails.length ? cc.emails.filter((e) => !to.emails.includes(e)) : [],
        subject: mail.subject, text: mail.text, html: mail.html, messageId,
        headers: { 'X-Redress-Claim': content.claimId, 'X-Redress-Reminder': `${content.deadlineKey}/${content.level}/${content.occurrence}` },
      });
      await db('reminders').where({ id: row.id }).update({
        status: 'sent', smtp_message_id: info.messageId, smtp_response: String(info.response ?? ''),
        recipients: [...to.emails, ...cc.emails], missing_roles: missing, sent_at: db.fn.now(), last_error: null,
      });
      return { status: 'sent', messageId: info.messageId };
    } catch (err) {
      await db('reminders').where({ id: row.id }).update({ last_error: String((err as Error).message).slice(0, 500) });
      throw err;
    }
  }

  return { deliverReminder };
}
