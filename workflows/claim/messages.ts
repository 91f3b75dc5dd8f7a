/**
 * The claim workflow's messages, shared by the workflow and its clients (API, scripts, tests).
 * Every command is an Update with a validator, so an invalid step is refused before it enters history.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ClaimEventType, ClaimStatus, CommandInput, CommandName } from '../../domain/claim';
import type { AcknowledgmentInput, DeadlinePolicy, DeadlineView, ReferralSummary } from '../../domain/escalation';
import type { ReferralRequest } from '../../domain/referral';

export interface EventSummary {
  sequence: number;
  type: ClaimEventType;
  actor: string;
  occurredAt: string;
}

export interface LiveClaimStatus extends ClaimStatus {
  lastSequence: number;
  /** Every event up to this sequence is in PostgreSQL. */
  recordedSequence: number;
  /** The most recent events (older ones are in the record). */
  recentEvents: EventSummary[];
  /** The deadline policy version the claim runs on; null for claims started before deadlines existed. */
  policyVersion: number | null;
  deadlines: DeadlineView[];
  /** The highest ladder level any open deadline has reached; -1 when none has lapsed. */
  escalationLevel: number;
  referrals: ReferralSummary[];
}

export interface AcknowledgeReminderInput extends AcknowledgmentInput {
  reminderId: string;
  deadlineKey: string;
  kind: string;
  level: number;
}
/** An agency officer acknowledges a reminder through its signed link, perhaps committing to a step by a date. */
export const acknowledgeReminderUpdate = defineUpdate<LiveClaimStatus, [AcknowledgeReminderInput]>('acknowledgeReminder');

/** Opens a rehabilitation referral (a child workflow) at any time after registration. */
export const requestReferralUpdate = defineUpdate<LiveClaimStatus, [ReferralRequest & { referralId: string }]>('requestReferral');

export interface CommandResult {
  /** The event this command produced, or the earlier one it repeats. */
  sequence: number;
  duplicate: boolean;
  status: LiveClaimStatus;
}

/** Failure type of a refused command; `details[0]` is the domain Refusal (kind, reason, field). */
export const COMMAND_REFUSED = 'ClaimCommandRefused';

export const claimUpdates: { [N in CommandName]: ReturnType<typeof defineUpdate<CommandResult, [CommandInput<N>]>> } = {
  issueCertificate: defineUpdate('issueCertificate'),
  serveCertificate: defineUpdate('serveCertificate'),
  allocateBudget: defineUpdate('allocateBudget'),
  recordTranche: defineUpdate('recordTranche'),
  reverseTranche: defineUpdate('reverseTranche'),
  confirmReceipt: defineUpdate('confirmReceipt'),
  grantStay: defineUpdate('grantStay'),
  liftStay: defineUpdate('liftStay'),
  withdraw: defineUpdate('withdraw'),
  setAside: defineUpdate('setAside'),
  serveEnforcementNotice: defineUpdate('serveEnforcementNotice'),
  fileMandamus: defineUpdate('fileMandamus'),
  grantMandamus: defineUpdate('grantMandamus'),
  serveNoticeToShowCause: defineUpdate('serveNoticeToShowCause'),
  findContempt: defineUpdate('findContempt'),
  amendOrder: defineUpdate('amendOrder'),
  reassignAdvocate: defineUpdate('reassignAdvocate'),
  correctAllocation: defineUpdate('correctAllocation'),
  correctReceipt: defineUpdate('correctReceipt'),
  recordDocument: defineUpdate('recordDocument'),
};

export interface MigratePolicyInput {
  actor: string;
  policy: DeadlinePolicy;
}
/** Moves the claim to a newer deadline policy version; its pending deadlines are recomputed. */
export const migratePolicyUpdate = defineUpdate<LiveClaimStatus, [MigratePolicyInput]>('migratePolicy');

export interface AwaitRecordInput {
  /** The registration call that asks: sent with the start (update-with-start), it tells who started the claim. */
  registrationId?: string;
}
export interface RecordedClaimStatus extends LiveClaimStatus {
  /** true when the asking registration is the one that started this claim; false for a repeat. */
  startedByThisRegistration: boolean;
}
/** Returns once every step accepted so far is recorded in PostgreSQL: registration waits on it. */
export const awaitRecordUpdate = defineUpdate<RecordedClaimStatus, [AwaitRecordInput?]>('awaitRecord');
export const statusQuery = defineQuery<LiveClaimStatus>('status');
