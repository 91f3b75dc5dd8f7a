/**
 * An independent attacker for the red-team tests: it reads only published tables, of any number of releases at
 * once, and asks HiGHS (integer programming) for the extremes of any linear expression of the hidden figures.
 *
 * What it knows (all true of the data, and said by the public data package):
 * - every release's tables are views of the same orders: each table's rows add up, atom by atom (escalation level ×
 *   paid in full), to the totals, and so do the amounts; by_violations is a partition (one row per violation set);
 *   a stage says whether an order is paid in full;
 * - "5 or fewer" is 0-5, "hidden" is 6 or more; a published amount lies in the interval its rounding leaves
 *   (publish.ts roundingInterval: two significant figures, at least KSh 1 million);
 * - between releases the orders of every static row (year, agency, violation set, totals) never fall; and new orders
 *   enter six or more at a time: the total gains 0 or at least 6 (a 0/1 variable per release);
 * - optionally, an award is never amended, so a static row's awards rise only when it gains orders, by at most
 *   `maxAwardThousands` per new order (and at least `minAwardThousands`).
 * Unlike domain/release/attack.ts it keeps every earlier release as a whole system of equations.
 */
import {
  AMOUNT_MEASURES, AMOUNT_TABLES, ATOMS, type AmountMeasure, type CountMeasure, MEASURES_OF, type PublicView, type PublishedTables, SMALL,
  STATIC_TABLES, TABLE_IDS, type TableId, atomPossible, atomsOf, cellId, viewFromTables,
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
/** KSh 1 billion: more than any one order is awarded. */
const BIG = 1_000_000;

export interface AttackerOptions {
  awardsNeverAmended?: boolean;
  maxAwardThousands?: number;
  minAwardThousands?: number;
  /** Whether the attacker uses "new orders enter six or more at a time" (default: yes, it is published). */
  batches?: boolean;
  /** Amount measures that may be negative (an overpayment makes outstanding negative). */
  negative?: AmountMeasure[];
}

export type Measure = CountMeasure | 'not_overdue' | 'not_paid_in_full';

export class Attacker {
  private readonly views: PublicView[];
  private readonly constraints: string[] = [];
  private readonly counts = new Set<string>();
  private readonly amounts = new Set<string>();
  private readonly binaries = new Set<string>();
  private n = 0;

  constructor(private readonly solver: LinearSolver, releases: PublishedTables[], private readonly opts: AttackerOptions = {}) {
    this.views = releases.map(viewFromTables);
    this.views.forEach((_, k) => this.release(k));
    for (let k = 1; k < this.views.length; k++) this.link(k - 1, k);
  }

  /** A count of a row (orders by default), as a sum of atom variables. */
  count(k: number, table: TableId, row: string | number, measure: Measure = 'orders'): Expr {
    const r = this.rowIndex(k, table, String(row));
    return expr(...atomsOf(measure).filter((a) => atomPossible(table, String(row), a)).map((a) => [this.cv(k, `c${T(table)}_${r}_${a}`), 1] as [string, number]));
  }

  /** An amount of a row, in thousands of shillings. */
  amount(k: number, table: TableId, row: string | number, measure: AmountMeasure = 'awarded'): Expr {
    return expr([this.av(k, `${measure[0]}${T(table)}_${this.rowIndex(k, table, String(row))}`), 1]);
  }

  awarded(k: number, table: TableId, row: string | number): Expr {
    return this.amount(k, table, row, 'awarded');
  }

  /** What an outsider knows besides the releases (a judgment reported in the press, say). */
  assume(e: Expr, op: '=' | '>=' | '<=', rhs: number): this {
    this.add(e, op, rhs);
    return this;
  }

  /** The smallest and largest value of `e` consistent with everything published (and assumed). */
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
    const i = this.views[k]!.rows[table]!.indexOf(row);
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
        const parts = view.rows[table]!.filter((row) => atomPossible(table, row, a)).map((row) => [this.cv(k, `c${T(table)}_${this.rowIndex(k, table, row)}_${a}`), 1] as [string, number]);
        this.add(expr(...parts, [this.cv(k, `c0_0_${a}`), -1]), '=', 0);
      }
      if (!AMOUNT_TABLES.includes(table)) continue;
      for (const m of AMOUNT_MEASURES) this.add(minus(expr(...view.rows[table]!.map((row) => this.amount(k, table, row, m))), this.amount(k, 'totals', 'all', m)), '=', 0);
    }
    for (const table of TABLE_IDS) {
      for (const row of view.rows[table]!) {
        for (const m of MEASURES_OF[table]) {
          const v = view.counts.get(cellId(table, row, m))!;
          const e = this.count(k, table, row, m);
          if (v.state === 'published') this.add(e, '=', v.value);
          else if (v.state === 'small') this.add(e, '<=', SMALL);
          else this.add(e, '>=', SMALL + 1);
        }
        if (!AMOUNT_TABLES.includes(table)) continue;
        for (const m of AMOUNT_MEASURES) {
          const a = view.amounts.get(cellId(table, row, m))!;
          if (a.state === 'published') { this.add(this.amount(k, table, row, m), '>=', a.lo); this.add(this.amount(k, table, row, m), '<=', a.hi); }
        }
        // No orders, no money (an award of KSh 1 billion is the most one order holds; no one is paid or owed more than twice it).
        this.add(minus(this.awarded(k, table, row), scale(this.count(k, table, row), this.opts.maxAwardThousands ?? BIG)), '<=', 0);
        if (this.opts.minAwardThousands) this.add(minus(this.awarded(k, table, row), scale(this.count(k, table, row), this.opts.minAwardThousands)), '>=', 0);
        this.add(minus(this.amount(k, table, row, 'paid'), scale(this.count(k, table, row), 2 * BIG)), '<=', 0);
        if (!this.opts.negative?.includes('outstanding')) this.add(minus(this.amount(k, table, row, 'outstanding'), scale(this.count(k, table, row), 2 * BIG)), '<=', 0);
      }
    }
  }

  private link(before: number, now: number) {
    const big = this.opts.maxAwardThousands ?? BIG;
    for (const table of STATIC_TABLES) {
      for (const row of this.views[before]!.rows[table]!) {
        if (!this.views[now]!.rows[table]!.includes(row)) throw new Error(`row ${row} of ${table} vanished`);
        const gained = minus(this.count(now, table, row), this.count(before, table, row));
        this.add(gained, '>=', 0);
        if (this.opts.awardsNeverAmended && AMOUNT_TABLES.includes(table)) {
          const rose = minus(this.awarded(now, table, row), this.awarded(before, table, row));
          this.add(minus(rose, scale(gained, big)), '<=', 0);
          this.add(minus(rose, scale(gained, this.opts.minAwardThousands ?? 0)), '>=', 0);
        }
      }
    }
    if (this.opts.batches ?? true) {
      // New orders enter six or more at a time: the total gains nothing, or at least six.
      const b = `r${now}_batch`;
      this.binaries.add(b);
      const gained = minus(this.count(now, 'totals', 'all'), this.count(before, 'totals', 'all'));
      this.add(expr(gained, [b, -(SMALL + 1)]), '>=', 0);
      this.add(expr(gained, [b, -10 * BIG]), '<=', 0);
    }
  }

  private lp(sense: 'Minimize' | 'Maximize', objective: Expr): string {
    const obj = [...objective].filter(([, c]) => c !== 0).map(([v, c]) => `${c >= 0 ? '+' : '-'} ${Math.abs(c)} ${v}`).join(' ') || '0 r0_c0_0_0';
    const negative = new Set(this.opts.negative ?? []);
    const amountBounds = [...this.amounts].map((v) => (negative.has(AMOUNT_MEASURES.find((m) => v.split('_')[1]!.startsWith(m[0]!))!) ? ` ${v} >= -inf` : ` ${v} >= 0`));
    return [sense, ` obj: ${obj}`, 'Subject To', ...this.constraints.map((c) => ` ${c}`), 'Bounds',
      ...amountBounds, ...[...this.binaries].map((b) => ` 0 <= ${b} <= 1`), 'General', ` ${[...this.counts, ...this.binaries].join(' ')}`, 'End', ''].join('\n');
  }
}

/** The most a release can hide: every count a marker, every amount withheld. */
export function fullyHidden(tables: PublishedTables): PublishedTables {
  const out = {} as PublishedTables;
  for (const table of TABLE_IDS) {
    out[table] = tables[table].map((r) => {
      const x = { ...r };
      for (const m of MEASURES_OF[table]) {
        const v = r[m];
        if (typeof v === 'number') x[m] = v <= SMALL ? '5 or fewer' : 'hidden';
      }
      for (const m of AMOUNT_MEASURES.map((a) => `${a}_cents`)) if (m in r) x[m] = 'withheld';
      return x;
    });
  }
  return out;
}

/**
 * Every count of 1-5 in the last release (published cells and orders minus overdue / paid in full) that the
 * attacker, with the releases before it, pins more narrowly than 1-5 and more narrowly than the structure alone
 * would (the same allowance domain/release/attack.ts makes: parts of a total of 5 or fewer cannot each reach 5).
 */
export function pinnedCounts(solver: LinearSolver, releases: { tables: PublishedTables; disclosure: { values: Record<string, string> } }[], opts: AttackerOptions = {}): string[] {
  const last = releases[releases.length - 1]!;
  const k = releases.length - 1;
  const attacker = new Attacker(solver, releases.map((r) => r.tables), opts);
  const baseline = new Attacker(solver, [fullyHidden(last.tables)]);
  const view = viewFromTables(last.tables);
  const value = (id: string) => Number(last.disclosure.values[id]);
  const found: string[] = [];
  for (const table of TABLE_IDS) {
    for (const row of view.rows[table]!) {
      const measures = [...MEASURES_OF[table], 'not_overdue', ...(MEASURES_OF[table].includes('paid_in_full') ? ['not_paid_in_full'] : [])] as Measure[];
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

/** A release as the chain audit reads it: its public tables, and its private record to judge findings against. */
export interface AuditedRelease {
  tables: PublishedTables;
  disclosure: { values: Record<string, string>; contributors: Record<string, number> };
}

export interface ChainAuditOptions extends AttackerOptions {
  /** Which releases' own cells to attack (default: every one); flows are attacked between every two releases. */
  cellsOf?: number[];
  /** Attack amounts only (counts are slower). */
  amountsOnly?: boolean;
  /** Flows between consecutive releases only (default: between every two). */
  consecutive?: boolean;
}

/**
 * Attacks a chain of releases with everything published in all of them (a later release can give away a figure
 * of an earlier one): every count of 1-5 of a static row's orders in any release, every flow of 1-5 orders into a
 * static row between any two releases, every amount of 1-5 orders' money, and the awards of those flows. Returns
 * what it proves beyond the design's promises (a count or flow known across fewer than 5 values; money within half).
 */
export function auditChain(solver: LinearSolver, releases: AuditedRelease[], opts: ChainAuditOptions = {}): string[] {
  const a = new Attacker(solver, releases.map((r) => r.tables), { awardsNeverAmended: true, ...opts });
  const found: string[] = [];
  const v = (k: number, id: string) => Number(releases[k]!.disclosure.values[id]);
  const within = (truth: number, b: { lo: number; hi: number }) => b.lo > truth * 0.5 && b.hi < truth * 1.5;
  const view = viewFromTables(releases[releases.length - 1]!.tables);
  for (const k of opts.cellsOf ?? releases.map((_, i) => i)) {
    for (const table of AMOUNT_TABLES) {
      for (const row of view.rows[table]!) {
        for (const m of AMOUNT_MEASURES) {
          const id = cellId(table, row, m);
          const contributors = releases[k]!.disclosure.contributors[id] ?? 0;
          const truth = v(k, id) / 100_000;
          if (contributors < 1 || contributors > SMALL || truth === 0) continue;
          const b = a.bounds(a.amount(k, table, row, m));
          if (within(Math.abs(truth), { lo: Math.abs(b.lo), hi: Math.abs(b.hi) }) && Math.sign(b.lo) === Math.sign(b.hi)) {
            found.push(`release ${k + 1}: ${id} (${contributors} order(s), KSh ${truth} thousand) proven ${b.lo}-${b.hi}`);
          }
        }
      }
    }
    if (opts.amountsOnly) continue;
    for (const table of STATIC_TABLES) {
      for (const row of view.rows[table]!) {
        const truth = v(k, cellId(table, row, 'orders'));
        if (truth < 1 || truth > SMALL) continue;
        const b = a.bounds(a.count(k, table, row));
        if (b.hi - b.lo < SMALL - 1) found.push(`release ${k + 1}: ${cellId(table, row, 'orders')} (${truth}) proven ${b.lo}-${b.hi}`);
      }
    }
  }
  for (let j = 1; j < releases.length; j++) {
    for (let i = opts.consecutive ? j - 1 : 0; i < j; i++) {
      for (const table of STATIC_TABLES) {
        for (const row of view.rows[table]!) {
          const id = cellId(table, row, 'orders');
          const gained = v(j, id) - v(i, id);
          if (gained < 1 || gained > SMALL) continue;
          if (!opts.amountsOnly) {
            const b = a.bounds(minus(a.count(j, table, row), a.count(i, table, row)));
            if (b.hi - b.lo < SMALL - 1) found.push(`releases ${i + 1}-${j + 1}: ${gained} new order(s) in ${table}/${row} proven ${b.lo}-${b.hi}`);
          }
          if (!AMOUNT_TABLES.includes(table)) continue;
          const award = (v(j, cellId(table, row, 'awarded')) - v(i, cellId(table, row, 'awarded'))) / 100_000;
          if (award <= 0) continue;
          const b = a.bounds(minus(a.awarded(j, table, row), a.awarded(i, table, row)));
          if (within(award, b)) found.push(`releases ${i + 1}-${j + 1}: the award of ${gained} new order(s) in ${table}/${row} (KSh ${award} thousand) proven ${b.lo}-${b.hi}`);
        }
      }
    }
  }
  return found;
}
