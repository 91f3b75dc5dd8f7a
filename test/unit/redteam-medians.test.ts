/**
 * Red team: the median months from judgment to full payment. The attack in domain/release/attack.ts never sees the
 * medians; an outsider reads them like any other figure, and compares them across releases.
 *
 * A row with an even number n of orders paid in full publishes the median of its middle two; when one more order is
 * paid (its paid-in-full count, published, goes from n to n + 1: a status change, accepted as such) the median
 * becomes the middle one of n + 1, which is the new order's own delay unless it falls outside the old middle two. So
 * a median that fell says the new order took at most the new median; one that rose, at least. Two rows holding the
 * same order (its agency and its year), one falling and one rising, give its delay to the month.
 */
import { MEDIAN_COLUMN, STATIC_TABLES } from '../../domain/release';
import { type ClaimFact } from '../../domain/release/claims-schema';
import { type Release, isNumber, key, order, orders, releaseChain } from '../support/redteam';

jest.setTimeout(300_000);

const MONTH = 30.4375;
const paid = (days: number, o: Partial<ClaimFact>) => order({ stage: 'paid_in_full', paidCents: 100_000_000, outstandingCents: 0, daysToFullPayment: days, ...o });

/** Months (lo, hi) within which the order paid between two releases must lie, by the outsider's reading of the medians. */
function newlyPaidMonths(before: Release, after: Release): { lo: number; hi: number; reasoning: string[] } {
  let lo = -Infinity;
  let hi = Infinity;
  const reasoning: string[] = [];
  for (const table of STATIC_TABLES) {
    for (const now of after.tables[table]) {
      const then = before.tables[table].find((r) => key(r) === key(now))!;
      if (!isNumber(now.paid_in_full) || !isNumber(then.paid_in_full) || now.paid_in_full - then.paid_in_full !== 1 || then.paid_in_full % 2 !== 0) continue;
      const [m1, m2] = [then[MEDIAN_COLUMN], now[MEDIAN_COLUMN]];
      if (!isNumber(m1) || !isNumber(m2) || m1 === m2) continue;
      // Fell: the new middle is max(new, old lower middle), so new <= m2 + 0.5 months; rose: new >= m2 - 0.5.
      if (m2 < m1) hi = Math.min(hi, m2 + 0.5);
      else lo = Math.max(lo, m2 - 0.5);
      reasoning.push(`${table}/${key(now)}: ${then.paid_in_full} paid, median ${m1} months; then ${now.paid_in_full}, median ${m2}`);
    }
  }
  return { lo, hi, reasoning };
}

describe('red team: medians', () => {
  it('when one order is paid in full between two releases and its agency\'s and its year\'s medians both move, then they do not give away its months from judgment to payment', async () => {
    // The agency's six paid orders have their middle two far apart (200 and 600 days), and so do the year's (100 and 340).
    const kdf = { agencyId: 'kenya-defence-forces', yearOfJudgment: 2017 };
    const prisons = { agencyId: 'kenya-prisons-service', yearOfJudgment: 2018 };
    const others = [
      ...[100, 150, 200, 600, 700, 800].map((d) => paid(d, kdf)), ...orders(10, kdf),
      ...[50, 80, 100, 340, 900, 1000].map((d) => paid(d, prisons)), ...orders(10, prisons),
      ...orders(40),
    ];
    const survivor = order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2018 });
    const days = 330;
    const [before, after] = await releaseChain([...others, survivor], [...others, { ...survivor, stage: 'paid_in_full', outstandingCents: 0, paidCents: 100_000_000, daysToFullPayment: days }]);
    const { lo, hi, reasoning } = newlyPaidMonths(before!, after!);
    const found = hi - lo <= 1
      ? [`${reasoning.join('; ')}: the order paid between the releases took ${lo}-${hi} months from judgment to payment (truth ${days} days, `
        + `${(days / MONTH).toFixed(2)} months); with daily releases its payment is dated to the day, so its judgment is dated to the month`]
      : [];
    expect(found).toEqual([]);
  });

  it('when one order is paid in full between two releases and the medians around it do not move, then nothing is learnt (round 1\'s data set)', async () => {
    const kdf = { agencyId: 'kenya-defence-forces', yearOfJudgment: 2017 };
    const prisons = { agencyId: 'kenya-prisons-service', yearOfJudgment: 2018 };
    const others = [
      ...[100, 200, 300, 400, 500, 600].map((d) => paid(d, kdf)), ...orders(10, kdf),
      ...[10, 20, 300, 350, 900, 1000].map((d) => paid(d, prisons)), ...orders(10, prisons),
      ...orders(40),
    ];
    const survivor = order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2018 });
    const [before, after] = await releaseChain([...others, survivor], [...others, { ...survivor, stage: 'paid_in_full', outstandingCents: 0, paidCents: 100_000_000, daysToFullPayment: 333 }]);
    const { lo, hi } = newlyPaidMonths(before!, after!);
    expect(hi - lo).toBeGreaterThan(1);
  });

  it('when a year has 6 orders paid in full and another year 1, then neither year\'s median is published (the 6 are hidden beside the 1)', async () => {
    const [release] = await releaseChain([
      ...[100, 200, 300, 400, 500, 600].map((d) => paid(d, { yearOfJudgment: 2018 })), paid(333, { yearOfJudgment: 2019 }),
      ...orders(30, { yearOfJudgment: 2018 }), ...orders(20, { yearOfJudgment: 2019 }), ...orders(25, { yearOfJudgment: 2020 }),
    ]);
    const medians = release!.tables.by_year.filter((r) => isNumber(r[MEDIAN_COLUMN])).map((r) => `${r.year_of_judgment}: ${r[MEDIAN_COLUMN]} over ${r.paid_in_full}`);
    expect(medians).toEqual([]);
  });
});
