/**
 * The public tables of a release, and the reverse: what an outsider reads back from them. Counts are numbers or
 * the markers below; amounts are KES cents rounded to whole thousands of shillings, or withheld.
 */
import type { AmountView, CountView, PublicView } from './attack';
import { AMOUNT_UNIT_CENTS, SMALL } from './attack';
import { AMOUNT_MEASURES, type CountMeasure, MEASURES_OF, type ReleaseModel, TABLE_IDS, type TableId, cellId, rowId } from './model';

export const SMALL_MARKER = '5 or fewer';
/** A count hidden so that another cannot be worked out; it holds more than 5. */
export const HIDDEN_MARKER = 'hidden';
export const WITHHELD_MARKER = 'withheld';
export const MARKERS = [SMALL_MARKER, HIDDEN_MARKER, WITHHELD_MARKER] as const;

export type PublishedCount = number | typeof SMALL_MARKER | typeof HIDDEN_MARKER;
export type PublishedAmount = number | typeof WITHHELD_MARKER;
export type PublishedRow = Record<string, string | number>;
export type PublishedTables = Record<TableId, PublishedRow[]>;

/** The column that names each table's row. */
export const KEY_COLUMN: Record<TableId, string> = {
  totals: 'scope', by_year: 'year_of_judgment', by_violation_type: 'violation_type', by_stage: 'stage', by_agency: 'agency_id',
};
const amountColumn = (m: string) => `${m}_cents`;
export const MEDIAN_COLUMN = 'median_days_to_full_payment';
const MEDIAN_TABLES: readonly TableId[] = ['totals', 'by_year', 'by_violation_type', 'by_agency'];

/** Column order of each table, as published (CSV header, Table Schema). */
export function columnsOf(table: TableId): string[] {
  return [
    KEY_COLUMN[table], ...(table === 'by_agency' ? ['agency'] : []),
    ...MEASURES_OF[table], ...AMOUNT_MEASURES.map(amountColumn), ...(MEDIAN_TABLES.includes(table) ? [MEDIAN_COLUMN] : []),
  ];
}

/** Median in whole days, half up; published only for six or more claims paid in full whose count is published. */
function median(days: number[]): number {
  const s = [...days].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.floor((s[m - 1]! + s[m]! + 1) / 2);
}

export function renderTables(model: ReleaseModel, view: PublicView, agencyNames: Map<string, string>): PublishedTables {
  const out = {} as PublishedTables;
  for (const table of TABLE_IDS) {
    out[table] = model.rows[table].map((row) => {
      const r: PublishedRow = { [KEY_COLUMN[table]]: table === 'by_year' ? Number(row) : row };
      if (table === 'by_agency') r.agency = agencyNames.get(row) ?? row;
      for (const m of MEASURES_OF[table]) {
        const v = view.counts.get(cellId(table, row, m))!;
        r[m] = v.state === 'published' ? v.value : v.state === 'small' ? SMALL_MARKER : HIDDEN_MARKER;
      }
      for (const m of AMOUNT_MEASURES) {
        const v = view.amounts.get(cellId(table, row, m))!;
        r[amountColumn(m)] = v.state === 'published' ? v.thousands * Number(AMOUNT_UNIT_CENTS) : WITHHELD_MARKER;
      }
      if (MEDIAN_TABLES.includes(table)) {
        const delays = model.delays.get(rowId(table, row)) ?? [];
        const paidCount = view.counts.get(cellId(table, row, 'paid_in_full'));
        r[MEDIAN_COLUMN] = paidCount?.state === 'published' && delays.length > SMALL ? median(delays) : WITHHELD_MARKER;
      }
      return r;
    });
  }
  return out;
}

/** What an outsider reads from the published tables: the attack's starting point (`npm run audit-release`). */
export function viewFromTables(tables: PublishedTables): PublicView {
  const rows = {} as PublicView['rows'];
  const counts = new Map<string, CountView>();
  const amounts = new Map<string, AmountView>();
  for (const table of TABLE_IDS) {
    rows[table] = (tables[table] ?? []).map((r) => String(r[KEY_COLUMN[table]]));
    for (const r of tables[table] ?? []) {
      const row = String(r[KEY_COLUMN[table]]);
      for (const m of MEASURES_OF[table] as readonly CountMeasure[]) {
        const v = r[m];
        counts.set(cellId(table, row, m), typeof v === 'number' ? { state: 'published', value: v } : v === SMALL_MARKER ? { state: 'small' } : { state: 'hidden' });
      }
      for (const m of AMOUNT_MEASURES) {
        const v = r[amountColumn(m)];
        amounts.set(cellId(table, row, m), typeof v === 'number' ? { state: 'published', thousands: v / Number(AMOUNT_UNIT_CENTS) } : { state: 'withheld' });
      }
    }
  }
  return { rows, counts, amounts };
}
