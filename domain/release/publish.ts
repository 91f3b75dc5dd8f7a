/**
 * The public tables of a release, and the reverse: what an outsider reads back from them. Counts are numbers or
 * markers; amounts are KES cents rounded (below), or withheld.
 */
import type { AmountView, CountView, PublicView } from './attack';
import { AMOUNT_UNIT_CENTS, SMALL } from './attack';
import { type ReleaseModel, cellId, rowId } from './model';
import type { UnitSchema } from './schema';

/** A count of 0 to 5: shown so for zeros too, so that no empty cell points at the one that is not. */
export const SMALL_MARKER = '5 or fewer';
/** A count hidden so that another cannot be worked out; it holds more than 5. */
export const HIDDEN_MARKER = 'hidden';
export const WITHHELD_MARKER = 'withheld';
export const MARKERS = [SMALL_MARKER, HIDDEN_MARKER, WITHHELD_MARKER] as const;

export type PublishedRow = Record<string, string | number>;
/** Published tables of any schema, by table id. */
export type AnyTables = Record<string, PublishedRow[]>;

const amountColumn = (m: string) => `${m}_cents`;

/** Column order of a table, as published (CSV header, Table Schema). */
export function columnsOfTable(schema: UnitSchema, table: string): string[] {
  return [
    schema.keyColumn[table]!, ...(schema.labelColumn[table] ? [schema.labelColumn[table]!] : []), ...(schema.measures[table] ?? []),
    ...(schema.amountTables.includes(table) ? schema.amountMeasures.map(amountColumn) : []),
    ...(schema.medianTables.includes(table) ? [schema.medianColumn] : []),
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
  // Rounding is symmetric about zero (an overpayment rounds as its opposite would).
  if (cents < 0) {
    const r = roundingInterval(-cents);
    return { lo: -r.hi, hi: -r.lo };
  }
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

/**
 * `medianAllowed(table, row, units)` says whether a row's median may be published for the units (orders paid in
 * full) it is taken over: a median that moves because 1-5 units joined brackets their own delay between releases.
 */
export function renderTables(model: ReleaseModel, view: PublicView, amounts: Map<string, bigint | null>, labels: Map<string, string>,
  medianAllowed: (table: string, row: string, units: number) => boolean = () => true): AnyTables {
  const { schema } = model;
  const out: AnyTables = {};
  for (const table of schema.tables) {
    out[table] = model.rows[table]!.map((row) => {
      const r: PublishedRow = { [schema.keyColumn[table]!]: row };
      if (schema.labelColumn[table]) r[schema.labelColumn[table]!] = labels.get(row) ?? row;
      for (const m of schema.measures[table] ?? []) {
        const v = view.counts.get(cellId(table, row, m))!;
        r[m] = v.state === 'published' ? v.value : v.state === 'small' ? SMALL_MARKER : HIDDEN_MARKER;
      }
      if (schema.amountTables.includes(table)) {
        for (const m of schema.amountMeasures) {
          const v = amounts.get(cellId(table, row, m));
          r[amountColumn(m)] = v === null || v === undefined ? WITHHELD_MARKER : Number(v);
        }
      }
      if (schema.medianTables.includes(table)) {
        const delays = model.delays.get(rowId(table, row)) ?? [];
        const basis = view.counts.get(cellId(table, row, schema.medianBasis));
        r[schema.medianColumn] = basis?.state === 'published' && delays.length > SMALL && medianAllowed(table, row, delays.length) ? medianMonths(delays) : WITHHELD_MARKER;
      }
      return r;
    });
  }
  return out;
}

/** What an outsider reads from the published tables: the attack's starting point (`npm run audit-release`). */
export function viewOfTables(schema: UnitSchema, tables: AnyTables): PublicView {
  const rows: Record<string, string[]> = {};
  const counts = new Map<string, CountView>();
  const amounts = new Map<string, AmountView>();
  for (const table of schema.tables) {
    const key = schema.keyColumn[table]!;
    rows[table] = (tables[table] ?? []).map((r) => String(r[key]));
    for (const r of tables[table] ?? []) {
      const row = String(r[key]);
      for (const m of schema.measures[table] ?? []) {
        const v = r[m];
        counts.set(cellId(table, row, m), typeof v === 'number' ? { state: 'published', value: v } : v === SMALL_MARKER ? { state: 'small' } : { state: 'hidden' });
      }
      if (!schema.amountTables.includes(table)) continue;
      for (const m of schema.amountMeasures) {
        const v = r[amountColumn(m)];
        amounts.set(cellId(table, row, m), typeof v === 'number' ? { state: 'published', ...roundingInterval(v) } : { state: 'withheld' });
      }
    }
  }
  return { schema, rows, counts, amounts };
}
