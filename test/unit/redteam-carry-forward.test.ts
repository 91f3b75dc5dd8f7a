/**
 * Red team, round 2: the "last published" carry-forward. A release is checked against the previous release whole
 * and against each static row's orders and award when they were last published exactly (disclosure.shown). An
 * outsider keeps every release; these chains of 3 to 6 releases look for what falls between the two.
 */
import { cellId } from '../../domain/release';
import { facts, seeded } from '../support/claim-facts';
import { type Release, boundedWithinHalf, ksh, order, orders, releaseChain, row, solver, thousands } from '../support/redteam';
import { Attacker, auditChain, minus } from '../support/redteam-attacker';

jest.setTimeout(600_000);

const WILDLIFE = 'kenya-wildlife-service';
const base = () => [...orders(40), ...orders(12, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...orders(9, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 })];
const states = (releases: Release[], table: Parameters<typeof row>[1], k: string) => releases.map((r) => `${row(r.tables, table, k).orders}/${row(r.tables, table, k).awarded_cents}`).join(' → ');

describe('red team: rows carried forward over chains of releases', () => {
  it('when a row never published (5 small awards) gains one large award and is published in the next release, then that award cannot be read off the two', async () => {
    const small = orders(5, { agencyId: WILDLIFE, awardedCents: ksh(100_000), outstandingCents: ksh(100_000) });
    const newcomer = order({ agencyId: WILDLIFE, awardedCents: ksh(20_000_000), outstandingCents: ksh(20_000_000) });
    const r1 = [...base(), ...small];
    const r2 = [...r1, newcomer, ...orders(5)];
    // Release 2 admits the six; release 3 (the next day) admits nothing.
    const releases = await releaseChain(r1, r2, r2);
    const a = new Attacker(await solver(), releases.map((r) => r.tables), { awardsNeverAmended: true });
    const award = a.bounds(minus(a.awarded(2, 'by_agency', WILDLIFE), a.awarded(0, 'by_agency', WILDLIFE)));
    const truth = thousands(newcomer.awardedCents);
    const found = boundedWithinHalf(truth, award.lo, award.hi)
      ? [`the Wildlife Service: ${states(releases, 'by_agency', WILDLIFE)}; its award of release 1 (5 orders, withheld) is at most KSh ${a.bounds(a.awarded(0, 'by_agency', WILDLIFE)).hi} thousand, `
        + `so the order it gained in release 2 was awarded KSh ${award.lo}-${award.hi} thousand (truth ${truth})`]
      : [];
    expect(found).toEqual([]);
  });

  it('when a row published in release 1 gains an order in release 2, waits hidden through release 3, gains 5 more in release 4 and is published in release 5, then no release in between gives away either gain', async () => {
    const first = base();
    const second = [...first, order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }), ...orders(5, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 })];
    const fourth = [...second, ...orders(5, { agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }), order({ agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 })];
    const releases = await releaseChain(first, second, second, fourth, fourth);
    expect(releases.map((r) => r.admitted)).toEqual([true, true, false, true, false]);
    const kdf = releases.map((r) => row(r.tables, 'by_agency', 'kenya-defence-forces').orders);
    expect(kdf[0]).toBe(9);
    expect(kdf.slice(1, 4).every((x) => x === 'hidden')).toBe(true); // gained 1, then 1 since shown, then 5 (6 since shown)
    expect(auditChain(await solver(), releases)).toEqual([]);
  });

  it('when a row is hidden for several releases and its partner is published again, then the partner\'s figures do not split the batch back into the rows', async () => {
    // Release 2: Defence +1, Prisons +5 (both hidden). Release 3: Prisons +1, Police +5. Release 4: none.
    const first = base();
    const second = [...first, order({ agencyId: 'kenya-defence-forces', yearOfJudgment: 2020 }), ...orders(5, { agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 })];
    const third = [...second, order({ agencyId: 'kenya-prisons-service', yearOfJudgment: 2019 }), ...orders(5)];
    const releases = await releaseChain(first, second, third, third);
    expect(auditChain(await solver(), releases)).toEqual([]);
  });

  it.each([[21]])('when generated chain %i (three releases, batches of 1-9 orders waiting or admitted, statuses moving) is published, then the three together give away no count of the last, no flow between two consecutive ones and no amount of 1-5 orders', async (seed) => {
    const random = seeded(seed);
    const register = facts(seed, 30);
    const registers = [register.slice()];
    for (let k = 1; k < 3; k++) {
      const next = registers[k - 1]!.map((c) => (random() < 0.1 && c.stage === 'registered' ? { ...c, stage: 'certificate_issued' as const } : c));
      next.push(...facts(seed * 100 + k, 1 + Math.floor(random() * 9)));
      registers.push(next);
    }
    const releases = await releaseChain(...registers);
    expect(auditChain(await solver(), releases, { cellsOf: [releases.length - 1], consecutive: true })).toEqual([]);
  });

  it('when the audit is given a release whose hidden cells are shown, then it finds the new orders (it has teeth)', async () => {
    const first = base();
    const second = [...first, order({ agencyId: WILDLIFE, awardedCents: ksh(9_000_000), outstandingCents: ksh(9_000_000) }), ...orders(5)];
    const releases = await releaseChain(first, second);
    const shown = structuredClone(releases[1]!.tables);
    for (const r of shown.by_agency) r.orders = Number(releases[1]!.disclosure.values[cellId('by_agency', String(r.agency_id), 'orders')]);
    const found = auditChain(await solver(), [releases[0]!, { ...releases[1]!, tables: shown }], { cellsOf: [] });
    expect(found.join('\n')).toMatch(/releases 1-2: 1 new order\(s\) in by_agency\/kenya-wildlife-service proven 1-1/);
  });
});
