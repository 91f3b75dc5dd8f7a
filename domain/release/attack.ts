/**
 * The attack a release must survive. An attacker holds every figure of the release and of the one before it (kept
 * whole, not as one interval per cell), the values each row had when it was last published exactly, and knows how
 * the tables fit together: every count is a sum of orders, each order is in exactly one year, agency, violation set
 * and stage; a stage says whether an order is paid in full; "5 or fewer" is 0 to 5 and "hidden" is 6 or more; a
 * published amount is within its rounding of the truth; a row's orders never fall. For every figure the release
 * protects, the attacker asks a solver for the smallest and largest value consistent with all that (counts as
 * whole numbers). A protected figure fails when the answer is too narrow.
 *
 * Pure: the solver is passed in (activities/release/solver.ts runs HiGHS), so the same code runs in the build,
 * in `npm run audit-release` and in tests.
 */
import { type UnitSchema, cellId, derivedOf } from './schema';

type TableId = string;
type CountMeasure = string;
type DerivedMeasure = string;
type AmountMeasure = string;

/** Counts of 0 to 5 are shown as "5 or fewer". */
export const SMALL = 5;
/** Amounts enter the solver in thousands of shillings. */
export const AMOUNT_UNIT_CENTS = 100_000n;
/** A hidden amount must stay uncertain by at least half its value either way. */
export const AMOUNT_PROTECTION = 0.5;
export const EPS = 1e-6;

export interface LinearSolver {
  /**
   * Solves a model written in CPLEX LP format: the objective value when optimal; for a model without integer
   * variables the dual value of each named constraint (which published figures the optimum leans on), and whether
   * the solution is whole numbers.
   */
  solve(lp: string): { status: 'optimal' | 'infeasible' | 'unbounded' | 'other'; objective: number; duals?: Map<string, number>; integral?: boolean };
}

/** What the public sees of a count cell. */
export type CountView = { state: 'published'; value: number } | { state: 'small' } | { state: 'hidden' };
/** What the public sees of an amount cell: the interval (thousands of shillings) its rounding leaves, or withheld. */
export type AmountView = { state: 'published'; lo: number; hi: number } | { state: 'withheld' };

/** The public view of a release, as an attacker reads it. */
export interface PublicView {
  schema: UnitSchema;
  rows: Record<TableId, string[]>;
  counts: Map<string, CountView>;
  amounts: Map<string, AmountView>;
}

/**
 * What an attacker knows from earlier releases: the previous one whole, and for each row of a static table the
 * orders and award (thousands) it showed when it was last published, in any earlier release: exact where it was
 * published, else (never published) the interval an attack could prove when the row was first released.
 */
export interface PreviousKnowledge {
  view: PublicView;
  lastPublished: Map<string, { lo: number; hi: number }>;
}

/**
 * primary: a count of 1-5; secondary: a count hidden to protect another; complement: an unpublished count of 1-5
 * implied by two published ones; new_orders: orders a row gained since the previous release (1-5);
 * new_orders_since_shown: orders it gained since it was last published; amount: the money of 1-5 orders;
 * amount_secondary: the money of a larger withheld cell; new_awarded (_since_shown): the awards of those new orders;
 * new_money (_since_shown): a change of money (a payment) that 1-5 units made.
 */
export type ProtectedKind = 'primary' | 'secondary' | 'complement' | 'new_orders' | 'new_orders_since_shown' | 'amount' | 'amount_secondary'
  | 'new_awarded' | 'new_awarded_since_shown' | 'new_money' | 'new_money_since_shown';
export const AMOUNT_KINDS: readonly ProtectedKind[] = ['amount', 'amount_secondary', 'new_awarded', 'new_awarded_since_shown', 'new_money', 'new_money_since_shown'];
/** Flows of money: against the previous release whole, or against what the row showed when last published. */
const SINCE_PREVIOUS: readonly ProtectedKind[] = ['new_awarded', 'new_money'];
const SINCE_SHOWN: readonly ProtectedKind[] = ['new_awarded_since_shown', 'new_money_since_shown'];

export interface ProtectedCell {
  id: string;
  kind: ProtectedKind;
  table: TableId;
  row: string;
  measure: CountMeasure | DerivedMeasure | AmountMeasure;
  /** The true value: a count, or thousands of shillings for amounts. */
  value: number;
}

export interface Finding extends ProtectedCell {
  lo: number;
  hi: number;
  /** Published figures the attack leaned on (from the linear relaxation). */
  leanedOn: string[];
  protectedEnough: boolean;
  rule: string;
}

// Variable names carry table and row indices, never keys, so no name carries an agency or a year.
const T = (view: PublicView, table: TableId) => view.schema.tables.indexOf(table);
const rowIndex = (view: PublicView, table: TableId, row: string) => {
  const i = view.rows[table]?.indexOf(row) ?? -1;
  if (i < 0) throw new Error(`no row ${row} in ${table}`);
  return i;
};
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(6));
const sum = (terms: string[]) => (terms.length ? terms.join(' + ') : '0 zero');

/**
 * The classes of atoms a table can tell apart: atoms in the same measures of the table (and possible in the same
 * rows) are one variable per row. Exact: any split of a class's units among its atoms that matches the totals row
 * exists (a transportation problem with matching sums), so the attacker learns nothing more from atoms than from
 * classes, and the models are several times smaller. The totals row keeps one variable per atom.
 */
const classCache = new WeakMap<PublicView, Map<string, number[][]>>();
function classesOf(view: PublicView, table: TableId): number[][] {
  let cache = classCache.get(view);
  if (!cache) classCache.set(view, (cache = new Map()));
  const known = cache.get(table);
  if (known) return known;
  const { schema } = view;
  // Only the derived counts this table implies: another table's complements split none of its classes.
  const measures = [...(schema.measures[table] ?? []), ...derivedOf(schema, table).map((d) => d.measure)];
  const sets = measures.map((m) => new Set(schema.atomsOf(m)));
  const byKey = new Map<string, number[]>();
  for (let a = 0; a < schema.atomCount; a++) {
    const possible = view.rows[table]!.map((row) => (schema.atomPossible(table, row, a) ? 1 : 0));
    if (!possible.some(Boolean)) continue;
    const key = `${sets.map((s) => (s.has(a) ? 1 : 0)).join('')}|${possible.join('')}`;
    byKey.set(key, [...(byKey.get(key) ?? []), a]);
  }
  const classes = [...byKey.values()];
  cache.set(table, classes);
  return classes;
}

/** The count variables of a cell of the current release (a linear sum over its row's classes of atoms). */
function countTerms(view: PublicView, table: TableId, row: string, measure: CountMeasure | DerivedMeasure): string[] {
  const r = rowIndex(view, table, row);
  if (table === 'totals') return view.schema.atomsOf(measure).map((a) => `c0_0_${a}`);
  const atoms = new Set(view.schema.atomsOf(measure));
  return classesOf(view, table).flatMap((cls, k) => (cls.every((a) => atoms.has(a)) && view.schema.atomPossible(table, row, cls[0]!) ? [`c${T(view, table)}_${r}_k${k}`] : []));
}
const amountVar = (view: PublicView, table: TableId, row: string) => `m${T(view, table)}_${rowIndex(view, table, row)}`;

class Model {
  readonly constraints: string[] = ['zero0: zero = 0'];
  readonly bounds: string[] = [];
  readonly integers: string[] = [];
  /** Constraint name → the published cell of this release it states (to tell which figures an attack leans on). */
  readonly sources = new Map<string, string>();
  private n = 0;

  add(prefix: string, text: string, source?: string): void {
    const name = `${prefix}${this.n++}`;
    if (source) this.sources.set(name, source);
    this.constraints.push(`${name}: ${text}`);
  }
}

/** The attacker's system for counts. */
function countModel(view: PublicView, previous: PreviousKnowledge | null): Model {
  const model = new Model();
  const vars = new Set<string>(['zero']);
  const use = (terms: string[]) => { terms.forEach((t) => vars.add(t)); return terms; };
  const { schema } = view;
  // Each table's rows, class by class of atoms, add up to the totals row: the tables are views of the same units.
  for (let a = 0; a < schema.atomCount; a++) vars.add(`c0_0_${a}`);
  for (const table of schema.tables.filter((t) => t !== 'totals')) {
    classesOf(view, table).forEach((cls, k) => {
      const terms = use(view.rows[table]!.filter((row) => schema.atomPossible(table, row, cls[0]!)).map((row) => `c${T(view, table)}_${rowIndex(view, table, row)}_k${k}`));
      model.add('k', `${sum(terms)} - ${cls.map((a) => `c0_0_${a}`).join(' - ')} = 0`);
    });
  }
  const state = (terms: string[], v: CountView | undefined, source: string) => {
    if (!v) return;
    if (v.state === 'published') model.add('p', `${sum(terms)} = ${v.value}`, source);
    else if (v.state === 'small') model.add('s', `${sum(terms)} <= ${SMALL}`);
    else model.add('h', `${sum(terms)} >= ${SMALL + 1}`);
  };
  for (const table of schema.tables) {
    for (const row of view.rows[table]!) {
      for (const measure of schema.measures[table] ?? []) {
        const id = cellId(table, row, measure);
        state(use(countTerms(view, table, row, measure)), view.counts.get(id), id);
      }
    }
  }
  if (previous) {
    // The previous release whole, for the orders of the tables an order never leaves: its figures, its markers, its
    // columns adding up to its total; and each row now holds at least what it held then.
    const prev = previous.view;
    const unit = schema.unitMeasure;
    for (const table of schema.staticTables) {
      const olds: string[] = [];
      for (const row of prev.rows[table] ?? []) {
        const o = `o${T(view, table)}_${rowIndex(prev, table, row)}`;
        olds.push(o);
        vars.add(o);
        state([o], prev.counts.get(cellId(table, row, unit)), '');
        if (view.rows[table]!.includes(row)) model.add('g', `${sum(countTerms(view, table, row, unit))} - ${o} >= 0`);
      }
      if (table !== 'totals') model.add('q', `${sum(olds)} - o0_0 = 0`);
    }
    // What each row showed when last published (exactly, or as the interval an attack could prove then).
    for (const [id, { lo, hi }] of previous.lastPublished) {
      const [table, row, measure] = id.split('/') as [TableId, string, string];
      if (measure !== unit || !view.rows[table]?.includes(row)) continue;
      const y = `y${T(view, table)}_${rowIndex(view, table, row)}`;
      vars.add(y);
      model.bounds.push(`${fmt(lo)} <= ${y} <= ${fmt(hi)}`);
      model.add('l', `${sum(countTerms(view, table, row, unit))} - ${y} >= 0`);
    }
  }
  model.integers.push(...vars);
  return model;
}

/** The attacker's system for one amount measure (thousands of shillings). */
function amountModel(view: PublicView, measure: AmountMeasure, previous: PreviousKnowledge | null, allowNegative: boolean): Model {
  const model = new Model();
  const { schema } = view;
  const free: string[] = [];
  for (const table of schema.amountTables.filter((t) => t !== 'totals')) {
    const terms = view.rows[table]!.map((row) => amountVar(view, table, row));
    free.push(...terms);
    model.add('k', `${sum(terms)} - m0_0 = 0`);
  }
  free.push('m0_0');
  for (const table of schema.amountTables) {
    for (const row of view.rows[table]!) {
      const v = view.amounts.get(cellId(table, row, measure));
      if (v?.state !== 'published') continue;
      const id = cellId(table, row, measure);
      const x = amountVar(view, table, row);
      model.add('p', `${x} >= ${fmt(v.lo)}`, id);
      model.add('p', `${x} <= ${fmt(v.hi)}`, id);
    }
  }
  if (allowNegative) for (const v of free) model.bounds.push(`${v} >= -inf`);
  if (previous && (measure === schema.flowAmount || schema.changedAmounts.includes(measure))) {
    const prev = previous.view;
    for (const table of schema.staticTables.filter((t) => schema.amountTables.includes(t))) {
      const olds: string[] = [];
      for (const row of prev.rows[table] ?? []) {
        const w = `w${T(view, table)}_${rowIndex(prev, table, row)}`;
        olds.push(w);
        const v = prev.amounts.get(cellId(table, row, measure));
        if (v?.state === 'published') model.bounds.push(`${fmt(v.lo)} <= ${w} <= ${fmt(v.hi)}`);
      }
      if (table !== 'totals') model.add('q', `${sum(olds)} - w0_0 = 0`);
    }
    for (const [id, { lo, hi }] of previous.lastPublished) {
      const [table, row, m] = id.split('/') as [TableId, string, string];
      if (m === measure && view.rows[table]?.includes(row)) model.bounds.push(`${fmt(lo)} <= x${T(view, table)}_${rowIndex(view, table, row)} <= ${fmt(hi)}`);
    }
  }
  return model;
}

function lpText(model: Model, sense: 'Minimize' | 'Maximize', objective: string[], integers: boolean): string {
  return [
    sense, ` obj: ${sum(objective)}`, 'Subject To', ...model.constraints.map((c) => ` ${c}`),
    'Bounds', ...model.bounds.map((b) => ` ${b}`),
    ...(integers && model.integers.length ? ['General', ` ${model.integers.join(' ')}`] : []), 'End', '',
  ].join('\n');
}

interface Extremes {
  lo: number;
  hi: number;
  leanedOn: string[];
}

/** Smallest and largest value of `objective - minus (+ offset)`. */
function extremes(solver: LinearSolver, model: Model, objective: string[], minus: string | null, offset: number, integer: boolean): Extremes {
  const terms = minus ? [...objective, `- ${minus}`] : objective;
  const out: Extremes = { lo: -Infinity, hi: Infinity, leanedOn: [] };
  const leaned = new Set<string>();
  for (const sense of ['Minimize', 'Maximize'] as const) {
    // The relaxation first: where its optimum is already whole numbers, integer programming cannot do better.
    const r = solver.solve(lpText(model, sense, terms, false));
    if (r.status === 'infeasible') throw new Error('the published figures contradict each other: the attack model is infeasible');
    if (r.status !== 'optimal') continue;
    let value = r.objective;
    if (integer && model.integers.length && !r.integral) {
      const exact = solver.solve(lpText(model, sense, terms, true));
      if (exact.status === 'optimal') value = exact.objective;
    }
    out[sense === 'Minimize' ? 'lo' : 'hi'] = value + offset;
    for (const [name, dual] of r.duals ?? []) {
      const source = model.sources.get(name);
      if (source && Math.abs(dual) > 1e-9) leaned.add(source);
    }
  }
  out.leanedOn = [...leaned];
  return out;
}

/**
 * Whether what the attacker can prove is too little to matter. `floor` lowers the count rule where the structure
 * alone pins a cell more tightly (parts of a total that is itself 5 or fewer): the cell must then be no better known
 * than it would be if every count of the release were hidden.
 */
export function judge(cell: ProtectedCell, lo: number, hi: number, floor = SMALL - 1): { protectedEnough: boolean; rule: string } {
  if (cell.kind === 'amount_secondary') {
    // Its own money is no one's (more than 5 orders): it must only not be known as well as a published figure.
    return { protectedEnough: hi - lo >= 2_000 - EPS, rule: 'a withheld amount must not be known to within KSh 2 million' };
  }
  if (AMOUNT_KINDS.includes(cell.kind)) {
    // Half the value either way (a change may be negative: a reversal).
    const margin = Math.abs(cell.value) * AMOUNT_PROTECTION;
    return {
      protectedEnough: lo <= cell.value - margin + EPS && hi >= cell.value + margin - EPS,
      rule: 'a hidden amount must stay uncertain by half its value either way',
    };
  }
  const width = Math.min(SMALL - 1, floor);
  return { protectedEnough: hi - lo >= width - EPS, rule: `a hidden or implied count must stay uncertain across at least ${width + 1} values (as 1-5)` };
}

/** The true value must lie inside what the attacker can prove; otherwise the model, not the release, is wrong. */
function checked(c: ProtectedCell, { lo, hi, leanedOn }: Extremes, floor?: number): Finding {
  const slack = AMOUNT_KINDS.includes(c.kind) ? 1 : EPS;
  if (c.value < lo - slack || c.value > hi + slack) {
    throw new Error(`the attack model excludes the true value of ${c.id} (${c.value} outside ${lo}..${hi})`);
  }
  return { ...c, lo, hi, leanedOn, ...judge(c, lo, hi, floor) };
}

export interface AttackOptions {
  /** Counts as whole numbers (the strongest attacker; the default); without, the linear relaxation only. */
  integer?: boolean;
  negativeAmounts?: Partial<Record<AmountMeasure, boolean>>;
  floors?: Map<string, number>;
}

/** Attacks every protected cell; returns what the attacker can prove about each. */
export function attack(solver: LinearSolver, view: PublicView, cells: ProtectedCell[], previous: PreviousKnowledge | null, opts: AttackOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const counts = cells.filter((c) => !AMOUNT_KINDS.includes(c.kind));
  if (counts.length) {
    const model = countModel(view, previous);
    for (const c of counts) {
      const unit = view.schema.unitMeasure;
      const measure = c.kind === 'new_orders' || c.kind === 'new_orders_since_shown' ? unit : (c.measure as CountMeasure | DerivedMeasure);
      let minus: string | null = null;
      const offset = 0;
      if (c.kind === 'new_orders' && previous?.view.rows[c.table]?.includes(c.row)) minus = `o${T(view, c.table)}_${rowIndex(previous.view, c.table, c.row)}`;
      if (c.kind === 'new_orders_since_shown') minus = `y${T(view, c.table)}_${rowIndex(view, c.table, c.row)}`;
      const e = extremes(solver, model, countTerms(view, c.table, c.row, measure), minus, offset, opts.integer ?? true);
      findings.push(checked(c, e, opts.floors?.get(c.id)));
    }
  }
  for (const measure of view.schema.amountMeasures) {
    const mine = cells.filter((c) => AMOUNT_KINDS.includes(c.kind) && c.measure === measure);
    if (!mine.length) continue;
    const model = amountModel(view, measure, previous, opts.negativeAmounts?.[measure] ?? false);
    for (const c of mine) {
      // New awards: against the previous release whole, or against the award the row showed when last published.
      const x = amountVar(view, c.table, c.row);
      let minus: string | null = null;
      if (SINCE_PREVIOUS.includes(c.kind) && previous?.view.rows[c.table]?.includes(c.row)) minus = `w${T(view, c.table)}_${rowIndex(previous.view, c.table, c.row)}`;
      if (SINCE_SHOWN.includes(c.kind)) minus = `x${T(view, c.table)}_${rowIndex(view, c.table, c.row)}`;
      findings.push(checked(c, extremes(solver, model, [x], minus, 0, false)));
    }
  }
  return findings;
}
