/** The accountability tables: pure aggregation of facts that carry no identifier (no disclosure control here). */
import { type IncidentFact, accountabilityAggregator, accountabilityTables, median } from '../../domain/incident';

const fact = (overrides: Partial<IncidentFact> = {}): IncidentFact => ({
  year: 2024, acts: ['torture'], county: 'nairobi', perpetratorAgencies: ['national-police-service'], responsibleBody: 'ipoa',
  investigated: false, charged: false, convicted: false, inquestDue: false, inquestOpened: false, daysToCharge: null,
  stalledInvestigation: false, investigationOpen: true, ...overrides,
});

const facts: IncidentFact[] = [
  fact(),
  fact({ investigated: true, stalledInvestigation: true }),
  fact({ investigated: true, charged: true, daysToCharge: 200, investigationOpen: false }),
  fact({ investigated: true, charged: true, convicted: true, daysToCharge: 100, investigationOpen: false, year: 2025 }),
  fact({ acts: ['death_in_custody', 'torture'], inquestDue: true, inquestOpened: true, county: 'kisumu', investigated: true, stalledInvestigation: true }),
  fact({ acts: ['extra_judicial_killing'], inquestDue: true, responsibleBody: 'dci', perpetratorAgencies: ['kenya-defence-forces', 'national-police-service'], county: 'garissa', year: 2025 }),
  fact({ acts: ['arbitrary_arrest_or_detention'], responsibleBody: 'dci', investigated: true, charged: true, daysToCharge: 451, investigationOpen: false, year: 2025 }),
];

it('when incidents move from documented to convicted, then the funnel narrows at each stage, overall, per year and per body', () => {
  const t = accountabilityTables(facts);
  expect(t.totals).toEqual({ documented: 7, investigated: 5, charged: 3, convicted: 1, inquestsDue: 2, inquestsOpened: 1 });
  expect(t.by_year).toEqual([
    { year: 2024, documented: 4, investigated: 3, charged: 1, convicted: 0 },
    { year: 2025, documented: 3, investigated: 2, charged: 2, convicted: 1 },
  ]);
  expect(t.by_body).toEqual([
    { body: 'dci', documented: 2, investigated: 1, charged: 1, convicted: 0 },
    { body: 'ipoa', documented: 5, investigated: 4, charged: 2, convicted: 1 },
  ]);
});

it('when a breakdown is by one dimension, then it is a partition: its rows add up to the total (an incident with several acts or agencies counts once, under its set)', () => {
  const t = accountabilityTables(facts);
  const sum = (rows: { documented: number }[]) => rows.reduce((s, r) => s + r.documented, 0);
  for (const table of [t.by_act_set, t.by_year, t.by_county, t.by_agency, t.by_body]) expect(sum(table)).toBe(t.totals.documented);
  expect(t.by_act_set).toEqual([
    { acts: 'arbitrary_arrest_or_detention', documented: 1 }, { acts: 'death_in_custody+torture', documented: 1 },
    { acts: 'extra_judicial_killing', documented: 1 }, { acts: 'torture', documented: 4 },
  ]);
  expect(t.by_agency).toEqual([{ agencies: 'kenya-defence-forces+national-police-service', documented: 1 }, { agencies: 'national-police-service', documented: 6 }]);
  expect(t.by_county.map((c) => c.county)).toEqual(['garissa', 'kisumu', 'nairobi']);
});

it('when the days from incident to charge are known, then the median is over the charged incidents only, with how many it covers', () => {
  const t = accountabilityTables(facts);
  expect(t.days_to_charge).toEqual({ median: 200, n: 3 });
  expect(t.days_to_charge_by_body).toEqual([{ body: 'dci', median: 451, n: 1 }, { body: 'ipoa', median: 150, n: 2 }]);
  expect(median([])).toEqual({ median: null, n: 0 });
  expect(median([1, 2])).toEqual({ median: 2, n: 2 }); // 1.5 rounds half up
  expect(median([10, 2, 7])).toEqual({ median: 7, n: 3 });
});

it('when investigations stall, then the league table puts the body with most stalled first', () => {
  expect(accountabilityTables(facts).stalled_by_body).toEqual([
    { body: 'ipoa', openInvestigations: 3, stalled: 2 },
    { body: 'dci', openInvestigations: 1, stalled: 0 },
  ]);
});

it('when facts arrive in batches, then the tables are the same as from all at once', () => {
  const batched = accountabilityAggregator();
  batched.add(facts.slice(0, 3));
  batched.add(facts.slice(3));
  expect(batched.tables()).toEqual(accountabilityTables(facts));
  expect(accountabilityTables([])).toMatchObject({ totals: { documented: 0 }, by_year: [], days_to_charge: { median: null, n: 0 }, stalled_by_body: [] });
});
