/**
 * What an advocate hears about their claims: an allocation, a tranche, a stay or its lift, an escalation, a referral's
 * funding decision. At once by email, or gathered in a weekly digest, as each advocate prefers.
 */
import type { ClaimEvent } from '../claim/rules';
import { formatKes } from '../money';
import { type DeadlineKind, OWED_BY } from './policy';

export const ADVOCATE_NOTIFY = ['immediate', 'weekly', 'none'] as const;
export type AdvocateNotify = (typeof ADVOCATE_NOTIFY)[number];

export function isNotifiable(event: ClaimEvent): boolean {
  switch (event.type) {
    case 'budget_allocated':
    case 'tranche_paid':
    case 'stay_granted':
    case 'stay_lifted':
      return true;
    case 'deadline_escalated':
      // The advocate's own overdue steps come as reminders already; they hear when the State's escalate.
      return OWED_BY[event.kind as DeadlineKind] !== 'advocate';
    case 'referral_step':
      return event.step === 'decideFunding' || event.step === 'fundsCommitted';
    default:
      return false;
  }
}

/** One line about the event, in English and Kiswahili (no survivor: the claim is named by court and case number). */
export function noticeLine(event: ClaimEvent): { en: string; sw: string } {
  switch (event.type) {
    case 'budget_allocated':
      return { en: `${formatKes(event.amountCents)} allocated on ${event.allocatedOn} (budget line ${event.budgetLine}, ${event.financialYear}).`, sw: `${formatKes(event.amountCents)} zimetengwa tarehe ${event.allocatedOn}.` };
    case 'tranche_paid':
      return { en: `${formatKes(event.amountCents)} paid on ${event.paidOn} (payment reference ${event.paymentReference}); please confirm the claimant received it.`, sw: `${formatKes(event.amountCents)} zimelipwa tarehe ${event.paidOn} (kumbukumbu ${event.paymentReference}); tafadhali thibitisha mdai amepokea.` };
    case 'stay_granted':
      return { en: `A stay was granted on ${event.grantedOn} (${event.reason}); every deadline is paused.`, sw: `Amri ya kusimamisha ilitolewa tarehe ${event.grantedOn}; muda wote umesimamishwa.` };
    case 'stay_lifted':
      return { en: `The stay was lifted on ${event.liftedOn}; deadlines run again.`, sw: `Amri ya kusimamisha iliondolewa tarehe ${event.liftedOn}.` };
    case 'deadline_escalated':
      return { en: `The ${event.kind.replace(/_/g, ' ')} deadline has escalated to level ${event.level} (written to ${event.roles.join(', ').replace(/_/g, ' ')}).`, sw: `Muda wa ${event.kind.replace(/_/g, ' ')} umepanda hadi ngazi ${event.level}.` };
    case 'referral_step':
      return { en: `The Victim Protection Fund decided on referral ${event.referralId}: now ${event.stage.replace(/_/g, ' ')}.`, sw: `Mfuko umeamua kuhusu rufaa ${event.referralId}: sasa ${event.stage.replace(/_/g, ' ')}.` };
    default:
      return { en: event.type.replace(/_/g, ' '), sw: event.type.replace(/_/g, ' ') };
  }
}

/** A weekly digest goes out once the oldest notice it would hold has waited this long. */
export const DIGEST_DAYS = 7;
