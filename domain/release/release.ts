/**
 * A release's content from its fine groups: the model, the protection, the public tables, and the private record
 * of true values and findings that later releases (and the audit) compare against.
 */
import { type PreviousKnowledge, SMALL } from './attack';
import { AMOUNT_TABLES, type FineGroup, type RowContext, STATIC_TABLES, buildModel, cellId } from './model';
import { type PublishedTables, renderTables, viewFromTables } from './publish';
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
  /**
   * For each static row's orders and award: what was published when it was last published (an interval, thousands
   * of shillings for money) and the truth then; carried from release to release.
   */
  shown: Record<string, { lo: number; hi: number; truth: string; release: number }>;
}

/** A bound that JSON can carry: infinities become null. */
const finite = (x: number) => (Number.isFinite(x) ? x : null);

export interface ReleaseContext extends RowContext {
  agencyNames: Map<string, string>;
  /** This release's number (recorded with what it shows). */
  number: number;
}

export function releaseContent(groups: FineGroup[], solver: Parameters<typeof protect>[1], previous: PreviousRelease | null, context: ReleaseContext,
  previousShown: DisclosureRecord['shown'] = {}): { tables: PublishedTables; disclosure: DisclosureRecord; protection: Protection } {
  const model = buildModel(groups, context);
  const protection = protect(model, solver, previous);
  const tables = renderTables(model, protection.view, protection.amounts, context.agencyNames);
  const shown = { ...previousShown };
  for (const table of STATIC_TABLES) {
    for (const row of model.rows[table]) {
      const orders = cellId(table, row, 'orders');
      const count = protection.view.counts.get(orders);
      if (count?.state === 'published') shown[orders] = { lo: count.value, hi: count.value, truth: model.byId.get(orders)!.value.toString(), release: context.number };
      if (!AMOUNT_TABLES.includes(table)) continue;
      const awarded = cellId(table, row, 'awarded');
      const amount = protection.view.amounts.get(awarded);
      if (amount?.state === 'published') shown[awarded] = { lo: amount.lo, hi: amount.hi, truth: model.byId.get(awarded)!.value.toString(), release: context.number };
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
      shown,
    },
  };
}

/** What an attacker knows of the releases before this one, and what the builder knows of them (their true values). */
export function previousRelease(tables: PublishedTables, disclosure: DisclosureRecord): PreviousRelease {
  const knowledge: PreviousKnowledge = {
    view: viewFromTables(tables),
    lastPublished: new Map(Object.entries(disclosure.shown ?? {}).map(([id, s]) => [id, { lo: s.lo, hi: s.hi }])),
  };
  const truth = new Map<string, bigint>();
  for (const [id, v] of Object.entries(disclosure.values)) {
    const [table, , measure] = id.split('/');
    if (STATIC_TABLES.includes(table as never) && (measure === 'orders' || measure === 'awarded')) truth.set(id, BigInt(v));
  }
  const truthWhenShown = new Map(Object.entries(disclosure.shown ?? {}).map(([id, s]) => [id, BigInt(s.truth)]));
  return { knowledge, truth, truthWhenShown };
}
