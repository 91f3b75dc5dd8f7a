/**
 * Sends a queued reminder from the outbox over SMTP, once. The outbox row (unique per claim, deadline, level and
 * occurrence) is leased by one attempt at a time before anything is sent, and the lease is renewed while the send
 * runs: an activity retry that overlaps a slow first attempt finds the lease taken and waits for its outcome
 * instead of sending a copy. Once the row is sent or undeliverable, a retried activity returns its outcome.
 * A permanent refusal by the mail server (5xx to the recipients or the message) makes the reminder undeliverable
 * with the server's reply recorded; anything else is retried. Each message carries a Message-ID derived from the
 * row, so a receiving server can also spot the one copy that a crash between SMTP acceptance and the status
 * update could cause.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import { AGENCY_ROLES, REMINDER_DELIVERY, type ReminderContent } from '../../domain/escalation';
import type { Db } from '../../db/connection';
import type { IncidentReminderContent } from '../../domain/incident';
import { type DeliveryOutcome, leaseReminder, outboxRow, renewLease, settleReminder } from '../../db/reminders';
import { financialYearOf } from '../../domain/report/periods';
import { pendingBillsAt, pendingBillsPdf } from '../../api/report/pending-bills';
import { owedByName, renderIncidentReminder, resolveIncidentRecipients } from '../incident/render';
import { type PendingBillsAttachment, type RenderedMail, renderReminder } from './render';
import { LINK_DAYS, type LinkSigner } from '../../worker/acknowledgment-link';

/** A claim's reminder (claimId) or an incident's (incidentId), as the workflow that queued it names it. */
export interface DeliverReminderInput {
  claimId?: string;
  incidentId?: string;
  deadlineKey: string;
  level: number;
  occurrence: number;
}

export interface DeliverReminderResult {
  status: 'sent' | 'undeliverable';
  messageId: string | null;
  /** Why an undeliverable reminder could not go: the server's reply, or the roles with no address. */
  problem?: string;
}

export interface DeliveryFaults {
  /** Runs after the outbox row is leased and before the message is handed to SMTP. */
  beforeSend?: (input: DeliverReminderInput, attempt: number) => void | Promise<void>;
}

export interface EscalationDeps {
  db: Db;
  mailer: Transporter;
  mailFrom: string;
  deliveryFaults?: DeliveryFaults;
  /** Signs the acknowledgment link in reminders to the State; without it, reminders carry no link. */
  links?: { signer: LinkSigner; baseUrl: string };
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

interface SmtpError {
  command?: string;
  responseCode?: number;
  response?: string;
  rejectedErrors?: SmtpError[];
}

/**
 * The server's reply when it refused this reminder for good: 5xx to every recipient, or to the message itself.
 * A 5xx to the sign-in or the sender is the operator's setting, not this reminder's fault: retried like an outage.
 */
export function permanentRefusal(err: unknown): string | null {
  const e = err as SmtpError;
  const permanent = (x: SmtpError) => x.responseCode !== undefined && x.responseCode >= 500 && x.responseCode < 600;
  if (e.command === 'RCPT TO' && e.rejectedErrors?.length) {
    return e.rejectedErrors.every(permanent) ? e.rejectedErrors.map((r) => r.response ?? '').join('; ') : null;
  }
  if ((e.command === 'RCPT TO' || e.command === 'DATA') && permanent(e)) return e.response ?? null;
  return null;
}

/** Who reads the State's budget: a reminder written to them carries the agency's pending bills. */
const BUDGET_ROLES = ['national_treasury', 'controller_of_budget'];
/** Roles outside the State: the agency's whole list of debts is none of their business. */
const OUTSIDE_ROLES = ['advocate', 'provider'];

/**
 * The agency's pending-bills report as of the reminder's day, for a reminder addressed to the National Treasury or
 * the Controller of Budget about a step the State owes, and copied to no one outside the State; null otherwise.
 */
export async function pendingBillsAttachment(db: Db, r: ReminderContent): Promise<{ meta: PendingBillsAttachment; content: Buffer } | null> {
  if (r.referral || r.owedBy !== 'state' || !r.to.some((role) => BUDGET_ROLES.includes(role))) return null;
  if ([...r.to, ...r.cc].some((role) => OUTSIDE_ROLES.includes(role))) return null;
  const financialYear = financialYearOf(r.asOf);
  const report = await pendingBillsAt(db, { agencyId: r.respondentAgencyId, financialYear, reportDate: r.asOf });
  const totals = report.agencies[0]!.totals;
  return {
    meta: {
      filename: `pending-bills-${r.respondentAgencyId}-${financialYear.replace('/', '-')}-${r.asOf}.pdf`, financialYear, reportDate: r.asOf,
      orders: totals.orders, outstandingCents: totals.outstandingCents, dailyInterestCents: totals.dailyInterestCents,
    },
    content: await pendingBillsPdf(report),
  };
}

export function createEscalationActivities(deps: EscalationDeps) {
  const { db, mailer, mailFrom, deliveryFaults } = deps;

  async function deliverReminder(input: DeliverReminderInput): Promise<DeliverReminderResult> {
    const attempt = Context.current().info.attempt;
    const token = randomUUID();
    const row = await leaseReminder(db, input, token, attempt);
    if (!row) {
      const now = await outboxRow(db, input);
      if (!now) throw ApplicationFailure.retryable(`reminder ${input.deadlineKey}/${input.level}/${input.occurrence} is not in the outbox yet`);
      if (now.status !== 'pending') return { status: now.status, messageId: now.smtp_message_id };
      // Another attempt is sending it: this one fails, and its retry finds the outcome.
      const holder = now.lease_until ? `another attempt holds it until ${new Date(now.lease_until).toISOString()}` : 'another attempt has just let it go';
      throw ApplicationFailure.retryable(`reminder ${input.deadlineKey}/${input.level}/${input.occurrence} is not sent by this attempt: ${holder}`, 'ReminderLeased');
    }
    const settle = (o: DeliveryOutcome) => settleReminder(db, row.id, token, attempt, o);

    const letter = await compose(row.content as ReminderContent | IncidentReminderContent, input.incidentId !== undefined);
    const { to, cc, content } = letter;
    const missing = [...to.missing, ...cc.missing];
    if (to.emails.length + cc.emails.length === 0) {
      const problem = `no contact address for ${missing.join(', ')}`;
      await settle({ step: 'no_address', missingRoles: missing, detail: problem });
      return { status: 'undeliverable', messageId: null, problem };
    }
    // A reminder to the State carries its signed, expiring link (worker/acknowledgment-link.ts): a fragment, never sent to a server's logs.
    const link = letter.claim && deps.links && letter.claim.content.owedBy === 'state'
      ? `${deps.links.baseUrl.replace(/\/+$/, '')}/acknowledge#${deps.links.signer.sign(row.id, Date.now() + LINK_DAYS * 86_400_000)}` : undefined;
    const messageId = `<reminder-${row.id}-${content.deadlineKey.replace(/[^A-Za-z0-9.-]/g, '_')}-${content.level}-${content.occurrence}@redress>`;
    // Renewed from here: building the attached report takes time of its own.
    const renewing = setInterval(() => { renewLease(db, row.id, token).catch(() => undefined); }, REMINDER_DELIVERY.leaseRenewEveryMs);
    try {
      // A claim's reminder to the Treasury or the Controller of Budget carries the agency's pending bills.
      const report = letter.claim ? await pendingBillsAttachment(db, letter.claim.content) : null;
      const mail = letter.claim && (report || link)
        ? renderReminder(letter.claim.content, letter.claim.agencyName, { attachment: report?.meta, link }) : letter.mail;
      await deliveryFaults?.beforeSend?.(input, attempt);
      const info = await mailer.sendMail({
        from: mailFrom,
        to: to.emails.length ? to.emails : cc.emails,
        cc: to.emails.length ? cc.emails.filter((e) => !to.emails.includes(e)) : [],
        subject: mail.subject, text: mail.text, html: mail.html, messageId,
        ...(report ? { attachments: [{ filename: report.meta.filename, content: report.content, contentType: 'application/pdf' }] } : {}),
        headers: { ...letter.headers, 'X-Redress-Reminder': `${content.deadlineKey}/${content.level}/${content.occurrence}` },
      });
      clearInterval(renewing);
      const rejected = (info.rejected ?? []).map(String);
      const accepted = [...to.emails, ...cc.emails].filter((e) => !rejected.includes(e));
      await settle({
        step: 'sent', smtpMessageId: info.messageId, smtpResponse: String(info.response ?? ''), recipients: accepted, missingRoles: missing,
        ...(rejected.length ? { detail: `refused by the server: ${rejected.join(', ')}` } : {}),
      });
      return { status: 'sent', messageId: info.messageId };
    } catch (err) {
      clearInterval(renewing);
      const refusal = permanentRefusal(err);
      if (refusal !== null) {
        await settle({ step: 'rejected', smtpResponse: refusal, missingRoles: missing, detail: String((err as Error).message) });
        return { status: 'undeliverable', messageId: null, problem: refusal };
      }
      await settle({ step: 'failed', detail: String((err as Error).message) });
      throw err;
    }
  }

  /** The addresses, the message and its subject header, for a claim's reminder or an incident's. */
  async function compose(content: ReminderContent | IncidentReminderContent, ofIncident: boolean): Promise<{
    content: ReminderContent | IncidentReminderContent; to: { emails: string[]; missing: string[] }; cc: { emails: string[]; missing: string[] };
    mail: RenderedMail; headers: Record<string, string>; claim?: { content: ReminderContent; agencyName: string };
  }> {
    if (ofIncident) {
      const r = content as IncidentReminderContent;
      return {
        content: r, to: await resolveIncidentRecipients(db, r, r.to), cc: await resolveIncidentRecipients(db, r, r.cc),
        mail: renderIncidentReminder(r, { owedBy: await owedByName(db, r) }), headers: { 'X-Redress-Incident': r.incidentId },
      };
    }
    const r = content as ReminderContent;
    const agency = await db('agencies').where({ id: r.respondentAgencyId }).first('name');
    const agencyName = agency?.name ?? r.respondentAgencyId;
    return {
      content: r, to: await resolveRecipients(db, r, r.to), cc: await resolveRecipients(db, r, r.cc),
      mail: renderReminder(r, agencyName), headers: { 'X-Redress-Claim': r.claimId }, claim: { content: r, agencyName },
    };
  }

  return { deliverReminder };
}
