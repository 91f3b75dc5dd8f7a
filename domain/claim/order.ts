/** The court order that a claim drives to payment, as an administrator registers it. */
import { z } from 'zod';
import { type CalendarDate, addDays, compareDates, isCalendarDate, maxDate } from '../calendar-date';
import { calendarDate, nonEmptyText, positiveCents } from '../validation';

export const VIOLATION_TYPES = ['torture', 'extra_judicial_killing', 'enforced_disappearance'] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

/** Decrees mostly carry 12% a year; some carry 14%. Anything above 100% a year is a typing error. */
export const DEFAULT_RATE_BASIS_POINTS = 1200;

export const awardComponentSchema = z.object({
  label: nonEmptyText(80),
  amountCents: positiveCents,
  rateBasisPoints: z.number().int('must be a whole number of basis points').min(0, 'must not be negative')
    .max(10_000, 'must be at most 10000 (100% a year)').default(DEFAULT_RATE_BASIS_POINTS),
  interestFrom: calendarDate,
}).strict();

export const courtOrderSchema = z.object({
  court: nonEmptyText(120),
  caseNumber: nonEmptyText(60),
  judgmentDate: calendarDate,
  /** When costs were taxed; the certificate may not issue before 21 days after the later of the two. */
  costsTaxedOn: calendarDate.optional(),
  respondentAgencyId: nonEmptyText(64),
  /** Pseudonymous reference; the survivor's identity is never part of a claim's workflow. */
  survivorRef: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/, 'must be a pseudonymous reference of 3-40 letters, digits or dashes'),
  violationTypes: z.array(z.enum(VIOLATION_TYPES)).min(1, 'must name at least one violation type')
    .refine((v) => new Set(v).size === v.length, 'must not repeat a violation type'),
  advocateId: nonEmptyText(64),
  components: z.array(awardComponentSchema).min(1, 'must have at least one award component').max(20, 'must have at most 20 components'),
  appropriation: z.enum(['interest_first', 'principal_first']).default('interest_first'),
  /** The incident the order arises from, if Redress records it (the workflow only carries it). */
  incidentId: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').optional(),
}).strict().superRefine((order, ctx) => {
  // zod runs this even when a field failed its own rule: compare only real dates.
  if (order.costsTaxedOn && isCalendarDate(order.costsTaxedOn) && isCalendarDate(order.judgmentDate)
    && compareDates(order.costsTaxedOn, order.judgmentDate) < 0) {
    ctx.addIssue({ code: 'custom', path: ['costsTaxedOn'], message: 'must not be before the judgment date' });
  }
  const total = order.components.reduce((s, c) => s + c.amountCents, 0);
  if (!Number.isSafeInteger(total)) ctx.addIssue({ code: 'custom', path: ['components'], message: 'total is too large' });
});

export type AwardComponent = z.output<typeof awardComponentSchema>;
export type CourtOrder = z.output<typeof courtOrderSchema>;
export type CourtOrderInput = z.input<typeof courtOrderSchema>;

/** s.21(1) Government Proceedings Act: a certificate of order issues no earlier than 21 days after
 * judgment, or after costs are taxed if that is later. */
export const CERTIFICATE_WAIT_DAYS = 21;

export function earliestCertificateDate(order: Pick<CourtOrder, 'judgmentDate' | 'costsTaxedOn'>): CalendarDate {
  const from = order.costsTaxedOn ? maxDate(order.judgmentDate, order.costsTaxedOn) : order.judgmentDate;
  return addDays(from, CERTIFICATE_WAIT_DAYS);
}

function slug(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * A claim's id is derived from its court and case number, so the same order registered twice (with
 * other spacing, case or punctuation) gets the same id, and so the same workflow.
 */
export function claimIdFor(court: string, caseNumber: string): string {
  return `${slug(court)}--${slug(caseNumber)}`;
}

export function workflowIdFor(claimId: string): string {
  return `claim-${claimId}`;
}
