/**
 * Red team, round 2: new orders enter the figures in batches (all pending orders when six or more are pending,
 * else none). Can a batch be split back into its rows? Does a release that admits nothing say anything of the
 * orders waiting? What does an advocate learn who registered five of the six?
 */
import { type ClaimFact, MIN_NEW_ORDERS, type PublishedTables, STATIC_TABLES, TABLE_IDS, admission, cellId } from '../../domain/release';
import { REGISTER_AGENCIES, key, nextRelease, order, orders, releaseChain, row, solver } from '../support/redteam';
import { Attacker, auditChain, expr, minus } from '../support/redteam-attacker';

jest.setTimeout(600_000);

const base = () => [...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 })];

describe('red team: batches of new orders', () => {
  it('when 5, 6 or 0 orders are pending, then the first release waits below 6 and later releases admit all or none', () => {
    expect(MIN_NEW_ORDERS).toBe(6);
    expect(admission(5, false)).toEqual({ admit: false, publish: false });
    expect(admission(6, false)).toEqual({ admit: true, publish: true });
    expect(admission(5, true)).toEqual({ admit: false, publish: true });
    expect(admission(0, true)).toEqual({ admit: false, publish: true });
    expect(admission(6, true)).toEqual({ admit: true, publish: true });
  });

  it('when six new orders go one to each agency on the register, then no agency\'s share of the batch is known more narrowly than 1-5', async () => {
    const first = base();
    const second = [...first, ...REGISTER_AGENCIES.map((agencyId) => order({ agencyId, yearOfJudgment: 2021 }))];
    const releases = await releaseChain(first, second);
    expect(row(releases[1]!.tables, 'by_year', 2021).orders).toBe(6); // the batch as a whole is published, by year
    expect(auditChain(await solver(), releases)).toEqual([]);
  });

  it('when six new orders go 1 and 5 to two agencies, in one year and one violation set, then neither share is known more narrowly than 1-5 and neither award within half', async () => {
    const first = base();
    const second = [...first, order({ agencyId: 'kenya-wildlife-service', awardedCents: 750_000_000, outstandingCents: 750_000_000 }), ...orders(5)];
    const releases = await releaseChain(first, second);
    expect(auditChain(await solver(), releases)).toEqual([]);
  });

  it('when 5 orders wait through a release, then that release shows the counted orders\' figures unchanged, and the next (a sixth arrived) admits all six at once', async () => {
    const first = base();
    const waiting = [...first, ...orders(5, { agencyId: 'kenya-wildlife-service', yearOfJudgment: 2010 })];
    const [r1, r2] = await releaseChain(first, waiting);
    expect(r2!.admitted).toBe(false);
    for (const table of STATIC_TABLES) {
      for (const r of r2!.tables[table]) {
        const then = row(r1!.tables, table, key(r));
        // Nothing of the waiting orders: every count and award of a row never left is as it was.
        expect([r.orders, r.awarded_cents]).toEqual([then.orders, then.awarded_cents]);
      }
    }
    expect(r2!.disclosure.values[cellId('totals', 'all', 'orders')]).toBe(String(first.length));
    const r3 = (await nextRelease([...waiting, order()], r2!))!;
    expect(r3.admitted).toBe(true);
    expect(r3.disclosure.values[cellId('totals', 'all', 'orders')]).toBe(String(first.length + 6));
    expect(auditChain(await solver(), [r1!, r2!, r3])).toEqual([]);
  });

  it('when an advocate registered five of a batch of six (and knows their rows), then the sixth order\'s agency, year and violation set are not singled out', async () => {
    const first = base();
    const own = orders(5, { yearOfJudgment: 2018 }); // police, 2018, torture: what the advocate registered
    const victim = order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2010, violationTypes: ['extra_judicial_killing'] });
    const releases = await releaseChain(first, [...first, ...own, victim]);
    const ownIn = (table: (typeof STATIC_TABLES)[number], k: string) => own.filter((o) => rowOf(table, o) === k).length;
    const singledOut = async (tables: PublishedTables[]) => {
      const a = new Attacker(await solver(), tables);
      const found: string[] = [];
      for (const table of STATIC_TABLES.filter((t) => t !== 'totals')) {
        const rows = tables[1]![table].map(key);
        // The advocate's own orders are in the rows' gains; the sixth is in exactly one row of each table.
        const gain = (k: string) => minus(a.count(1, table, k), a.count(0, table, k));
        for (const k of rows) a.assume(gain(k), '>=', ownIn(table, k));
        a.assume(expr(...rows.map(gain)), '=', own.length + 1);
        const candidates = rows.filter((k) => a.bounds(gain(k)).hi - ownIn(table, k) >= 1);
        if (candidates.length < 2) found.push(`${table}: the sixth order can only be in ${candidates.join(', ')}`);
      }
      return found;
    };
    // Teeth: with every order count published as it is, the sixth order's rows are singled out.
    const exact = releases.map((r) => {
      const t = structuredClone(r.tables);
      for (const table of STATIC_TABLES) for (const x of t[table]) x.orders = Number(r.disclosure.values[cellId(table, key(x), 'orders')]);
      return t;
    });
    expect(await singledOut(exact)).toEqual([
      'by_year: the sixth order can only be in 2010', 'by_violations: the sixth order can only be in extra_judicial_killing', 'by_agency: the sixth order can only be in kenya-defence-forces',
    ]);
    const found = await singledOut(releases.map((r) => r.tables));
    expect(found).toEqual([]);
  });

  it('when two releases hold entirely different orders, then every table has the same rows (fixed lists: no row appears because an order did)', async () => {
    const one = (await nextRelease(base(), null))!;
    const other = (await nextRelease(orders(6, { agencyId: 'kenya-wildlife-service', yearOfJudgment: 1994, violationTypes: ['enforced_disappearance'], stage: 'settled' }), null))!;
    for (const table of TABLE_IDS) expect(other.tables[table].map(key)).toEqual(one.tables[table].map(key));
    expect(one.tables.by_year.map(key)).toEqual(['before 2000', ...Array.from({ length: 27 }, (_, i) => String(2000 + i))]);
    expect(one.tables.by_agency.map(key)).toEqual([...REGISTER_AGENCIES].sort());
    expect(one.tables.by_violations).toHaveLength(7);
  });

  it('when one order\'s judgment is dated after the year of the release (nothing refuses it at registration), then no year row appears for it', async () => {
    const plain = (await nextRelease(base(), null))!;
    const withFuture = (await nextRelease([...base(), order({ yearOfJudgment: 2031 })], null))!;
    const added = withFuture.tables.by_year.map(key).filter((k) => !plain.tables.by_year.some((r) => key(r) === k));
    // Rows 2027-2031 would say that an order's judgment is dated 2031 (the last row is the latest judgment).
    expect(added).toEqual([]);
  });
});

function rowOf(table: (typeof STATIC_TABLES)[number], o: ClaimFact): string {
  switch (table) {
    case 'totals': return 'all';
    case 'by_year': return o.yearOfJudgment < 2000 ? 'before 2000' : String(o.yearOfJudgment);
    case 'by_agency': return o.agencyId;
    default: return [...o.violationTypes].join('+');
  }
}
