/**
 * An independent attacker for the red-team tests: it reads only published tables, of any number of releases at
 * once, and asks HiGHS (integer programming) for the extremes of any linear expression of the hidden figures.
 *
 * What it knows beyond one release (all true of the data, and of any real register):
 * - every release's tables are views of the same orders: each table's rows add up, atom by atom (escalation level ×
 *   paid in full), to the totals; an order naming two violation types is in two rows of by_violation_type, so that
 *   table is a sum over the seven violation *sets*; a stage says whether an order is paid in full;
 * - "5 or fewer" is 1-5, "hidden" is 6 or more, a published amount is within KSh 500 of the truth;
 * - between releases order counts of every static row (year, agency, violation set, totals) never fall;
 * - optionally, an award is never amended, so a static row's awards rise only when it gains orders (a row that
 *   gained no order has the same awards), by at most `maxAwardThousands` per new order.
 * Unlike domain/release/attack.ts it keeps every earlier release as a whole system of equations, not as an
 * interval per cell.
 */
import {
  ATOMS, type CountMeasure, MEASURES_OF, type PublicView, type PublishedTables, SMALL, STATIC_TABLES, TABLE_IDS, type TableId,
  VIOLATION_SETS, atomPossible, atomsOf, cellId, viewFromTables,
} from '../../domain/release';
import type { LinearSolver } from '../../domain/release/attack';

export type Expr = Map<string, number>;
export const expr = (...parts: (Expr | [string, number])[]): Expr => {
  const out: Expr = new Map();
  for (const p of parts) {
    const entries: [string, number][] = Array.isArray(p) ? [p] : [...p];
    for (const [v, c] of entries) out.set(v, (out.get(v) ?? 0) + c);
  }
  return out;
};
export const scale = (a: Expr, k: number): Expr => new Map([...a].map(([v, c]) => [v, c * k]));
export const minus = (a: Expr, b: Expr) => expr(a, scale(b, -1));

const T = (table: TableId) => TABLE_IDS.indexOf(table);

export interface AttackerOptions {
  awardsNeverAmended?: boolean;
  maxAwardThousands?: number;
}

export class Attacker {
  private readonly views: PublicView[];
  private readonly constraints: string[] = [];
  private readonly counts = new Set<string>();
  private readonly amounts = new Set<string>();
  private n = 0;

  constructor(private readonly solver: LinearSolver, releases: PublishedTables[], opts: AttackerOptions = {}) {
    this.views = releases.map(viewFromTables);
    this.views.forEach((_, k) => this.release(k));
    for (let k = 1; k < this.views.length; k++) this.link(k - 1, k, opts);
  }

  /** Orders of a row (or any count measure), as a sum of atom variables. */
  count(k: number, table: TableId, row: string | number, measure: CountMeasure | 'not_overdue' | 'not_paid_in_full' = 'orders'): Expr {
    const atoms = atomsOf(measure);
    if (table === 'by_violation_type') {
      return expr(...VIOLATION_SETS.flatMap((set, s) => (set.split('+').includes(String(row)) ? atoms.map((a) => [this.cv(k, `cV_${s}_${a}`), 1] as [string, number]) : [])));
    }
    const r = this.rowIndex(k, table, String(row));
    return expr(...atoms.filter((a) => atomPossible(table, String(row), a)).map((a) => [this.cv(k, `c${T(table)}_${r}_${a}`), 1] as [string, number]));
  }

  /** Orders naming exactly this violation set ("torture+extra_judicial_killing"): never published. */
  violationSet(k: number, set: string, measure: CountMeasure = 'orders'): Expr {
    const s = VIOLATION_SETS.indexOf(set);
    if (s < 0) throw new Error(`no violation set ${set}`);
    return expr(...atomsOf(measure).map((a) => [this.cv(k, `cV_${s}_${a}`), 1] as [string, number]));
  }

  /** Awards of a row, in thousands of shillings. */
  awarded(k: number, table: TableId, row: string | number): Expr {
    if (table === 'by_violation_type') {
      return expr(...VIOLATION_SETS.flatMap((set, s) => (set.split('+').includes(String(row)) ? [[this.av(k, `mV_${s}`), 1] as [string, number]] : [])));
    }
    return expr([this.av(k, `m${T(table)}_${this.rowIndex(k, table, String(row))}`), 1]);
  }

  awardedSet(k: number, set: string): Expr {
    return expr([this.av(k, `mV_${VIOLATION_SETS.indexOf(set)}`), 1]);
  }

  /** The smallest and largest value of `e` consistent with everything published. */
  bounds(e: Expr): { lo: number; hi: number } {
    const out = { lo: -Infinity, hi: Infinity };
    for (const sense of ['Minimize', 'Maximize'] as const) {
      const r = this.solver.solve(this.lp(sense, e));
      if (r.status === 'infeasible') throw new Error('the attacker\'s system is infeasible: an assumption does not hold for this data set');
      if (r.status === 'optimal') out[sense === 'Minimize' ? 'lo' : 'hi'] = Math.round(r.objective * 1e6) / 1e6;
    }
    return out;
  }

  private rowIndex(k: number, table: TableId, row: string): number {
    const i = this.views[k]!.rows[table].indexOf(row);
    if (i < 0) throw new Error(`release ${k + 1} has no row ${row} in ${table}`);
    return i;
  }

  private cv(k: number, name: string) { const v = `r${k}_${name}`; this.counts.add(v); return v; }
  private av(k: number, name: string) { const v = `r${k}_${name}`; this.amounts.add(v); return v; }

  private add(e: Expr, op: '=' | '>=' | '<=', rhs: number) {
    const terms = [...e].filter(([, c]) => c !== 0).map(([v, c]) => `${c >= 0 ? '+' : '-'} ${Math.abs(c)} ${v}`);
    if (!terms.length) return;
    this.constraints.push(`q${this.n++}: ${terms.join(' ')} ${op} ${rhs}`);
  }

  private release(k: number) {
    const view = this.views[k]!;
    // Tables are views of the same orders, atom by atom; amounts likewise.
    for (const table of TABLE_IDS.filter((t) => t !== 'totals')) {
      for (const a of ATOMS) {
        const parts = table === 'by_violation_type'
          ? VIOLATION_SETS.map((_, s) => [this.cv(k, `cV_${s}_${a}`), 1] as [string, number])
          : view.rows[table].filter((row) => atomPossible(table, row, a)).map((row) => [this.cv(k, `c${T(table)}_${this.rowIndex(k, table, row)}_${a}`), 1] as [string, number]);
        this.add(expr(...parts, [this.cv(k, `c0_0_${a}`), -1]), '=', 0);
      }
      const money = table === 'by_violation_type'
        ? VIOLATION_SETS.map((_, s) => [this.av(k, `mV_${s}`), 1] as [string, number])
        : view.rows[table].map((row) => [this.av(k, `m${T(table)}_${this.rowIndex(k, table, row)}`), 1] as [string, number]);
      this.add(expr(...money, [this.av(k, 'm0_0'), -1]), '=', 0);
    }
    for (const table of TABLE_IDS) {
      for (const row of view.rows[table]) {
        for (const m of MEASURES_OF[table]) {
          const v = view.counts.get(cellId(table, row, m))!;
          const e = this.count(k, table, row, m);
          if (v.state === 'published') this.add(e, '=', v.value);
          else if (v.state === 'small') { this.add(e, '>=', 1); this.add(e, '<=', SMALL); }
          else this.add(e, '>=', SMALL + 1);
        }
        const a = view.amounts.get(cellId(table, row, 'awarded'))!;
        if (a.state === 'published') { this.add(this.awarded(k, table, row), '>=', a.thousands - 0.5); this.add(this.awarded(k, table, row), '<=', a.thousands + 0.5); }
      }
    }
    // No orders, no money (an award of KSh 1 billion is the most one order holds).
    for (const set of VIOLATION_SETS) this.add(minus(this.awardedSet(k, set), scale(this.violationSet(k, set), 1_000_000)), '<=', 0);
    for (const table of TABLE_IDS.filter((t) => t !== 'by_violation_type')) {
      for (const row of view.rows[table]) this.add(minus(this.awarded(k, table, row), scale(this.count(k, table, row), 1_000_000)), '<=', 0);
    }
  }

  private link(before: number, now: number, opts: AttackerOptions) {
    const big = opts.maxAwardThousands ?? 1_000_000;
    const rows: { orders: (k: number) => Expr; awarded: (k: number) => Expr }[] = [];
    for (const table of STATIC_TABLES.filter((t) => t !== 'by_violation_type')) {
      for (const row of this.views[before]!.rows[table]) {
        if (!this.views[now]!.rows[table].includes(row)) throw new Error(`row ${row} of ${table} vanished`);
        rows.push({ orders: (k) => this.count(k, table, row), awarded: (k) => this.awarded(k, table, row) });
      }
    }
    for (const set of VIOLATION_SETS) rows.push({ orders: (k) => this.violationSet(k, set), awarded: (k) => this.awardedSet(k, set) });
    for (const r of rows) {
      const gained = minus(r.orders(now), r.orders(before));
      this.add(gained, '>=', 0);
      if (opts.awardsNeverAmended) {
        const rose = minus(r.awarded(now), r.awarded(before));
        this.add(rose, '>=', 0);
        this.add(minus(rose, scale(gained, big)), '<=', 0);
      }
    }
  }

  private lp(sense: 'Minimize' | 'Maximize', objective: Expr): string {
    const obj = [...objective].filter(([, c]) => c !== 0).map(([v, c]) => `${c >= 0 ? '+' : '-'} ${Math.abs(c)} ${v}`).join(' ') || '0 r0_c0_0_0';
    return [sense, ` obj: ${obj}`, 'Subject To', ...this.constraints.map((c) => ` ${c}`), 'Bounds',
      ...[...this.amounts].map((v) => ` ${v} >= 0`), 'General', ` ${[...this.counts].join(' ')}`, 'End', ''].join('\n');
  }
}

/** The most a release can hide: every non-zero count a marker, every amount of a non-empty row withheld. */
export function fullyHidden(tables: PublishedTables): PublishedTables {
  const out = {} as PublishedTables;
  for (const table of TABLE_IDS) {
    out[table] = tables[table].map((r) => {
      const x = { ...r };
      for (const m of MEASURES_OF[table]) {
        const v = r[m];
        if (typeof v === 'number' && v > 0) x[m] = v <= SMALL ? '5 or fewer' : 'hidden';
      }
      for (const m of ['awarded_cents', 'paid_cents', 'outstanding_cents']) if (r.orders !== 0) x[m] = 'withheld';
      return x;
    });
  }
  return out;
}

/**
 * Every count of 1-5 in a release (published cells and orders minus overdue / paid in full) that the attacker, with
 * the releases before it, pins more narrowly than 1-5 and more narrowly than the structure alone would (the same
 * allowance domain/release/attack.ts makes: parts of a total of 5 or fewer cannot each reach 5).
 */
export function pinnedCounts(solver: LinearSolver, releases: { tables: PublishedTables; disclosure: { values: Record<string, string> } }[]): string[] {
  const last = releases[releases.length - 1]!;
  const k = releases.length - 1;
  const attacker = new Attacker(solver, releases.map((r) => r.tables));
  const baseline = new Attacker(solver, [fullyHidden(last.tables)]);
  const view = viewFromTables(last.tables);
  const value = (id: string) => Number(last.disclosure.values[id]);
  const found: string[] = [];
  for (const table of TABLE_IDS) {
    for (const row of view.rows[table]) {
      const measures = [...MEASURES_OF[table], 'not_overdue', ...(MEASURES_OF[table].includes('paid_in_full') ? ['not_paid_in_full'] : [])] as (CountMeasure | 'not_overdue' | 'not_paid_in_full')[];
      for (const m of measures) {
        const truth = m === 'not_overdue' ? value(cellId(table, row, 'orders')) - value(cellId(table, row, 'overdue'))
          : m === 'not_paid_in_full' ? value(cellId(table, row, 'orders')) - value(cellId(table, row, 'paid_in_full')) : value(cellId(table, row, m));
        if (truth < 1 || truth > SMALL) continue;
        const b = attacker.bounds(attacker.count(k, table, row, m));
        if (b.hi - b.lo >= SMALL - 1) continue;
        const floor = baseline.bounds(baseline.count(0, table, row, m));
        if (b.hi - b.lo < Math.min(SMALL - 1, floor.hi - floor.lo)) found.push(`${table}/${row}/${m} is ${truth}: pinned to ${b.lo}-${b.hi}`);
      }
    }
  }
  return found;
}
