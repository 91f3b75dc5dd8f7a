/**
 * The accountability tables (incidents) under the release's disclosure control: generated incidents with skewed
 * shapes, audited by the integer attack from the published tables alone, within a release and across two.
 */
import { loadSolver } from '../../activities/release/solver';
import { INCIDENTS, SEVERAL, SMALL_MARKER, UnitGroups, auditRelease, incidentUnit, previousRelease, releaseContentFor } from '../../domain/release';
import type { LinearSolver } from '../../domain/release/attack';
import type { IncidentFact } from '../../domain/incident/fact';
import { seeded } from '../support/claim-facts';

jest.setTimeout(300_000);

let solver: LinearSolver;
beforeAll(async () => { solver = await loadSolver(); });

const BODIES = ['ipoa', 'dci', 'kdf-internal'];
const AGENCIES = ['national-police-service', 'kenya-defence-forces', 'kenya-prisons-service'];

function incident(random: () => number, o: Partial<IncidentFact> = {}): IncidentFact {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const investigated = random() < 0.6;
  const charged = investigated && random() < 0.4;
  const death = random() < 0.3;
  return {
    year: 2018 + Math.floor(random() * 8), acts: death ? ['death_in_custody', 'torture'] : [pick(['torture', 'arbitrary_arrest_or_detention'] as const)],
    county: pick(['nairobi', 'mombasa', 'kisumu'] as const), perpetratorAgencies: [pick(AGENCIES)], responsibleBody: pick(BODIES),
    investigated, charged, convicted: charged && random() < 0.5, inquestDue: death, inquestOpened: death && random() < 0.5,
    daysToCharge: charged ? 100 + Math.floor(random() * 900) : null, investigationOpen: investigated && !charged && random() < 0.5,
    stalledInvestigation: false, ...o,
  };
}

function release(facts: IncidentFact[], before: ReturnType<typeof releaseContentFor> | null, number: number) {
  const g = new UnitGroups();
  for (const f of facts) g.addUnit(incidentUnit(f));
  const previous = before ? previousRelease(before.tables, before.disclosure, INCIDENTS) : null;
  return releaseContentFor(INCIDENTS, g.list(), solver, previous,
    { agencies: AGENCIES, bodies: BODIES, asOfYear: 2026, labels: new Map(), number }, before?.disclosure.shown ?? {});
}

function expectSafe(r: ReturnType<typeof releaseContentFor>, before: ReturnType<typeof releaseContentFor> | null = null) {
  const audit = auditRelease(solver, r, before, INCIDENTS);
  expect(audit.violations).toEqual([]);
  expect(audit.findings.filter((f) => !f.protectedEnough).map((f) => `${f.id} ${f.kind} ${f.value} [${f.lo}, ${f.hi}]`)).toEqual([]);
}

describe('accountability tables', () => {
  it('when one body holds 40 incidents and another 2, then the small body\'s funnel is "5 or fewer" and cannot be worked out from the totals', () => {
    const random = seeded(21);
    const r = release([...Array.from({ length: 40 }, () => incident(random, { responsibleBody: 'ipoa' })), ...Array.from({ length: 2 }, () => incident(random, { responsibleBody: 'kdf-internal' }))], null, 1);
    expect(r.tables.by_body!.find((x) => x.body_id === 'kdf-internal')!.documented).toBe(SMALL_MARKER);
    expectSafe(r);
  });

  it('when incidents name several acts or agencies, then each is counted once, in the row "several", and the rows add up', () => {
    const random = seeded(22);
    const facts = [...Array.from({ length: 30 }, () => incident(random)), incident(random, { perpetratorAgencies: ['kenya-defence-forces', 'national-police-service'] })];
    const r = release(facts, null, 1);
    expect(r.tables.by_agency!.map((x) => x.agency_id)).toContain(SEVERAL);
    expect(r.tables.by_acts!.map((x) => x.acts)).toContain(SEVERAL);
    expectSafe(r);
  });

  it('when six incidents join, one of them in a small county, then the difference of two releases does not find it', () => {
    const random = seeded(23);
    const base = Array.from({ length: 60 }, () => incident(random, { county: 'nairobi' }));
    const first = release(base, null, 1);
    expectSafe(first);
    const second = release([...base, incident(random, { county: 'kisumu', year: 2019 }), ...Array.from({ length: 5 }, () => incident(random, { county: 'nairobi' }))], first, 2);
    expectSafe(second, first);
  });

  it.each([[31, 25], [32, 120]])('when generated data set %i has %i incidents of every shape, then the audit recovers nothing', (seed, n) => {
    const random = seeded(seed);
    expectSafe(release(Array.from({ length: n }, () => incident(random)), null, 1));
  });
});
