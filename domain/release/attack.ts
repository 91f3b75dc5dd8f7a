/**
 * The attack a release must survive. An attacker holds every figure of the release (and of the release before it)
 * and knows how the tables fit together: every count is a sum of claims, each claim is in exactly one year, agency,
 * violation set and stage, and a stage says whether it is paid in full. For every figure the release protects, the
 * attacker asks a linear-programming solver for the smallest and largest value consistent with everything
 * published (counts as integers, amounts within their rounding). A protected figure fails when the answer is too
 * narrow: a hidden count pinned inside 1-5, a hidden amount bounded within half its value either way.
 *
 * Pure: the solver is passed in (activities/release/solver.ts runs HiGHS), so the same code runs in the build,
 * in `npm run audit-release` and in tests.
 */
import {
  AMOUNT_MEASURES, ATOMS, type AmountMeasure, type CountMeasure, type DerivedMeasure, MEASURES_OF, STATIC_TABLES, TABLE_IDS,
  type TableId, VIOLATION_SETS, atomPossible, atomsOf, cellId,
} from './model';

export const SMALL = 5;
/** Amounts enter the solver in thousands of shillings, the unit they are published in. */
export const AMOUNT_UNIT_CENTS = 100_000n;
/** A hidden amount must stay uncertain by at least half its value either way. */
export const AMOUNT_PROTECTION = 0.5;

export interface LinearSolver {
  /**
   * Solves a model written in CPLEX LP format: the objective value when optimal, and for a model without integer
   * variables the dual value of each named constraint (which published figures the optimum leans on).
   */
  solve(lp: string): { status: 'optimal' | 'infeasible' | 'unbounded' | 'other'; objective: number; duals?: Map<string, number>; integral?: boolean };
}

/** What the public sees of a count cell. */
export type CountView = { state: 'published'; value: number } | { state: 'small' } | { state: 'hidden' };
/** What the public sees of an amount cell, in thousands of shillings (rounded). */
export type AmountView = { state: 'published'; thousands: number } | { state: 'withheld' };

/** The public view of a release, as an attacker reads it. */
export interface PublicView {
  rows: Record<TableId, string[]>;
  counts: Map<string, CountView>;
  amounts: Map<string, AmountView>;
}

/** What an attacker knows of the previous release's static rows: exact figures, or bounds on hidden ones. */
export interface PreviousKnowledge {
  orders: Map<string, { lo: number; hi: number }>;
  awardedThousands: Map<string, { lo: number; hi: number }>;
}

/**
 * primary: a count of 1-5; secondary: a count hidden to protect one; complement: an unpublished count implied by two
 * published ones; new_orders: orders a row gained since the previous release; amount: the money of a row of 1-5
 * orders; amount_secondary: the money of a larger hidden row; new_awarded: the awards of a row's new orders.
 */
export type ProtectedKind = 'primary' | 'secondary' | 'complement' | 'new_orders' | 'amount' | 'amount_secondary' | 'new_awarded';
export const AMOUNT_KINDS: readonly ProtectedKind[] = ['amount', 'amount_secondary', 'new_awarded'];

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
  /** Published figures the attack leaned on (linear relaxation only). */
  leanedOn: string[];
  protectedEnough: boolean;
  rule: string;
}

// Variable names: c<table>_<row>_<atom> for counts, m<table>_<row> for amounts, o/w<table>_<row> for the previous
// release's hidden figures. Row indices, never keys, so no name carries an agency or a year.
const T = (table: TableId) => TABLE_IDS.indexOf(table);
const rowIndex = (view: PublicView, table: TableId, row: string) => {
  const i = view.rows[table].indexOf(row);
  if (i < 0) throw new Error(`no row ${row} in ${table}`);
  return i;
};
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(6));

/** The count variables of a cell (a linear sum). */
function countTerms(view: PublicView, table: TableId, row: string, measure: CountMeasure | DerivedMeasure): string[] {
  const atoms = atomsOf(measure);
  if (table === 'by_violation_type') {
    return VIOLATION_SETS.flatMap((set, s) => (set.split('+').includes(row) ? atoms.map((a) => `cV_${s}_${a}`) : []));
  }
  const r = rowIndex(view, table, row);
  return atoms.filter((a) => atomPossible(table, row, a)).map((a) => `c${T(table)}_${r}_${a}`);
}

function amountTerms(view: PublicView, table: TableId, row: string): string[] {
  if (table === 'by_violation_type') return VIOLATION_SETS.flatMap((set, s) => (set.split('+').includes(row) ? [`mV_${s}`] : []));
  return [`m${T(table)}_${rowIndex(view, table, row)}`];
}

const sum = (terms: string[]) => (terms.length ? terms.join(' + ') : '0 zero');

interface Model {
  constraints: string[];
  bounds: string[];
  integers: string[];
  /** Constraint name → the published cell it states (to tell which figures an attack leans on). */
  sources: Map<string, string>;
}

/** The attacker's system for counts: every published count, every marker, the coupling of tables, the previous release. */
function countModel(view: PublicView, previous: PreviousKnowledge | null): Model {
  const constraints: string[] = ['zero0: zero = 0'];
  const sources = new Map<string, string>();
  const vars = new Set<string>(['zero']);
  const add = (terms: string[]) => { terms.forEach((t) => vars.add(t.replace(/^-\s*/, ''))); return terms; };
  let n = 0;
  // Each table's rows, atom by atom, add up to the totals row: the tables are views of the same claims.
  for (const table of TABLE_IDS.filter((t) => t !== 'totals')) {
    for (const a of ATOMS) {
      const terms = table === 'by_violation_type'
        ? VIOLATION_SETS.map((_, s) => `cV_${s}_${a}`)
        : view.rows[table].filter((row) => atomPossible(table, row, a)).map((row) => `c${T(table)}_${rowIndex(view, table, row)}_${a}`);
      add(terms);
      constraints.push(`k${n++}: ${sum(terms)} - c0_0_${a} = 0`);
      vars.add(`c0_0_${a}`);
    }
  }
  for (const table of TABLE_IDS) {
    for (const row of view.rows[table]) {
      for (const measure of MEASURES_OF[table]) {
        const v = view.counts.get(cellId(table, row, measure));
        if (!v) continue;
        const terms = add(countTerms(view, table, row, measure));
        if (v.state === 'published') {
          sources.set(`p${n}`, cellId(table, row, measure));
          constraints.push(`p${n++}: ${sum(terms)} = ${v.value}`);
        }
        else if (v.state === 'small') constraints.push(`s${n++}: ${sum(terms)} >= 1`, `s${n++}: ${sum(terms)} <= ${SMALL}`);
        else constraints.push(`h${n++}: ${sum(terms)} >= ${SMALL + 1}`);
      }
    }
  }
  const bounds: string[] = [];
  if (previous) {
    // Orders are never removed: each static row now holds at least what it held then.
    for (const table of STATIC_TABLES) {
      for (const row of view.rows[table]) {
        const before = previous.orders.get(cellId(table, row, 'orders'));
        if (!before) continue;
        const terms = add(countTerms(view, table, row, 'orders'));
        const o = `o${T(table)}_${rowIndex(view, table, row)}`;
        vars.add(o);
        bounds.push(`${fmt(before.lo)} <= ${o} <= ${fmt(before.hi)}`);
        constraints.push(`g${n++}: ${sum(terms)} - ${o} >= 0`);
      }
    }
  }
  return { constraints, bounds, integers: [...vars], sources };
}

/** The attacker's system for one amount measure (thousands of shillings). */
function amountModel(view: PublicView, measure: AmountMeasure, previous: PreviousKnowledge | null, allowNegative: boolean): Model {
  const constraints: string[] = ['zero0: zero = 0'];
  const sources = new Map<string, string>();
  const bounds: string[] = [];
  let n = 0;
  const totalVar = `m0_0`;
  const free = new Set<string>();
  for (const table of TABLE_IDS.filter((t) => t !== 'totals')) {
    const terms = table === 'by_violation_type' ? VIOLATION_SETS.map((_, s) => `mV_${s}`) : view.rows[table].map((row) => `m${T(table)}_${rowIndex(view, table, row)}`);
    terms.forEach((t) => free.add(t));
    constraints.push(`k${n++}: ${sum(terms)} - ${totalVar} = 0`);
  }
  free.add(totalVar);
  for (const table of TABLE_IDS) {
    for (const row of view.rows[table]) {
      const terms = amountTerms(view, table, row);
      const count = view.counts.get(cellId(table, row, 'orders'));
      // A row with no orders has no money.
      if (count?.state === 'published' && count.value === 0) constraints.push(`z${n++}: ${sum(terms)} = 0`);
      const v = view.amounts.get(cellId(table, row, measure));
      if (v?.state === 'published') {
        sources.set(`p${n}`, cellId(table, row, measure)).set(`p${n + 1}`, cellId(table, row, measure));
        constraints.push(`p${n++}: ${sum(terms)} >= ${fmt(v.thousands - 0.5)}`, `p${n++}: ${sum(terms)} <= ${fmt(v.thousands + 0.5)}`);
      }
    }
  }
  if (allowNegative) for (const v of free) bounds.push(`${v} >= -inf`);
  if (previous && measure === 'awarded') {
    for (const table of STATIC_TABLES) {
      for (const row of view.rows[table]) {
        const before = previous.awardedThousands.get(cellId(table, row, 'awarded'));
        if (!before) continue;
        bounds.push(`${fmt(before.lo)} <= w${T(table)}_${rowIndex(view, table, row)} <= ${fmt(before.hi)}`);
      }
    }
  }
  return { constraints, bounds, integers: [], sources };
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
  /** Published figures the attack leaned on (non-zero duals), when solved without integers. */
  leanedOn: string[];
}

function extremes(solver: LinearSolver, model: Model, objective: string[], minus: string | null, integer: boolean): Extremes {
  // The objective is `objective - minus` (a flow: now minus before); LP format objectives take terms, not constants.
  const terms = minus ? [...objective, `- ${minus}`] : objective;
  const out: Extremes = { lo: -Infinity, hi: Infinity, leanedOn: [] };
  const leaned = new Set<string>();
  for (const sense of ['Minimize', 'Maximize'] as const) {
    // The relaxation first: where its optimum is already whole numbers, integer programming cannot do better.
    const r = solver.solve(lpText(model, sense, terms, false));
    if (r.status === 'infeasible') throw new Error('the published figures contradict each other: the attack model is infeasible');
    if (r.status !== 'optimal') continue;
    out[sense === 'Minimize' ? 'lo' : 'hi'] = r.objective;
    if (integer && model.integers.length && !r.integral) {
      const exact = solver.solve(lpText(model, sense, terms, true));
      if (exact.status === 'optimal') out[sense === 'Minimize' ? 'lo' : 'hi'] = exact.objective;
    }
    for (const [name, dual] of r.duals ?? []) {
      const source = model.sources.get(name);
      if (source && Math.abs(dual) > 1e-9) leaned.add(source);
    }
  }
  out.leanedOn = [...leaned];
  return out;
}

export const EPS = 1e-6;

/**
 * Whether what the attacker can prove is too little to matter. `floor` lowers the count rule where the structure
 * alone pins a cell more tightly (parts of a total that is itself 5 or fewer): then the cell must be no better known
 * than it would be if every count of the release were hidden.
 */
export function judge(cell: ProtectedCell, lo: number, hi: number, floor = SMALL - 1): { protectedEnough: boolean; rule: string } {
  if (cell.kind === 'amount_secondary') {
    // Its own money is no one's (more than 5 orders): it must only not be known as well as a published figure.
    return { protectedEnough: hi - lo >= 2 - EPS, rule: 'a withheld amount must not be known to within KSh 1,000' };
  }
  if (cell.kind === 'amount' || cell.kind === 'new_awarded') {
    return {
      protectedEnough: lo <= cell.value * (1 - AMOUNT_PROTECTION) + EPS && hi >= cell.value * (1 + AMOUNT_PROTECTION) - EPS,
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
      const measure = c.kind === 'new_orders' ? 'orders' : (c.measure as CountMeasure | DerivedMeasure);
      const minus = c.kind === 'new_orders' && previous?.orders.has(cellId(c.table, c.row, 'orders')) ? `o${T(c.table)}_${rowIndex(view, c.table, c.row)}` : null;
      const e = extremes(solver, model, countTerms(view, c.table, c.row, measure), minus, opts.integer ?? true);
      findings.push(checked(c, e, opts.floors?.get(c.id)));
    }
  }
  for (const measure of AMOUNT_MEASURES) {
    const mine = cells.filter((c) => AMOUNT_KINDS.includes(c.kind) && c.measure === measure);
    if (!mine.length) continue;
    const model = amountModel(view, measure, previous, opts.negativeAmounts?.[measure] ?? false);
    for (const c of mine) {
      const minus = c.kind === 'new_awarded' && previous?.awardedThousands.has(cellId(c.table, c.row, 'awarded')) ? `w${T(c.table)}_${rowIndex(view, c.table, c.row)}` : null;
      findings.push(checked(c, extremes(solver, model, amountTerms(view, c.table, c.row), minus, false)));
    }
  }
  return findings;
}
