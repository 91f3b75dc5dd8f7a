/**
 * Simple interest and the appropriation of payments.
 *
 * Rules (documented in docs/money.md):
 * - Interest is simple, per award component, at the component's decree rate (basis points a year), on the
 *   principal still unpaid, from the component's start date to the date in question, counted in actual days
 *   over a 365-day year.
 * - Each period between two payments is computed exactly in integers and rounded half up to the cent once.
 * - A payment is appropriated to accrued interest first (components in the order the decree lists them),
 *   then to principal (same order), unless the order says principal first.
 */
import { type CalendarDate, compareDates, daysBetween, maxDate } from './calendar-date';
import { type Cents, centsFromBigInt, divideRoundHalfUp } from './money';

export type AppropriationRule = 'interest_first' | 'principal_first';

export interface InterestBearing {
  amountCents: Cents;
  /** Annual rate in basis points: 12% a year is 1200. */
  rateBasisPoints: number;
  /** The date interest runs from (a calendar date the decree states). */
  interestFrom: CalendarDate;
}

export interface DatedPayment {
  paidOn: CalendarDate;
  amountCents: Cents;
}

export interface ComponentBalance {
  principalOutstandingCents: Cents;
  interestAccruedCents: Cents;
  interestOutstandingCents: Cents;
}

export interface Balance {
  asOf: CalendarDate;
  awardedCents: Cents;
  interestAccruedCents: Cents;
  paidCents: Cents;
  outstandingCents: Cents;
  components: ComponentBalance[];
}

const DAYS_PER_YEAR = 365n;
const BASIS_POINTS = 10_000n;

/** Simple interest on `principal` from `from` to `to`; zero when `to` is not after `from`. */
export function simpleInterestCents(principal: Cents, rateBasisPoints: number, from: CalendarDate, to: CalendarDate): Cents {
  const days = daysBetween(from, to);
  if (days <= 0 || principal <= 0 || rateBasisPoints <= 0) return 0;
  const numerator = BigInt(principal) * BigInt(rateBasisPoints) * BigInt(days);
  return centsFromBigInt(divideRoundHalfUp(numerator, BASIS_POINTS * DAYS_PER_YEAR));
}

/** What each further day of delay costs today: one day's interest on the principal still unpaid. */
export function dailyInterestCents(balance: Balance, components: InterestBearing[]): Cents {
  let numerator = 0n;
  components.forEach((c, i) => {
    numerator += BigInt(balance.components[i]?.principalOutstandingCents ?? 0) * BigInt(c.rateBasisPoints);
  });
  return centsFromBigInt(divideRoundHalfUp(numerator, BASIS_POINTS * DAYS_PER_YEAR));
}

/**
 * The balance of an award at `asOf`, after the payments made on or before that date.
 * Payments must not exceed what is owed on their date (the claim workflow refuses such tranches);
 * an excess would show as a negative outstanding amount rather than vanish.
 */
export function balanceAt(
  components: InterestBearing[],
  payments: DatedPayment[],
  asOf: CalendarDate,
  rule: AppropriationRule = 'interest_first',
): Balance {
  const state = components.map((c) => ({
    principal: c.amountCents,
    interestAccrued: 0,
    interestUnpaid: 0,
    accruedTo: c.interestFrom,
  }));
  const accrueTo = (date: CalendarDate) => {
    components.forEach((c, i) => {
      const s = state[i]!;
      if (compareDates(date, s.accruedTo) <= 0) return;
      const interest = simpleInterestCents(s.principal, c.rateBasisPoints, s.accruedTo, date);
      s.interestAccrued += interest;
      s.interestUnpaid += interest;
      s.accruedTo = maxDate(s.accruedTo, date);
    });
  };

  const due = payments
    .filter((p) => compareDates(p.paidOn, asOf) <= 0)
    .sort((a, b) => compareDates(a.paidOn, b.paidOn));
  let paid = 0;
  let excess = 0;
  for (const payment of due) {
    accrueTo(payment.paidOn);
    paid += payment.amountCents;
    let left = payment.amountCents;
    const takeInterest = () => {
      for (const s of state) {
        const take = Math.min(left, s.interestUnpaid);
        s.interestUnpaid -= take;
        left -= take;
      }
    };
    const takePrincipal = () => {
      for (const s of state) {
        const take = Math.min(left, s.principal);
        s.principal -= take;
        left -= take;
      }
    };
    if (rule === 'interest_first') { takeInterest(); takePrincipal(); } else { takePrincipal(); takeInterest(); }
    excess += left;
  }
  accrueTo(asOf);

  const awarded = components.reduce((sum, c) => sum + c.amountCents, 0);
  const interestAccrued = state.reduce((sum, s) => sum + s.interestAccrued, 0);
  const owed = state.reduce((sum, s) => sum + s.principal + s.interestUnpaid, 0);
  return {
    asOf,
    awardedCents: awarded,
    interestAccruedCents: interestAccrued,
    paidCents: paid,
    outstandingCents: owed - excess,
    components: state.map((s) => ({
      principalOutstandingCents: s.principal,
      interestAccruedCents: s.interestAccrued,
      interestOutstandingCents: s.interestUnpaid,
    })),
  };
}
