/**
 * A release's content from its fine groups: the model, the protection, the public tables, and the private record
 * of true values and findings that the next release (and the audit) compare against.
 */
import type { LinearSolver, PreviousKnowledge } from './attack';
import { SMALL } from './attack';
import { type FineGroup, STATIC_TABLES, buildModel, cellId } from './model';
import { type PublishedTables, renderTables, viewFromTables } from './publish';
import { type PreviousRelease, type Protection, protect } from './suppression';

export interface DisclosureRecord {
  values: Record<string, string>;
  /** For each amount, how many claims contribute non-zero money to it. */
  contributors: Record<string, number>;
  findings: { id: string; kind: string; value: number; lo: number | null; hi: number | null; protectedEnough: boolean }[];
  rounds: number;
  hiddenForProtection: string[];
}

/** A bound that JSON can carry: infinities become null. */
const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function releaseContent(groups: FineGroup[], solver: LinearSolver, previous: PreviousRelease | null, agencyNames: Map<string, string>):
  { tables: PublishedTables; disclosure: DisclosureRecord; protection: Protection } {
  const model = buildModel(groups);
  const protection = protect(model, solver, previous);
  const tables = renderTables(model, protection.view, agencyNames);
  return {
    tables, protection,
    disclosure: {
      values: Object.fromEntries(model.cells.filter((c) => c.kind !== 'derived').map((c) => [c.id, c.value.toString()])),
      contributors: Object.fromEntries(model.cells.filter((c) => c.kind === 'amount').map((c) => [c.id, c.contributors ?? 0])),
      findings: protection.findings.map((f) => ({ id: f.id, kind: f.kind, value: f.value, lo: finite(f.lo), hi: finite(f.hi), protectedEnough: f.protectedEnough })),
      rounds: protection.rounds,
      hiddenForProtection: [...protection.reasons].filter(([, why]) => why !== 'small').map(([id]) => id),
    },
  };
}

const LARGE = 1e15;

/** What an attacker knows of a previous release, and what the release builder knows of it (its true values). */
export function previousRelease(tables: PublishedTables, disclosure: DisclosureRecord): PreviousRelease {
  const view = viewFromTables(tables);
  const bounds = new Map(disclosure.findings.map((f) => [f.id, { lo: f.lo ?? -LARGE, hi: f.hi ?? LARGE }]));
  const knowledge: PreviousKnowledge = { orders: new Map(), awardedThousands: new Map() };
  const orders = new Map<string, number>();
  const awardedCents = new Map<string, bigint>();
  for (const table of STATIC_TABLES) {
    for (const row of view.rows[table]) {
      const o = cellId(table, row, 'orders');
      const a = cellId(table, row, 'awarded');
      const count = view.counts.get(o);
      knowledge.orders.set(o, count?.state === 'published' ? { lo: count.value, hi: count.value }
        : bounds.get(o) ?? (count?.state === 'small' ? { lo: 1, hi: SMALL } : { lo: SMALL + 1, hi: LARGE }));
      const amount = view.amounts.get(a);
      knowledge.awardedThousands.set(a, amount?.state === 'published' ? { lo: amount.thousands - 0.5, hi: amount.thousands + 0.5 }
        : bounds.get(a) ?? { lo: 0, hi: LARGE });
      if (disclosure.values[o] !== undefined) orders.set(o, Number(disclosure.values[o]));
      if (disclosure.values[a] !== undefined) awardedCents.set(a, BigInt(disclosure.values[a]!));
    }
  }
  return { knowledge, orders, awardedCents };
}

/** New orders since the previous release (a release waits until there are none, or more than 5). */
export function newOrdersSince(groups: FineGroup[], previous: PreviousRelease | null): number {
  const now = groups.reduce((s, g) => s + g.orders, 0);
  return now - (previous?.orders.get(cellId('totals', 'all', 'orders')) ?? 0);
}

