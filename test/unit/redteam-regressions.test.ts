/**
 * Red team attacks that did not break a release: kept as regression tests, each run by an attacker independent of
 * domain/release/attack.ts (test/support/redteam-attacker.ts: integer programming over every table at once,
 * amounts tied to counts, earlier releases kept whole).
 */
import { HIDDEN_MARKER, MEASURES_OF, TABLE_IDS, cellId } from '../../domain/release';
import { facts } from '../support/claim-facts';
import { boundedWithinHalf, ksh, orders, releaseChain, row, solver } from '../support/redteam';
import { Attacker, minus, pinnedCounts } from '../support/redteam-attacker';

jest.setTimeout(600_000);

const overdueAt = (level: number) => ({ stage: 'certificate_served' as const, escalationLevel: level });

describe('red team: attacks a release withstands', () => {
  it('when an agency has one order at escalation level 3 beside 7 at level 0, then neither level nor the overdue column pins it', async () => {
    const releases = await releaseChain([
      ...orders(20), ...orders(10, overdueAt(0)), ...orders(6, overdueAt(1)), ...orders(4, overdueAt(2)),
      ...orders(4, { agencyId: 'kenya-prisons-service' }), ...orders(7, { agencyId: 'kenya-prisons-service', ...overdueAt(0) }),
      ...orders(1, { agencyId: 'kenya-prisons-service', ...overdueAt(3) }),
      ...orders(9, { agencyId: 'kenya-defence-forces' }),
    ]);
    expect(row(releases[0]!.tables, 'by_agency', 'kenya-prisons-service').level_3).toBe('5 or fewer');
    expect(pinnedCounts(await solver(), releases)).toEqual([]);
  });

  it('when the worked example of docs/suppression.md is spread over years and violation types, then every rounded amount of every table together still leaves the Wildlife Service\'s award uncertain by half', async () => {
    const spread = (agencyId: string, n: number, award: number) => Array.from({ length: n }, (_, i) => ({
      yearOfJudgment: 2017 + (i % 2), violationTypes: [i % 3 === 0 ? 'extra_judicial_killing' as const : 'torture' as const], agencyId,
      awardedCents: ksh(Math.round(award / n)), outstandingCents: ksh(Math.round(award / n)),
    }));
    const claims = [
      ...spread('national-police-service', 40, 47_800_000), ...spread('kenya-prisons-service', 12, 12_660_000),
      ...spread('ministry-of-interior', 9, 9_360_000), ...spread('kenya-defence-forces', 7, 7_210_000),
    ].map((o) => orders(1, o)[0]!);
    claims.push(...orders(1, { agencyId: 'kenya-wildlife-service', awardedCents: ksh(2_500_000), outstandingCents: ksh(2_500_000) }));
    const releases = await releaseChain(claims);
    const attacker = new Attacker(await solver(), releases.map((r) => r.tables));
    const award = attacker.bounds(attacker.awarded(0, 'by_agency', 'kenya-wildlife-service'));
    expect({ lo: award.lo, hi: award.hi, boundedWithinHalf: boundedWithinHalf(2_500, award.lo, award.hi) }).toMatchObject({ boundedWithinHalf: false });
    expect(pinnedCounts(await solver(), releases)).toEqual([]);
  });

  it('when an agency of exactly 6 orders gains a 7th (and the police 5), then the two releases prove neither that it gained one nor any count of 1-5', async () => {
    const base = [...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service' }), ...orders(6, { agencyId: 'kenya-wildlife-service' })];
    const releases = await releaseChain(base, [...base, ...orders(1, { agencyId: 'kenya-wildlife-service' }), ...orders(5)]);
    const attacker = new Attacker(await solver(), releases.map((r) => r.tables));
    const gained = attacker.bounds(minus(attacker.count(1, 'by_agency', 'kenya-wildlife-service'), attacker.count(0, 'by_agency', 'kenya-wildlife-service')));
    expect(gained.lo).toBe(0);
    expect(gained.hi - gained.lo).toBeGreaterThanOrEqual(4);
    expect(pinnedCounts(await solver(), releases)).toEqual([]);
  });

  it('when the cells hidden for protection are shown instead, then the same attacker recovers the small ones (it has teeth)', async () => {
    const [release] = await releaseChain([...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service' }), ...orders(7, { agencyId: 'kenya-defence-forces' }), ...orders(1, { agencyId: 'kenya-wildlife-service' })]);
    const shown = structuredClone(release!.tables);
    for (const table of TABLE_IDS) {
      for (const r of shown[table]) {
        for (const m of MEASURES_OF[table]) if (r[m] === HIDDEN_MARKER) r[m] = Number(release!.disclosure.values[cellId(table, String(Object.values(r)[0]), m)]);
      }
    }
    expect(pinnedCounts(await solver(), [{ tables: shown, disclosure: release!.disclosure }])).toContain('by_agency/kenya-wildlife-service/orders is 1: pinned to 0-1');
  });

  it.each([[11, 12], [12, 60]])('when generated data set %i (%i orders) is released, then the independent attacker pins no count of 1-5 the release\'s own attack let through', async (seed, n) => {
    expect(pinnedCounts(await solver(), await releaseChain(facts(seed, n)))).toEqual([]);
  });
});
