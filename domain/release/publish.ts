/**
 * The public tables of a release, and the reverse: what an outsider reads back from them. Counts are numbers or
 * markers; amounts are KES cents rounded (below), or withheld.
 */
import type { AmountView, CountView, PublicView } from './attack';
import { AMOUNT_UNIT_CENTS, SMALL } from './attack';
import { AMOUNT_MEASURES, AMOUNT_TABLES, type CountMeasure, MEASURES_OF, type ReleaseModel, TABLE_IDS, type TableId, cellId, rowId } from './model';

/** A count of 0 to 5: shown so for zeros too, so that no empty cell points at the one that is not. */
export const SMALL_MARKER = '5 or fewer';
/** A count hidden so that another cannot be worked out; it holds more than 5. */
export const HIDDEN_MARKER = 'hidden';
export const WITHHELD_MARKER = 'withheld';
export const MARKERS = [SMALL_MARKER, HIDDEN_MARKER, WITHHELD_MARKER] as const;

export type PublishedRow = Record<string, string | number>;
export type PublishedTables = Record<TableId, PublishedRow[]>;

/** The column that names each table's row. */
export const KEY_COLUMN: Record<TableId, string> = {
  totals: 'scope', by_year: 'year_of_judgment', by_violations: 'violations', by_stage: 'stage', by_agency: 'agency_id',
};
const amountColumn = (m: string) => `${m}_cents`;
export const MEDIAN_COLUMN = 'median_months_to_full_payment';
const MEDIAN_TABLES: readonly TableId[] = ['totals', 'by_year', 'by_violations', 'by_agency'];

/** Column order of each table, as published (CSV header, Table Schema). */
export function columnsOf(table: TableId): string[] {
  return [
    KEY_COLUMN[table], ...(table === 'by_agency' ? ['agency'] : []), ...MEASURES_OF[table],
    ...(AMOUNT_TABLES.includes(table) ? AMOUNT_MEASURES.map(amountColumn) : []), ...(MEDIAN_TABLES.includes(table) ? [MEDIAN_COLUMN] : []),
  ];
}

/**
 * Published amounts are rounded half up to two significant figures, and never more finely than KSh 1 million, so
 * that one order's award or payment cannot be read off the difference of two figures (or of two releases).
 */
const MIN_UNIT_CENTS = 100_000_000n; // KSh 1,000,000
function unitFor(cents: bigint): bigint {
  const abs = cents < 0n ? -cents : cents;
  const digits = abs.toString().length;
  const twoFigures = digits > 2 ? 10n ** BigInt(digits - 2) : 1n;
  return twoFigures > MIN_UNIT_CENTS ? twoFigures : MIN_UNIT_CENTS;
}

export function roundAmount(cents: bigint): bigint {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const unit = unitFor(abs);
  const rounded = ((2n * abs + unit) / (2n * unit)) * unit;
  return negative ? -rounded : rounded;
}

/** Every true value (thousands of shillings) that rounds to the published `cents`: what an attacker can infer. */
export function roundingInterval(cents: number): { lo: number; hi: number } {
  const c = BigInt(cents);
  const below = unitFor(c > 0n ? c - 1n : c); // values just under a round figure may have a finer unit
  const above = unitFor(c);
  const unit = Number(AMOUNT_UNIT_CENTS);
  return { lo: (cents - Number(below) / 2) / unit, hi: (cents + Number(above) / 2) / unit };
}

/** Median in whole months (of 30.44 days), half up; published only for six or more orders paid in full whose count is published. */
function medianMonths(days: number[]): number {
  const s = [...days].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const d = s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  return Math.floor(d / 30.4375 + 0.5);
}

export function renderTables(model: ReleaseModel, view: PublicView, amounts: Map<string, bigint | null>, agencyNames: Map<string, string>): PublishedTables {
  const out = {} as PublishedTables;
  for (const table of TABLE_IDS) {
    out[table] = model.rows[table].map((row) => {
      const r: PublishedRow = { [KEY_COLUMN[table]]: row };
      if (table === 'by_agency') r.agency = agencyNames.get(row) ?? row;
      for (const m of MEASURES_OF[table]) {
        const v = view.counts.get(cellId(table, row, m))!;
        r[m] = v.state === 'published' ? v.value : v.state === 'small' ? SMALL_MARKER : HIDDEN_MARKER;
      }
      if (AMOUNT_TABLES.includes(table)) {
        for (const m of AMOUNT_MEASURES) {
          const v = amounts.get(cellId(table, row, m));
          r[amountColumn(m)] = v === null || v === undefined ? WITHHELD_MARKER : Number(v);
        }
      }
      if (MEDIAN_TABLES.includes(table)) {
        const delays = model.delays.get(rowId(table, row)) ?? [];
        const paidCount = view.counts.get(cellId(table, row, 'paid_in_full'));
        r[MEDIAN_COLUMN] = paidCount?.state === 'published' && delays.length > SMALL ? medianMonths(delays) : WITHHELD_MARKER;
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
      if (!AMOUNT_TABLES.includes(table)) continue;
      for (const m of AMOUNT_MEASURES) {
        const v = r[amountColumn(m)];
        amounts.set(cellId(table, row, m), typeof v === 'number' ? { state: 'published', ...roundingInterval(v) } : { state: 'withheld' });
      }
    }
  }
  return { rows, counts, amounts };
}
