/**
 * Red team: zeros are published, so where a column's total is 1-5, each table shows which one row those 1-5 orders
 * are in, and the rows of different tables are the same orders: together they give those orders' year, agency,
 * violation type and stage (a cross-tabulation the release never publishes). "withheld" beside published zeros
 * does the same for the orders paid anything at all.
 */
import { type PublishedTables, type TableId } from '../../domain/release';
import { ksh, order, orders, releaseChain } from '../support/redteam';

jest.setTimeout(300_000);

const key = (r: Record<string, unknown>) => String(Object.values(r)[0]);
const LINKED: TableId[] = ['by_year', 'by_agency', 'by_violation_type', 'by_stage'];

/** Columns whose total is not a published count of 6 or more, and whose non-zero cells are one row in every table. */
function linkedRows(tables: PublishedTables): string[] {
  const found: string[] = [];
  const total = tables.totals[0]!;
  for (const column of ['orders', 'overdue', 'paid_in_full', 'paid_cents']) {
    if (typeof total[column] === 'number' && (column === 'paid_cents' || (total[column] as number) > 5)) continue;
    // A withheld amount beside published zeros says "paid something" only where the row's count is published.
    if (total[column] === 0 || (column === 'paid_cents' && typeof total.orders !== 'number')) continue;
    const where = LINKED.filter((t) => column in tables[t][0]!).map((t) => {
      const nonZero = tables[t].filter((r) => r[column] !== 0 && r[column] !== undefined);
      return nonZero.length === 1 ? `${t.replace('by_', '')} ${key(nonZero[0]!)}` : null;
    });
    if (where.length >= 2 && where.every((w) => w !== null)) {
      found.push(`every order counted in "${column}" (${total[column]} in all) is: ${where.join(', ')} (the only non-zero row of each table)`);
    }
  }
  return found;
}

describe('red team: small column totals link the tables', () => {
  it('when one order has been paid in full and another paid in part, then the tables do not tell the year, agency and violation type of the orders paid', async () => {
    const claims = [
      ...orders(30), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019, violationTypes: ['extra_judicial_killing'] }),
      ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }),
      order({ agencyId: 'kenya-prisons-service', yearOfJudgment: 2019, violationTypes: ['extra_judicial_killing'], stage: 'paid_in_full', paidCents: ksh(1_500_000), outstandingCents: 0, daysToFullPayment: 700 }),
      order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2020, stage: 'disbursing', paidCents: ksh(300_000), outstandingCents: ksh(700_000) }),
    ];
    const [release] = await releaseChain(claims);
    expect(linkedRows(release!.tables)).toEqual([]);
  });

  it('when the first release holds a single order, then its tables do not give away that order\'s year, agency, violation type and stage together', async () => {
    const [release] = await releaseChain([order({ agencyId: 'kenya-wildlife-service', yearOfJudgment: 2011, violationTypes: ['enforced_disappearance'], stage: 'certificate_served' })]);
    expect(linkedRows(release!.tables)).toEqual([]);
  });

  it('when a column\'s 1-5 orders are spread over two rows of a table, then no column is linked (the check does not cry wolf)', async () => {
    const [release] = await releaseChain([
      ...orders(30), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }),
      order({ agencyId: 'kenya-prisons-service', yearOfJudgment: 2019, stage: 'paid_in_full', outstandingCents: 0, paidCents: ksh(1_000_000) }),
      order({ yearOfJudgment: 2018, stage: 'paid_in_full', outstandingCents: 0, paidCents: ksh(1_000_000) }),
    ]);
    expect(linkedRows(release!.tables)).toEqual([]);
  });
});
