/**
 * Red team: subtracting releases. A release is built against the one before it only, and keeps of it one interval
 * per cell; an outsider keeps every release and subtracts any two.
 */
import { type ClaimFact, type PublishedTables, STATIC_TABLES, type TableId, cellId } from '../../domain/release';
import { type Release, boundedWithinHalf, isNumber, ksh, order, orders, releaseChain, row, solver, thousands } from '../support/redteam';
import { Attacker, minus } from '../support/redteam-attacker';

jest.setTimeout(300_000);

const key = (r: Record<string, unknown>) => String(Object.values(r)[0]);

const trueAward = (early: Release, late: Release, table: TableId, rowKey: string) => {
  const id = cellId(table, rowKey, 'awarded');
  return Number(BigInt(late.disclosure.values[id]!) - BigInt(early.disclosure.values[id]!)) / 100;
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
        const award = isNumber(now.awarded_cents) && isNumber(then.awarded_cents) ? thousands(now.awarded_cents - then.awarded_cents) : null;
        found.push(`${table}/${key(now)}: releases ${i + 1} and ${j + 1} publish ${then.orders} and ${now.orders} orders, so ${gained} arrived`
          + (award === null ? '' : `, awarded KSh ${award * 1000} (± 1,000) in all (truth KSh ${trueAward(early, late, table, key(now))})`));
      }
    }
  }));
  return found;
}

describe('red team: subtracting releases', () => {
  it('when a row is hidden in the release where it gains an order and published again in the next, then releases 1 and 3 do not give away the order and its award', async () => {
    const base = [...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 })];
    const survivor = order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2016, violationTypes: ['enforced_disappearance'], awardedCents: ksh(7_654_000), outstandingCents: ksh(7_654_000) });
    const withSurvivor = [...base, survivor, ...orders(5)];
    // Release 2 has 6 new orders (publishable); release 3 has none (status changes alone are published, daily).
    const releases = await releaseChain(base, withSurvivor, withSurvivor);
    expect(row(releases[1]!.tables, 'by_agency', 'kenya-defence-forces').orders).toBe('hidden'); // the rule did act in release 2
    expect(subtractAnyTwo(releases)).toEqual([]);
  });

  it('when nothing new is registered and one order becomes overdue, then this release and the one before do not pin a count of 1-5 (an outsider keeps the previous release whole, not cell by cell)', async () => {
    const overdue = { stage: 'certificate_served' as const, escalationLevel: 0 };
    const torture = [...orders(23), ...orders(16, overdue)];
    const ejk = (due: number) => [...orders(11 - due, { violationTypes: ['extra_judicial_killing'] }), ...orders(due, { violationTypes: ['extra_judicial_killing'], ...overdue })];
    const [first, second] = await releaseChain([...torture, ...ejk(5)], [...torture, ...ejk(6)]);
    const a = (t: PublishedTables, table: TableId, r: string, m: string) => row(t, table, r)[m];
    const by = (t: PublishedTables) => `torture ${a(t, 'by_violation_type', 'torture', 'orders')} (${a(t, 'by_violation_type', 'torture', 'overdue')} overdue), `
      + `extra-judicial killing ${a(t, 'by_violation_type', 'extra_judicial_killing', 'orders')} (${a(t, 'by_violation_type', 'extra_judicial_killing', 'overdue')} overdue), `
      + `total ${a(t, 'totals', 'all', 'orders')} (${a(t, 'totals', 'all', 'overdue')} overdue)`;

    const attacker = new Attacker(await solver(), [first!.tables, second!.tables]);
    const notOverdue = attacker.bounds(attacker.count(1, 'by_violation_type', 'extra_judicial_killing', 'not_overdue'));
    const own = second!.disclosure.findings.find((f) => f.id === cellId('by_violation_type', 'extra_judicial_killing', 'not_overdue'));
    const found = notOverdue.hi - notOverdue.lo >= 4 ? [] : [
      `release 1: ${by(first!.tables)}; release 2: ${by(second!.tables)}. No order arrived (the total is unchanged), so extra-judicial killing `
      + `still holds release 1's orders and none names both types: its orders not overdue are ${notOverdue.lo}-${notOverdue.hi} `
      + `(truth ${own?.value}); the release's own attack, holding release 1 as one interval per cell, thought ${own?.lo}-${own?.hi}`,
    ];
    expect(found).toEqual([]);
  });

  it('when one order arrives against an agency, a year and a violation type that had none (and one against an agency that had 5), then no row proves that it arrived', async () => {
    const base = [
      ...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }),
      ...orders(5, { agencyId: 'office-of-the-attorney-general', yearOfJudgment: 2019 }),
    ];
    const survivor = order({ agencyId: 'kenya-wildlife-service', yearOfJudgment: 2009, violationTypes: ['enforced_disappearance'] });
    const later = [...base, survivor, order({ agencyId: 'office-of-the-attorney-general', yearOfJudgment: 2019 }), ...orders(4)];
    const [first, second] = await releaseChain(base, later);
    const attacker = new Attacker(await solver(), [first!.tables, second!.tables]);
    const found: string[] = [];
    for (const table of STATIC_TABLES) {
      for (const r of second!.tables[table]) {
        const rowKey = key(r);
        const gainedTruly = Number(second!.disclosure.values[cellId(table, rowKey, 'orders')]) - Number(first!.disclosure.values[cellId(table, rowKey, 'orders')] ?? 0);
        if (gainedTruly < 1 || gainedTruly > 5) continue;
        const existed = first!.tables[table].some((x) => key(x) === rowKey);
        const gained = attacker.bounds(existed ? minus(attacker.count(1, table, rowKey), attacker.count(0, table, rowKey)) : attacker.count(1, table, rowKey));
        if (gained.lo >= 1) {
          const was = existed ? `${row(first!.tables, table, rowKey).orders}` : 'absent';
          found.push(`${table}/${rowKey}: ${was} in release 1, ${r.orders} in release 2, so ${Number.isFinite(gained.hi) ? `${gained.lo}-${gained.hi}` : `at least ${gained.lo}`} order(s) arrived`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('when one order moves from one stage to the next between two daily releases, then its award cannot be read off the stage table', async () => {
    const mover = order({ awardedCents: ksh(2_345_000), outstandingCents: ksh(2_345_000) });
    const others = [...orders(30), ...orders(10, { stage: 'certificate_issued' })];
    const [first, second] = await releaseChain([...others, mover], [...others, { ...mover, stage: 'certificate_issued' } satisfies ClaimFact]);
    const found: string[] = [];
    for (const now of second!.tables.by_stage) {
      const then = row(first!.tables, 'by_stage', key(now));
      if (!isNumber(now.orders) || !isNumber(then.orders) || !isNumber(now.awarded_cents) || !isNumber(then.awarded_cents)) continue;
      const moved = Math.abs(now.orders - then.orders);
      const award = Math.abs(thousands(now.awarded_cents - then.awarded_cents));
      if (moved >= 1 && moved <= 5 && boundedWithinHalf(mover.awardedCents / 100_000, award - 1, award + 1)) {
        found.push(`by_stage/${key(now)}: ${then.orders} then ${now.orders} orders, awarded ${then.awarded_cents} then ${now.awarded_cents} cents: `
          + `${moved} order(s) awarded KSh ${award * 1000} (± 1,000) moved (truth KSh ${mover.awardedCents / 100})`);
      }
    }
    expect(found).toEqual([]);
  });

  it('when one order receives a tranche between two daily releases, then the tranche cannot be read off its agency\'s paid amount', async () => {
    const partly = { stage: 'disbursing' as const, paidCents: ksh(250_000), outstandingCents: ksh(750_000) };
    const others = [...orders(12, { agencyId: 'kenya-prisons-service' }), ...orders(8, { agencyId: 'kenya-prisons-service', ...partly }), ...orders(40)];
    const survivor = order({ agencyId: 'kenya-prisons-service', stage: 'disbursing' });
    const tranche = ksh(432_000);
    const [first, second] = await releaseChain([...others, survivor], [...others, { ...survivor, paidCents: tranche, outstandingCents: survivor.outstandingCents - tranche }]);
    const found: string[] = [];
    for (const table of ['by_agency', 'by_year', 'by_violation_type', 'totals'] as const) {
      for (const now of second!.tables[table]) {
        const then = row(first!.tables, table, key(now));
        if (!isNumber(now.paid_cents) || !isNumber(then.paid_cents) || now.paid_cents === then.paid_cents) continue;
        const paid = thousands(now.paid_cents - then.paid_cents);
        if (boundedWithinHalf(tranche / 100_000, paid - 1, paid + 1)) {
          found.push(`${table}/${key(now)}: paid ${then.paid_cents} then ${now.paid_cents} cents, so KSh ${paid * 1000} (± 1,000) was paid between the releases (truth: one tranche of KSh ${tranche / 100})`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
