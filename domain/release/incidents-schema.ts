/**
 * The public accountability tables (incidents), as a schema of the same disclosure engine as the orders' tables:
 * counts of incidents by year, acts, county, perpetrator agency and responsible body, the attrition from documented
 * to investigated, charged and convicted, investigations open and stalled, inquests due and opened, and the median
 * days from an incident to charges. An incident's status is one atom: how far it went (documented, investigated,
 * charged, convicted) × its investigation (not open, open, open and stalled) × its inquest (none due, due, opened).
 */
import type { IncidentFact } from '../incident/fact';
import { ACTS, COUNTIES } from '../incident/incident';
import { EARLIER_YEARS_ROW, FIRST_YEAR_ROW, yearRowOf } from './claims-schema';
import { type UnitFact, type UnitSchema } from './schema';

export const INCIDENT_TABLE_IDS = ['totals', 'by_year', 'by_acts', 'by_county', 'by_agency', 'by_body'] as const;
export type IncidentTableId = (typeof INCIDENT_TABLE_IDS)[number];
/** An incident of two or more acts (or perpetrator agencies) is counted once, in this row. */
export const SEVERAL = 'several';

const FUNNEL = ['documented', 'investigated', 'charged', 'convicted'] as const;
const INVESTIGATION = ['not_open', 'open', 'stalled'] as const;
const INQUEST = ['none_due', 'due', 'opened'] as const;
const ATOM_COUNT = FUNNEL.length * INVESTIGATION.length * INQUEST.length;
const atom = (funnel: number, investigation: number, inquest: number) => (funnel * INVESTIGATION.length + investigation) * INQUEST.length + inquest;
const parts = (a: number) => ({ funnel: Math.floor(a / (INVESTIGATION.length * INQUEST.length)), investigation: Math.floor(a / INQUEST.length) % INVESTIGATION.length, inquest: a % INQUEST.length });

const ALL = Array.from({ length: ATOM_COUNT }, (_, a) => a);
function incidentAtomsOf(measure: string): number[] {
  const where = (test: (p: ReturnType<typeof parts>) => boolean) => ALL.filter((a) => test(parts(a)));
  switch (measure) {
    case 'documented': return ALL;
    case 'investigated': return where((p) => p.funnel >= 1);
    case 'charged': return where((p) => p.funnel >= 2);
    case 'convicted': return where((p) => p.funnel === 3);
    case 'open_investigations': return where((p) => p.investigation >= 1);
    case 'stalled': return where((p) => p.investigation === 2);
    case 'inquests_due': return where((p) => p.inquest >= 1);
    case 'inquests_opened': return where((p) => p.inquest === 2);
    case 'not_investigated': return where((p) => p.funnel === 0);
    case 'not_charged': return where((p) => p.funnel <= 1);
    default: throw new Error(`no measure ${measure} of incidents`);
  }
}

const FUNNEL_MEASURES = ['documented', 'investigated', 'charged', 'convicted'];

/** What the rows are drawn from: the register of agencies and of responsible bodies, and the release's year. */
export interface IncidentRowContext {
  agencies: string[];
  bodies: string[];
  asOfYear: number;
}

export const INCIDENTS: UnitSchema = {
  unitMeasure: 'documented',
  tables: INCIDENT_TABLE_IDS,
  staticTables: INCIDENT_TABLE_IDS,
  amountTables: [],
  amountMeasures: [],
  flowAmount: null,
  changedAmounts: [],
  companions: {},
  measures: {
    totals: [...FUNNEL_MEASURES, 'open_investigations', 'stalled', 'inquests_due', 'inquests_opened'],
    by_year: FUNNEL_MEASURES,
    by_acts: ['documented'],
    by_county: ['documented'],
    by_agency: ['documented'],
    by_body: [...FUNNEL_MEASURES, 'open_investigations', 'stalled'],
  },
  atomCount: ATOM_COUNT,
  atomsOf: incidentAtomsOf,
  // Documented less investigated (never investigated), investigated less charged: implied, so protected like a count.
  derived: [{ measure: 'not_investigated', part: 'investigated' }, { measure: 'not_charged', part: 'charged' }],
  atomPossible: () => true,
  extraRelations: () => [],
  keyColumn: { totals: 'scope', by_year: 'year_of_incident', by_acts: 'acts', by_county: 'county', by_agency: 'agency_id', by_body: 'body_id' },
  labelColumn: { by_agency: 'agency', by_body: 'body' },
  medianTables: ['totals', 'by_body'],
  medianColumn: 'median_months_to_charge',
  medianBasis: 'charged',
  rowsOf: (context) => {
    const c = context as IncidentRowContext;
    return {
      totals: ['all'],
      by_year: [EARLIER_YEARS_ROW, ...Array.from({ length: c.asOfYear - FIRST_YEAR_ROW + 1 }, (_, i) => String(FIRST_YEAR_ROW + i))],
      by_acts: [...ACTS, SEVERAL],
      by_county: [...COUNTIES],
      by_agency: [...[...new Set(c.agencies)].sort(), SEVERAL],
      by_body: [...new Set(c.bodies)].sort(),
    };
  },
  rowFor: (table, key, context) => (table === 'by_year' && /^\d{4}$/.test(key) && Number(key) > (context as IncidentRowContext).asOfYear
    ? String((context as IncidentRowContext).asOfYear) : key),
};

/** One incident as the disclosure engine sees it. */
export function incidentUnit(f: IncidentFact): UnitFact {
  const funnel = f.convicted ? 3 : f.charged ? 2 : f.investigated ? 1 : 0;
  const investigation = f.stalledInvestigation ? 2 : f.investigationOpen ? 1 : 0;
  const inquest = f.inquestOpened ? 2 : f.inquestDue ? 1 : 0;
  return {
    rows: {
      by_year: yearRowOf(f.year),
      by_acts: f.acts.length === 1 ? f.acts[0]! : SEVERAL,
      by_county: f.county,
      by_agency: f.perpetratorAgencies.length === 1 ? f.perpetratorAgencies[0]! : SEVERAL,
      by_body: f.responsibleBody,
    },
    atom: atom(funnel, investigation, inquest),
    amounts: {},
    delayDays: f.daysToCharge,
  };
}
