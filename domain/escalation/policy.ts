/**
 * The versioned deadline policy: per waiting stage, the deadline (days after the date that opens the stage),
 * the reminder cadence, and the escalation ladder (days after the deadline -> roles written to).
 * Administrators publish new versions; a claim keeps the version it started with unless migrated on purpose.
 */
import { z } from 'zod';

export const ROLES = [
  'advocate', 'accounting_officer', 'principal_secretary', 'attorney_general', 'national_treasury',
  'controller_of_budget', 'knchr', 'commission_on_administrative_justice', 'fund_administrator', 'provider',
  // The accountability track (incidents): the bodies that hold each track, and the organisation that documented it.
  'investigating_body', 'prosecuting_body', 'coroner', 'documenting_organisation',
] as const;
export type Role = (typeof ROLES)[number];
/** Roles held per respondent agency; the others are shared bodies (or, for the advocate, per claim). */
export const AGENCY_ROLES: readonly Role[] = ['accounting_officer', 'principal_secretary'];
export const SHARED_ROLES: readonly Role[] = ['attorney_general', 'national_treasury', 'controller_of_budget', 'knchr', 'commission_on_administrative_justice', 'fund_administrator', 'coroner'];
/** Roles whose address comes from the claim, incident or referral itself, not from the contacts table. */
export const PER_CASE_ROLES: readonly Role[] = ['advocate', 'provider', 'investigating_body', 'prosecuting_body', 'documenting_organisation'];

export const DEADLINE_KINDS = [
  'certificate_application', 'certificate_service', 'budget_allocation', 'payment', 'receipt_confirmation',
  'enforcement_notice', 'mandamus_compliance', 'contempt_purge',
  'referral_funding_decision', 'referral_first_appointment', 'referral_session_report',
  // The accountability track: investigation, prosecution and inquest (domain/incident).
  'complaint_acknowledgement', 'investigation_opening', 'investigation_findings', 'investigation_recommendation', 'file_forwarding',
  'charging_decision', 'further_investigation', 'charges_filing', 'trial_start', 'verdict', 'sentencing', 'appeal_decision',
  'death_notification', 'post_mortem', 'inquest_opening', 'inquest_finding',
  // A commitment an agency made through a reminder's link (workbench).
  'agency_commitment',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
/** Added with referrals: a policy published before them may omit these, and then the defaults apply. */
export const REFERRAL_KINDS: readonly DeadlineKind[] = ['referral_funding_decision', 'referral_first_appointment', 'referral_session_report'];
/** Added with incidents: likewise optional, so every policy published before them stays valid. */
export const INCIDENT_KINDS: readonly DeadlineKind[] = [
  'complaint_acknowledgement', 'investigation_opening', 'investigation_findings', 'investigation_recommendation', 'file_forwarding',
  'charging_decision', 'further_investigation', 'charges_filing', 'trial_start', 'verdict', 'sentencing', 'appeal_decision',
  'death_notification', 'post_mortem', 'inquest_opening', 'inquest_finding',
];
/** Kinds added after version 1 of the policy: a policy that omits them gets the defaults. */
const OPTIONAL_KINDS: readonly DeadlineKind[] = [...REFERRAL_KINDS, ...INCIDENT_KINDS, 'agency_commitment'];
export type Obligor = 'state' | 'advocate' | 'fund' | 'provider' | 'investigating_body' | 'prosecutor' | 'coroner';
/**
 * Periods set outside the policy: by the court in its order, or by the agency itself in a commitment made through a
 * reminder's link. The policy gives their reminders; the court or the commitment gives their length.
 */
export const COURT_SET_KINDS: readonly DeadlineKind[] = ['mandamus_compliance', 'contempt_purge', 'agency_commitment'];
/** Who owes each step is a matter of law, not of policy. */
export const OWED_BY: Record<DeadlineKind, Obligor> = {
  certificate_application: 'advocate', certificate_service: 'advocate', receipt_confirmation: 'advocate',
  budget_allocation: 'state', payment: 'state', enforcement_notice: 'state', mandamus_compliance: 'state', contempt_purge: 'state',
  referral_funding_decision: 'fund', referral_first_appointment: 'provider', referral_session_report: 'provider',
  complaint_acknowledgement: 'investigating_body', investigation_opening: 'investigating_body', investigation_findings: 'investigating_body',
  investigation_recommendation: 'investigating_body', file_forwarding: 'investigating_body', further_investigation: 'investigating_body',
  charging_decision: 'prosecutor', charges_filing: 'prosecutor', trial_start: 'prosecutor', verdict: 'prosecutor', sentencing: 'prosecutor',
  appeal_decision: 'prosecutor',
  death_notification: 'investigating_body', post_mortem: 'coroner', inquest_opening: 'coroner', inquest_finding: 'coroner',
  agency_commitment: 'state',
};

const days = (min: number, max: number) => z.number().int('must be a whole number of days')
  .min(min, min === 0 ? 'must not be negative' : `must be at least ${min} day`).max(max, `must be at most ${max} days`);

export const ladderStepSchema = z.object({
  afterDays: days(0, 3650),
  roles: z.array(z.enum(ROLES)).min(1, 'must name at least one role'),
  /** Tells the advocate the claim is ripe for the next court step, with the facts they need. */
  advocateNotice: z.enum(['ripe_for_mandamus', 'ripe_for_contempt']).optional(),
}).strict();

export const stagePolicySchema = z.object({
  days: days(1, 3650).optional(),
  cadenceDays: days(1, 365),
  ladder: z.array(ladderStepSchema).min(1, 'must have at least one step').max(10, 'must have at most 10 steps')
    .superRefine((ladder, ctx) => {
      if (ladder[0] && ladder[0].afterDays !== 0) ctx.addIssue({ code: 'custom', path: [0, 'afterDays'], message: 'the first step must be at 0 days (the deadline itself)' });
      ladder.forEach((step, i) => {
        if (i > 0 && step.afterDays <= ladder[i - 1]!.afterDays) {
          ctx.addIssue({ code: 'custom', path: [i, 'afterDays'], message: 'steps must be in increasing order of days' });
        }
      });
    }),
}).strict();

/**
 * No reminder goes out in the first hours after a claim is registered: an administrator entering a legacy order's
 * known history (certificate, service, allocations, payments) has that long before deadlines already met are chased.
 */
export const DEFAULT_REGISTRATION_GRACE_HOURS = 24;

export const policyDocumentSchema = z.object({
  /** Hours after registration during which no reminder is sent (default DEFAULT_REGISTRATION_GRACE_HOURS). */
  registrationGraceHours: z.number().int('must be a whole number of hours').min(0, 'must not be negative').max(720, 'must be at most 720 hours (30 days)').optional(),
  stages: z.object(Object.fromEntries(DEADLINE_KINDS.map((k) => [k, OPTIONAL_KINDS.includes(k) ? stagePolicySchema.optional() : stagePolicySchema])) as
    Record<DeadlineKind, typeof stagePolicySchema>).strict(),
}).strict().superRefine((doc, ctx) => {
  for (const kind of DEADLINE_KINDS) {
    const courtSet = COURT_SET_KINDS.includes(kind);
    const stage = doc.stages[kind];
    if (!stage) continue;
    if (courtSet && stage.days !== undefined) ctx.addIssue({ code: 'custom', path: ['stages', kind, 'days'], message: 'is set by the court, not by policy' });
    if (!courtSet && stage.days === undefined) ctx.addIssue({ code: 'custom', path: ['stages', kind, 'days'], message: 'is required' });
  }
});

export type StagePolicy = z.output<typeof stagePolicySchema>;
export type PolicyDocument = z.output<typeof policyDocumentSchema>;
export interface DeadlinePolicy extends PolicyDocument {
  version: number;
}

const stateLadder = [
  { afterDays: 0, roles: ['accounting_officer'] },
  { afterDays: 14, roles: ['principal_secretary'] },
  { afterDays: 30, roles: ['attorney_general'] },
  { afterDays: 60, roles: ['national_treasury', 'controller_of_budget'] },
  { afterDays: 90, roles: ['knchr', 'commission_on_administrative_justice', 'advocate'], advocateNotice: 'ripe_for_mandamus' },
] satisfies z.input<typeof ladderStepSchema>[];
const advocateLadder = [{ afterDays: 0, roles: ['advocate'] }] satisfies z.input<typeof ladderStepSchema>[];
/**
 * A stage of the accountability track: the body that holds it, then (30 days on) the oversight bodies and the
 * organisation that documented the incident. The periods below are Redress's defaults (docs/accountability.md
 * gives each its source); no statute fixes most of them, so administrators set their own in a new policy version.
 */
const trackLadder = (...holders: ('investigating_body' | 'prosecuting_body' | 'coroner')[]) => [
  { afterDays: 0, roles: holders },
  { afterDays: 30, roles: ['knchr', 'commission_on_administrative_justice', 'documenting_organisation'] },
] satisfies z.input<typeof ladderStepSchema>[];
const track = (days: number, ...holders: Parameters<typeof trackLadder>) => ({ days, cadenceDays: 7, ladder: trackLadder(...holders) });

/** The defaults of DESIGN.md ("Deadlines and escalation"); published as policy version 1. */
export const DEFAULT_POLICY_DOCUMENT: PolicyDocument = policyDocumentSchema.parse({
  stages: {
    certificate_application: { days: 14, cadenceDays: 7, ladder: advocateLadder },
    certificate_service: { days: 14, cadenceDays: 7, ladder: advocateLadder },
    budget_allocation: { days: 60, cadenceDays: 7, ladder: stateLadder },
    payment: { days: 30, cadenceDays: 7, ladder: stateLadder },
    receipt_confirmation: { days: 14, cadenceDays: 7, ladder: advocateLadder },
    enforcement_notice: { days: 21, cadenceDays: 7, ladder: stateLadder.slice(0, 3) },
    mandamus_compliance: { cadenceDays: 7, ladder: [{ afterDays: 0, roles: ['accounting_officer', 'principal_secretary', 'advocate'], advocateNotice: 'ripe_for_contempt' }] },
    contempt_purge: { cadenceDays: 7, ladder: [{ afterDays: 0, roles: ['accounting_officer', 'principal_secretary', 'attorney_general', 'advocate'] }] },
    referral_funding_decision: { days: 14, cadenceDays: 7, ladder: [{ afterDays: 0, roles: ['fund_administrator'] }, { afterDays: 14, roles: ['fund_administrator', 'advocate'] }] },
    referral_first_appointment: { days: 14, cadenceDays: 7, ladder: [{ afterDays: 0, roles: ['provider'] }, { afterDays: 14, roles: ['provider', 'fund_administrator'] }] },
    referral_session_report: { days: 30, cadenceDays: 7, ladder: [{ afterDays: 0, roles: ['provider'] }, { afterDays: 14, roles: ['provider', 'fund_administrator'] }] },
    complaint_acknowledgement: track(14, 'investigating_body'),
    investigation_opening: track(30, 'investigating_body'),
    investigation_findings: track(180, 'investigating_body'),
    investigation_recommendation: track(30, 'investigating_body'),
    file_forwarding: track(14, 'investigating_body'),
    charging_decision: track(30, 'prosecuting_body'),
    further_investigation: track(60, 'investigating_body'),
    charges_filing: track(14, 'prosecuting_body'),
    trial_start: track(90, 'prosecuting_body'),
    verdict: track(365, 'prosecuting_body'),
    sentencing: track(30, 'prosecuting_body'),
    appeal_decision: track(365, 'prosecuting_body'),
    death_notification: track(7, 'investigating_body', 'coroner'),
    post_mortem: track(14, 'coroner'),
    inquest_opening: track(30, 'coroner'),
    inquest_finding: track(180, 'coroner'),
    // A commitment the agency made and did not keep goes over the accounting officer's head at once.
    agency_commitment: { cadenceDays: 7, ladder: [{ afterDays: 0, roles: ['principal_secretary', 'attorney_general'] }, { afterDays: 30, roles: ['national_treasury', 'controller_of_budget', 'advocate'] }] },
  },
});

export function registrationGraceMs(policy: PolicyDocument): number {
  return (policy.registrationGraceHours ?? DEFAULT_REGISTRATION_GRACE_HOURS) * 3_600_000;
}

/** The stage policy for a kind, falling back to the defaults for kinds an older policy does not name. */
export function stagePolicyFor(policy: PolicyDocument, kind: DeadlineKind): StagePolicy {
  return policy.stages[kind] ?? DEFAULT_POLICY_DOCUMENT.stages[kind]!;
}
