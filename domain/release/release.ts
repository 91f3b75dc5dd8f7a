/**
 * A release's content from its fine groups: the model, the protection, the public tables, and the private record
 * of true values and findings that later releases (and the audit) compare against.
 */
import { type PreviousKnowledge, SMALL } from './attack';
import { CLAIMS, type PublishedTables, type RowContext } from './claims-schema';
import { type FineGroup, buildModel, cellId } from './model';
import { type AnyTables, renderTables, viewOfTables } from './publish';
import type { UnitSchema } from './schema';
import { type PreviousRelease, type Protection, protect } from './suppression';

/** New orders enter the public figures together, at least this many at a time (fewer wait for the next release). */
export const MIN_NEW_ORDERS = SMALL + 1;

/**
 * Whether a release admits the orders registered since the last one (all of them, or none: then they wait), and
 * whether it is published at all (only the very first waits, until there are six orders to count).
 */
export function admission(pending: number, hasPrevious: boolean): { admit: boolean; publish: boolean } {
  const admit = pending >= MIN_NEW_ORDERS;
  return { admit, publish: admit || hasPrevious };
}

export interface DisclosureRecord {
  /** True value of every cell (counts, and amounts in cents), as text. */
  values: Record<string, string>;
  /** For each amount, how many orders contribute non-zero money to it. */
  contributors: Record<string, number>;
  /** What the integer attack proved about each protected figure. */
  findings: { id: string; kind: string; value: number; lo: number | null; hi: number | null; protectedEnough: boolean }[];
  rounds: number;
  hiddenForProtection: string[];
  /** Amounts withheld only to protect others: the next release keeps them withheld while they still protect. */
  withheldForProtection?: string[];
  /** For changing amounts withheld since last shown: how many units' money changed meanwhile. */
  changesSinceShown?: Record<string, number>;
  /** The accountability section's own record (incidents), when the release has one. */
  accountability?: DisclosureRecord;
  /**
   * For each static row's orders and award: what was published when it was last published (an interval, thousands
   * of shillings for money) and the truth then; carried from release to release.
   */
  shown: Record<string, { lo: number; hi: number; truth: string; release: number }>;
}

/** A bound that JSON can carry: infinities become null. */
const finite = (x: number) => (Number.isFinite(x) ? x : null);

export interface ReleaseContext extends RowContext {
  /** Words for row keys (agency names beside their ids). */
  agencyNames: Map<string, string>;
  /** This release's number (recorded with what it shows). */
  number: number;
}

/** A release of the orders' tables. */
export function releaseContent(groups: FineGroup[], solver: Parameters<typeof protect>[1], previous: PreviousRelease | null, context: ReleaseContext,
  previousShown: DisclosureRecord['shown'] = {}): { tables: PublishedTables; disclosure: DisclosureRecord; protection: Protection } {
  const out = releaseContentFor(CLAIMS, groups, solver, previous, { ...context, labels: context.agencyNames }, previousShown,
    Object.fromEntries(previous?.changesSinceShown ?? []));
  return { ...out, tables: out.tables as PublishedTables };
}

/** A release of any schema's tables (context: the schema's row context, `labels` for row keys, and `number`). */
export function releaseContentFor<C extends { labels: Map<string, string>; number: number }>(schema: UnitSchema, groups: FineGroup[], solver: Parameters<typeof protect>[1], previous: PreviousRelease | null,
  context: C, previousShown: DisclosureRecord['shown'] = {},
  previousChanges: Record<string, number> = {}): { tables: AnyTables; disclosure: DisclosureRecord; protection: Protection } {
  const model = buildModel(schema, groups, context);
  const protection = protect(model, solver, previous);
  // A median is published again only when the orders it is taken over are the same, or 6 or more have joined.
  const medianId = (table: string, row: string) => cellId(table, row, 'median');
  const medianAllowed = (table: string, row: string, units: number) => {
    const before = previousShown[medianId(table, row)];
    const joined = before ? Math.abs(units - Number(before.truth)) : 0;
    return joined === 0 || joined > SMALL;
  };
  const tables = renderTables(model, protection.view, protection.amounts, context.labels, medianAllowed);
  const shown = { ...previousShown };
  for (const table of schema.medianTables) {
    for (const r of tables[table] ?? []) {
      const row = String(r[schema.keyColumn[table]!]);
      const median = r[schema.medianColumn];
      if (typeof median === 'number') {
        shown[medianId(table, row)] = { lo: median, hi: median, truth: String(model.delays.get(`${table}/${row}`)?.length ?? 0), release: context.number };
      }
    }
  }
  // For each static row, what it showed when last published; a row never published keeps the narrowest interval an
  // attack could prove of it, so that a row shown for the first time is checked against that too.
  const findings = new Map(protection.findings.map((f) => [f.id, f]));
  const changes: Record<string, number> = { ...previousChanges };
  const keep = (id: string, lo: number, hi: number, exact: boolean) => {
    const truth = model.byId.get(id)!.value.toString();
    const before = shown[id];
    const narrower = !before || (!exact && before.hi - before.lo > hi - lo && before.lo !== before.hi);
    if (exact || narrower) shown[id] = { lo, hi, truth, release: context.number };
  };
  for (const table of schema.staticTables) {
    for (const row of model.rows[table]!) {
      const orders = cellId(table, row, schema.unitMeasure);
      const count = protection.view.counts.get(orders);
      if (count?.state === 'published') keep(orders, count.value, count.value, true);
      else {
        const f = findings.get(orders);
        if (f && Number.isFinite(f.lo) && Number.isFinite(f.hi)) keep(orders, f.lo, f.hi, false);
        else if (count?.state === 'small') keep(orders, 0, SMALL, false);
      }
      if (!schema.amountTables.includes(table)) continue;
      for (const measure of [...(schema.flowAmount ? [schema.flowAmount] : []), ...schema.changedAmounts]) {
        const id = cellId(table, row, measure);
        const amount = protection.view.amounts.get(id);
        if (amount?.state === 'published') {
          keep(id, amount.lo, amount.hi, true);
          delete changes[id];
        } else {
          const f = findings.get(id);
          if (f && Number.isFinite(f.lo) && Number.isFinite(f.hi)) keep(id, f.lo, f.hi, false);
          // Units whose money changed while the figure was not shown, counted until it is shown again.
          if (schema.changedAmounts.includes(measure) && shown[id]) changes[id] = (changes[id] ?? 0) + (model.byId.get(id)?.changes ?? 0);
        }
      }
    }
  }
  return {
    tables, protection,
    disclosure: {
      values: Object.fromEntries(model.cells.filter((c) => c.kind !== 'derived').map((c) => [c.id, c.value.toString()])),
      contributors: Object.fromEntries(model.cells.filter((c) => c.kind === 'amount').map((c) => [c.id, c.contributors ?? 0])),
      findings: protection.findings.map((f) => ({ id: f.id, kind: f.kind, value: f.value, lo: finite(f.lo), hi: finite(f.hi), protectedEnough: f.protectedEnough })),
      rounds: protection.rounds,
      hiddenForProtection: [...protection.reasons].filter(([, why]) => why !== 'small').map(([id]) => id),
      withheldForProtection: protection.withheldForProtection,
      changesSinceShown: changes,
      shown,
    },
  };
}

/** What an attacker knows of the releases before this one, and what the builder knows of them (their true values). */
export function previousRelease(tables: AnyTables, disclosure: DisclosureRecord, schema: UnitSchema = CLAIMS): PreviousRelease {
  const knowledge: PreviousKnowledge = {
    view: viewOfTables(schema, tables),
    lastPublished: new Map(Object.entries(disclosure.shown ?? {}).map(([id, s]) => [id, { lo: s.lo, hi: s.hi }])),
  };
  const truth = new Map<string, bigint>();
  for (const [id, v] of Object.entries(disclosure.values)) {
    const [table, , measure] = id.split('/');
    if (schema.staticTables.includes(table!) && (measure === schema.unitMeasure || measure === schema.flowAmount || schema.changedAmounts.includes(measure!))) truth.set(id, BigInt(v));
  }
  const truthWhenShown = new Map(Object.entries(disclosure.shown ?? {}).map(([id, s]) => [id, BigInt(s.truth)]));
  return {
    knowledge, truth, truthWhenShown, withheldForProtection: new Set(disclosure.withheldForProtection ?? []),
    changesSinceShown: new Map(Object.entries(disclosure.changesSinceShown ?? {})),
  };
}
