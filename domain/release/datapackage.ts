/**
 * The open data of a release as a Frictionless Data Package: one CSV (and JSON) per table, each with a Table Schema.
 * The package's version is the version of its schema; it changes only when a field does (a test pins the schema).
 */
import { KEY_COLUMN, MEDIAN_COLUMN, TABLE_IDS, type TableId, columnsOf } from './claims-schema';
import { INCIDENTS, INCIDENT_TABLE_IDS } from './incidents-schema';
import { MARKERS, columnsOfTable } from './publish';

export const DATA_PACKAGE_VERSION = '1.2.0'; // 1.1.0 added the accountability tables; 1.2.0 the agencies' acknowledgment columns

const TABLE_TITLES: Record<TableId, string> = {
  totals: 'All court orders',
  by_year: 'Court orders by year of judgment',
  by_violations: 'Court orders by the violations they name (an order naming two is in the row for the two, once)',
  by_stage: 'Court orders by stage',
  by_agency: 'Compliance by respondent agency',
};

const COUNT_DESCRIPTIONS: Record<string, string> = {
  orders: 'court orders registered',
  overdue: 'orders with a deadline that has lapsed',
  paid_in_full: 'orders paid in full (including settled)',
  level_0: 'overdue orders whose reminders have reached the accounting officer (level 0)',
  level_1: 'overdue orders escalated to the principal secretary (level 1)',
  level_2: 'overdue orders escalated to the Attorney General (level 2)',
  level_3: 'overdue orders escalated to the National Treasury and Controller of Budget (level 3)',
  level_4: 'overdue orders escalated to oversight bodies (level 4)',
  reminded: 'orders the State has been reminded of (a reminder to the agency or above it sent)',
  acknowledged: 'of the orders reminded, those with a reminder acknowledged by an officer of the agency through its link',
};

function field(table: TableId, name: string): Record<string, unknown> {
  if (name === KEY_COLUMN[table]) {
    if (table === 'by_year') return { name, type: 'string', description: 'year of the judgment ("before 2000" for earlier ones)' };
    if (table === 'by_violations') return { name, type: 'string', description: 'the violation types the orders name, joined by "+"' };
    return { name, type: 'string', description: table === 'totals' ? 'always "all"' : table === 'by_agency' ? 'the respondent agency\'s identifier' : `the ${name.replace(/_/g, ' ')}` };
  }
  if (name === 'agency') return { name, type: 'string', description: 'the respondent agency' };
  if (name === MEDIAN_COLUMN) return { name, type: 'integer', unit: 'months', description: 'median months from judgment to full payment, whole months; withheld for fewer than six such orders' };
  if (name.endsWith('_cents')) {
    return {
      name, type: 'integer', unit: 'KES cents', constraints: { minimum: name === 'outstanding_cents' ? undefined : 0 },
      description: `${name.replace('_cents', '')} amount in KES cents, rounded to two significant figures and at least to the nearest KSh 1 million; withheld where the row's order count is not published or 5 or fewer orders make it up`
        + (name === 'outstanding_cents' ? ' (includes interest)' : '') + '; as at the end of the month before the release (redress:moneyAsOf)',
    };
  }
  return { name, type: 'integer', constraints: { minimum: 6 }, description: `${COUNT_DESCRIPTIONS[name]}; "5 or fewer" for 0 to 5, "hidden" where hidden to protect another figure (more than 5)` };
}

export function tableSchema(table: TableId): Record<string, unknown> {
  return {
    fields: columnsOf(table).map((name) => JSON.parse(JSON.stringify(field(table, name)))),
    primaryKey: [KEY_COLUMN[table]],
    missingValues: ['', ...MARKERS],
  };
}

/** The indicators of a release (computed from its orders and referrals; domain/report/public-indicators.ts). */
export const INDICATOR_COLUMNS = ['indicator_id', 'period', 'period_kind', 'name_en', 'name_sw', 'unit', 'value', 'basis', 'to_date', 'target', 'target_direction', 'source'];

export function indicatorSchema(): Record<string, unknown> {
  const f = (name: string, type: string, description: string) => ({ name, type, description });
  return {
    fields: [
      f('indicator_id', 'string', 'the indicator (docs/indicators.md defines each)'),
      f('period', 'string', 'a calendar quarter (2026-Q3) or a Kenyan financial year (2026/27)'),
      f('period_kind', 'string', '"quarter" or "financial_year"'),
      f('name_en', 'string', 'the indicator in English'), f('name_sw', 'string', 'the indicator in Kiswahili'),
      f('unit', 'string', '"percent", "months", "cents" (KES cents, rounded like every public amount) or "per_100"'),
      f('value', 'number', 'the value; "withheld" where 5 or fewer orders, referrals or incidents stand behind it (or its complement), "no data" where nothing is recorded yet'),
      f('basis', 'string', '"more than 5", or why the value is withheld'),
      f('to_date', 'boolean', 'true while the period has not ended: measured to the release date'),
      f('target', 'number', 'the target the indicator tracks against'),
      f('target_direction', 'string', '"at_least" or "at_most"'),
      f('source', 'string', 'the law or recommendation the indicator tracks'),
    ],
    primaryKey: ['indicator_id', 'period'],
    missingValues: ['', 'withheld', 'no data'],
  };
}

/** The Table Schema of an accountability table: counts of incidents, the median months to charge. */
export function incidentTableSchema(table: string): Record<string, unknown> {
  return {
    fields: columnsOfTable(INCIDENTS, table).map((name) => (name === INCIDENTS.keyColumn[table] || name === INCIDENTS.labelColumn[table]
      ? { name, type: 'string' }
      : name === INCIDENTS.medianColumn
        ? { name, type: 'integer', unit: 'months', description: 'median months from the incident to charges being filed; withheld for fewer than six' }
        : { name, type: 'integer', constraints: { minimum: 6 }, description: `incidents ${name.replace(/_/g, ' ')}; "5 or fewer" for 0 to 5, "hidden" where hidden to protect another` })),
    primaryKey: [INCIDENTS.keyColumn[table]],
    missingValues: ['', ...MARKERS],
  };
}

export interface ReleaseStamp {
  number: number;
  publishedAt: string;
  asOf: string;
  moneyAsOf?: string;
}

export function dataPackage(release: ReleaseStamp): Record<string, unknown> {
  return {
    profile: 'tabular-data-package',
    name: 'redress-court-awards',
    title: 'Court awards to survivors of torture, extra-judicial killing and enforced disappearance: what the State owes and has paid',
    description: 'Aggregates only, from one published release. Counts of 0 to 5 are "5 or fewer"; figures that would let another be '
      + 'worked out are "hidden"; amounts are rounded to two significant figures (at least to KSh 1 million) and withheld where '
      + 'their count is not published or 5 or fewer orders make them up. New orders enter the figures six or more at a time. '
      + 'Counts are what was recorded in Redress, not how many violations happened.',
    version: DATA_PACKAGE_VERSION,
    created: release.publishedAt,
    'redress:release': release.number,
    'redress:asOf': release.asOf,
    'redress:moneyAsOf': release.moneyAsOf,
    licenses: [{ name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' }],
    resources: [
      ...TABLE_IDS.map((table) => ({
        name: table.replace(/_/g, '-'),
        title: TABLE_TITLES[table],
        path: `data/${table}.csv`,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        schema: tableSchema(table),
      })),
      {
        name: 'indicators', title: 'Monitoring and evaluation indicators, per quarter and financial year', path: 'data/indicators.csv',
        profile: 'tabular-data-resource', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', schema: indicatorSchema(),
      },
      ...INCIDENT_TABLE_IDS.map((table) => ({
        name: `accountability-${table.replace(/_/g, '-')}`,
        title: `Incidents documented, ${table === 'totals' ? 'in all' : table.replace('by_', 'by ')} (documented counts are what was reported, not how many violations happened)`,
        path: `data/accountability/${table}.csv`, profile: 'tabular-data-resource', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8',
        schema: incidentTableSchema(table),
      })),
    ],
  };
}
