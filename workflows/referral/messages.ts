/** The referral workflow's messages, shared with the claim workflow and clients. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReferralCommandInput, ReferralCommandName, ReferralStage, ReferralState, Service } from '../../domain/referral';

export const referralUpdates: { [N in ReferralCommandName]: ReturnType<typeof defineUpdate<ReferralState, [ReferralCommandInput<N>]>> } = {
  assessNeeds: defineUpdate('assessNeeds'),
  referToProvider: defineUpdate('referToProvider'),
  decideFunding: defineUpdate('decideFunding'),
  recordAppointment: defineUpdate('recordAppointment'),
  recordSession: defineUpdate('recordSession'),
  payProvider: defineUpdate('payProvider'),
  complete: defineUpdate('complete'),
  discontinue: defineUpdate('discontinue'),
};
export const referralStatusQuery = defineQuery<ReferralState>('referralStatus');
/** From the fund's admission of queued referrals: the commitment has been made. */
export const fundsCommittedSignal = defineSignal<[{ committedOn: string }]>('fundsCommitted');

/** From a referral to its claim: one step happened (the claim records it in its chain). */
export interface ReferralProgress {
  referralId: string;
  step: string;
  stage: ReferralStage;
  service: Service;
  actor: string;
  providerId: string | null;
  referredOn: string | null;
  fundedOn: string | null;
  lastCareOn: string | null;
  approvedCents: number | null;
  paidCents: number;
}
export const referralProgressSignal = defineSignal<[ReferralProgress]>('referralProgress');

export const REFERRAL_REFUSED = 'ReferralCommandRefused';

export function referralWorkflowId(referralId: string): string {
  return `referral-${referralId}`;
}
