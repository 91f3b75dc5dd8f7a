/** What a claim looks like to its readers on a given day: the Query result and every command's answer. */
import type { CalendarDate } from '../calendar-date';
import { dailyInterestCents } from '../interest';
import { type Cents, CURRENCY } from '../money';
import { earliestCertificateDate } from './order';
import { type Allocation, type ClaimState, type Stage, type Tranche, balanceOf } from './rules';

export interface ClaimStatus {
  claimId: string;
  stage: Stage;
  stay: ClaimState['stay'];
  asOf: CalendarDate;
  currency: typeof CURRENCY;
  amounts: {
    awardedCents: Cents;
    interestAccruedCents: Cents;
    paidCents: Cents;
    outstandingCents: Cents;
    /** What each further day of delay adds today. */
    dailyInterestCents: Cents;
  };
  earliestCertificateDate: CalendarDate;
  certificate: ClaimState['certificate'];
  allocations: Allocation[];
  tranches: Tranche[];
  closure: ClaimState['closure'];
}

export function statusOf(state: ClaimState, asOf: CalendarDate): ClaimStatus {
  const balance = balanceOf(state, asOf);
  return {
    claimId: state.claimId,
    stage: state.stage,
    stay: state.stay,
    asOf,
    currency: CURRENCY,
    amounts: {
      awardedCents: balance.awardedCents,
      interestAccruedCents: balance.interestAccruedCents,
      paidCents: balance.paidCents,
      outstandingCents: balance.outstandingCents,
      dailyInterestCents: dailyInterestCents(balance, state.order.components),
    },
    earliestCertificateDate: earliestCertificateDate(state.order),
    certificate: state.certificate,
    allocations: state.allocations,
    tranches: state.tranches,
    closure: state.closure,
  };
}
