/**
 * The statistical model of a release for one family of tables (a UnitSchema): its rows, and every cell with its
 * true value. An attacker who reads the release knows exactly these relations, so the same model drives both the
 * choice of cells to hide (suppression.ts) and the attack that checks the choice (attack.ts).
 */
import { type UnitFact, type UnitSchema, cellId, derivedOf, rowId } from './schema';

export { cellId, rowId };

/** Units summed by their rows and status: the finest grouping a release is built from. */
export interface FineGroup extends UnitFact {
  units: number;
  amounts: Record<string, bigint>;
  /** Units contributing a non-zero amount, per measure: an amount made of 1-5 units' money is as telling as a count of 1-5. */
  contributors: Record<string, number>;
  /** Units whose money changed since the previous release, per measure. */
  changes: Record<string, number>;
  delays: number[];
}

/** Accumulates units into fine groups as they stream past: memory grows with the groups, not the units. */
export class UnitGroups {
  private readonly groups = new Map<string, FineGroup>();
  claims = 0;

  addUnit(f: UnitFact): void {
    const key = `${JSON.stringify(f.rows)}|${f.atom}`;
    let g = this.groups.get(key);
    if (!g) {
      g = { rows: f.rows, atom: f.atom, units: 0, amounts: {}, contributors: {}, changes: {}, delays: [], delayDays: null };
      this.groups.set(key, g);
    }
    g.units++;
    for (const [m, v] of Object.entries(f.amounts)) {
      g.amounts[m] = (g.amounts[m] ?? 0n) + v;
      if (v !== 0n) g.contributors[m] = (g.contributors[m] ?? 0) + 1;
    }
    for (const [m, changed] of Object.entries(f.changed ?? {})) if (changed) g.changes[m] = (g.changes[m] ?? 0) + 1;
    if (f.delayDays !== null) g.delays.push(f.delayDays);
    this.claims++;
  }

  list(): FineGroup[] {
    return [...this.groups.values()];
  }
}

/** One published figure: a count or an amount of a row, with its true value. */
export interface Cell {
  id: string;
  table: string;
  row: string;
  measure: string;
  kind: 'count' | 'amount' | 'derived';
  value: bigint;
  /** For amounts: how many units contribute a non-zero amount. */
  contributors?: number;
  /** For amounts: how many units' money in it changed since the previous release. */
  changes?: number;
}

export interface ReleaseModel {
  schema: UnitSchema;
  rows: Record<string, string[]>;
  cells: Cell[];
  byId: Map<string, Cell>;
  /** Per row, the delays its units contribute to the median. */
  delays: Map<string, number[]>;
}


/** Builds every cell of the release with its true value. */
export function buildModel(schema: UnitSchema, groups: FineGroup[], context: unknown): ReleaseModel {
  const rows = schema.rowsOf(context, groups);
  const inRow = (table: string, row: string, g: FineGroup) => table === 'totals' || schema.rowFor(table, g.rows[table] ?? '', context) === row;
  const cells: Cell[] = [];
  const delays = new Map<string, number[]>();
  for (const table of schema.tables) {
    for (const row of rows[table] ?? []) {
      const members = groups.filter((g) => inRow(table, row, g));
      const atoms = Array.from({ length: schema.atomCount }, () => 0);
      for (const g of members) atoms[g.atom]! += g.units;
      delays.set(rowId(table, row), members.flatMap((g) => g.delays));
      const sumAtoms = (m: string) => BigInt(schema.atomsOf(m).reduce((s, a) => s + atoms[a]!, 0));
      const measures = schema.measures[table] ?? [];
      for (const m of measures) cells.push({ id: cellId(table, row, m), table, row, measure: m, kind: 'count', value: sumAtoms(m) });
      for (const d of derivedOf(schema, table)) {
        cells.push({ id: cellId(table, row, d.measure), table, row, measure: d.measure, kind: 'derived', value: sumAtoms(d.measure) });
      }
      if (!schema.amountTables.includes(table)) continue;
      for (const m of schema.amountMeasures) {
        cells.push({
          id: cellId(table, row, m), table, row, measure: m, kind: 'amount',
          value: members.reduce((s, g) => s + (g.amounts[m] ?? 0n), 0n),
          contributors: members.reduce((s, g) => s + (g.contributors[m] ?? 0), 0),
          changes: members.reduce((s, g) => s + (g.changes[m] ?? 0), 0),
        });
      }
    }
  }
  return { schema, rows, cells, byId: new Map(cells.map((c) => [c.id, c])), delays };
}
