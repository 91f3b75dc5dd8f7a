/**
 * The audit of a stored release, as `npm run audit-release` and the tests run it: the attack starts from the
 * published tables alone (what an outsider downloads), and is judged against the true values the release kept.
 */
import { type Finding, type LinearSolver, SMALL } from './attack';
import { CLAIMS } from './claims-schema';
import { type Cell, type ReleaseModel, cellId } from './model';
import { type AnyTables, roundAmount, viewOfTables } from './publish';
import { type DisclosureRecord, previousRelease } from './release';
import { type UnitSchema, derivedOf, wholeOf } from './schema';
import { judgeView, protectedCells } from './suppression';

/** The release's cells, rebuilt from its stored true values (rows as published). */
export function modelFromDisclosure(tables: AnyTables, disclosure: DisclosureRecord, schema: UnitSchema = CLAIMS): ReleaseModel {
  const view = viewOfTables(schema, tables);
  const cells: Cell[] = [];
  const value = (id: string) => {
    const v = disclosure.values[id];
    if (v === undefined) throw new Error(`the release keeps no true value for ${id}`);
    return BigInt(v);
  };
  for (const table of schema.tables) {
    for (const row of view.rows[table]!) {
      const measures = schema.measures[table] ?? [];
      for (const measure of measures) cells.push({ id: cellId(table, row, measure), table, row, measure, kind: 'count', value: value(cellId(table, row, measure)) });
      for (const d of derivedOf(schema, table)) {
        const whole = value(cellId(table, row, wholeOf(schema, d)));
        cells.push({ id: cellId(table, row, d.measure), table, row, measure: d.measure, kind: 'derived', value: whole - value(cellId(table, row, d.part)) });
      }
      if (!schema.amountTables.includes(table)) continue;
      for (const measure of schema.amountMeasures) {
        const id = cellId(table, row, measure);
        cells.push({ id, table, row, measure, kind: 'amount', value: value(id), contributors: disclosure.contributors[id] ?? 0 });
      }
    }
  }
  return { schema, rows: view.rows, cells, byId: new Map(cells.map((c) => [c.id, c])), delays: new Map() };
}

export interface StoredContent {
  tables: AnyTables;
  disclosure: DisclosureRecord;
}

export interface Audit {
  findings: Finding[];
  /** Rules the published tables break outright (a small count shown, an amount not rounded or shown for a hidden row). */
  violations: string[];
}

/** Attacks a release (and its difference from the one before) with integer programming; every protected figure judged. */
export function auditRelease(solver: LinearSolver, release: StoredContent, before: StoredContent | null, schema: UnitSchema = CLAIMS): Audit {
  const model = modelFromDisclosure(release.tables, release.disclosure, schema);
  const view = viewOfTables(schema, release.tables);
  const violations: string[] = [];
  for (const c of model.cells) {
    if (c.kind === 'count') {
      const shown = view.counts.get(c.id)!;
      if (shown.state === 'published' && shown.value !== Number(c.value)) violations.push(`${c.id} is published as ${shown.value} but is ${c.value}`);
      if (shown.state === 'published' && c.value <= BigInt(SMALL)) violations.push(`${c.id} is ${c.value} and published: counts of 0-5 must be "5 or fewer"`);
      if (shown.state === 'small' && c.value > BigInt(SMALL)) violations.push(`${c.id} holds ${c.value} but is labelled "5 or fewer"`);
      if (shown.state === 'hidden' && c.value <= BigInt(SMALL)) violations.push(`${c.id} holds ${c.value} but is labelled "hidden" (more than 5)`);
    } else if (c.kind === 'amount') {
      const shown = view.amounts.get(c.id)!;
      if (shown.state === 'published' && view.counts.get(cellId(c.table, c.row, schema.unitMeasure))?.state !== 'published') violations.push(`${c.id} is published though the row's order count is not`);
      const row = release.tables[c.table]?.find((r) => String(Object.values(r)[0]) === c.row);
      const printed = row?.[`${c.measure}_cents`];
      if (typeof printed === 'number' && BigInt(printed) !== roundAmount(c.value)) violations.push(`${c.id} is published as ${printed}, not the true value rounded`);
      if (shown.state === 'published' && (c.contributors ?? 0) <= SMALL) violations.push(`${c.id} is published though only ${c.contributors} order(s) make it up`);
    }
  }
  const previous = before ? previousRelease(before.tables, before.disclosure, schema) : null;
  return { findings: judgeView(solver, model, view, protectedCells(model, view, previous), previous, { integer: true }), violations };
}
