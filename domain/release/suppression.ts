/**
 * Statistical disclosure control for a release (the rule, with a worked example, is in docs/suppression.md):
 *
 * 1. Primary: a count of 1-5 is published as "5 or fewer" and the amounts of its row are withheld.
 * 2. New orders: a static row (year, agency, violation type) that gained 1-5 orders since the previous release has
 *    its order count hidden, so the new orders' awards cannot be read off the difference between two releases.
 * 3. Secondary, smallest first: wherever a relation an attacker knows (a column against its total, levels against
 *    overdue, a count against its complement) has exactly one hidden member, the smallest published non-zero
 *    member is hidden too ("hidden", never "5 or fewer": it holds more). Zeros are never hidden.
 * 4. The attack (attack.ts) is run on the result; for every figure still recoverable, the smallest published
 *    non-zero figure that shares a relation with it is hidden, and 3-4 repeat until the attack recovers nothing.
 *
 * Amounts: a row's amounts are withheld whenever its order count is hidden, and an amount made of 1-5 claims' money
 * (one payment, say) is withheld on its own, with other amounts of its column withheld beside it, smallest first, until
 * the attack cannot bound it within half its value. Published amounts are rounded to KSh 1,000.
 */
import {
  type AmountView, type CountView, type Finding, type LinearSolver, type PreviousKnowledge, type ProtectedCell, type PublicView,
  AMOUNT_KINDS, AMOUNT_UNIT_CENTS, SMALL, attack,
} from './attack';
import {
  AMOUNT_MEASURES, type CountMeasure, MEASURES_OF, type ReleaseModel, STATIC_TABLES, TABLE_IDS, type TableId, cellId,
} from './model';

export interface PreviousRelease {
  knowledge: PreviousKnowledge;
  /** True order counts and awards of the previous release's static rows (private), to know which rows gained orders. */
  orders: Map<string, number>;
  awardedCents: Map<string, bigint>;
}

export interface Protection {
  view: PublicView;
  findings: Finding[];
  /** Why each hidden count is hidden. */
  reasons: Map<string, 'small' | 'new_orders' | 'secondary'>;
  rounds: number;
}

/** Rounds cents to whole thousands of shillings, half up (amounts are never negative in a published cell... mostly). */
export function toThousands(cents: bigint): number {
  const unit = AMOUNT_UNIT_CENTS;
  const q = cents >= 0n ? (2n * cents + unit) / (2n * unit) : -((2n * -cents + unit - 1n) / (2n * unit));
  return Number(q);
}

const thousandsExact = (cents: bigint) => Number(cents) / Number(AMOUNT_UNIT_CENTS);

/** The relations an attacker knows, as groups whose members add up to a margin. */
function relations(model: ReleaseModel): { members: string[]; margin: string | null }[] {
  const groups: { members: string[]; margin: string | null }[] = [];
  for (const table of TABLE_IDS.filter((t) => t !== 'totals' && t !== 'by_violation_type')) {
    for (const m of MEASURES_OF[table]) {
      const margin = MEASURES_OF.totals.includes(m) ? cellId('totals', 'all', m) : null;
      groups.push({ members: model.rows[table].map((r) => cellId(table, r, m)), margin });
    }
  }
  for (const row of model.rows.by_agency) {
    groups.push({ members: [0, 1, 2, 3, 4].map((l) => cellId('by_agency', row, `level_${l}`)), margin: cellId('by_agency', row, 'overdue') });
  }
  return groups;
}

/** Published figures whose hiding could protect a figure that the attack recovered. */
function candidatesFor(model: ReleaseModel, f: Finding): string[] {
  const orders = cellId(f.table, f.row, 'orders');
  const column = (measure: string) => model.rows[f.table].map((r) => cellId(f.table, r, measure));
  switch (f.kind) {
    case 'complement': {
      const part = cellId(f.table, f.row, f.measure === 'not_overdue' ? 'overdue' : 'paid_in_full');
      return [part, ...column(f.measure === 'not_overdue' ? 'overdue' : 'paid_in_full'), orders];
    }
    case 'primary':
    case 'secondary':
      return [...MEASURES_OF[f.table].map((m) => cellId(f.table, f.row, m)), ...column(f.measure)].filter((id) => id !== f.id);
    default:
      // Amounts and new orders are protected by hiding whole rows (a row's amounts go with its order count).
      return [orders, ...column('orders')];
  }
}

export function protect(model: ReleaseModel, solver: LinearSolver, previous: PreviousRelease | null): Protection {
  const counts = new Map<string, CountView>();
  const reasons = new Map<string, 'small' | 'new_orders' | 'secondary'>();
  const value = (id: string) => Number(model.byId.get(id)!.value);
  const hide = (id: string, reason: 'small' | 'new_orders' | 'secondary') => {
    const v = value(id);
    if (v === 0 || counts.get(id)?.state !== 'published') return false;
    counts.set(id, v <= SMALL ? { state: 'small' } : { state: 'hidden' });
    reasons.set(id, v <= SMALL ? 'small' : reason);
    return true;
  };
  for (const c of model.cells.filter((c) => c.kind === 'count')) counts.set(c.id, { state: 'published', value: Number(c.value) });
  for (const c of model.cells.filter((c) => c.kind === 'count' && c.value > 0n && c.value <= BigInt(SMALL))) hide(c.id, 'small');

  const newOrders = (table: TableId, row: string) => {
    if (!previous) return 0;
    return value(cellId(table, row, 'orders')) - (previous.orders.get(cellId(table, row, 'orders')) ?? 0);
  };
  if (previous) {
    for (const table of STATIC_TABLES) {
      for (const row of model.rows[table]) {
        const n = newOrders(table, row);
        if (n > 0 && n <= SMALL) hide(cellId(table, row, 'orders'), 'new_orders');
      }
    }
  }

  // Amounts are withheld with their row's count, and on their own when 1-5 claims make them up (one payment, say).
  const withheld = new Set<string>(model.cells.filter((c) => c.kind === 'amount' && (c.contributors ?? 0) > 0 && (c.contributors ?? 0) <= SMALL).map((c) => c.id));
  const amountValue = (id: string) => model.byId.get(id)!.value;
  const amountShown = (id: string) => {
    const c = model.byId.get(id)!;
    return !withheld.has(id) && counts.get(cellId(c.table, c.row, 'orders'))?.state === 'published';
  };
  const smallestShownAmount = (ids: string[]) => ids.filter((id) => amountShown(id) && amountValue(id) !== 0n)
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
      for (const c of model.cells.filter((c) => c.kind === 'derived' && c.value > 0n && c.value <= BigInt(SMALL))) {
        const part = cellId(c.table, c.row, c.measure === 'not_overdue' ? 'overdue' : 'paid_in_full');
        const whole = cellId(c.table, c.row, 'orders');
        if (!hidden(part) && !hidden(whole) && hide(part, 'secondary')) changed = true;
      }
    }
  };

  const viewOf = (): PublicView => {
    const amounts = new Map<string, AmountView>();
    for (const table of TABLE_IDS) {
      for (const row of model.rows[table]) {
        for (const m of AMOUNT_MEASURES) {
          const id = cellId(table, row, m);
          amounts.set(id, amountShown(id) ? { state: 'published', thousands: toThousands(model.byId.get(id)!.value) } : { state: 'withheld' });
        }
      }
    }
    return { rows: model.rows, counts: new Map(counts), amounts };
  };

  const floors = new Map<string, number>();
  const judgeAll = (view: PublicView, cells: ProtectedCell[], integer: boolean, floorsOf: Map<string, number>) =>
    judgeView(solver, model, view, cells, previous, { integer, floors: floorsOf });
  // Hiding a figure only ever widens what an attacker can prove, so a figure that passed stays passed.
  const latest = new Map<string, Finding>();
  let rounds = 0;
  for (;;) {
    rounds++;
    secondaryPass();
    const view = viewOf();
    const cells = protectedCells(model, view, previous);
    const failing = judgeAll(view, cells.filter((c) => !latest.get(c.id)?.protectedEnough), true, floors).filter((f) => {
      latest.set(f.id, f);
      return !f.protectedEnough;
    });
    if (!failing.length) return { view, findings: cells.map((c) => latest.get(c.id)!), reasons, rounds };
    let progressed = false;
    const hiddenThisRound = new Set<string>();
    for (const f of failing) {
      const flow = f.kind === 'new_orders' || f.kind === 'new_awarded';
      const gainedOrders = (id: string) => {
        const c = model.byId.get(id)!;
        return STATIC_TABLES.includes(c.table) && newOrders(c.table, c.row) > 0;
      };
      const notTotals = (ids: string[]) => ids.filter((id) => !id.startsWith('totals/'));
      if (f.kind === 'amount' || f.kind === 'amount_secondary') {
        // Withhold another amount of the same measure that the attack leaned on, smallest first, the totals last.
        const column = model.rows[f.table].map((r) => cellId(f.table, r, f.measure));
        const pick = smallestShownAmount(notTotals(f.leanedOn)) ?? smallestShownAmount(notTotals(column)) ?? smallestShownAmount(f.leanedOn);
        if (f.leanedOn.some((id) => hiddenThisRound.has(id))) { progressed = true; continue; }
        if (pick) { withheld.add(pick); hiddenThisRound.add(pick); progressed = true; }
        if (process.env.DEBUG_SDC) console.log(rounds, f.id, f.kind, f.value, [f.lo, f.hi], f.leanedOn, '->', pick);
        continue;
      }
      // Hide a figure the attack leaned on (for new awards, a row's order count stands for its amounts), sparing the totals row.
      const leaned = [...new Set(f.leanedOn.map((id) => {
        const c = model.byId.get(id)!;
        return c.kind === 'amount' ? cellId(c.table, c.row, 'orders') : id;
      }))];
      // Another failure of this round may already have taken away what this one leaned on: look again next round.
      if (leaned.some((id) => hiddenThisRound.has(id))) { progressed = true; continue; }
      const pick = smallestPublished(notTotals(leaned), flow ? gainedOrders : undefined)
        ?? smallestPublished(notTotals(candidatesFor(model, f)), flow ? gainedOrders : undefined)
        ?? smallestPublished(leaned)
        ?? smallestPublished(MEASURES_OF.totals.map((m) => cellId('totals', 'all', m as CountMeasure)));
      if (pick && hide(pick, 'secondary')) { progressed = true; hiddenThisRound.add(pick); }
      if (process.env.DEBUG_SDC) console.log(rounds, f.id, f.kind, f.value, [f.lo, f.hi], f.leanedOn, '->', pick);
    }
    if (!progressed) {
      throw new Error(`cannot protect ${failing.map((f) => f.id).join(', ')}: nothing left to hide`);
    }
  }
}

/** Whether a stored amount measure has negative values (an overpayment): the attacker may then not assume >= 0. */
const negativesOf = (model: ReleaseModel) =>
  Object.fromEntries(AMOUNT_MEASURES.map((m) => [m, model.cells.some((c) => c.measure === m && c.value < 0n)]));

/** The view in which every non-zero count is hidden and every amount withheld: the most a release can hide. */
function fullyHiddenView(model: ReleaseModel): PublicView {
  const counts = new Map<string, CountView>();
  const amounts = new Map<string, AmountView>();
  for (const c of model.cells) {
    const v = Number(c.value);
    if (c.kind === 'count') counts.set(c.id, v === 0 ? { state: 'published', value: 0 } : v <= SMALL ? { state: 'small' } : { state: 'hidden' });
  }
  for (const table of TABLE_IDS) {
    for (const row of model.rows[table]) {
      const empty = model.byId.get(cellId(table, row, 'orders'))!.value === 0n;
      for (const m of AMOUNT_MEASURES) amounts.set(cellId(table, row, m), empty ? { state: 'published', thousands: 0 } : { state: 'withheld' });
    }
  }
  return { rows: model.rows, counts, amounts };
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

/** Every figure the release must protect, with its true value, given what is published. */
export function protectedCells(model: ReleaseModel, view: PublicView, previous: PreviousRelease | null): ProtectedCell[] {
  const out: ProtectedCell[] = [];
  for (const c of model.cells) {
    const v = Number(c.value);
    if (c.kind === 'count') {
      const state = view.counts.get(c.id)?.state;
      if (state === 'small') out.push({ id: c.id, kind: 'primary', table: c.table, row: c.row, measure: c.measure, value: v });
      if (state === 'hidden') out.push({ id: c.id, kind: 'secondary', table: c.table, row: c.row, measure: c.measure, value: v });
    } else if (c.kind === 'derived') {
      if (v > 0 && v <= SMALL) out.push({ id: c.id, kind: 'complement', table: c.table, row: c.row, measure: c.measure, value: v });
    } else if (view.amounts.get(c.id)?.state === 'withheld' && c.value !== 0n) {
      // The money of 1-5 claims is protected as a small count is; a larger withheld amount only covers another.
      const kind = (c.contributors ?? 0) <= SMALL ? 'amount' : 'amount_secondary';
      out.push({ id: c.id, kind, table: c.table, row: c.row, measure: c.measure, value: thousandsExact(c.value) });
    }
  }
  if (previous) {
    for (const table of STATIC_TABLES) {
      for (const row of model.rows[table]) {
        const id = cellId(table, row, 'orders');
        const gained = Number(model.byId.get(id)!.value) - (previous.orders.get(id) ?? 0);
        if (gained <= 0 || gained > SMALL) continue;
        out.push({ id: `${id}/new`, kind: 'new_orders', table, row, measure: 'orders', value: gained });
        const awardedId = cellId(table, row, 'awarded');
        const newAward = model.byId.get(awardedId)!.value - (previous.awardedCents.get(awardedId) ?? 0n);
        if (newAward > 0n) out.push({ id: `${awardedId}/new`, kind: 'new_awarded', table, row, measure: 'awarded', value: thousandsExact(newAward) });
      }
    }
  }
  return out;
}
