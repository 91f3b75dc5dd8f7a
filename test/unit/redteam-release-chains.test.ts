/**
 * Red team: subtracting releases. A release is built against the one before it (kept whole) and each row's last
 * exactly published figures; an outsider keeps every release and subtracts any two.
 */
import { type ClaimFact, type PublishedTables, STATIC_TABLES, type TableId, cellId, roundingInterval } from '../../domain/release';
import { type Release, boundedWithinHalf, isNumber, key, ksh, order, orders, releaseChain, row, solver, thousands } from '../support/redteam';
import { Attacker, minus } from '../support/redteam-attacker';

jest.setTimeout(300_000);

const trueAward = (early: Release, late: Release, table: TableId, rowKey: string) => {
  const id = cellId(table, rowKey, 'awarded');
  return Number(BigInt(late.disclosure.values[id]!) - BigInt(early.disclosure.values[id]!)) / 100;
};

/** Thousands of shillings that two published amounts' difference can be (their rounding intervals subtracted). */
const difference = (now: number, then: number) => {
  const [a, b] = [roundingInterval(now), roundingInterval(then)];
  return { lo: a.lo - b.hi, hi: a.hi - b.lo };
};

/** Every static row published in two releases whose order count grew by 1-5: those orders, and their award. */
function subtractAnyTwo(releases: Release[]): string[] {
  const found: string[] = [];
  releases.forEach((early, i) => releases.forEach((late, j) => {
    if (j <= i) return;
    for (const table of STATIC_TABLES) {
      for (const now of late.tables[table]) {
        const then = early.tables[table].find((r) => key(r) === key(now));
        if (!then || !isNumber(now.orders) || !isNumber(then.orders)) continue;
        const gained = now.orders - then.orders;
        if (gained < 1 || gained > 5) continue;
        const award = isNumber(now.awarded_cents) && isNumber(then.awarded_cents) ? difference(now.awarded_cents, then.awarded_cents) : null;
        found.push(`${table}/${key(now)}: releases ${i + 1} and ${j + 1} publish ${then.orders} and ${now.orders} orders, so ${gained} arrived`
          + (award === null ? '' : `, awarded KSh ${award.lo}-${award.hi} thousand in all (truth KSh ${trueAward(early, late, table, key(now))})`));
      }
    }
  }));
  return found;
}

/** Published amounts of one measure whose change between two releases bounds `truth` (thousands) within half. */
function readOffDifference(first: Release, second: Release, measure: 'paid' | 'outstanding' | 'awarded', truth: number): string[] {
  const found: string[] = [];
  for (const table of ['by_agency', 'by_year', 'by_violations', 'totals'] as const) {
    for (const now of second.tables[table]) {
      const then = row(first.tables, table, key(now));
      const [a, b] = [now[`${measure}_cents`], then[`${measure}_cents`]];
      if (!isNumber(a) || !isNumber(b)) continue;
      const d = difference(a, b);
      const [lo, hi] = measure === 'outstanding' ? [-d.hi, -d.lo] : [d.lo, d.hi];
      if (boundedWithinHalf(truth, lo, hi)) {
        found.push(`${table}/${key(now)}: ${measure} ${b} then ${a} cents, so KSh ${lo}-${hi} thousand ${measure === 'outstanding' ? 'was paid off' : 'changed'} between the releases (truth KSh ${truth} thousand, one order)`);
      }
    }
  }
  return found;
}

describe('red team: subtracting releases', () => {
  it('when a row is hidden in the release where it gains an order and published again in the next, then releases 1 and 3 do not give away the order and its award', async () => {
    const base = [...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 })];
    const survivor = order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2016, violationTypes: ['enforced_disappearance'], awardedCents: ksh(7_654_000), outstandingCents: ksh(7_654_000) });
    const withSurvivor = [...base, survivor, ...orders(5)];
    // Release 2 admits the six new orders; release 3 has none (status changes alone are published, daily).
    const releases = await releaseChain(base, withSurvivor, withSurvivor);
    expect(releases.map((r) => r.admitted)).toEqual([true, true, false]);
    expect(row(releases[1]!.tables, 'by_agency', 'kenya-defence-forces').orders).toBe('hidden'); // the rule did act in release 2
    expect(row(releases[2]!.tables, 'by_agency', 'kenya-defence-forces').orders).toBe('hidden'); // and still does in release 3 (since last shown)
    expect(subtractAnyTwo(releases)).toEqual([]);
  });

  it('when nothing new is registered and one order becomes overdue, then this release and the one before do not pin a count of 1-5 (an outsider keeps the previous release whole, not cell by cell)', async () => {
    const overdue = { stage: 'certificate_served' as const, escalationLevel: 0 };
    const torture = [...orders(23), ...orders(16, overdue)];
    const ejk = (due: number) => [...orders(11 - due, { violationTypes: ['extra_judicial_killing'] }), ...orders(due, { violationTypes: ['extra_judicial_killing'], ...overdue })];
    const [first, second] = await releaseChain([...torture, ...ejk(5)], [...torture, ...ejk(6)]);
    const a = (t: PublishedTables, table: TableId, r: string, m: string) => row(t, table, r)[m];
    const by = (t: PublishedTables) => `torture ${a(t, 'by_violations', 'torture', 'orders')} (${a(t, 'by_violations', 'torture', 'overdue')} overdue), `
      + `extra-judicial killing ${a(t, 'by_violations', 'extra_judicial_killing', 'orders')} (${a(t, 'by_violations', 'extra_judicial_killing', 'overdue')} overdue), `
      + `total ${a(t, 'totals', 'all', 'orders')} (${a(t, 'totals', 'all', 'overdue')} overdue)`;

    const attacker = new Attacker(await solver(), [first!.tables, second!.tables]);
    const notOverdue = attacker.bounds(attacker.count(1, 'by_violations', 'extra_judicial_killing', 'not_overdue'));
    const own = second!.disclosure.findings.find((f) => f.id === cellId('by_violations', 'extra_judicial_killing', 'not_overdue'));
    const found = notOverdue.hi - notOverdue.lo >= 4 ? [] : [
      `release 1: ${by(first!.tables)}; release 2: ${by(second!.tables)}: extra-judicial killing's orders not overdue are ${notOverdue.lo}-${notOverdue.hi} `
      + `(truth ${own?.value}); the release's own attack thought ${own?.lo}-${own?.hi}`,
    ];
    expect(found).toEqual([]);
  });

  it('when one order arrives against an agency, a year and a violation set that had none (and one against an agency that had 5), then no row proves it holds 1-5 new orders more narrowly than 1-5', async () => {
    const base = [
      ...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }),
      ...orders(5, { agencyId: 'office-of-the-attorney-general', yearOfJudgment: 2019 }),
    ];
    const survivor = order({ agencyId: 'kenya-wildlife-service', yearOfJudgment: 2009, violationTypes: ['enforced_disappearance'] });
    const later = [...base, survivor, order({ agencyId: 'office-of-the-attorney-general', yearOfJudgment: 2019 }), ...orders(4)];
    const [first, second] = await releaseChain(base, later);
    // Rows are fixed lists: the new agency, year and set had rows ("5 or fewer") before the order arrived.
    for (const [t, k] of [['by_agency', 'kenya-wildlife-service'], ['by_year', 2009], ['by_violations', 'enforced_disappearance']] as const) {
      expect(row(first!.tables, t, k).orders).toBe('5 or fewer');
    }
    const attacker = new Attacker(await solver(), [first!.tables, second!.tables]);
    const found: string[] = [];
    const arrived: string[] = [];
    for (const table of STATIC_TABLES) {
      for (const r of second!.tables[table]) {
        const rowKey = key(r);
        const gainedTruly = Number(second!.disclosure.values[cellId(table, rowKey, 'orders')]) - Number(first!.disclosure.values[cellId(table, rowKey, 'orders')]);
        if (gainedTruly < 1 || gainedTruly > 5) continue;
        const gained = attacker.bounds(minus(attacker.count(1, table, rowKey), attacker.count(0, table, rowKey)));
        if (gained.hi - gained.lo < 4) found.push(`${table}/${rowKey}: ${row(first!.tables, table, rowKey).orders} then ${r.orders}: ${gained.lo}-${gained.hi} order(s) arrived (truth ${gainedTruly})`);
        if (gained.lo >= 1) arrived.push(`${table}/${rowKey}: ${row(first!.tables, table, rowKey).orders} then ${r.orders}`);
      }
    }
    expect(found).toEqual([]);
    // The accepted bound: a row whose count goes from "5 or fewer" (0-5) to "hidden" or a number (6 or more) proves that
    // an order arrived (how many stays uncertain across 5 values or more, as checked above); no other row does.
    expect(arrived.every((a) => /: 5 or fewer then (hidden|\d+)$/.test(a))).toBe(true);
  });

  it('when one order moves from one stage to the next between two daily releases, then its award cannot be read off any table (the stage table has no money; the move itself shows, as accepted)', async () => {
    const mover = order({ awardedCents: ksh(2_345_000), outstandingCents: ksh(2_345_000) });
    const others = [...orders(30), ...orders(10, { stage: 'certificate_issued' })];
    const [first, second] = await releaseChain([...others, mover], [...others, { ...mover, stage: 'certificate_issued' } satisfies ClaimFact]);
    expect(Object.keys(second!.tables.by_stage[0]!).filter((c) => c.endsWith('_cents'))).toEqual([]);
    expect(readOffDifference(first!, second!, 'awarded', thousands(mover.awardedCents))).toEqual([]);
    // The accepted bound: the stage counts move by exactly one order.
    const moved = Number(row(second!.tables, 'by_stage', 'certificate_issued').orders) - Number(row(first!.tables, 'by_stage', 'certificate_issued').orders);
    expect(moved).toBe(1);
  });

  it('when one order receives a tranche of KSh 432,000 between two daily releases, then the tranche cannot be read off its agency\'s paid amount', async () => {
    const partly = { stage: 'disbursing' as const, paidCents: ksh(250_000), outstandingCents: ksh(750_000) };
    const others = [...orders(12, { agencyId: 'kenya-prisons-service' }), ...orders(8, { agencyId: 'kenya-prisons-service', ...partly }), ...orders(40)];
    const survivor = order({ agencyId: 'kenya-prisons-service', stage: 'disbursing' });
    const tranche = ksh(432_000);
    const [first, second] = await releaseChain([...others, survivor], [...others, { ...survivor, paidCents: tranche, outstandingCents: survivor.outstandingCents - tranche }]);
    expect([...readOffDifference(first!, second!, 'paid', thousands(tranche)), ...readOffDifference(first!, second!, 'outstanding', thousands(tranche))]).toEqual([]);
  });

  it('when one order of a KSh 6 million award receives a tranche of KSh 5 million between two daily releases, then the tranche cannot be read off the paid or outstanding amounts', async () => {
    // Eight orders of the Prisons Service have been paid KSh 250,000 each: its paid amount (KSh 2 million, eight payers) is published.
    const partly = { stage: 'disbursing' as const, paidCents: ksh(250_000), outstandingCents: ksh(750_000) };
    const others = [...orders(12, { agencyId: 'kenya-prisons-service' }), ...orders(8, { agencyId: 'kenya-prisons-service', ...partly }), ...orders(40)];
    const survivor = order({ agencyId: 'kenya-prisons-service', stage: 'disbursing', awardedCents: ksh(6_000_000), outstandingCents: ksh(6_000_000) });
    const tranche = ksh(5_000_000);
    const [first, second] = await releaseChain([...others, survivor], [...others, { ...survivor, paidCents: tranche, outstandingCents: survivor.outstandingCents - tranche }]);
    expect([...readOffDifference(first!, second!, 'paid', thousands(tranche)), ...readOffDifference(first!, second!, 'outstanding', thousands(tranche))]).toEqual([]);
  });
});
