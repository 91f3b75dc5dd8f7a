/**
 * A rehabilitation referral, from consent to completion, funded by the Victim Protection Fund. It runs beside
 * the claim and never waits for the money. Health facts (needs, priority factors) stay in PostgreSQL; the
 * workflow carries only ids, dates, amounts and stages.
 */
import { z } from 'zod';
import { type CalendarDate, compareDates } from '../calendar-date';
import type { Cents } from '../money';
import { calendarDate, financialYear, nonEmptyText, positiveCents } from '../validation';

export const SERVICES = ['medical', 'psychological', 'psychosocial', 'physiotherapy', 'legal_aid', 'socio_economic'] as const;
export type Service = (typeof SERVICES)[number];

export const REFERRAL_STAGES = [
  'consented', 'assessed', 'referred', 'funding_queued', 'funded', 'in_care', 'completed', 'discontinued', 'funding_refused',
] as const;
export type ReferralStage = (typeof REFERRAL_STAGES)[number];
export const CLOSED_REFERRAL_STAGES: readonly ReferralStage[] = ['completed', 'discontinued', 'funding_refused'];

const actor = nonEmptyText(64);

/** What the claim workflow receives to open a referral (no health facts). */
export const referralRequestSchema = z.object({
  actor,
  service: z.enum(SERVICES),
  beneficiary: z.object({
    kind: z.enum(['survivor', 'family_member']),
    relationship: z.string().trim().max(40, 'must be at most 40 characters').optional(),
  }).strict().refine((b) => b.kind === 'survivor' || (b.relationship ?? '') !== '', { message: 'relationship is required for a family member', path: ['relationship'] }),
  consent: z.object({
    /** The survivor (or family member) agrees to the referral. */
    referral: z.literal(true, { errorMap: () => ({ message: 'consent to the referral is required' }) }),
    /** ...and to the assessment being shared with the provider, so they need not tell their story again. */
    shareAssessment: z.boolean({ required_error: 'must say whether the assessment may be shared' }),
    recordedOn: calendarDate,
  }).strict(),
}).strict();
export type ReferralRequest = z.output<typeof referralRequestSchema>;

export const referralCommandSchemas = {
  assessNeeds: z.object({ actor, assessedOn: calendarDate, assessedCostCents: positiveCents, sessionsPlanned: z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200') }).strict(),
  referToProvider: z.object({
    actor, referredOn: calendarDate,
    // Filled in by the service from the providers table, so the workflow can check the service is offered.
    provider: z.object({ id: nonEmptyText(64), services: z.array(z.enum(SERVICES)), active: z.boolean() }).strict(),
  }).strict(),
  decideFunding: z.discriminatedUnion('decision', [
    z.object({ actor, decision: z.literal('approve'), amountCents: positiveCents, financialYear, decidedOn: calendarDate }).strict(),
    z.object({ actor, decision: z.literal('refuse'), reason: nonEmptyText(500), decidedOn: calendarDate }).strict(),
  ]),
  recordAppointment: z.object({ actor, appointmentOn: calendarDate }).strict(),
  recordSession: z.object({ actor, sessionOn: calendarDate, attended: z.boolean() }).strict(),
  payProvider: z.object({ actor, amountCents: positiveCents, paidOn: calendarDate, reference: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/, 'must be 1-64 letters, digits or / _ . -') }).strict(),
  complete: z.object({ actor, completedOn: calendarDate }).strict(),
  discontinue: z.object({ actor, discontinuedOn: calendarDate, reason: nonEmptyText(500) }).strict(),
} as const;
export type ReferralCommandName = keyof typeof referralCommandSchemas;
export const REFERRAL_COMMAND_NAMES = Object.keys(referralCommandSchemas) as ReferralCommandName[];
export type ReferralCommandInput<N extends ReferralCommandName> = z.output<(typeof referralCommandSchemas)[N]>;
export type AnyReferralCommand = { [N in ReferralCommandName]: { name: N; input: ReferralCommandInput<N> } }[ReferralCommandName];

export interface ReferralState {
  referralId: string;
  /** The claim it was requested on; null for a referral started from an incident alone (no court order). */
  claimId: string | null;
  /** The incident it was started from, when it was (absent in referrals started before incidents existed). */
  incidentId?: string;
  service: Service;
  beneficiary: ReferralRequest['beneficiary'];
  stage: ReferralStage;
  consentedOn: CalendarDate;
  assessment: { assessedOn: CalendarDate; assessedCostCents: Cents; sessionsPlanned: number } | null;
  providerId: string | null;
  referredOn: CalendarDate | null;
  funding: { financialYear: string; approvedCents: Cents; decidedOn: CalendarDate; committedOn: CalendarDate | null } | null;
  refusal: string | null;
  firstAppointmentOn: CalendarDate | null;
  sessions: { sessionOn: CalendarDate; attended: boolean }[];
  payments: { reference: string; amountCents: Cents; paidOn: CalendarDate }[];
  closedOn: CalendarDate | null;
  closureReason: string | null;
}

export function newReferral(referralId: string, claimId: string | null, request: ReferralRequest, incidentId?: string): ReferralState {
  return {
    referralId, claimId, ...(incidentId !== undefined ? { incidentId } : {}), service: request.service, beneficiary: request.beneficiary, stage: 'consented',
    consentedOn: request.consent.recordedOn, assessment: null, providerId: null, referredOn: null, funding: null,
    refusal: null, firstAppointmentOn: null, sessions: [], payments: [], closedOn: null, closureReason: null,
  };
}

export const paidToProvider = (s: ReferralState) => s.payments.reduce((sum, p) => sum + p.amountCents, 0);

export type ReferralRefusal = { kind: 'invalid' | 'conflict'; field?: string; reason: string };

/** Checks a referral command against the referral's stage; null when it may proceed. */
export function checkReferralCommand(s: ReferralState, c: AnyReferralCommand, today: CalendarDate): ReferralRefusal | null {
  const conflict = (reason: string): ReferralRefusal => ({ kind: 'conflict', reason });
  const invalid = (field: string, reason: string): ReferralRefusal => ({ kind: 'invalid', field, reason });
  if (CLOSED_REFERRAL_STAGES.includes(s.stage)) return conflict(`the referral is ${s.stage.replace('_', ' ')}; no further step can be recorded`);
  const dateField = Object.keys(c.input).find((k) => k.endsWith('On'));
  if (dateField) {
    const date = (c.input as Record<string, string>)[dateField]!;
    if (compareDates(date, today) > 0) return invalid(dateField, `${dateField} ${date} is in the future (today is ${today})`);
    if (compareDates(date, s.consentedOn) < 0) return invalid(dateField, `${dateField} ${date} is before consent was recorded (${s.consentedOn})`);
  }
  switch (c.name) {
    case 'assessNeeds':
      return s.stage === 'consented' ? null : conflict('needs were already assessed');
    case 'referToProvider': {
      if (s.stage === 'consented') return conflict('assess the needs before referring to a provider');
      if (s.stage !== 'assessed') return conflict(`the referral was already made to ${s.providerId}`);
      if (!c.input.provider.active) return invalid('providerId', `provider ${c.input.provider.id} is not active`);
      if (!c.input.provider.services.includes(s.service)) return invalid('providerId', `provider ${c.input.provider.id} does not offer ${s.service}`);
      return null;
    }
    case 'decideFunding': {
      if (s.stage !== 'referred') return conflict(s.stage === 'funding_queued' || s.stage === 'funded' ? 'funding was already decided' : 'refer to a provider before the fund decides');
      if (c.input.decision === 'approve' && c.input.amountCents > s.assessment!.assessedCostCents) {
        return invalid('amountCents', `amountCents ${c.input.amountCents} is more than the assessed cost of ${s.assessment!.assessedCostCents} cents`);
      }
      return null;
    }
    case 'recordAppointment':
      if (s.stage === 'funding_queued') return conflict('the referral waits in the funding queue; no appointment before funds are committed');
      return s.stage === 'funded' ? null : conflict(s.stage === 'in_care' ? 'the first appointment is already recorded' : 'the fund must approve the referral first');
    case 'recordSession':
      return s.stage === 'in_care' ? null : conflict('record the first appointment before sessions');
    case 'payProvider': {
      if (s.stage !== 'in_care') return conflict('payments to the provider start once care has begun');
      if (s.payments.some((p) => p.reference === c.input.reference)) return conflict(`payment ${c.input.reference} is already recorded`);
      const left = s.funding!.approvedCents - paidToProvider(s);
      return c.input.amountCents > left ? invalid('amountCents', `amountCents ${c.input.amountCents} is more than the ${left} cents still committed`) : null;
    }
    case 'complete':
      return s.stage === 'in_care' ? null : conflict('care has not begun');
    case 'discontinue':
      return null;
  }
}
