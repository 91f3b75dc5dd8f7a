/**
 * Red team, round 2: amounts rounded to two significant figures, at least to KSh 1 million. The attack in
 * domain/release/attack.ts reads each published amount as the interval publish.ts roundingInterval gives; if that
 * interval is wider than the truth, an outsider knows more than the release's own check assumes.
 */
import { roundAmount, roundingInterval } from '../../domain/release';
import { ksh, order, orders, releaseChain, solver, thousands } from '../support/redteam';
import { auditChain } from '../support/redteam-attacker';

jest.setTimeout(600_000);

/** The lowest and highest cents that round to `published` (roundAmount is monotone: a binary search to the cent). */
function valuesRoundingTo(published: bigint): { lo: bigint; hi: bigint } {
  const search = (dir: bigint) => {
    let at = published;
    for (let span = 1n << 40n; span >= 1n; span /= 2n) if (roundAmount(at + dir * span) === published) at += dir * span;
    return at;
  };
  return { lo: search(-1n), hi: search(1n) };
}

/** Whether the claimed interval (thousands) holds every such value and nothing beyond the next cent either way. */
function exact(published: bigint) {
  const truth = valuesRoundingTo(published);
  const claimed = roundingInterval(Number(published));
  const k = (c: bigint) => Number(c) / 100_000;
  return {
    holdsEveryValue: claimed.lo <= k(truth.lo) && claimed.hi >= k(truth.hi),
    noWider: claimed.lo >= k(truth.lo - 1n) && claimed.hi <= k(truth.hi + 1n),
    claimed: `${claimed.lo}..${claimed.hi}`, truth: `${k(truth.lo)}..${k(truth.hi)}`,
  };
}

describe('red team: rounding intervals', () => {
  // Figures on both sides of the steps where the unit changes (KSh 1 million, 10 million, 100 million, 1 billion).
  const figures = [0, 1, 9, 10, 11, 99, 100, 110, 990, 1_000, 1_100].flatMap((m) => [m, -m]).map((m) => BigInt(m) * 100_000_000n);

  it.each(figures.filter((c) => c >= 0n).map((c) => [Number(c) / 100]))('when KSh %i is published, then roundingInterval is exactly the values that round to it', (shillings) => {
    expect(exact(BigInt(shillings * 100))).toMatchObject({ holdsEveryValue: true, noWider: true });
  });

  it.each(figures.filter((c) => c < 0n).map((c) => [Number(c) / 100]))('when KSh %i (an overpayment: outstanding below zero) is published, then roundingInterval is exactly the values that round to it', (shillings) => {
    // Wider than the truth, the release's own check credits an outsider with less than the figure gives away.
    expect(exact(BigInt(shillings * 100))).toMatchObject({ holdsEveryValue: true, noWider: true });
  });

  it('when 99.4 million and 99.6 million are rounded, then they straddle the step to a unit of 10 million (99 million, 100 million) and each interval holds its truth', () => {
    expect(roundAmount(9_940_000_000n)).toBe(9_900_000_000n);
    expect(roundAmount(9_960_000_000n)).toBe(10_000_000_000n);
    expect(roundingInterval(10_000_000_000)).toEqual({ lo: 99_500, hi: 105_000 });
    expect(roundingInterval(9_900_000_000)).toEqual({ lo: 98_500, hi: 99_500 });
  });

  it('when one agency\'s single payment of KSh 30 million is withheld beside published paid amounts, then neither it nor any other 1-5 payers\' money is bounded within half', async () => {
    const paid = (n: number, each: number, o: Parameters<typeof order>[0]) => orders(n, { stage: 'disbursing', paidCents: ksh(each), outstandingCents: ksh(1_000_000 - each), ...o });
    const claims = [
      ...orders(30), ...paid(10, 500_000, {}),
      ...orders(4, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...paid(8, 500_000, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }),
      ...orders(8, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }),
      order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2020, stage: 'disbursing', awardedCents: ksh(40_000_000), paidCents: ksh(30_000_000), outstandingCents: ksh(10_000_000) }),
    ];
    const releases = await releaseChain(claims);
    expect(thousands(Number(releases[0]!.disclosure.values['by_agency/kenya-defence-forces/paid']))).toBe(30_000);
    expect(auditChain(await solver(), releases, { amountsOnly: true })).toEqual([]);
  });
});
