/**
 * Red team: orders naming two violations. Round 1 subtracted the old per-type table's rows from the totals to count
 * (and price) the orders naming two; the table is now by violation set, a partition, and the set's row is protected
 * like any small cell. These attacks go after that row.
 */
import { VIOLATION_SETS, cellId } from '../../domain/release';
import { facts } from '../support/claim-facts';
import { boundedWithinHalf, groupsOf, isNumber, ksh, order, orders, releaseChain, row, solver, thousands } from '../support/redteam';
import { Attacker, expr } from '../support/redteam-attacker';

jest.setTimeout(300_000);

describe('red team: orders naming two violations', () => {
  it('when one order names torture and extra-judicial killing, then neither its existence nor its award can be read off the violations table', async () => {
    const survivor = order({ violationTypes: ['torture', 'extra_judicial_killing'], awardedCents: ksh(3_456_000), outstandingCents: ksh(3_456_000) });
    const claims = [...orders(29, { violationTypes: ['torture'] }), ...orders(20, { violationTypes: ['extra_judicial_killing'] }), survivor];
    const [release] = await releaseChain(claims);
    const t = release!.tables;
    const recovered: string[] = [];
    // Round 1's subtraction: the rows naming torture or extra-judicial killing, less the totals.
    const single = ['torture', 'extra_judicial_killing', 'enforced_disappearance'].map((v) => row(t, 'by_violations', v));
    const totals = row(t, 'totals', 'all');
    if ([...single, totals].every((r) => isNumber(r.orders))) {
      const rest = (totals.orders as number) - single.reduce((s, r) => s + (r.orders as number), 0);
      if (rest >= 1 && rest <= 5) recovered.push(`orders naming two or more violations = ${totals.orders} - (${single.map((r) => r.orders).join(' + ')}) = ${rest}`);
    }
    // The integer-programming attacker: the orders naming exactly torture + extra-judicial killing, and their award.
    const attacker = new Attacker(await solver(), [t]);
    const set = attacker.bounds(attacker.count(0, 'by_violations', 'torture+extra_judicial_killing'));
    if (set.hi - set.lo < 4) recovered.push(`orders naming exactly torture + extra-judicial killing are ${set.lo}-${set.hi}`);
    const award = attacker.bounds(attacker.awarded(0, 'by_violations', 'torture+extra_judicial_killing'));
    if (boundedWithinHalf(thousands(survivor.awardedCents), award.lo, award.hi)) recovered.push(`their award is KSh ${award.lo}-${award.hi} thousand (truth ${thousands(survivor.awardedCents)})`);
    // Orders naming two or more, all sets together.
    const multi = attacker.bounds(expr(...VIOLATION_SETS.filter((s) => s.includes('+')).map((s) => [...attacker.count(0, 'by_violations', s)]).flat()));
    if (multi.hi - multi.lo < 4) recovered.push(`orders naming two or more violations are ${multi.lo}-${multi.hi}`);
    expect(recovered).toEqual([]);
  });

  it('when the project\'s own generated data set 9 (30 orders) is released, then no violation set of 1-5 orders is pinned and its award is not bounded within half', async () => {
    const claims = facts(9, 30);
    const [release] = await releaseChain(claims);
    const attacker = new Attacker(await solver(), [release!.tables]);
    const groups = groupsOf(claims);
    const recovered: string[] = [];
    for (const set of VIOLATION_SETS) {
      const members = groups.filter((g) => g.rows.by_violations === set);
      const truth = members.reduce((s, g) => s + g.units, 0);
      if (truth < 1 || truth > 5) continue;
      const count = attacker.bounds(attacker.count(0, 'by_violations', set));
      const award = thousands(Number(members.reduce((s, g) => s + (g.amounts.awarded ?? 0n), 0n)));
      const money = attacker.bounds(attacker.awarded(0, 'by_violations', set));
      if (count.hi - count.lo < 4) recovered.push(`${set}: ${truth} order(s), attacker proves ${count.lo}-${count.hi}`);
      if (boundedWithinHalf(award, money.lo, money.hi)) recovered.push(`${set}: award KSh ${award} thousand, attacker proves ${money.lo}-${money.hi} thousand`);
    }
    expect(recovered).toEqual([]);
    expect(release!.disclosure.values[cellId('totals', 'all', 'orders')]).toBe('30');
  });
});
