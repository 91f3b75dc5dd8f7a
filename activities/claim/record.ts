/**
 * Writes each accepted step of a claim to the statutory record: one chained event, the ledger row it
 * implies, and the claim's current row, all in one transaction. Keyed on (claim, sequence): a retried
 * activity finds its event already there and changes nothing.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { CalendarDate } from '../../domain/calendar-date';
import type { ClaimEvent, Stage } from '../../domain/claim';
import type { Cents } from '../../domain/money';
import { GENESIS_HASH, eventHash } from '../../db/chain';
import type { Db } from '../../db/connection';
import { type DeadlineView, isNotifiable, noticeLine } from '../../domain/escalation';
import { queueNotice } from '../../db/advocate-notices';

export interface ClaimProjection {
  stage: Stage;
  stayed: boolean;
  paidCents: Cents;
  allocatedCents: Cents;
  certificateIssuedOn: CalendarDate | null;
  certificateServedOn: CalendarDate | null;
  policyVersion?: number;
  /** Sent with corrections only (a reassigned advocate, an amended award). */
  advocateId?: string;
  awardedCents?: Cents;
}

export interface RecordClaimEventInput {
  claimId: string;
  workflowId: string;
  sequence: number;
  actor: string;
  occurredAt: string;
  event: ClaimEvent;
  projection: ClaimProjection;
}

export interface RecordClaimEventResult {
  sequence: number;
  hash: string;
  /** false when this event was already recorded (a retry). */
  inserted: boolean;
}

/** Test seams for fault injection: each runs at the named point of every attempt. */
export interface RecordFaults {
  afterCommit?: (input: RecordClaimEventInput, attempt: number) => void | Promise<void>;
}

export function createClaimActivities(deps: { db: Db; faults?: RecordFaults }) {
  const { db, faults } = deps;

  async function recordClaimEvent(input: RecordClaimEventInput): Promise<RecordClaimEventResult> {
    const { claimId, sequence, event, projection } = input;
    const { type, ...payload } = event;
    const result = await db.transaction(async (trx) => {
      const existing = await trx('claim_events').where({ claim_id: claimId, sequence }).first('hash');
      if (existing) return { sequence, hash: existing.hash as string, inserted: false };

      let prevHash = GENESIS_HASH;
      if (sequence > 1) {
        const prev = await trx('claim_events').where({ claim_id: claimId, sequence: sequence - 1 }).first('hash');
        // Cannot happen while the workflow records in order; retrying lets the missing event land first.
        if (!prev) throw ApplicationFailure.retryable(`event ${sequence - 1} of claim ${claimId} is not recorded yet`);
        prevHash = prev.hash;
      }
      const hash = eventHash(prevHash, { claimId, sequence, type, actor: input.actor, occurredAt: input.occurredAt, payload });

      if (event.type === 'claim_registered') {
        const o = event.order;
        await trx('claims').insert({
          id: claimId, workflow_id: input.workflowId, court: o.court, case_number: o.caseNumber,
          judgment_date: o.judgmentDate, costs_taxed_on: o.costsTaxedOn ?? null,
          respondent_agency_id: o.respondentAgencyId, survivor_ref: o.survivorRef, violation_types: o.violationTypes,
          advocate_id: o.advocateId, appropriation: o.appropriation, stage: projection.stage, stayed: false, incident_id: o.incidentId ?? null,
          awarded_cents: o.components.reduce((s, c) => s + c.amountCents, 0), paid_cents: 0,
          last_sequence: 0, last_event_hash: GENESIS_HASH, registered_at: input.occurredAt, updated_at: input.occurredAt,
        });
        await trx('claim_components').insert(o.components.map((c, position) => ({
          claim_id: claimId, position, label: c.label, amount_cents: c.amountCents,
          rate_basis_points: c.rateBasisPoints, interest_from: c.interestFrom,
        })));
      }

      // The unique (claim_id, sequence) key is the final guard should two attempts ever race.
      await trx('claim_events').insert({
        claim_id: claimId, sequence, type, actor: input.actor, occurred_at: input.occurredAt,
        payload: JSON.stringify(payload), prev_hash: prevHash, hash,
      });

      if (event.type === 'tranche_paid') {
        await trx('disbursements').insert({
          claim_id: claimId, event_sequence: sequence, entry: 'tranche', payment_reference: event.paymentReference,
          amount_cents: event.amountCents, paid_on: event.paidOn,
        });
      } else if (event.type === 'tranche_reversed') {
        await trx('disbursements').insert({
          claim_id: claimId, event_sequence: sequence, entry: 'reversal', payment_reference: event.paymentReference,
          amount_cents: -event.amountCents, paid_on: null,
        });
      } else if (event.type === 'reminder_queued') {
        // The outbox row: written with its event, so a reminder is never lost and never queued twice.
        const r = event.reminder;
        await trx('reminders').insert({
          claim_id: claimId, deadline_key: r.deadlineKey, kind: r.kind, level: r.level, occurrence: r.occurrence,
          event_sequence: sequence, content: JSON.stringify(r),
        });
      } else if (event.type === 'reminder_acknowledged') {
        const claim = await trx('claims').where({ id: claimId }).first('respondent_agency_id');
        await trx('agency_acknowledgments').insert({
          reminder_id: event.reminderId, claim_id: claimId, agency_id: claim.respondent_agency_id, officer_name: event.officerName,
          officer_role: event.officerRole ?? null, commitment_action: event.commitment?.action ?? null,
          commitment_due_on: event.commitment?.dueOn ?? null, commitment_responsible: event.commitment?.responsible ?? null,
          acknowledged_at: input.occurredAt,
        });
      } else if (event.type === 'order_amended') {
        await trx('claim_order_amendments').insert({
          claim_id: claimId, event_sequence: sequence, amended_on: event.amendedOn, reason: event.reason,
          costs_taxed_on: event.costsTaxedOn ?? null,
        });
        if (event.components) {
          await trx('claim_component_amendments').insert(event.components.map((c, position) => ({
            claim_id: claimId, event_sequence: sequence, position, label: c.label, amount_cents: c.amountCents,
            rate_basis_points: c.rateBasisPoints, interest_from: c.interestFrom,
          })));
        }
      } else if (event.type === 'allocation_corrected') {
        await trx('allocation_corrections').insert({
          claim_id: claimId, event_sequence: sequence, corrects_sequence: event.allocationSequence, reason: event.reason, corrected_on: event.correctedOn,
        });
        if (event.replacement) {
          const r = event.replacement;
          await trx('budget_allocations').insert({
            claim_id: claimId, event_sequence: sequence, amount_cents: r.amountCents, budget_line: r.budgetLine,
            financial_year: r.financialYear, allocated_on: r.allocatedOn,
          });
        }
      } else if (event.type === 'budget_allocated') {
        await trx('budget_allocations').insert({
          claim_id: claimId, event_sequence: sequence, amount_cents: event.amountCents, budget_line: event.budgetLine,
          financial_year: event.financialYear, allocated_on: event.allocatedOn,
        });
      }

      // The advocate's notice goes with its event (after a reassignment: the new advocate's, set just below).
      if (isNotifiable(event)) {
        const claim = await trx('claims').where({ id: claimId }).first('court', 'case_number');
        await queueNotice(trx, claimId, sequence, type, { court: claim.court, caseNumber: claim.case_number, ...noticeLine(event) });
      }
      await trx('claims').where({ id: claimId }).update({
        stage: projection.stage, stayed: projection.stayed, paid_cents: projection.paidCents,
        allocated_cents: projection.allocatedCents, certificate_issued_on: projection.certificateIssuedOn,
        certificate_served_on: projection.certificateServedOn, last_sequence: sequence, last_event_hash: hash,
        updated_at: input.occurredAt,
        ...(projection.policyVersion !== undefined ? { policy_version: projection.policyVersion } : {}),
        ...(projection.advocateId !== undefined ? { advocate_id: projection.advocateId } : {}),
        ...(projection.awardedCents !== undefined ? { awarded_cents: projection.awardedCents } : {}),
      });
      return { sequence, hash, inserted: true };
    });
    await faults?.afterCommit?.(input, Context.current().info.attempt);
    return result;
  }

  /** Replaces the projection of a claim's open deadlines (idempotent: the same input writes the same rows). */
  async function projectDeadlines(input: { claimId: string; deadlines: DeadlineView[]; escalationLevel: number }): Promise<void> {
    const { claimId, deadlines } = input;
    await db.transaction(async (trx) => {
      await trx('claim_deadlines').where({ claim_id: claimId }).delete();
      if (deadlines.length) {
        await trx('claim_deadlines').insert(deadlines.map((d) => ({
          claim_id: claimId, key: d.key, kind: d.kind, owed_by: d.owedBy, last_day: d.lastDay, lapses_at: d.lapsesAt,
          paused: d.paused, level: d.level, reminders_sent: d.remindersSent, next_reminder_at: d.nextReminderAt,
        })));
      }
      const running = deadlines.filter((d) => !d.paused).map((d) => d.lapsesAt).sort();
      await trx('claims').where({ id: claimId }).update({ escalation_level: input.escalationLevel, next_deadline_at: running[0] ?? null });
    });
  }

  return { recordClaimEvent, projectDeadlines };
}
