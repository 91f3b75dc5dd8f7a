/**
 * The accountability tables a release publishes, computed from facts about incidents that carry no identifier
 * (db/incident-facts.ts). Pure aggregation, with no disclosure control: the release (domain/release/) suppresses and
 * rounds these cells like its others before anything is public. Each breakdown by a single dimension is a partition
 * (every incident counted once: an incident with several acts or perpetrator agencies falls under their set), so the
 * rows of a table add up to the total, as the release's disclosure attack expects of its other tables.
 */
import type { Act, County } from './incident';

/** One incident, as the public tables see it: no id, no reference, no victim, no date finer than the year. */
export interface IncidentFact {
  year: number;
  /** Sorted, distinct. */
  acts: Act[];
  county: County;
  /** Sorted, distinct agency ids. */
  perpetratorAgencies: string[];
  /** The body that holds (held) the investigation. */
  responsibleBody: string;
  /** An investigation was opened. */
  investigated: boolean;
  /** Charges were filed in court. */
  charged: boolean;
  /** At least one accused convicted (and not quashed on a defence appeal). */
  convicted: boolean;
  /** The incident includes a death, so an inquest is due. */
  inquestDue: boolean;
  inquestOpened: boolean;
  /** Days from the incident to the charges being filed; null when not charged. */
  daysToCharge: number | null;
  /** The investigation is open and one of its deadlines has lapsed. */
  stalledInvestigation: boolean;
  /** The investigation is still open (not forwarded, disciplined or closed). */
  investigationOpen: boolean;
}

export interface Funnel {
  documented: number;
  investigated: number;
  charged: number;
  convicted: number;
}

export interface Median {
  /** The median in whole days (the mean of the middle two, rounded half up, for an even count); null with none. */
  median: number | null;
  /** How many values it is the median of (the release suppresses a median of too few). */
  n: number;
}

export interface AccountabilityTables {
  totals: Funnel & { inquestsDue: number; inquestsOpened: number };
  /** Incidents by their set of acts, e.g. "death_in_custody+torture". */
  by_act_set: { acts: string; documented: number }[];
  by_year: ({ year: number } & Funnel)[];
  by_county: { county: string; documented: number }[];
  /** Incidents by their set of alleged perpetrator agencies. */
  by_agency: { agencies: string; documented: number }[];
  /** The attrition per responsible body: documented -> investigated -> charged -> convicted. */
  by_body: ({ body: string } & Funnel)[];
  days_to_charge: Median;
  days_to_charge_by_body: ({ body: string } & Median)[];
  /** The league table for accountability: open investigations and those stalled (a lapsed deadline), per body. */
  stalled_by_body: { body: string; openInvestigations: number; stalled: number }[];
}

const emptyFunnel = (): Funnel => ({ documented: 0, investigated: 0, charged: 0, convicted: 0 });
function count(f: Funnel, fact: IncidentFact): void {
  f.documented++;
  if (fact.investigated) f.investigated++;
  if (fact.charged) f.charged++;
  if (fact.convicted) f.convicted++;
}

export function median(values: number[]): Median {
  if (values.length === 0) return { median: null, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[mid]! : Math.floor((sorted[mid - 1]! + sorted[mid]! + 1) / 2);
  return { median: value, n: sorted.length };
}

/** Adds facts batch by batch (the scan's keyset batches); `tables()` then gives every table, rows in a fixed order. */
export function accountabilityAggregator() {
  const totals = { ...emptyFunnel(), inquestsDue: 0, inquestsOpened: 0 };
  const byActSet = new Map<string, number>();
  const byYear = new Map<number, Funnel>();
  const byCounty = new Map<string, number>();
  const byAgency = new Map<string, number>();
  const byBody = new Map<string, Funnel>();
  const days: number[] = [];
  const daysByBody = new Map<string, number[]>();
  const stalled = new Map<string, { openInvestigations: number; stalled: number }>();
  const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
  const at = <K, V>(m: Map<K, V>, k: K, init: () => V): V => { if (!m.has(k)) m.set(k, init()); return m.get(k)!; };

  function add(facts: Iterable<IncidentFact>): void {
    for (const f of facts) {
      count(totals, f);
      if (f.inquestDue) totals.inquestsDue++;
      if (f.inquestOpened) totals.inquestsOpened++;
      bump(byActSet, [...f.acts].sort().join('+'));
      count(at(byYear, f.year, emptyFunnel), f);
      bump(byCounty, f.county);
      bump(byAgency, [...f.perpetratorAgencies].sort().join('+'));
      count(at(byBody, f.responsibleBody, emptyFunnel), f);
      if (f.daysToCharge !== null) {
        days.push(f.daysToCharge);
        at(daysByBody, f.responsibleBody, () => [] as number[]).push(f.daysToCharge);
      }
      const league = at(stalled, f.responsibleBody, () => ({ openInvestigations: 0, stalled: 0 }));
      if (f.investigationOpen) league.openInvestigations++;
      if (f.stalledInvestigation) league.stalled++;
    }
  }

  function tables(): AccountabilityTables {
    const keys = <K extends string | number>(m: Map<K, unknown>) => [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      totals: { ...totals },
      by_act_set: keys(byActSet).map((acts) => ({ acts, documented: byActSet.get(acts)! })),
      by_year: keys(byYear).map((year) => ({ year, ...byYear.get(year)! })),
      by_county: keys(byCounty).map((county) => ({ county, documented: byCounty.get(county)! })),
      by_agency: keys(byAgency).map((agencies) => ({ agencies, documented: byAgency.get(agencies)! })),
      by_body: keys(byBody).map((body) => ({ body, ...byBody.get(body)! })),
      days_to_charge: median(days),
      days_to_charge_by_body: keys(byBody).map((body) => ({ body, ...median(daysByBody.get(body) ?? []) })),
      // Most stalled first: the league table reads from the top.
      stalled_by_body: keys(stalled).map((body) => ({ body, ...stalled.get(body)! }))
        .sort((a, b) => b.stalled - a.stalled || b.openInvestigations - a.openInvestigations || (a.body < b.body ? -1 : 1)),
    };
  }

  return { add, tables };
}

export function accountabilityTables(facts: Iterable<IncidentFact>): AccountabilityTables {
  const aggregator = accountabilityAggregator();
  aggregator.add(facts);
  return aggregator.tables();
}
