/**
 * Statistical disclosure control for a release (the rule, with a worked example, is in docs/suppression.md):
 *
 * 1. Primary: every count of 0 to 5 is published as "5 or fewer" (zeros too, so that no empty cell points at the
 *    one that is not), and amounts beside it are withheld; so is any amount that 0-5 orders' money makes up.
 * 2. New orders: a row of a table an order never leaves (year, agency, violations) that gained 1-5 orders since the
 *    previous release, or since it was last published, has its order count hidden (and so its amounts).
 * 3. Secondary, smallest first: wherever a relation an attacker knows (a column against its total, levels against
 *    overdue, a count against its complement) has exactly one hidden member, the smallest published member is
 *    hidden too, labelled "hidden" (it holds more than 5).
 * 4. The attack (attack.ts) is run on the result; for every figure still recovered, the smallest published figure
 *    the attack leaned on is hidden (or, for money, withheld), and 3-4 repeat until the attack recovers nothing.
 *
 * Published amounts are rounded to two significant figures, never more finely than KSh 1 million (publish.ts).
 */
import {
  AMOUNT_KINDS, type AmountView, type CountView, type Finding, type LinearSolver, type PreviousKnowledge, type ProtectedCell, type PublicView,
  AMOUNT_UNIT_CENTS, SMALL, attack,
} from './attack';
import { type ReleaseModel, cellId } from './model';
import { wholeOf } from './schema';
import { roundAmount, roundingInterval } from './publish';

export interface PreviousRelease {
  /** What an attacker knows of earlier releases. */
  knowledge: PreviousKnowledge;
  /** True orders and awards (cents) of the static rows at the previous release (private). */
  truth: Map<string, bigint>;
  /** True orders and awards of the static rows when each was last published (private). */
  truthWhenShown: Map<string, bigint>;
  /** Amounts the previous release withheld to protect others: kept withheld while what they protect still is. */
  withheldForProtection?: Set<string>;
  /** For changing amounts not shown since: how many units' money changed since they were last shown. */
  changesSinceShown?: Map<string, number>;
}

/** Units whose money in a cell changed since it was last shown (the previous release's count, plus this one's). */
export function changesSinceShown(model: ReleaseModel, previous: PreviousRelease | null, id: string): number | null {
  const c = model.byId.get(id);
  if (!previous || !c || !previous.truthWhenShown.has(id)) return null;
  return (previous.changesSinceShown?.get(id) ?? 0) + (c.changes ?? 0);
}

export interface Protection {
  view: PublicView;
  /** The published amount of each amount cell (rounded cents), or null where withheld. */
  amounts: Map<string, bigint | null>;
  findings: Finding[];
  /** Why each hidden count is hidden. */
  reasons: Map<string, 'small' | 'new_orders' | 'secondary'>;
  rounds: number;
  /** Amounts withheld only to protect others (more than 5 orders make them up). */
  withheldForProtection: string[];
}

const thousandsExact = (cents: bigint) => Number(cents) / Number(AMOUNT_UNIT_CENTS);
const inSmall = (v: bigint) => v > 0n && v <= BigInt(SMALL);

/** The relations an attacker knows, as groups whose members add up to a margin. */
function relations(model: ReleaseModel): { members: string[]; margin: string | null }[] {
  const { schema } = model;
  const groups: { members: string[]; margin: string | null }[] = [];
  for (const table of schema.tables.filter((t) => t !== 'totals')) {
    for (const m of schema.measures[table] ?? []) {
      const margin = schema.measures.totals?.includes(m) ? cellId('totals', 'all', m) : null;
      groups.push({ members: model.rows[table]!.map((r) => cellId(table, r, m)), margin });
    }
  }
  return [...groups, ...schema.extraRelations(model.rows)];
}

/** Published figures whose hiding could protect a figure that the attack recovered. */
function candidatesFor(model: ReleaseModel, f: Finding): string[] {
  const { schema } = model;
  const orders = cellId(f.table, f.row, schema.unitMeasure);
  const column = (measure: string) => model.rows[f.table]!.map((r) => cellId(f.table, r, measure));
  switch (f.kind) {
    case 'complement': {
      const d = schema.derived.find((x) => x.measure === f.measure)!;
      return [cellId(f.table, f.row, d.part), ...column(d.part), cellId(f.table, f.row, wholeOf(schema, d))];
    }
    case 'primary':
    case 'secondary':
      return [...(schema.measures[f.table] ?? []).map((m) => cellId(f.table, f.row, m)), ...column(f.measure)].filter((id) => id !== f.id);
    default:
      return [orders, ...column('orders')];
  }
}

/** Whether an amount measure has negative values (an overpayment): the attacker may then not assume >= 0. */
const negativesOf = (model: ReleaseModel) =>
  Object.fromEntries(model.schema.amountMeasures.map((m) => [m, model.cells.some((c) => c.measure === m && c.value < 0n)]));

/** The view in which every count is hidden and every amount withheld: the most a release can hide. */
function fullyHiddenView(model: ReleaseModel): PublicView {
  const counts = new Map<string, CountView>();
  for (const c of model.cells) if (c.kind === 'count') counts.set(c.id, c.value <= BigInt(SMALL) ? { state: 'small' } : { state: 'hidden' });
  const amounts = new Map<string, AmountView>(model.cells.filter((c) => c.kind === 'amount').map((c) => [c.id, { state: 'withheld' }]));
  return { schema: model.schema, rows: model.rows, counts, amounts };
}

/**
 * Attacks a view and judges every protected figure. A count that the structure alone pins more tightly than 1-5
 * (parts of a total that is itself 5 or fewer) is held to what the most-hidden release would leave: its `floor`.
 */
export function judgeView(
  solver: LinearSolver, model: ReleaseModel, view: PublicView, cells: ProtectedCell[], previous: PreviousRelease | null,
  opts: { integer: boolean; floors?: Map<string, number> },
): Finding[] {
  const floors = opts.floors ?? new Map<string, number>();
  const common = { integer: opts.integer, negativeAmounts: negativesOf(model) };
  let findings = attack(solver, view, cells, previous?.knowledge ?? null, { ...common, floors });
  const unexplained = findings.filter((f) => !f.protectedEnough && !AMOUNT_KINDS.includes(f.kind) && !floors.has(f.id));
  if (unexplained.length) {
    for (const f of attack(solver, fullyHiddenView(model), unexplained, previous?.knowledge ?? null, common)) floors.set(f.id, f.hi - f.lo);
    const again = new Map(attack(solver, view, unexplained, previous?.knowledge ?? null, { ...common, floors }).map((f) => [f.id, f]));
    findings = findings.map((f) => again.get(f.id) ?? f);
  }
  return findings;
}

/** Units (or the flow amount) a static row gained since the previous release, and since it was last published. */
export function gains(model: ReleaseModel, previous: PreviousRelease | null, table: string, row: string, measure: string) {
  const id = cellId(table, row, measure);
  const now = model.byId.get(id)?.value ?? 0n;
  return {
    sincePrevious: previous ? now - (previous.truth.get(id) ?? 0n) : 0n,
    sinceShown: previous?.truthWhenShown.has(id) ? now - previous.truthWhenShown.get(id)! : null,
  };
}

export function protect(model: ReleaseModel, solver: LinearSolver, previous: PreviousRelease | null): Protection {
  const counts = new Map<string, CountView>();
  const reasons = new Map<string, 'small' | 'new_orders' | 'secondary'>();
  const value = (id: string) => Number(model.byId.get(id)!.value);
  const hide = (id: string, reason: 'small' | 'new_orders' | 'secondary') => {
    const v = value(id);
    if (counts.get(id)?.state !== 'published') return false;
    counts.set(id, v <= SMALL ? { state: 'small' } : { state: 'hidden' });
    reasons.set(id, v <= SMALL ? 'small' : reason);
    return true;
  };
  for (const c of model.cells.filter((c) => c.kind === 'count')) counts.set(c.id, { state: 'published', value: Number(c.value) });
  for (const c of model.cells.filter((c) => c.kind === 'count' && c.value <= BigInt(SMALL))) hide(c.id, 'small');
  const { schema } = model;
  const unit = schema.unitMeasure;
  if (previous) {
    for (const table of schema.staticTables) {
      for (const row of model.rows[table]!) {
        const g = gains(model, previous, table, row, unit);
        if (inSmall(g.sincePrevious) || (g.sinceShown !== null && inSmall(g.sinceShown))) hide(cellId(table, row, unit), 'new_orders');
      }
    }
  }

  // Money: withheld beside a hidden count, and wherever 0-5 orders' money makes it up (one payment, say).
  const withheld = new Set<string>(model.cells.filter((c) => c.kind === 'amount' && (c.contributors ?? 0) <= SMALL).map((c) => c.id));
  const amountValue = (id: string) => model.byId.get(id)!.value;
  const amountShown = (id: string) => {
    const c = model.byId.get(id)!;
    return !withheld.has(id) && counts.get(cellId(c.table, c.row, unit))?.state === 'published';
  };
  // Money that 1-5 units' payments changed since the previous release, or since it was last shown, is withheld.
  if (previous) {
    for (const c of model.cells) {
      if (c.kind !== 'amount' || !schema.staticTables.includes(c.table) || !schema.changedAmounts.includes(c.measure)) continue;
      const sinceShown = changesSinceShown(model, previous, c.id);
      if (inSmall(BigInt(c.changes ?? 0)) || (sinceShown !== null && inSmall(BigInt(sinceShown)))) withheld.add(c.id);
    }
  }
  // Partners stay partners: an amount withheld to protect another in the previous release stays withheld while its
  // column still has money of 0-5 orders to protect, so two releases cannot be combined around a change of partner.
  const primaryAmount = (c: { kind: string; contributors?: number; value: bigint }) => c.kind === 'amount' && (c.contributors ?? 0) >= 1 && (c.contributors ?? 0) <= SMALL;
  for (const id of previous?.withheldForProtection ?? []) {
    const c = model.byId.get(id);
    if (!c || c.kind !== 'amount') continue;
    const column = model.rows[c.table]!.map((r) => model.byId.get(cellId(c.table, r, c.measure))!);
    if (column.some(primaryAmount)) withheld.add(id);
  }
  const smallestShownAmount = (ids: string[]) => ids.filter((id) => model.byId.get(id)?.kind === 'amount' && amountShown(id))
    .sort((a, b) => (amountValue(a) < amountValue(b) ? -1 : amountValue(a) > amountValue(b) ? 1 : a.localeCompare(b)))[0];

  const groups = relations(model);
  const hidden = (id: string | null) => id !== null && counts.get(id)?.state !== 'published';
  const smallestPublished = (ids: string[], prefer?: (id: string) => boolean) => {
    const open = ids.filter((id) => counts.get(id)?.state === 'published' && value(id) > 0);
    const pool = prefer && open.some(prefer) ? open.filter(prefer) : open;
    return pool.sort((a, b) => value(a) - value(b) || a.localeCompare(b))[0];
  };

  const secondaryPass = () => {
    for (let changed = true; changed;) {
      changed = false;
      for (const g of groups) {
        const all = g.margin ? [...g.members, g.margin] : g.members;
        if (all.filter(hidden).length !== 1) continue;
        // A lone hidden margin with every member published is recoverable too; so is a lone hidden member.
        const pick = smallestPublished(g.members) ?? (g.margin && !hidden(g.margin) ? g.margin : undefined);
        if (pick && hide(pick, 'secondary')) changed = true;
      }
      // A published count and its published complement pin the small difference between them.
      for (const c of model.cells.filter((c) => c.kind === 'derived' && inSmall(c.value))) {
        const d = schema.derived.find((x) => x.measure === c.measure)!;
        const part = cellId(c.table, c.row, d.part);
        const whole = cellId(c.table, c.row, wholeOf(schema, d));
        if (!hidden(part) && !hidden(whole) && hide(part, 'secondary')) changed = true;
      }
    }
  };

  const published = () => new Map(model.cells.filter((c) => c.kind === 'amount').map((c) => [c.id, amountShown(c.id) ? roundAmount(c.value) : null]));
  const viewOf = (): PublicView => {
    const amounts = new Map<string, AmountView>();
    for (const [id, v] of published()) amounts.set(id, v === null ? { state: 'withheld' } : { state: 'published', ...roundingInterval(Number(v)) });
    return { schema, rows: model.rows, counts: new Map(counts), amounts };
  };

  const floors = new Map<string, number>();
  // Hiding a figure only ever widens what an attacker can prove, so a figure that passed stays passed.
  const latest = new Map<string, Finding>();
  let rounds = 0;
  for (;;) {
    rounds++;
    secondaryPass();
    const view = viewOf();
    const cells = protectedCells(model, view, previous);
    const failing = judgeView(solver, model, view, cells.filter((c) => !latest.get(c.id)?.protectedEnough), previous, { integer: true, floors })
      .filter((f) => { latest.set(f.id, f); return !f.protectedEnough; });
    if (!failing.length) {
      const withheldForProtection = [...withheld].filter((id) => (model.byId.get(id)!.contributors ?? 0) > SMALL);
      return { view, amounts: published(), findings: cells.map((c) => latest.get(c.id)!), reasons, rounds, withheldForProtection };
    }
    let progressed = false;
    const hiddenThisRound = new Set<string>();
    for (const f of failing) {
      const notTotals = (ids: string[]) => ids.filter((id) => !id.startsWith('totals/'));
      if (f.kind === 'amount' || f.kind === 'amount_secondary' || f.kind === 'new_money' || f.kind === 'new_money_since_shown') {
        // Withhold another amount of the same measure that the attack leaned on, smallest first, the totals last.
        if (f.leanedOn.some((id) => hiddenThisRound.has(id))) { progressed = true; continue; }
        const column = model.rows[f.table]!.map((r) => cellId(f.table, r, f.measure));
        const pick = smallestShownAmount(notTotals(f.leanedOn)) ?? smallestShownAmount(notTotals(column)) ?? smallestShownAmount(f.leanedOn);
        if (pick) { withheld.add(pick); hiddenThisRound.add(pick); progressed = true; }
        continue;
      }
      // Hide a count the attack leaned on (for new awards, a row's order count stands for its amounts), sparing the totals row.
      const leaned = [...new Set(f.leanedOn.map((id) => {
        const c = model.byId.get(id)!;
        return c.kind === 'amount' ? cellId(c.table, c.row, unit) : id;
      }))];
      // Another failure of this round may already have taken away what this one leaned on: look again next round.
      if (leaned.some((id) => hiddenThisRound.has(id))) { progressed = true; continue; }
      const flow = ['new_orders', 'new_orders_since_shown', 'new_awarded', 'new_awarded_since_shown'].includes(f.kind);
      const gainedOrders = (id: string) => {
        const c = model.byId.get(id)!;
        return schema.staticTables.includes(c.table) && gains(model, previous, c.table, c.row, unit).sincePrevious > 0n;
      };
      const pick = smallestPublished(notTotals(leaned), flow ? gainedOrders : undefined)
        ?? smallestPublished(notTotals(candidatesFor(model, f)), flow ? gainedOrders : undefined)
        ?? smallestPublished(leaned)
        ?? smallestPublished((schema.measures.totals ?? []).map((m) => cellId('totals', 'all', m)));
      if (pick && hide(pick, 'secondary')) { progressed = true; hiddenThisRound.add(pick); }
    }
    if (!progressed) throw new Error(`cannot protect ${failing.map((f) => f.id).join(', ')}: nothing left to hide`);
  }
}

/** Every figure the release must protect, with its true value, given what is published. */
export function protectedCells(model: ReleaseModel, view: PublicView, previous: PreviousRelease | null): ProtectedCell[] {
  const out: ProtectedCell[] = [];
  for (const c of model.cells) {
    const base = { id: c.id, table: c.table, row: c.row, measure: c.measure };
    if (c.kind === 'count') {
      const state = view.counts.get(c.id)?.state;
      if (state === 'small' && inSmall(c.value)) out.push({ ...base, kind: 'primary', value: Number(c.value) });
      if (state === 'hidden') out.push({ ...base, kind: 'secondary', value: Number(c.value) });
    } else if (c.kind === 'derived') {
      if (inSmall(c.value)) out.push({ ...base, kind: 'complement', value: Number(c.value) });
    } else if (view.amounts.get(c.id)?.state === 'withheld' && c.value !== 0n) {
      // The money of 1-5 orders is protected as a small count is; a larger withheld amount only covers another.
      out.push({ ...base, kind: (c.contributors ?? 0) <= SMALL ? 'amount' : 'amount_secondary', value: thousandsExact(c.value) });
    }
  }
  if (previous) {
    const { schema } = model;
    const unit = schema.unitMeasure;
    // Changes of money (payments) that 1-5 units made: against the previous release, and since last shown.
    for (const c of model.cells) {
      if (c.kind !== 'amount' || !schema.staticTables.includes(c.table) || !schema.changedAmounts.includes(c.measure)) continue;
      if (view.amounts.get(c.id)?.state !== 'withheld') continue;
      const sinceShown = changesSinceShown(model, previous, c.id);
      const before = previous.truth.get(c.id);
      if (inSmall(BigInt(c.changes ?? 0)) && before !== undefined && c.value !== before) {
        out.push({ id: `${c.id}/new`, kind: 'new_money', table: c.table, row: c.row, measure: c.measure, value: thousandsExact(c.value - before) });
      }
      const then = previous.truthWhenShown.get(c.id);
      if (sinceShown !== null && inSmall(BigInt(sinceShown)) && then !== undefined && c.value !== then) {
        out.push({ id: `${c.id}/new-since-shown`, kind: 'new_money_since_shown', table: c.table, row: c.row, measure: c.measure, value: thousandsExact(c.value - then) });
      }
    }
    for (const table of schema.staticTables) {
      for (const row of model.rows[table]!) {
        const units = gains(model, previous, table, row, unit);
        const flow = schema.flowAmount && schema.amountTables.includes(table) ? gains(model, previous, table, row, schema.flowAmount) : null;
        const id = cellId(table, row, unit);
        const flowId = schema.flowAmount ? cellId(table, row, schema.flowAmount) : '';
        if (inSmall(units.sincePrevious)) {
          out.push({ id: `${id}/new`, kind: 'new_orders', table, row, measure: unit, value: Number(units.sincePrevious) });
          if (flow && flow.sincePrevious > 0n) out.push({ id: `${flowId}/new`, kind: 'new_awarded', table, row, measure: schema.flowAmount!, value: thousandsExact(flow.sincePrevious) });
        }
        if (units.sinceShown !== null && inSmall(units.sinceShown) && units.sinceShown !== units.sincePrevious) {
          out.push({ id: `${id}/new-since-shown`, kind: 'new_orders_since_shown', table, row, measure: unit, value: Number(units.sinceShown) });
          if (flow?.sinceShown && flow.sinceShown > 0n) out.push({ id: `${flowId}/new-since-shown`, kind: 'new_awarded_since_shown', table, row, measure: schema.flowAmount!, value: thousandsExact(flow.sinceShown) });
        }
      }
    }
  }
  return out;
}
