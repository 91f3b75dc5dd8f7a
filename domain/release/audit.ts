/**
 * The audit of a stored release, as `npm run audit-release` and the tests run it: the attack starts from the
 * published tables alone (what an outsider downloads), and is judged against the true values the release kept.
 */
import { type Finding, type LinearSolver, SMALL } from './attack';
import {
  AMOUNT_TABLES, type Cell, type DerivedMeasure, MEASURES_OF, type ReleaseModel, TABLE_IDS, cellId,
} from './model';
import { type PublishedTables, viewFromTables } from './publish';
import { type DisclosureRecord, previousRelease } from './release';
import { judgeView, protectedCells } from './suppression';
import { roundAmount } from './publish';

/** The release's cells, rebuilt from its stored true values (rows as published). */
export function modelFromDisclosure(tables: PublishedTables, disclosure: DisclosureRecord): ReleaseModel {
  const view = viewFromTables(tables);
  const cells: Cell[] = [];
  const value = (id: string) => {
    const v = disclosure.values[id];
    if (v === undefined) throw new Error(`the release keeps no true value for ${id}`);
    return BigInt(v);
  };
  for (const table of TABLE_IDS) {
    for (const row of view.rows[table]) {
      for (const measure of MEASURES_OF[table]) cells.push({ id: cellId(table, row, measure), table, row, measure, kind: 'count', value: value(cellId(table, row, measure)) });
      const orders = value(cellId(table, row, 'orders'));
      const derived: [DerivedMeasure, string][] = MEASURES_OF[table].includes('paid_in_full') ? [['not_overdue', 'overdue'], ['not_paid_in_full', 'paid_in_full']] : [['not_overdue', 'overdue']];
      for (const [measure, part] of derived) cells.push({ id: cellId(table, row, measure), table, row, measure, kind: 'derived', value: orders - value(cellId(table, row, part)) });
      if (!AMOUNT_TABLES.includes(table)) continue;
      for (const measure of ['awarded', 'paid', 'outstanding'] as const) {
        const id = cellId(table, row, measure);
        cells.push({ id, table, row, measure, kind: 'amount', value: value(id), contributors: disclosure.contributors[id] ?? 0 });
      }
    }
  }
  return { rows: view.rows, cells, byId: new Map(cells.map((c) => [c.id, c])), atomCounts: new Map(), delays: new Map() };
}

export interface StoredContent {
  tables: PublishedTables;
  disclosure: DisclosureRecord;
}

export interface Audit {
  findings: Finding[];
  /** Rules the published tables break outright (a small count shown, an amount not rounded or shown for a hidden row). */
  violations: string[];
}

/** Attacks a release (and its difference from the one before) with integer programming; every protected figure judged. */
export function auditRelease(solver: LinearSolver, release: StoredContent, before: StoredContent | null): Audit {
  const model = modelFromDisclosure(release.tables, release.disclosure);
  const view = viewFromTables(release.tables);
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
      if (shown.state === 'published' && view.counts.get(cellId(c.table, c.row, 'orders'))?.state !== 'published') violations.push(`${c.id} is published though the row's order count is not`);
      const row = release.tables[c.table].find((r) => String(Object.values(r)[0]) === c.row);
      const printed = row?.[`${c.measure}_cents`];
      if (typeof printed === 'number' && BigInt(printed) !== roundAmount(c.value)) violations.push(`${c.id} is published as ${printed}, not the true value rounded`);
      if (shown.state === 'published' && (c.contributors ?? 0) <= SMALL) violations.push(`${c.id} is published though only ${c.contributors} order(s) make it up`);
    }
  }
  const previous = before ? previousRelease(before.tables, before.disclosure) : null;
  return { findings: judgeView(solver, model, view, protectedCells(model, view, previous), previous, { integer: true }), violations };
}
