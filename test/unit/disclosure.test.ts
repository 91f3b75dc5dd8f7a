/**
 * Disclosure control on generated data sets with skewed shapes: every release is audited from its published tables
 * alone by the integer-programming attack, and by plain subtraction, the way an outsider would try.
 */
import { loadSolver } from '../../activities/release/solver';
import {
  CLAIMS, type ClaimFact, FineGroups, HIDDEN_MARKER, KEY_COLUMN, MEASURES_OF, type PublishedTables, SMALL_MARKER, TABLE_IDS, WITHHELD_MARKER,
  attack, auditRelease, buildModel, cellId, previousRelease, protectedCells, releaseContent, viewFromTables,
} from '../../domain/release';
import type { LinearSolver } from '../../domain/release/attack';
import { fact, facts, seeded } from '../support/claim-facts';

jest.setTimeout(300_000);

let solver: LinearSolver;
beforeAll(async () => { solver = await loadSolver(); });

const groupsOf = (claims: ClaimFact[]) => {
  const g = new FineGroups();
  for (const c of claims) g.add(c);
  return g.list();
};
const AGENCIES = ['national-police-service', 'kenya-prisons-service', 'kenya-defence-forces', 'kenya-wildlife-service', 'office-of-the-attorney-general'];
const names = new Map(AGENCIES.map((a) => [a, a.replace(/-/g, ' ')]));
const context = (number: number) => ({ agencyNames: names, agencies: AGENCIES, asOfYear: 2026, number });

function publish(claims: ClaimFact[], before: ReturnType<typeof releaseContent> | null = null, number = before ? 2 : 1) {
  const prev = before ? previousRelease(before.tables, before.disclosure) : null;
  return releaseContent(groupsOf(claims), solver, prev, context(number), before?.disclosure.shown ?? {});
}

/** The outsider's plain arithmetic: a column with one hidden cell against its published total, a count against its complement. */
function subtractionLeaks(tables: PublishedTables): string[] {
  const leaks: string[] = [];
  const totals = tables.totals[0]!;
  for (const table of TABLE_IDS.filter((t) => t !== 'totals')) {
    for (const m of MEASURES_OF[table].filter((x) => typeof totals[x] === 'number')) {
      const hidden = tables[table].filter((r) => typeof r[m] !== 'number');
      if (hidden.length === 1) leaks.push(`${table}.${m}: the one hidden cell is the total minus the rest`);
    }
    for (const m of ['awarded_cents', 'paid_cents', 'outstanding_cents'].filter(() => table !== 'by_stage')) {
      const withheld = tables[table].filter((r) => r[m] === WITHHELD_MARKER);
      if (withheld.length === 1 && typeof totals[m] === 'number') leaks.push(`${table}.${m}: one withheld amount is the total minus the rest`);
    }
  }
  for (const table of TABLE_IDS) {
    for (const r of tables[table]) {
      for (const [whole, part] of [['orders', 'overdue'], ['orders', 'paid_in_full'], ['orders', 'reminded'], ['reminded', 'acknowledged']] as const) {
        if (typeof r[whole] === 'number' && typeof r[part] === 'number') {
          const rest = (r[whole] as number) - (r[part] as number);
          if (rest >= 1 && rest <= 5) leaks.push(`${table}/${Object.values(r)[0]}: ${whole} minus ${part} is ${rest}`);
        }
      }
    }
  }
  return leaks;
}

function expectSafe(release: ReturnType<typeof releaseContent>, before: ReturnType<typeof releaseContent> | null = null) {
  const audit = auditRelease(solver, release, before);
  expect(audit.violations).toEqual([]);
  expect(audit.findings.filter((f) => !f.protectedEnough).map((f) => `${f.id} ${f.kind} ${f.value} [${f.lo}, ${f.hi}]`)).toEqual([]);
  expect(subtractionLeaks(release.tables)).toEqual([]);
  // Labels tell the truth: "5 or fewer" holds 1-5; "hidden" holds more.
  for (const table of TABLE_IDS) {
    for (const row of release.tables[table]) {
      for (const m of MEASURES_OF[table]) {
        const truth = Number(release.disclosure.values[cellId(table, String(Object.values(row)[0]), m)]);
        if (row[m] === SMALL_MARKER) expect(truth >= 0 && truth <= 5).toBe(true);
        if (row[m] === HIDDEN_MARKER) expect(truth).toBeGreaterThan(5);
        if (typeof row[m] === 'number') expect(row[m]).toBe(truth);
      }
    }
  }
  return audit;
}

const agencyOrders = (random: () => number, agencyId: string, n: number, overrides: Partial<ClaimFact> = {}) =>
  Array.from({ length: n }, () => fact(random, { agencyId, ...overrides }));

describe('disclosure control', () => {
  it('when one agency has 40 orders and two have 1, then neither small agency can be counted or priced', () => {
    const random = seeded(1);
    const release = publish([...agencyOrders(random, 'national-police-service', 40), ...agencyOrders(random, 'kenya-prisons-service', 1), ...agencyOrders(random, 'kenya-defence-forces', 1)]);
    const byAgency = new Map(release.tables.by_agency.map((r) => [r.agency_id, r]));
    expect(byAgency.get('kenya-prisons-service')!.orders).toBe(SMALL_MARKER);
    expect(byAgency.get('kenya-defence-forces')!.awarded_cents).toBe(WITHHELD_MARKER);
    expectSafe(release);
  });

  it('when an agency acknowledged all but one of the orders it was reminded of, and another was reminded of 3, then neither the one unacknowledged order nor the 3 can be worked out', () => {
    const random = seeded(21);
    const police = [
      ...agencyOrders(random, 'national-police-service', 12, { acknowledgment: 'acknowledged' }),
      ...agencyOrders(random, 'national-police-service', 1, { acknowledgment: 'reminded' }),
      ...agencyOrders(random, 'national-police-service', 15, { acknowledgment: 'none' }),
    ];
    const prisons = [...agencyOrders(random, 'kenya-prisons-service', 3, { acknowledgment: 'reminded' }), ...agencyOrders(random, 'kenya-prisons-service', 20, { acknowledgment: 'none' })];
    const defence = [...agencyOrders(random, 'kenya-defence-forces', 9, { acknowledgment: 'acknowledged' }), ...agencyOrders(random, 'kenya-defence-forces', 8, { acknowledgment: 'reminded' })];
    const release = publish([...police, ...prisons, ...defence]);
    const byAgency = new Map(release.tables.by_agency.map((r) => [r.agency_id, r]));
    const police13 = byAgency.get('national-police-service')!;
    // 13 reminded and 12 acknowledged would say "one order went unacknowledged": one of the two is hidden.
    expect([police13.reminded, police13.acknowledged].filter((v) => typeof v === 'number')).not.toEqual([13, 12]);
    expect(byAgency.get('kenya-prisons-service')!.reminded).toBe(SMALL_MARKER);
    // A large agency with large counts publishes its rate: 9 of 17 reminders acknowledged.
    expect([byAgency.get('kenya-defence-forces')!.reminded, byAgency.get('kenya-defence-forces')!.acknowledged]).toEqual([17, 9]);
    expectSafe(release);
  });

  it('when the small cells are published only as "5 or fewer" (no secondary suppression), then the attack pins them far inside 0-5', () => {
    // The attack has teeth: primary suppression alone lets the total give away two agencies of one order each.
    const random = seeded(1);
    const claims = [...agencyOrders(random, 'national-police-service', 40), ...agencyOrders(random, 'kenya-prisons-service', 1), ...agencyOrders(random, 'kenya-defence-forces', 1)];
    const model = buildModel(CLAIMS, groupsOf(claims), context(1));
    const view = viewFromTables(release0(model));
    const cells = protectedCells(model, view, null).filter((c) => c.id === cellId('by_agency', 'kenya-prisons-service', 'orders'));
    const [finding] = attack(solver, view, cells, null);
    // Prisons and Defence Forces together are the total less the police: 2, so each is 0, 1 or 2.
    expect([finding!.lo, finding!.hi]).toEqual([0, 2]);
    expect(finding!.protectedEnough).toBe(false);
  });

  it('when one year has 3 overdue orders, then that count is hidden and cannot be worked out from the totals or other tables', () => {
    const random = seeded(2);
    const claims = [
      ...Array.from({ length: 30 }, () => fact(random, { yearOfJudgment: 2018, escalationLevel: -1, stage: 'registered' })),
      ...Array.from({ length: 3 }, () => fact(random, { yearOfJudgment: 2019, escalationLevel: 2, stage: 'certificate_served' })),
      ...Array.from({ length: 25 }, () => fact(random, { yearOfJudgment: 2019, escalationLevel: -1, stage: 'registered' })),
      ...Array.from({ length: 40 }, () => fact(random, { yearOfJudgment: 2020 })),
    ];
    const release = publish(claims);
    expect(release.tables.by_year.find((r) => r.year_of_judgment === '2019')!.overdue).toBe(SMALL_MARKER);
    expectSafe(release);
  });

  it('when a cell holds exactly 6, then it is never "5 or fewer": published as 6, or "hidden" when it must cover a smaller one', () => {
    const random = seeded(3);
    const claims = [...agencyOrders(random, 'kenya-wildlife-service', 6, { escalationLevel: -1, stage: 'registered' }), ...agencyOrders(random, 'national-police-service', 60)];
    const release = publish(claims);
    expect([6, HIDDEN_MARKER]).toContain(release.tables.by_agency.find((r) => r.agency_id === 'kenya-wildlife-service')!.orders);
    expectSafe(release);
  });

  it('when whole categories are empty (no disappearance orders, no withdrawn claims), then they are "5 or fewer" like any small count, so that no zero points at the rest', () => {
    const random = seeded(4);
    const release = publish(Array.from({ length: 50 }, () => fact(random, { violationTypes: ['torture'], stage: 'registered' })));
    expect(release.tables.by_violations.find((r) => r.violations === 'enforced_disappearance')!.orders).toBe(SMALL_MARKER);
    expect(release.tables.by_stage.find((r) => r.stage === 'withdrawn')!.orders).toBe(SMALL_MARKER);
    expect(release.tables.by_violations.find((r) => r.violations === 'torture')!.orders).toBe(50);
    expectSafe(release);
  });

  it('when one order names two violations, then it is counted once, in the row for the two, and that row is protected like any small cell', () => {
    const random = seeded(9);
    const claims = [
      ...Array.from({ length: 29 }, () => fact(random, { violationTypes: ['torture'] })),
      ...Array.from({ length: 20 }, () => fact(random, { violationTypes: ['extra_judicial_killing'] })),
      fact(random, { violationTypes: ['torture', 'extra_judicial_killing'], awardedCents: 345_600_000 }),
    ];
    const release = publish(claims);
    const rows = release.tables.by_violations;
    expect(rows.find((r) => r.violations === 'torture+extra_judicial_killing')!.orders).toBe(SMALL_MARKER);
    // The rows are a partition: no overlap to subtract.
    expect(rows.map((r) => r.violations).sort()).toEqual([...new Set(rows.map((r) => r.violations))].sort());
    expectSafe(release);
  });

  it('when only one claim has been paid anything, then no published amount, total or other, gives its payment away', () => {
    const random = seeded(6);
    const unpaid = Array.from({ length: 30 }, () => fact(random, { stage: 'registered', paidCents: 0, daysToFullPayment: null }));
    const release = publish([...unpaid, fact(random, { stage: 'disbursing', paidCents: 25_000_000 })]);
    for (const table of TABLE_IDS.filter((t) => t !== 'by_stage')) for (const row of release.tables[table]) expect(row.paid_cents).toBe(WITHHELD_MARKER);
    expect(typeof release.tables.totals[0]!.orders).toBe('number'); // the counts stay published
    expectSafe(release);
  });

  it.each([[11, 12], [12, 60], [13, 400]])('when data set %i has %i orders of every shape, then the audit recovers nothing', (seed, n) => {
    expectSafe(publish(facts(seed, n)));
  });

  it('when fewer than 6 orders join an agency between two releases, then the difference of the releases reveals neither their number nor their award', () => {
    const random = seeded(5);
    const base = [...agencyOrders(random, 'national-police-service', 50), ...agencyOrders(random, 'kenya-defence-forces', 30), ...agencyOrders(random, 'kenya-prisons-service', 25)];
    const first = publish(base);
    expectSafe(first);
    // Six new orders: one against the defence forces (the one to find), five against the police.
    const newcomer = fact(random, { agencyId: 'kenya-defence-forces', awardedCents: 987_654_300 });
    const second = publish([...base, newcomer, ...agencyOrders(random, 'national-police-service', 5)], first);
    // Subtraction gives nothing: no static row shows, in both releases, an order count that grew by 1-5 and its award.
    for (const table of ['totals', 'by_year', 'by_violations', 'by_agency'] as const) {
      for (const now of second.tables[table]) {
        const then = first.tables[table].find((r) => Object.values(r)[0] === Object.values(now)[0]);
        const grew = typeof now.orders === 'number' && typeof then?.orders === 'number' ? now.orders - then.orders : null;
        if (grew !== null && grew >= 1 && grew <= 5) throw new Error(`${table}/${Object.values(now)[0]} shows ${grew} new orders in both releases`);
        if (typeof now.awarded_cents === 'number' && typeof then?.awarded_cents === 'number' && grew !== null && grew > 0) {
          expect(Math.abs(now.awarded_cents - then.awarded_cents - newcomer.awardedCents)).toBeGreaterThan(100_000);
        }
      }
    }
    expect(second.tables.by_agency.find((r) => r.agency_id === 'kenya-defence-forces')!.orders).not.toBe(31);
    expectSafe(second, first);
  });
});

/** A release with primary suppression only: what the original public statistics published. */
function release0(model: ReturnType<typeof buildModel>): PublishedTables {
  const out = {} as PublishedTables;
  for (const table of TABLE_IDS) {
    out[table] = model.rows[table]!.map((row) => {
      const r: Record<string, string | number> = { [KEY_COLUMN[table]!]: row };
      for (const m of MEASURES_OF[table]) {
        const v = Number(model.byId.get(cellId(table, row, m))!.value);
        r[m] = v <= 5 ? SMALL_MARKER : v;
      }
      const small = r.orders === SMALL_MARKER;
      if (table !== 'by_stage') for (const m of ['awarded', 'paid', 'outstanding']) r[`${m}_cents`] = small ? WITHHELD_MARKER : Number(model.byId.get(cellId(table, row, m))!.value);
      return r;
    });
  }
  return out;
}
