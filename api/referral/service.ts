/**
 * Rehabilitation referrals and the Victim Protection Fund, for advocates, fund administrators and providers.
 * Health facts (urgency, age, disability, needs) are written to PostgreSQL here and never enter a workflow.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { type FundReceipt, recordFundReceipt } from '../../activities/referral/fund';
import { workflowIdFor } from '../../domain/claim';
import { type Cents, centsFromDb } from '../../domain/money';
import {
  type ReferralCommandInput, type ReferralCommandName, type ReferralState, SERVICES, referralRequestSchema,
} from '../../domain/referral';
import { calendarDate, financialYear, issuesOf, nonEmptyText, positiveCents } from '../../domain/validation';
import type { Db } from '../../db/connection';
import { COMMAND_REFUSED, type LiveClaimStatus, requestReferralUpdate } from '../../workflows/claim/messages';
import { REFERRAL_REFUSED, fundsCommittedSignal, referralUpdates, referralWorkflowId } from '../../workflows/referral/messages';
import { incidentWorkflowId } from '../../domain/incident';
import { type LiveIncidentStatus, TRACK_COMMAND_REFUSED, requestIncidentReferralUpdate } from '../../workflows/incident/messages';
import { ClaimNotFound, CommandRefused, IncidentNotFound, InvalidInput, refusalFromUpdate } from '../errors';

const actor = nonEmptyText(64);

export const providerSchema = z.object({
  id: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be 2-64 lower-case letters, digits or dashes'),
  name: nonEmptyText(160),
  services: z.array(z.enum(SERVICES)).min(1, 'must offer at least one service'),
  county: nonEmptyText(60),
  email: z.string().trim().toLowerCase().email('must be a valid email address'),
  phone: z.string().trim().max(30).optional(),
  capacity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000, 'is implausibly large'),
}).strict();

/** What an advocate sends to request a referral: the workflow's part, plus the facts that set priority. */
export const referralRequestInputSchema = referralRequestSchema.omit({ actor: true }).extend({
  priority: z.object({
    urgentMedical: z.boolean({ required_error: 'is required' }),
    ageYears: z.number().int('must be whole years').min(0, 'must not be negative').max(120, 'must be at most 120'),
    disability: z.boolean({ required_error: 'is required' }),
  }).strict(),
  needsNote: z.string().max(4000, 'must be at most 4000 characters').optional(),
}).strict();

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidInput(issuesOf(r.error));
  return r.data;
}

export function createReferralService(deps: { client: Client; db: Db }) {
  const { client, db } = deps;

  async function registerProvider(input: unknown, by: string): Promise<void> {
    const p = parse(providerSchema, input);
    parse(actor, by);
    await db.transaction(async (trx) => {
      const inserted = await trx('providers').insert({ ...p, phone: p.phone ?? null }).onConflict('id').ignore().returning('id');
      if (inserted.length === 0) throw new InvalidInput([{ field: 'id', rule: `provider ${p.id} already exists` }]);
      await trx('provider_changes').insert({ provider_id: p.id, change: 'registered', details: JSON.stringify(p), actor: by });
    });
  }

  async function setProviderActive(providerId: string, active: boolean, by: string): Promise<void> {
    parse(actor, by);
    await db.transaction(async (trx) => {
      const updated = await trx('providers').where({ id: providerId }).update({ active });
      if (updated === 0) throw new InvalidInput([{ field: 'providerId', rule: `unknown provider ${providerId}` }]);
      await trx('provider_changes').insert({ provider_id: providerId, change: active ? 'activated' : 'deactivated', details: '{}', actor: by });
    });
  }

  /** Opens a referral on a claim; returns its id and the claim's status. */
  async function requestReferral(claimId: string, input: unknown, by: string): Promise<{ referralId: string; status: LiveClaimStatus }> {
    const r = parse(referralRequestInputSchema, input);
    parse(actor, by);
    if (!(await db('claims').where({ id: claimId }).first('id'))) throw new ClaimNotFound(claimId);
    const referralId = `${claimId}--r-${randomUUID().slice(0, 8)}`;
    await db('referral_priority').insert({
      referral_id: referralId, urgent_medical: r.priority.urgentMedical, age_years: r.priority.ageYears,
      disability: r.priority.disability, needs_note: r.needsNote ?? null, share_assessment: r.consent.shareAssessment,
    });
    try {
      const status = await client.workflow.getHandle(workflowIdFor(claimId)).executeUpdate(requestReferralUpdate, {
        args: [{ referralId, actor: by, service: r.service, beneficiary: r.beneficiary, consent: r.consent }],
      });
      return { referralId, status };
    } catch (err) {
      await db('referral_priority').where({ referral_id: referralId }).delete(); // nothing of a refused request is kept
      throw refusalFromUpdate(err, COMMAND_REFUSED) ?? err;
    }
  }

  /**
   * Opens a referral from an incident alone, with no court order: the same consent, priority facts and fund rules as
   * one on a claim. Its id starts with the incident's, so the incident's routes can tell it is theirs.
   */
  async function requestIncidentReferral(incidentId: string, input: unknown, by: string): Promise<{ referralId: string; status: LiveIncidentStatus }> {
    const r = parse(referralRequestInputSchema, input);
    parse(actor, by);
    if (!(await db('incidents').where({ id: incidentId }).first('id'))) throw new IncidentNotFound(incidentId);
    const referralId = `${incidentId}--r-${randomUUID().slice(0, 8)}`;
    await db('referral_priority').insert({
      referral_id: referralId, urgent_medical: r.priority.urgentMedical, age_years: r.priority.ageYears,
      disability: r.priority.disability, needs_note: r.needsNote ?? null, share_assessment: r.consent.shareAssessment,
    });
    try {
      const status = await client.workflow.getHandle(incidentWorkflowId(incidentId)).executeUpdate(requestIncidentReferralUpdate, {
        args: [{ referralId, actor: by, service: r.service, beneficiary: r.beneficiary, consent: r.consent }],
      });
      return { referralId, status };
    } catch (err) {
      await db('referral_priority').where({ referral_id: referralId }).delete(); // nothing of a refused request is kept
      throw refusalFromUpdate(err, TRACK_COMMAND_REFUSED) ?? err;
    }
  }

  async function command<N extends ReferralCommandName>(referralId: string, name: N, input: unknown): Promise<ReferralState> {
    let args: unknown = input;
    if (name === 'referToProvider') {
      // The workflow checks the provider offers the service; the record says who the provider is.
      const { providerId, ...rest } = (input ?? {}) as { providerId?: unknown };
      const provider = typeof providerId === 'string' ? await db('providers').where({ id: providerId }).first('id', 'services', 'active') : undefined;
      if (!provider) throw new InvalidInput([{ field: 'providerId', rule: `unknown provider ${String(providerId)}` }]);
      args = { ...rest, provider: { id: provider.id, services: provider.services, active: provider.active } };
    }
    // Written with the request itself (the projection in `referrals` follows asynchronously).
    if (!(await db('referral_priority').where({ referral_id: referralId }).first('referral_id'))) {
      throw new InvalidInput([{ field: 'referralId', rule: `unknown referral ${referralId}` }]);
    }
    try {
      return await client.workflow.getHandle(referralWorkflowId(referralId))
        .executeUpdate(referralUpdates[name] as typeof referralUpdates.assessNeeds, { args: [args as ReferralCommandInput<'assessNeeds'>] });
    } catch (err) {
      const refused = refusalFromUpdate(err, REFERRAL_REFUSED);
      if (refused) throw refused;
      const row = await db('referrals').where({ id: referralId }).first('stage');
      if (row && ['completed', 'discontinued', 'funding_refused'].includes(row.stage)) {
        throw new CommandRefused({ kind: 'conflict', reason: `the referral is ${row.stage.replace('_', ' ')}; no further step can be recorded` });
      }
      throw err;
    }
  }

  /**
   * Money received by the fund; queued referrals it covers are committed and told at once. The same receipt again
   * answers with the first (created: false) and tells its referrals again (they ignore a repeat); the same reference
   * with another amount or date is refused (409), so a typing mistake is not taken for a repeat.
   */
  async function receiveFunds(input: unknown, by: string): Promise<FundReceipt & { created: boolean }> {
    const r = parse(z.object({ financialYear, amountCents: positiveCents, reference: nonEmptyText(64), receivedOn: calendarDate }).strict(), input);
    parse(actor, by);
    const { inserted, receipt, differs } = await recordFundReceipt(db, { ...r, actor: by });
    if (differs.length) {
      throw new CommandRefused({ kind: 'conflict', field: differs[0], reason: `receipt ${r.reference} of ${r.financialYear} is already recorded with another ${differs.join(' and ')} (${differs.map((f) => `${f} ${String(receipt[f])}`).join(', ')}); record a correction under a new reference` });
    }
    for (const id of receipt.admitted) {
      await client.workflow.getHandle(referralWorkflowId(id)).signal(fundsCommittedSignal, { committedOn: receipt.receivedOn ?? r.receivedOn });
    }
    return { ...receipt, created: inserted };
  }

  return { registerProvider, setProviderActive, requestReferral, requestIncidentReferral, command, receiveFunds, fundReport: (fy: string) => fundReport(db, fy) };
}
export type ReferralService = ReturnType<typeof createReferralService>;

export interface FundReport {
  financialYear: string;
  currency: 'KES';
  /** Assessed cost of every referral assessed in the year. */
  needCents: Cents;
  receivedCents: Cents;
  committedCents: Cents;
  paidCents: Cents;
  releasedCents: Cents;
  /** Received − committed + released: what new approvals can draw on. */
  uncommittedCents: Cents;
  /** Committed − paid − released: promised to providers, not yet paid. */
  outstandingCommitmentsCents: Cents;
  /** Need not covered by what the fund received. */
  gapCents: Cents;
  waitingList: { referralId: string; amountCents: Cents; waitingDays: number }[];
  medianWaitDays: number | null;
}

export async function fundReport(db: Db, fy: string, now = new Date()): Promise<FundReport> {
  const sums: { entry: string; total: string }[] = await db('fund_ledger').where({ financial_year: fy }).groupBy('entry')
    .select('entry', db.raw('sum(amount_cents) AS total'));
  const of = (entry: string) => centsFromDb(sums.find((s) => s.entry === entry)?.total ?? 0);
  const [start] = fy.split('/').map(Number) as [number];
  const need = await db('referrals').whereBetween('assessed_on', [`${start}-07-01`, `${start + 1}-06-30`]).sum({ total: 'assessed_cost_cents' }).first();
  const waiting = await db('funding_queue').where({ financial_year: fy }).whereNull('admitted_at').whereNull('removed_at')
    .orderBy('queued_at').select('referral_id', 'amount_cents', 'queued_at');
  const waitingList = waiting.map((w) => ({
    referralId: w.referral_id, amountCents: centsFromDb(w.amount_cents),
    waitingDays: Math.floor((now.getTime() - new Date(w.queued_at).getTime()) / 86_400_000),
  }));
  const days = waitingList.map((w) => w.waitingDays).sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  const median = days.length === 0 ? null : days.length % 2 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2;
  const [received, committed, paid, released] = [of('receipt'), of('commitment'), of('payment'), of('release')];
  const needCents = centsFromDb(need?.total ?? 0);
  return {
    financialYear: fy, currency: 'KES', needCents, receivedCents: received, committedCents: committed, paidCents: paid,
    releasedCents: released, uncommittedCents: received - committed + released,
    outstandingCommitmentsCents: committed - paid - released, gapCents: Math.max(0, needCents - received),
    waitingList, medianWaitDays: median,
  };
}
