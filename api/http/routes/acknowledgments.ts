/**
 * The page behind a reminder's link, for agency officers with no account: what the reminder asks, and a form to
 * acknowledge it and record a commitment (what, by when, who). Both go to the claim's workflow and so to its chain.
 * A malformed or forged token is not found (404); an expired one is gone (410).
 */
import type { Client } from '@temporalio/client';
import { acknowledgmentCounts } from '../../../db/acknowledgments';
import { workflowIdFor } from '../../../domain/claim';
import { STEP_OWED, acknowledgmentInputSchema, acknowledgmentRates, type DeadlineKind, type ReminderContent } from '../../../domain/escalation';
import { COMMAND_REFUSED, acknowledgeReminderUpdate } from '../../../workflows/claim/messages';
import type { LinkSigner } from '../../../worker/acknowledgment-link';
import { CommandRefused, refusalFromUpdate } from '../../errors';
import { HttpProblem } from '../problem';
import { type RouteContext, defineRoute, param } from '../route';

export function acknowledgmentRoutes(ctx: RouteContext, deps: { client: Client; signer?: LinkSigner }) {
  const { db } = ctx;

  /** The reminder a token opens, or the problem to answer. */
  async function reminderOf(token: string) {
    const verdict = deps.signer?.verify(token);
    if (!verdict || !verdict.ok) {
      if (verdict && verdict.reason === 'expired') throw new HttpProblem(410, 'Gone', 'this link has expired; the next reminder carries a new one');
      throw new HttpProblem(404, 'Not Found', 'no such link');
    }
    const row = await db('reminders').join('claims', 'claims.id', 'reminders.claim_id').join('agencies', 'agencies.id', 'claims.respondent_agency_id')
      .where('reminders.id', verdict.reminderId)
      .first('reminders.id', 'reminders.claim_id', 'reminders.content', 'agencies.id as agency_id', 'agencies.name as agency_name', 'claims.stage');
    if (!row) throw new HttpProblem(404, 'Not Found', 'no such link');
    return { ...row, content: row.content as ReminderContent, expiresAt: new Date(verdict.expiresAtMs).toISOString() };
  }

  defineRoute(ctx, {
    method: 'get', path: '/api/acknowledgments/:token', tag: 'acknowledgments', public: true,
    summary: "What a reminder's link opens (no sign-in): the step the reminder asks for, and whether it was acknowledged",
    problems: { 410: 'the link has expired' },
    handler: async (req) => {
      const r = await reminderOf(param(req, 'token'));
      const ack = await db('agency_acknowledgments').where({ reminder_id: r.id }).first();
      const step = STEP_OWED[r.content.kind as DeadlineKind];
      return {
        claim: { id: r.claim_id, court: r.content.court, caseNumber: r.content.caseNumber, stage: r.stage },
        agency: { id: r.agency_id, name: r.agency_name },
        reminder: {
          kind: r.content.kind, stepOwed: { en: step.en, sw: step.sw }, basis: step.basis, dueDate: r.content.dueDate, daysOverdue: r.content.daysOverdue,
          asOf: r.content.asOf, level: r.content.level, currency: 'KES', outstandingCents: r.content.outstandingCents, dailyInterestCents: r.content.dailyInterestCents,
        },
        linkExpiresAt: r.expiresAt,
        acknowledged: ack ? {
          at: new Date(ack.acknowledged_at).toISOString(), officerName: ack.officer_name,
          commitment: ack.commitment_action ? { action: ack.commitment_action, dueOn: new Date(ack.commitment_due_on).toISOString().slice(0, 10), responsible: ack.commitment_responsible } : null,
        } : null,
      };
    },
  });

  defineRoute(ctx, {
    method: 'post', path: '/api/acknowledgments/:token', tag: 'acknowledgments', public: true, body: acknowledgmentInputSchema,
    summary: "Acknowledge a reminder through its link (no sign-in), perhaps committing to what will be done, by when and by whom; recorded in the claim's chain",
    success: { status: 201, description: 'acknowledged' }, problems: { 410: 'the link has expired' },
    handler: async (req) => {
      const r = await reminderOf(param(req, 'token'));
      if (await db('agency_acknowledgments').where({ reminder_id: r.id }).first('id')) {
        throw new HttpProblem(409, 'Conflict', 'this reminder was already acknowledged');
      }
      try {
        const status = await deps.client.workflow.getHandle(workflowIdFor(r.claim_id)).executeUpdate(acknowledgeReminderUpdate, {
          args: [{ ...req.valid.body, reminderId: String(r.id), deadlineKey: r.content.deadlineKey, kind: r.content.kind, level: r.content.level }],
        });
        return { acknowledged: true, eventSequence: status.lastSequence, commitment: req.valid.body.commitment ?? null };
      } catch (err) {
        const refused = refusalFromUpdate(err, COMMAND_REFUSED);
        if (refused) throw refused;
        if (err instanceof Error && /already completed|not found/i.test(err.message)) {
          throw new CommandRefused({ kind: 'conflict', reason: 'the claim has ended; nothing more is recorded on it' });
        }
        throw err;
      }
    },
  });

  defineRoute(ctx, {
    method: 'get', path: '/api/agencies/acknowledgments', tag: 'administration', roles: ['administrator', 'auditor'],
    summary: "Each agency's acknowledgment rate: reminders written to it, acknowledged through their links, commitments made and lapsed",
    handler: async () => ({ items: acknowledgmentRates(await acknowledgmentCounts(db)) }),
  });
}
