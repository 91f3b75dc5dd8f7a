/**
 * The published priority rule of the funding queue: a referral that cannot be funded from the uncommitted
 * balance waits, and waiting referrals are admitted in this order, while the balance allows (the first that
 * does not fit stops admission, so large needs are not starved by small ones):
 *   1. urgent medical need first;
 *   2. then children (under 18) and older people (60 and over);
 *   3. then people with a disability;
 *   4. then the longest wait (first come, first served).
 */
export interface PriorityFacts {
  urgentMedical: boolean;
  ageYears: number;
  disability: boolean;
  queuedAt: number;
  referralId: string;
}

export const vulnerableAge = (age: number) => age < 18 || age >= 60;

export function comparePriority(a: PriorityFacts, b: PriorityFacts): number {
  return Number(b.urgentMedical) - Number(a.urgentMedical)
    || Number(vulnerableAge(b.ageYears)) - Number(vulnerableAge(a.ageYears))
    || Number(b.disability) - Number(a.disability)
    || a.queuedAt - b.queuedAt
    || (a.referralId < b.referralId ? -1 : a.referralId > b.referralId ? 1 : 0);
}

/** The same rule as SQL, for the queue query (kept beside the function it must agree with). */
export const PRIORITY_ORDER_SQL = `urgent_medical DESC, (age_years < 18 OR age_years >= 60) DESC, disability DESC, queued_at ASC, referral_id ASC`;

/** Kenya's financial year runs 1 July to 30 June: 2024-07-01 .. 2025-06-30 is "2024/25". */
export function financialYearOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 7 ? y : y - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}
