/**
 * Red team: where a column's total is 1-5, the tables must not show which one row of each table holds all of those
 * orders: the rows of different tables are the same orders, so together they would give those orders' year,
 * agency, violation set and stage (a cross-tabulation the release never publishes). Zeros are "5 or fewer" now;
 * the integer-programming attacker still tries to prove that one row holds the whole column.
 */
import { type PublishedTables, SMALL, TABLE_IDS, type TableId, cellId } from '../../domain/release';
import { ksh, nextRelease, order, orders, releaseChain, solver } from '../support/redteam';
import { Attacker, minus } from '../support/redteam-attacker';

jest.setTimeout(300_000);

const LINKED: TableId[] = ['by_year', 'by_agency', 'by_violations', 'by_stage'];

/** Columns of at least one order where, in two tables or more, one row provably holds every order of the column. */
async function linkedRows(tables: PublishedTables): Promise<string[]> {
  const a = new Attacker(await solver(), [tables]);
  const found: string[] = [];
  for (const column of ['overdue', 'paid_in_full'] as const) {
    const total = a.bounds(a.count(0, 'totals', 'all', column));
    if (total.lo < 1) continue;
    const where: string[] = [];
    for (const t of LINKED.filter((x) => column !== 'paid_in_full' || x !== 'by_stage')) {
      for (const r of tables[t]) {
        const rowKey = String(Object.values(r)[0]);
        if (a.bounds(minus(a.count(0, 'totals', 'all', column), a.count(0, t, rowKey, column))).hi === 0) where.push(`${t.replace('by_', '')} ${rowKey}`);
      }
    }
    if (where.length >= 2) found.push(`every order counted in "${column}" (${total.lo}-${total.hi} in all) is: ${where.join(', ')}`);
  }
  return found;
}

/** The tables with every count as it truly is: what a release without any suppression would show. */
function unsuppressed(tables: PublishedTables, values: Record<string, string>): PublishedTables {
  const out = structuredClone(tables);
  for (const t of TABLE_IDS) {
    for (const r of out[t]) for (const m of Object.keys(r)) if (values[cellId(t, String(Object.values(r)[0]), m)] !== undefined && !m.endsWith('_cents')) r[m] = Number(values[cellId(t, String(Object.values(r)[0]), m)]);
  }
  return out;
}

describe('red team: small column totals link the tables', () => {
  const claims = [
    ...orders(30), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019, violationTypes: ['extra_judicial_killing'] }),
    ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }),
    order({ agencyId: 'kenya-prisons-service', yearOfJudgment: 2019, violationTypes: ['extra_judicial_killing'], stage: 'paid_in_full', paidCents: ksh(1_500_000), outstandingCents: 0, daysToFullPayment: 700 }),
    order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2020, stage: 'disbursing', paidCents: ksh(300_000), outstandingCents: ksh(700_000) }),
  ];

  it('when one order has been paid in full and another paid in part, then the tables do not tell the year, agency and violations of the order paid', async () => {
    const [release] = await releaseChain(claims);
    expect(await linkedRows(release!.tables)).toEqual([]);
  });

  it('when the same release is shown without suppression, then the check finds the paid order\'s year, agency and violations (it has teeth)', async () => {
    const [release] = await releaseChain(claims);
    expect((await linkedRows(unsuppressed(release!.tables, release!.disclosure.values))).join()).toMatch(/paid_in_full.*year 2019.*agency kenya-prisons-service.*violations extra_judicial_killing/);
  });

  it('when a single order has been registered, then no release is published (the first waits for six)', async () => {
    const single = [order({ agencyId: 'kenya-wildlife-service', yearOfJudgment: 2011, violationTypes: ['enforced_disappearance'], stage: 'certificate_served' })];
    expect(await nextRelease(single, null)).toBeNull();
    expect(await nextRelease([...single, ...orders(SMALL - 1)], null)).toBeNull();
  });

  it('when the first release holds six orders, one of them unlike the others, then its tables do not give away that order\'s year, agency, violations and stage together', async () => {
    const odd = order({ agencyId: 'kenya-wildlife-service', yearOfJudgment: 2011, violationTypes: ['enforced_disappearance'], stage: 'certificate_served', escalationLevel: 2 });
    const [release] = await releaseChain([odd, ...orders(5)]);
    expect(release!.tables.totals[0]!.orders).toBe(6);
    expect(await linkedRows(release!.tables)).toEqual([]);
  });

  it('when a column\'s 1-5 orders are spread over two rows of a table, then no column is linked (the check does not cry wolf)', async () => {
    const [release] = await releaseChain([
      ...orders(30), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }),
      order({ agencyId: 'kenya-prisons-service', yearOfJudgment: 2019, stage: 'paid_in_full', outstandingCents: 0, paidCents: ksh(1_000_000) }),
      order({ yearOfJudgment: 2018, stage: 'paid_in_full', outstandingCents: 0, paidCents: ksh(1_000_000) }),
    ]);
    expect(await linkedRows(unsuppressed(release!.tables, release!.disclosure.values))).toEqual([]);
  });
});
