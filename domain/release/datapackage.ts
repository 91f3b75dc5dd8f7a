/**
 * The open data of a release as a Frictionless Data Package: one CSV (and JSON) per table, each with a Table Schema.
 * The package's version is the version of its schema; it changes only when a field does (a test pins the schema).
 */
import { TABLE_IDS, type TableId } from './model';
import { KEY_COLUMN, MARKERS, MEDIAN_COLUMN, columnsOf } from './publish';

export const DATA_PACKAGE_VERSION = '1.0.0';

const TABLE_TITLES: Record<TableId, string> = {
  totals: 'All court orders',
  by_year: 'Court orders by year of judgment',
  by_violation_type: 'Court orders by violation type (an order naming two violations counts under each)',
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
};

function field(table: TableId, name: string): Record<string, unknown> {
  if (name === KEY_COLUMN[table]) {
    if (table === 'by_year') return { name, type: 'year', description: 'year of the judgment' };
    return { name, type: 'string', description: table === 'totals' ? 'always "all"' : table === 'by_agency' ? 'the respondent agency\'s identifier' : `the ${name.replace(/_/g, ' ')}` };
  }
  if (name === 'agency') return { name, type: 'string', description: 'the respondent agency' };
  if (name === MEDIAN_COLUMN) return { name, type: 'integer', unit: 'days', description: 'median days from judgment to full payment; withheld for fewer than six such orders' };
  if (name.endsWith('_cents')) {
    return {
      name, type: 'integer', unit: 'KES cents', constraints: { minimum: name === 'outstanding_cents' ? undefined : 0 },
      description: `${name.replace('_cents', '')} amount in KES cents, rounded to the nearest KSh 1,000 (100,000 cents); withheld where the row's order count is not published`
        + (name === 'outstanding_cents' ? ' (includes interest to the release date)' : ''),
    };
  }
  return { name, type: 'integer', constraints: { minimum: 0 }, description: `${COUNT_DESCRIPTIONS[name]}; "5 or fewer" for 1 to 5, "hidden" where hidden to protect another figure` };
}

export function tableSchema(table: TableId): Record<string, unknown> {
  return {
    fields: columnsOf(table).map((name) => JSON.parse(JSON.stringify(field(table, name)))),
    primaryKey: [KEY_COLUMN[table]],
    missingValues: ['', ...MARKERS],
  };
}

export interface ReleaseStamp {
  number: number;
  publishedAt: string;
  asOf: string;
}

export function dataPackage(release: ReleaseStamp): Record<string, unknown> {
  return {
    profile: 'tabular-data-package',
    name: 'redress-court-awards',
    title: 'Court awards to survivors of torture, extra-judicial killing and enforced disappearance: what the State owes and has paid',
    description: 'Aggregates only, from one published release. Counts of 1 to 5 are "5 or fewer"; figures that would let another be '
      + 'worked out are "hidden"; amounts are rounded to KSh 1,000 and withheld where their count is not published. Counts are '
      + 'what was recorded in Redress, not how many violations happened.',
    version: DATA_PACKAGE_VERSION,
    created: release.publishedAt,
    'redress:release': release.number,
    'redress:asOf': release.asOf,
    licenses: [{ name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' }],
    resources: TABLE_IDS.map((table) => ({
      name: table.replace(/_/g, '-'),
      title: TABLE_TITLES[table],
      path: `data/${table}.csv`,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      schema: tableSchema(table),
    })),
  };
}
