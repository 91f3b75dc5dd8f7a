/**
 * Red team: the median days from judgment to full payment. The attack in domain/release/attack.ts never sees the
 * medians; an outsider reads them like any other figure.
 */
import { MEDIAN_COLUMN, STATIC_TABLES } from '../../domain/release';
import { type ClaimFact } from '../../domain/release/model';
import { isNumber, order, orders, releaseChain } from '../support/redteam';

jest.setTimeout(300_000);

const paid = (days: number, o: Partial<ClaimFact>) => order({ stage: 'paid_in_full', paidCents: 100_000_000, outstandingCents: 0, daysToFullPayment: days, ...o });
const key = (r: Record<string, unknown>) => String(Object.values(r)[0]);

describe('red team: medians', () => {
  it('when one order is paid in full between two releases, then the medians of its agency and its year do not give away its days from judgment to payment', async () => {
    const kdf = { agencyId: 'kenya-defence-forces', yearOfJudgment: 2017 };
    const prisons = { agencyId: 'kenya-prisons-service', yearOfJudgment: 2018 };
    const others = [
      ...[100, 200, 300, 400, 500, 600].map((d) => paid(d, kdf)), ...orders(10, kdf),
      ...[10, 20, 300, 350, 900, 1000].map((d) => paid(d, prisons)), ...orders(10, prisons),
      ...orders(40),
    ];
    const survivor = order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2018 });
    const [before, after] = await releaseChain([...others, survivor], [...others, { ...survivor, stage: 'paid_in_full', outstandingCents: 0, paidCents: 100_000_000, daysToFullPayment: 333 }]);

    // Rows whose paid-in-full count grew by one: the newly paid order is in each. A median of 6 that becomes the
    // 4th of 7 is the middle of (3rd, new, 4th): if it fell, the new order's days are at most it; if it rose, at least.
    let lo = -Infinity;
    let hi = Infinity;
    const reasoning: string[] = [];
    for (const table of STATIC_TABLES) {
      for (const now of after!.tables[table]) {
        const then = before!.tables[table].find((r) => key(r) === key(now))!;
        if (!isNumber(now.paid_in_full) || !isNumber(then.paid_in_full) || now.paid_in_full - then.paid_in_full !== 1) continue;
        const [m1, m2] = [then[MEDIAN_COLUMN], now[MEDIAN_COLUMN]];
        if (!isNumber(m1) || !isNumber(m2) || then.paid_in_full % 2 !== 0) continue;
        if (m2 < m1) hi = Math.min(hi, m2);
        if (m2 > m1) lo = Math.max(lo, m2);
        reasoning.push(`${table}/${key(now)}: ${then.paid_in_full} paid, median ${m1}; then ${now.paid_in_full}, median ${m2}`);
      }
    }
    const found = lo === hi
      ? [`${reasoning.join('; ')}: the order paid between the releases took exactly ${lo} days from judgment to payment (truth 333); `
        + 'with daily releases its payment date is known to the day, so its judgment date is too']
      : [];
    expect(found).toEqual([]);
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
