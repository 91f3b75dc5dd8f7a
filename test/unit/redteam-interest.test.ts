/**
 * Red team: outstanding amounts carry interest to the release date. Decrees mostly carry 12% simple interest, so
 * between two releases over the same orders every outstanding figure grows by 12% a year of the principal still
 * unpaid. The growth of a withheld group is the total's growth less the published rows' growth; what is left is the
 * growth of the protected row alone: its unpaid awards, times 12% a year. The integer-programming attacker holds
 * both releases whole, the growth rule for every agency, and every published figure's rounding interval.
 */
import { type CalendarDate, addDays, daysBetween } from '../../domain/calendar-date';
import { simpleInterestCents } from '../../domain/interest';
import { type ClaimFact, MEASURES_OF, STATIC_TABLES, roundAmount, viewFromTables } from '../../domain/release';
import { type Release, boundedWithinHalf, groupsOf, isNumber, key, ksh, nextRelease, solver } from '../support/redteam';
import { Attacker, minus, scale } from '../support/redteam-attacker';

jest.setTimeout(300_000);

const RATE_BP = 1200;
const KDF = 'kenya-defence-forces';

/** A decree of `award` KSh at 12% from its judgment, as the release sees it on `asOf`. */
function decree(asOf: CalendarDate, judgment: CalendarDate, agencyId: string, award: number, paidOn?: CalendarDate): ClaimFact {
  const awardedCents = ksh(award);
  const due = (on: CalendarDate) => awardedCents + simpleInterestCents(awardedCents, RATE_BP, judgment, on);
  const base = { yearOfJudgment: Number(judgment.slice(0, 4)), agencyId, violationTypes: ['torture' as const], escalationLevel: -1, awardedCents };
  return paidOn
    ? { ...base, stage: 'paid_in_full', paidCents: due(paidOn), outstandingCents: 0, daysToFullPayment: daysBetween(judgment, paidOn) }
    : { ...base, stage: 'registered', paidCents: 0, outstandingCents: due(asOf), daysToFullPayment: null };
}

/** The register in registration order (the same orders at every date; only interest moves). */
function register(asOf: CalendarDate, police = 40): ClaimFact[] {
  const claims: ClaimFact[] = [];
  // Defence forces: 18 orders paid in full long ago, 2 still owed (KSh 1.2 million and 0.9 million): the protected figure.
  for (let i = 0; i < 18; i++) claims.push(decree(asOf, `2016-0${1 + (i % 9)}-15`, KDF, 800_000 + i * 10_000, '2019-06-30'));
  claims.push(decree(asOf, '2017-05-10', KDF, 1_200_000), decree(asOf, '2018-02-01', KDF, 900_000));
  for (let i = 0; i < 15; i++) claims.push(decree(asOf, `2019-0${1 + (i % 9)}-0${1 + (i % 7)}`, 'kenya-prisons-service', 1_000_000 + i * 7_000));
  for (let i = 0; i < police; i++) claims.push(decree(asOf, `201${6 + (i % 3)}-1${i % 3}-1${i % 9}`, 'national-police-service', 1_500_000 + i * 3_000));
  return claims;
}

/**
 * What the attacker proves about the defence forces' principal still owed (thousands): between the releases nothing
 * was paid (every paid figure and count is unchanged), so each agency's outstanding grew by 12% a year of its unpaid
 * principal, which is at most its award; an agency whose paid amount is a published 0 owes its whole award.
 */
function owedByInterest(first: Release, second: Release, years: number) {
  return async () => {
    const a = new Attacker(await solver(), [first.tables, second.tables], { awardsNeverAmended: true });
    for (const r of second.tables.by_agency) {
      const agency = String(r.agency_id);
      const growth = minus(a.amount(1, 'by_agency', agency, 'outstanding'), a.amount(0, 'by_agency', agency, 'outstanding'));
      a.assume(minus(a.amount(1, 'by_agency', agency, 'paid'), a.amount(0, 'by_agency', agency, 'paid')), '=', 0);
      a.assume(growth, '>=', 0);
      a.assume(minus(growth, scale(a.awarded(1, 'by_agency', agency), years)), r.paid_cents === 0 ? '=' : '<=', 0);
    }
    const b = a.bounds(minus(a.amount(1, 'by_agency', KDF, 'outstanding'), a.amount(0, 'by_agency', KDF, 'outstanding')));
    return { lo: b.lo / years, hi: b.hi / years };
  };
}

describe('red team: interest to the release date', () => {
  it.each([['2024-01-01', '2024-03-01'], ['2024-01-01', '2027-01-01']] as const)(
    'when two releases (%s and %s) cover the same orders, then the growth of outstanding amounts at 12%% does not give away the awards of the 2 orders an agency still owes',
    async (t1, t2) => {
      const first = (await nextRelease(register(t1), null))!;
      const second = (await nextRelease(register(t2), first))!;
      expect(second.admitted).toBe(false); // no new order: the same 75, interest only
      const outstanding = (r: Release) => r.tables.by_agency.find((x) => x.agency_id === KDF)!.outstanding_cents;
      expect([outstanding(first), outstanding(second)]).toEqual(['withheld', 'withheld']); // 2 orders owe: withheld (0-5 contributors)
      const years = (daysBetween(t1, t2) * RATE_BP) / 10_000 / 365;
      const owed = await owedByInterest(first, second, years)();
      const truth = (1_200_000 + 900_000) / 1000;
      const found = boundedWithinHalf(truth, owed.lo, owed.hi)
        ? [`outstanding amounts of ${t1} and ${t2}: the defence forces' growth is 12% a year of KSh ${owed.lo.toFixed(0)}-${owed.hi.toFixed(0)} thousand still owed (truth ${truth} thousand, 2 orders)`]
        : [];
      expect(found).toEqual([]);
    },
  );
});

/**
 * The outstanding amount of each agency and of all, as published: rounded to two significant figures, so KSh 1
 * million for anything under KSh 100 million. Interest moves every one of them daily by a fixed amount while
 * nothing is paid; on the day a figure steps up (say from 63 to 64 million) its true value has just passed 63.5
 * million, by less than one day's interest. Daily releases publish that day.
 */
function steps(start: CalendarDate, days: number, police: number): number[] {
  const rounded = (asOf: CalendarDate) => {
    const groups = groupsOf(register(asOf, police));
    const out = new Map<string, bigint>([['all', roundAmount(groups.reduce((s, g) => s + (g.amounts.outstanding ?? 0n), 0n))]]);
    for (const g of groups) out.set(g.rows.by_agency!, (out.get(g.rows.by_agency!) ?? 0n) + (g.amounts.outstanding ?? 0n));
    return [...out].map(([k, v]) => `${k}:${k === 'all' ? v : roundAmount(v)}`).join();
  };
  const found: number[] = [];
  let before = rounded(start);
  for (let t = 1; t <= days; t++) {
    const now = rounded(addDays(start, t));
    if (now !== before) found.push(t);
    before = now;
  }
  return found;
}

describe('red team: interest and daily releases', () => {
  it('when the schedule publishes daily for a year and nothing is paid, then the days on which outstanding figures step up do not give away what an agency\'s 2 orders still owe', async () => {
    const start = '2024-01-01';
    const police = 25; // a register still under KSh 100 million: every figure rounds to KSh 1 million
    // The outsider reads every daily release; the ones that matter are the day before and the day of each step.
    const days = [...new Set([0, ...steps(start, 365, police).flatMap((t) => [t - 1, t]), 365])].sort((x, y) => x - y);
    const releases: Release[] = [];
    for (const t of days) releases.push((await nextRelease(register(addDays(start, t), police), releases[releases.length - 1] ?? null))!);
    // Nothing but interest moved: every count and award is the same in every release (so building the days between
    // would not change what these days publish: a release leans on the previous one only through those).
    const fixed = (r: Release) => JSON.stringify(STATIC_TABLES.map((t) => r.tables[t].map((x) => [...MEASURES_OF[t].map((m) => x[m]), x.awarded_cents, x.paid_cents])));
    expect(new Set(releases.map(fixed)).size).toBe(1);
    const kdf = (r: Release) => r.tables.by_agency.find((x) => x.agency_id === KDF)!.outstanding_cents;
    expect(releases.every((r) => kdf(r) === 'withheld')).toBe(true); // 2 orders owe: withheld every day

    // Each row's outstanding is a straight line in the day (simple interest, nothing paid): V + S * day, S >= 0.
    const rows = ['all', ...releases[0]!.tables.by_agency.map(key)];
    const empty = releases[0]!.tables.by_agency.filter((r) => !isNumber(r.orders)).map(key); // the published counts add up to the total
    expect(releases[0]!.tables.by_agency.filter((r) => isNumber(r.orders)).reduce((s, r) => s + (r.orders as number), 0)).toBe(releases[0]!.tables.totals[0]!.orders);
    const v = (r: string) => `v${rows.indexOf(r)}`;
    const s = (r: string) => `s${rows.indexOf(r)}`;
    const constraints: string[] = [
      `sum_v: ${v('all')} - ${rows.slice(1).map(v).join(' - ')} = 0`, `sum_s: ${s('all')} - ${rows.slice(1).map(s).join(' - ')} = 0`,
      ...empty.flatMap((r, i) => [`empty_v${i}: ${v(r)} = 0`, `empty_s${i}: ${s(r)} = 0`]),
    ];
    releases.forEach((r, k) => {
      const view = viewFromTables(r.tables);
      for (const row of rows) {
        const a = view.amounts.get(`${row === 'all' ? 'totals' : 'by_agency'}/${row}/outstanding`);
        if (a?.state !== 'published') continue;
        constraints.push(`p${k}_${rows.indexOf(row)}_lo: ${v(row)} + ${days[k]} ${s(row)} >= ${a.lo}`, `p${k}_${rows.indexOf(row)}_hi: ${v(row)} + ${days[k]} ${s(row)} <= ${a.hi}`);
      }
    });
    const last = days[days.length - 1]!;
    const lp = (sense: string) => [sense, ` obj: ${v(KDF)} + ${last} ${s(KDF)}`, 'Subject To', ...constraints.map((c) => ` ${c}`), 'End', ''].join('\n');
    const lp$ = await solver();
    const [lo, hi] = ['Minimize', 'Maximize'].map((sense) => lp$.solve(lp(sense)).objective);
    const truth = Number(groupsOf(register(addDays(start, last), police)).filter((g) => g.rows.by_agency! === KDF).reduce((x, g) => x + (g.amounts.outstanding ?? 0n), 0n)) / 100_000;
    const found = boundedWithinHalf(truth, lo!, hi!)
      ? [`${releases.length} daily releases (the days around each step of ${rows.filter((r) => r !== KDF && !empty.includes(r)).join(', ')}; ${days.join(', ')}): on ${addDays(start, last)} the defence forces `
        + `still owe KSh ${lo!.toFixed(0)}-${hi!.toFixed(0)} thousand (truth ${truth.toFixed(0)} thousand, 2 orders; withheld in every release)`]
      : [];
    expect(found).toEqual([]);
  });
});

/** A smaller register: the defence forces owe 2 orders; two agencies of 6 orders each owe about the same, growing at different rates. */
function closeRegister(asOf: CalendarDate): ClaimFact[] {
  return [
    ...Array.from({ length: 18 }, (_, i) => decree(asOf, `2016-0${1 + (i % 9)}-15`, KDF, 800_000 + i * 10_000, '2019-06-30')),
    decree(asOf, '2017-05-10', KDF, 1_200_000), decree(asOf, '2018-02-01', KDF, 900_000),
    // Prisons: recent and large (KSh 20.4 million, growing 2.4 million a year); Police: old and smaller (10.2 million at 12% since 2015).
    ...Array.from({ length: 6 }, () => decree(asOf, '2023-12-01', 'kenya-prisons-service', 3_400_000)),
    ...Array.from({ length: 6 }, () => decree(asOf, '2015-01-01', 'national-police-service', 1_700_000)),
  ];
}

describe('red team: the partner withheld beside a small amount changes', () => {
  it('when the two agencies that could cover a 2-order outstanding amount cross in size from one day to the next, then the partner stays the same and the two daily releases do not give away that amount', async () => {
    const owed = (asOf: CalendarDate, agency: string) => closeRegister(asOf).filter((c) => c.agencyId === agency).reduce((x, c) => x + c.outstandingCents, 0);
    let day = 0;
    while (owed(addDays('2024-01-01', day), 'national-police-service') >= owed(addDays('2024-01-01', day), 'kenya-prisons-service')) day++;
    const [d0, d1] = [addDays('2024-01-01', day - 1), addDays('2024-01-01', day)];
    const first = (await nextRelease(closeRegister(d0), null))!;
    const second = (await nextRelease(closeRegister(d1), first))!;
    const shown = (r: Release) => r.tables.by_agency.filter((x) => isNumber(x.outstanding_cents)).map(key);
    // The first release covers the defence forces' amount with the smaller of the two others, the Prisons; the next day
    // the Police is the smaller, but partners stay partners: the Prisons stays withheld and the Police shown.
    expect([shown(first), shown(second)]).toEqual([['national-police-service'], ['national-police-service']]);
    const a = new Attacker(await solver(), [first.tables, second.tables], { awardsNeverAmended: true });
    // One day apart, nothing paid (every paid figure and count unchanged): each outstanding amount grew by one day's
    // interest at most (14% a year of its award, above any court rate).
    for (const agency of [...second.tables.by_agency.map(key)]) {
      const growth = minus(a.amount(1, 'by_agency', agency, 'outstanding'), a.amount(0, 'by_agency', agency, 'outstanding'));
      a.assume(growth, '>=', 0).assume(minus(growth, scale(a.awarded(1, 'by_agency', agency), 0.14 / 365)), '<=', 0);
      a.assume(minus(a.amount(1, 'by_agency', agency, 'paid'), a.amount(0, 'by_agency', agency, 'paid')), '=', 0);
    }
    const b = a.bounds(a.amount(1, 'by_agency', KDF, 'outstanding'));
    const truth = owed(d1, KDF) / 100_000;
    const found = boundedWithinHalf(truth, b.lo, b.hi)
      ? [`${d0}: the Police's outstanding amount is published and the Prisons' withheld; ${d1}: the reverse. Together: the defence forces' 2 orders `
        + `owe KSh ${b.lo.toFixed(0)}-${b.hi.toFixed(0)} thousand on ${d1} (truth ${truth.toFixed(0)}; withheld on both days)`]
      : [];
    expect(found).toEqual([]);
  });
});
