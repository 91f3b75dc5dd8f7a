/**
 * Red team: the violation-type table counts an order naming two violations under each, so it is not a partition.
 * Its rows added up, less the totals, are the orders naming two (or three) violations: a count the release never
 * publishes and therefore never protects, and the same subtraction of amounts gives those orders' awards.
 */
import { VIOLATION_SETS, cellId } from '../../domain/release';
import { facts } from '../support/claim-facts';
import { boundedWithinHalf, groupsOf, isNumber, ksh, order, orders, releaseChain, row, solver, thousands } from '../support/redteam';
import { Attacker } from '../support/redteam-attacker';

jest.setTimeout(300_000);

describe('red team: orders naming two violation types', () => {
  it('when one order names torture and extra-judicial killing, then neither its existence nor its award can be read off the violation table less the totals', async () => {
    const survivor = order({ violationTypes: ['torture', 'extra_judicial_killing'], awardedCents: ksh(3_456_000), outstandingCents: ksh(3_456_000) });
    const claims = [...orders(29, { violationTypes: ['torture'] }), ...orders(20, { violationTypes: ['extra_judicial_killing'] }), survivor];
    const [release] = await releaseChain(claims);
    const t = release!.tables;

    // The outsider's subtraction, from the published tables only.
    const types = ['torture', 'extra_judicial_killing', 'enforced_disappearance'].map((v) => row(t, 'by_violation_type', v));
    const totals = row(t, 'totals', 'all');
    const recovered: string[] = [];
    if ([...types, totals].every((r) => isNumber(r.orders))) {
      const doubles = types.reduce((s, r) => s + (r.orders as number), 0) - (totals.orders as number);
      if (doubles >= 1 && doubles <= 5) recovered.push(`orders naming two violations = ${types.map((r) => r.orders).join(' + ')} - ${totals.orders} = ${doubles}`);
    }
    if ([...types, totals].every((r) => isNumber(r.awarded_cents))) {
      const award = types.reduce((s, r) => s + thousands(r.awarded_cents as number), 0) - thousands(totals.awarded_cents as number);
      // Four rounded figures: the truth is within KSh 2,000 of this.
      if (boundedWithinHalf(thousands(survivor.awardedCents), award - 2, award + 2)) {
        recovered.push(`their award = ${types.map((r) => r.awarded_cents).join(' + ')} - ${totals.awarded_cents} cents = KSh ${award * 1000} (± 2,000); truth KSh ${survivor.awardedCents / 100}`);
      }
    }
    // The same with the integer-programming attacker: the orders naming exactly torture + extra-judicial killing.
    const attacker = new Attacker(await solver(), [t]);
    const set = attacker.bounds(attacker.violationSet(0, 'torture+extra_judicial_killing'));
    if (set.hi - set.lo < 4) recovered.push(`integer programming: orders naming exactly torture + extra-judicial killing are ${set.lo}-${set.hi}`);
    expect(recovered).toEqual([]);
  });

  it('when the project\'s own generated data set 9 (30 orders) is released, then no violation set of 1-5 orders is pinned and its award is not bounded within half', async () => {
    const claims = facts(9, 30);
    const [release] = await releaseChain(claims);
    const attacker = new Attacker(await solver(), [release!.tables]);
    const groups = groupsOf(claims);
    const recovered: string[] = [];
    for (const set of VIOLATION_SETS) {
      const members = groups.filter((g) => g.violationSet === set);
      const truth = members.reduce((s, g) => s + g.orders, 0);
      if (truth < 1 || truth > 5) continue;
      const count = attacker.bounds(attacker.violationSet(0, set));
      const award = thousands(Number(members.reduce((s, g) => s + g.awardedCents, 0n)));
      const money = attacker.bounds(attacker.awardedSet(0, set));
      if (count.hi - count.lo < 4) recovered.push(`${set}: ${truth} order(s), attacker proves ${count.lo}-${count.hi}`);
      if (boundedWithinHalf(award, money.lo, money.hi)) recovered.push(`${set}: award KSh ${award} thousand, attacker proves ${money.lo}-${money.hi} thousand`);
    }
    expect(recovered).toEqual([]);
    expect(release!.disclosure.values[cellId('totals', 'all', 'orders')]).toBe('30');
  });
});
