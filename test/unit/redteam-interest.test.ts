/**
 * Red team: outstanding amounts carry interest to the release date. Decrees mostly carry 12% simple interest, so
 * between two releases over the same orders every outstanding figure grows by 12% a year of the principal still
 * unpaid. The growth of a withheld group is the total's growth less the published rows' growth; where the other
 * member of the group has no payment (its paid column is a published 0) and its award is published, its growth is
 * known, and what is left is the growth of the protected row alone: its unpaid awards, times 12% a year.
 */
import { type CalendarDate, daysBetween } from '../../domain/calendar-date';
import { simpleInterestCents } from '../../domain/interest';
import { type ClaimFact, FineGroups, previousRelease, releaseContent } from '../../domain/release';
import { boundedWithinHalf, isNumber, ksh, solver, thousands } from '../support/redteam';

jest.setTimeout(300_000);

const RATE_BP = 1200;

/** A decree of `award` KSh at 12% from its judgment, as the release sees it on `asOf`. */
function decree(asOf: CalendarDate, judgment: CalendarDate, agencyId: string, award: number, paidOn?: CalendarDate): ClaimFact {
  const awardedCents = ksh(award);
  const due = (on: CalendarDate) => awardedCents + simpleInterestCents(awardedCents, RATE_BP, judgment, on);
  const base = { yearOfJudgment: Number(judgment.slice(0, 4)), agencyId, violationTypes: ['torture' as const], escalationLevel: -1, awardedCents };
  return paidOn
    ? { ...base, stage: 'paid_in_full', paidCents: due(paidOn), outstandingCents: 0, daysToFullPayment: daysBetween(judgment, paidOn) }
    : { ...base, stage: 'registered', paidCents: 0, outstandingCents: due(asOf), daysToFullPayment: null };
}

function register(asOf: CalendarDate): ClaimFact[] {
  const claims: ClaimFact[] = [];
  // Defence forces: 18 orders paid in full long ago, 2 still owed (KSh 1.2 million and 0.9 million): the protected figure.
  for (let i = 0; i < 18; i++) claims.push(decree(asOf, `2016-0${1 + (i % 9)}-15`, 'kenya-defence-forces', 800_000 + i * 10_000, '2019-06-30'));
  claims.push(decree(asOf, '2017-05-10', 'kenya-defence-forces', 1_200_000), decree(asOf, '2018-02-01', 'kenya-defence-forces', 900_000));
  for (let i = 0; i < 15; i++) claims.push(decree(asOf, `2019-0${1 + (i % 9)}-0${1 + (i % 7)}`, 'kenya-prisons-service', 1_000_000 + i * 7_000));
  for (let i = 0; i < 40; i++) claims.push(decree(asOf, `201${6 + (i % 3)}-1${i % 3}-1${i % 9}`, 'national-police-service', 1_500_000 + i * 3_000));
  return claims;
}

const build = async (asOf: CalendarDate, before: ReturnType<typeof releaseContent> | null) => {
  const g = new FineGroups();
  for (const c of register(asOf)) g.add(c);
  return releaseContent(g.list(), await solver(), before ? previousRelease(before.tables, before.disclosure) : null, new Map());
};

describe('red team: interest to the release date', () => {
  it('when two releases two months apart cover the same orders, then the growth of outstanding amounts at 12% does not give away the awards of the 2 orders an agency still owes', async () => {
    const [t1, t2] = ['2024-01-01', '2024-03-01'] as const;
    const first = await build(t1, null);
    const second = await build(t2, first);
    const years = (daysBetween(t1, t2) * RATE_BP) / 10_000 / 365;

    const agencies = second.tables.by_agency.map((r) => String(r.agency_id));
    const outstanding = (rel: typeof first, a: string) => rel.tables.by_agency.find((r) => r.agency_id === a)!.outstanding_cents;
    const withheld = agencies.filter((a) => !isNumber(outstanding(first, a)) && !isNumber(outstanding(second, a)));
    const found: string[] = [];
    for (const target of withheld) {
      const partners = withheld.filter((a) => a !== target);
      const row2 = (a: string) => second.tables.by_agency.find((r) => r.agency_id === a)!;
      // Each partner: no payment at all (paid is a published 0) and a published award, so its principal is its award.
      if (!partners.every((a) => row2(a).paid_cents === 0 && isNumber(row2(a).awarded_cents))) continue;
      const published = agencies.filter((a) => !withheld.includes(a));
      const group = (rel: typeof first) => thousands(rel.tables.totals[0]!.outstanding_cents as number)
        - published.reduce((s, a) => s + thousands(outstanding(rel, a) as number), 0);
      const slack = 0.5 * 2 * (1 + published.length); // every published outstanding figure, in both releases
      const growth = group(second) - group(first) - partners.reduce((s, a) => s + thousands(row2(a).awarded_cents as number) * years, 0);
      const partnersSlack = partners.length * 0.5 * years;
      const lo = (growth - slack - partnersSlack) / years;
      const hi = (growth + slack + partnersSlack) / years;
      const truth = (1_200_000 + 900_000) / 1000;
      if (boundedWithinHalf(truth, lo, hi)) {
        found.push(`${target}: its outstanding amount is withheld in both releases (with ${partners.join(', ')}), yet the group grew by `
          + `${(group(second) - group(first)).toFixed(0)} thousand between ${t1} and ${t2}; less 12% of the partners' published awards, `
          + `the awards still owed by ${target} are KSh ${Math.round(lo)}-${Math.round(hi)} thousand (truth ${truth} thousand, 2 orders)`);
      }
    }
    expect(found).toEqual([]);
  });
});
