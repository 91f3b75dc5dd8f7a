/**
 * The statistical model of a published release: which tables are published, which cells they hold, and how every
 * cell is a sum over "atoms" (the status of a claim: its escalation level and whether it is paid in full). An
 * attacker who reads the release knows exactly these relations, so the same model drives both the choice of cells
 * to hide (suppression.ts) and the attack that checks the choice (attack.ts).
 */
import { STAGES, type Stage } from '../claim/rules';
import { VIOLATION_TYPES, type ViolationType } from '../claim/order';
import type { Cents } from '../money';

/** One claim as the release sees it: no id, no court, no case number, no survivor. */
export interface ClaimFact {
  yearOfJudgment: number;
  agencyId: string;
  violationTypes: readonly ViolationType[];
  stage: Stage;
  /** -1 when no deadline has lapsed, else the highest escalation level reached (0-4). */
  escalationLevel: number;
  awardedCents: Cents;
  paidCents: Cents;
  outstandingCents: Cents;
  /** Days from judgment to full payment, for claims paid in full. */
  daysToFullPayment: number | null;
}

export const PAID_STAGES: readonly Stage[] = ['paid_in_full', 'settled'];
export const ESCALATION_LEVELS = [0, 1, 2, 3, 4] as const;
/** Atoms: (level -1..4) × (paid in full or not) = 12 statuses; every count cell is a sum over some of them. */
export const ATOMS = Array.from({ length: 12 }, (_, a) => a);
export const atomOf = (escalationLevel: number, stage: Stage): number =>
  (Math.max(-1, Math.min(4, escalationLevel)) + 1) * 2 + (PAID_STAGES.includes(stage) ? 1 : 0);
const levelOfAtom = (a: number) => Math.floor(a / 2) - 1;
const paidAtom = (a: number) => a % 2 === 1;

export const TABLE_IDS = ['totals', 'by_year', 'by_violations', 'by_stage', 'by_agency'] as const;
export type TableId = (typeof TABLE_IDS)[number];
export const COUNT_MEASURES = ['orders', 'overdue', 'paid_in_full', 'level_0', 'level_1', 'level_2', 'level_3', 'level_4'] as const;
export type CountMeasure = (typeof COUNT_MEASURES)[number];
export const AMOUNT_MEASURES = ['awarded', 'paid', 'outstanding'] as const;
export type AmountMeasure = (typeof AMOUNT_MEASURES)[number];
/** Counts never published but implied by two published ones (orders minus overdue, orders minus paid in full). */
export type DerivedMeasure = 'not_overdue' | 'not_paid_in_full';

export const MEASURES_OF: Record<TableId, readonly CountMeasure[]> = {
  totals: ['orders', 'overdue', 'paid_in_full'],
  by_year: ['orders', 'overdue', 'paid_in_full'],
  by_violations: ['orders', 'overdue', 'paid_in_full'],
  // A stage says whether the claim is paid in full, so that column would repeat the stage.
  by_stage: ['orders', 'overdue'],
  by_agency: ['orders', 'overdue', 'paid_in_full', 'level_0', 'level_1', 'level_2', 'level_3', 'level_4'],
};
/** Tables whose rows a claim never leaves (its judgment year, agency and violations do not change). */
export const STATIC_TABLES: readonly TableId[] = ['totals', 'by_year', 'by_violations', 'by_agency'];
/**
 * Tables with money. Not by stage: an order moving from one stage to the next would carry its award across, and
 * the difference of two releases would show it.
 */
export const AMOUNT_TABLES: readonly TableId[] = ['totals', 'by_year', 'by_violations', 'by_agency'];
/** Years of judgment get a row each from this one on; earlier judgments share one row. */
export const FIRST_YEAR_ROW = 2000;
export const EARLIER_YEARS_ROW = `before ${FIRST_YEAR_ROW}`;
export const yearRowOf = (year: number) => (year < FIRST_YEAR_ROW ? EARLIER_YEARS_ROW : String(year));

export function atomsOf(measure: CountMeasure | DerivedMeasure): number[] {
  switch (measure) {
    case 'orders': return ATOMS;
    case 'overdue': return ATOMS.filter((a) => levelOfAtom(a) >= 0);
    case 'paid_in_full': return ATOMS.filter(paidAtom);
    case 'not_overdue': return ATOMS.filter((a) => levelOfAtom(a) < 0);
    case 'not_paid_in_full': return ATOMS.filter((a) => !paidAtom(a));
    default: return ATOMS.filter((a) => levelOfAtom(a) === Number(measure.slice(6)));
  }
}

/**
 * A claim's violations as one category: the sorted list of its violation types ("torture+enforced_disappearance").
 * Orders are counted once, by set, so the table's rows add up to the total: counting them once per type would let
 * the overlap (orders naming two) be worked out by subtraction.
 */
export const VIOLATION_SETS: readonly string[] = (() => {
  const sets: string[] = [];
  for (let mask = 1; mask < 1 << VIOLATION_TYPES.length; mask++) {
    sets.push(VIOLATION_TYPES.filter((_, i) => mask & (1 << i)).join('+'));
  }
  return sets;
})();
export const violationSetOf = (types: readonly ViolationType[]) => VIOLATION_TYPES.filter((t) => types.includes(t)).join('+');

/** Claims summed by (year, agency, violation set, stage, level): the finest grouping the release is built from. */
export interface FineGroup {
  yearOfJudgment: number;
  agencyId: string;
  violationSet: string;
  stage: Stage;
  escalationLevel: number;
  orders: number;
  awardedCents: bigint;
  paidCents: bigint;
  outstandingCents: bigint;
  /** Claims contributing a non-zero amount: an amount made of 1-5 claims' money is as telling as a count of 1-5. */
  payers: number;
  owing: number;
  daysToFullPayment: number[];
}

/** Accumulates claims into fine groups as they stream past: memory grows with the groups, not the claims. */
export class FineGroups {
  private readonly groups = new Map<string, FineGroup>();
  claims = 0;

  add(f: ClaimFact): void {
    const violationSet = violationSetOf(f.violationTypes);
    const level = Math.max(-1, Math.min(4, f.escalationLevel));
    const key = `${f.yearOfJudgment}|${f.agencyId}|${violationSet}|${f.stage}|${level}`;
    let g = this.groups.get(key);
    if (!g) {
      g = { yearOfJudgment: f.yearOfJudgment, agencyId: f.agencyId, violationSet, stage: f.stage, escalationLevel: level, orders: 0, awardedCents: 0n, paidCents: 0n, outstandingCents: 0n, payers: 0, owing: 0, daysToFullPayment: [] };
      this.groups.set(key, g);
    }
    g.orders++;
    g.awardedCents += BigInt(f.awardedCents);
    g.paidCents += BigInt(f.paidCents);
    g.outstandingCents += BigInt(f.outstandingCents);
    if (f.paidCents !== 0) g.payers++;
    if (f.outstandingCents !== 0) g.owing++;
    if (f.daysToFullPayment !== null) g.daysToFullPayment.push(f.daysToFullPayment);
    this.claims++;
  }

  list(): FineGroup[] {
    return [...this.groups.values()];
  }
}

/** One published figure: a count or an amount of a row, with its true value. */
export interface Cell {
  id: string;
  table: TableId;
  row: string;
  measure: CountMeasure | AmountMeasure | DerivedMeasure;
  kind: 'count' | 'amount' | 'derived';
  value: bigint;
  /** For amounts: how many claims contribute a non-zero amount. */
  contributors?: number;
}

export interface ReleaseModel {
  rows: Record<TableId, string[]>;
  cells: Cell[];
  byId: Map<string, Cell>;
  /** Per row, the true count in each atom: what the LP variables stand for (kept private). */
  atomCounts: Map<string, number[]>;
  /** Per row, the days to full payment of its claims (for medians). */
  delays: Map<string, number[]>;
}

export const cellId = (table: TableId, row: string, measure: string) => `${table}/${row}/${measure}`;
export const rowId = (table: TableId, row: string) => `${table}/${row}`;

/** What the rows of a release are drawn from, besides its claims: so that no row appears because an order did. */
export interface RowContext {
  /** Every respondent agency on the register (whether or not any order names it). */
  agencies: string[];
  /** The year of the release: years of judgment get rows up to it. */
  asOfYear: number;
}

/**
 * Every row of every table. All are fixed lists (every year from 2000, every agency on the register, every
 * violation set, every stage), never "the ones that have orders": a row appearing would say that an order arrived.
 */
export function rowsOf(groups: FineGroup[], context: RowContext): Record<TableId, string[]> {
  const lastYear = Math.max(context.asOfYear, ...groups.map((g) => g.yearOfJudgment));
  const years = [EARLIER_YEARS_ROW, ...Array.from({ length: lastYear - FIRST_YEAR_ROW + 1 }, (_, i) => String(FIRST_YEAR_ROW + i))];
  const agencies = [...new Set([...context.agencies, ...groups.map((g) => g.agencyId)])].sort();
  return { totals: ['all'], by_year: years, by_violations: [...VIOLATION_SETS], by_stage: [...STAGES], by_agency: agencies };
}

export function inRow(table: TableId, row: string, g: FineGroup): boolean {
  switch (table) {
    case 'totals': return true;
    case 'by_year': return yearRowOf(g.yearOfJudgment) === row;
    case 'by_violations': return g.violationSet === row;
    case 'by_stage': return g.stage === row;
    case 'by_agency': return g.agencyId === row;
  }
}

/** Builds every cell of the release with its true value. */
export function buildModel(groups: FineGroup[], context: RowContext): ReleaseModel {
  const rows = rowsOf(groups, context);
  const cells: Cell[] = [];
  const atomCounts = new Map<string, number[]>();
  const delays = new Map<string, number[]>();
  for (const table of TABLE_IDS) {
    for (const row of rows[table]) {
      const members = groups.filter((g) => inRow(table, row, g));
      const atoms = ATOMS.map(() => 0);
      for (const g of members) atoms[atomOf(g.escalationLevel, g.stage)]! += g.orders;
      atomCounts.set(rowId(table, row), atoms);
      delays.set(rowId(table, row), members.flatMap((g) => g.daysToFullPayment));
      const sumAtoms = (m: CountMeasure | DerivedMeasure) => BigInt(atomsOf(m).reduce((s, a) => s + atoms[a]!, 0));
      for (const m of MEASURES_OF[table]) cells.push({ id: cellId(table, row, m), table, row, measure: m, kind: 'count', value: sumAtoms(m) });
      const derived: DerivedMeasure[] = MEASURES_OF[table].includes('paid_in_full') ? ['not_overdue', 'not_paid_in_full'] : ['not_overdue'];
      for (const m of derived) cells.push({ id: cellId(table, row, m), table, row, measure: m, kind: 'derived', value: sumAtoms(m) });
      if (!AMOUNT_TABLES.includes(table)) continue;
      const sum = (pick: (g: FineGroup) => bigint) => members.reduce((s, g) => s + pick(g), 0n);
      const count = (pick: (g: FineGroup) => number) => members.reduce((s, g) => s + pick(g), 0);
      cells.push({ id: cellId(table, row, 'awarded'), table, row, measure: 'awarded', kind: 'amount', value: sum((g) => g.awardedCents), contributors: count((g) => g.orders) });
      cells.push({ id: cellId(table, row, 'paid'), table, row, measure: 'paid', kind: 'amount', value: sum((g) => g.paidCents), contributors: count((g) => g.payers) });
      cells.push({ id: cellId(table, row, 'outstanding'), table, row, measure: 'outstanding', kind: 'amount', value: sum((g) => g.outstandingCents), contributors: count((g) => g.owing) });
    }
  }
  return { rows, cells, byId: new Map(cells.map((c) => [c.id, c])), atomCounts, delays };
}

/** Whether a stage row can hold an atom at all: a stage says whether the claim is paid in full. */
export function atomPossible(table: TableId, row: string, atom: number): boolean {
  if (table !== 'by_stage') return true;
  return PAID_STAGES.includes(row as Stage) === paidAtom(atom);
}
