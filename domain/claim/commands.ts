/**
 * The commands a claim accepts, one Temporal Update each. Shapes are checked here (zod, strict: unknown
 * fields are refused); whether the claim's stage allows a command is decided in rules.ts.
 */
import { z } from 'zod';
import { calendarDate, financialYear, nonEmptyText, positiveCents } from '../validation';
import { awardComponentSchema } from './order';

const actor = nonEmptyText(64);
const paymentReference = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/, 'must be 1-64 letters, digits or / _ . -');
const reason = nonEmptyText(500);
/** A period a court sets, typically 14-30 days; more than 180 is taken for a typing error. */
const courtPeriod = z.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(180, 'must be at most 180 days');
export const DOCUMENT_KINDS = ['decree', 'certificate_of_order', 'payment_voucher', 'assessment_report'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** The statutory notice to the accounting officer before judicial review. */
export const ENFORCEMENT_NOTICE_DAYS = 21;

export const commandSchemas = {
  issueCertificate: z.object({ actor, issuedOn: calendarDate }).strict(),
  serveCertificate: z.object({ actor, servedOn: calendarDate }).strict(),
  allocateBudget: z.object({ actor, amountCents: positiveCents, budgetLine: nonEmptyText(80), financialYear, allocatedOn: calendarDate }).strict(),
  recordTranche: z.object({ actor, paymentReference, amountCents: positiveCents, paidOn: calendarDate }).strict(),
  reverseTranche: z.object({ actor, paymentReference, reason }).strict(),
  confirmReceipt: z.object({ actor, paymentReference, receivedOn: calendarDate }).strict(),
  grantStay: z.object({ actor, grantedOn: calendarDate, reason }).strict(),
  liftStay: z.object({ actor, liftedOn: calendarDate }).strict(),
  withdraw: z.object({ actor, withdrawnOn: calendarDate, reason }).strict(),
  setAside: z.object({ actor, setAsideOn: calendarDate, reason }).strict(),
  // The court enforcement track (DESIGN.md, lifecycle step 5), recorded by the advocate or an administrator.
  serveEnforcementNotice: z.object({ actor, servedOn: calendarDate }).strict(),
  fileMandamus: z.object({ actor, filedOn: calendarDate }).strict(),
  grantMandamus: z.object({ actor, grantedOn: calendarDate, complianceDays: courtPeriod }).strict(),
  serveNoticeToShowCause: z.object({ actor, servedOn: calendarDate }).strict(),
  findContempt: z.object({ actor, foundOn: calendarDate, purgeDays: courtPeriod }).strict(),
  // Corrections (DESIGN.md "Corrections"): each a new event with a reason, never an edit of an earlier one.
  /** The order as varied on appeal, with costs taxed later, or with a component added: the full new list. */
  amendOrder: z.object({
    actor, amendedOn: calendarDate, reason,
    components: z.array(awardComponentSchema).min(1, 'must have at least one award component').max(20, 'must have at most 20 components').optional(),
    costsTaxedOn: calendarDate.optional(),
  }).strict(),
  reassignAdvocate: z.object({ actor, advocateId: nonEmptyText(64), reassignedOn: calendarDate, reason }).strict(),
  /** Replaces a wrongly recorded allocation with the right one, or withdraws it (no replacement). */
  correctAllocation: z.object({
    actor, allocationSequence: z.number().int('must be the sequence of the allocation event').positive('must be positive'), correctedOn: calendarDate, reason,
    replacement: z.object({ amountCents: positiveCents, budgetLine: nonEmptyText(80), financialYear, allocatedOn: calendarDate }).strict().optional(),
  }).strict(),
  /** Corrects the date of a confirmed receipt, or withdraws the confirmation (receivedOn null). */
  correctReceipt: z.object({ actor, paymentReference, correctedOn: calendarDate, reason, receivedOn: calendarDate.nullable() }).strict(),
  /** A document attached to the claim (the file is kept apart; its SHA-256 enters the chain). */
  recordDocument: z.object({
    actor, documentId: z.string().uuid(), kind: z.enum(DOCUMENT_KINDS), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
    sizeBytes: z.number().int().positive(), referralId: z.string().min(1).max(200).optional(),
  }).strict(),
} as const;

/** Corrections: recorded as new events, taken by administrators through POST /api/claims/{id}/amendments. */
export const CORRECTION_COMMANDS = ['amendOrder', 'reassignAdvocate', 'correctAllocation', 'correctReceipt'] as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];
export type CommandInput<N extends CommandName> = z.output<(typeof commandSchemas)[N]>;
export type AnyCommand = { [N in CommandName]: { name: N; input: CommandInput<N> } }[CommandName];
