/**
 * The public tables about court orders (claims): which tables, which cells, and how every cell is a sum over
 * "atoms" (an order's status: its escalation level, whether it is paid in full, and whether the State was reminded of
 * it and acknowledged a reminder). The disclosure engine
 * (model.ts, attack.ts, suppression.ts) works on this schema as on any other.
 */
import { STAGES, type Stage } from '../claim/rules';
import { VIOLATION_TYPES, type ViolationType } from '../claim/order';
import type { Cents } from '../money';
import { UnitGroups } from './model';
import { type AnyTables, type PublishedRow, columnsOfTable, viewOfTables } from './publish';
import { type UnitFact, type UnitSchema, cellId } from './schema';

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
  /** Whether its payments changed since the previous release (a tranche in the period, a reversal, newly counted). */
  paymentChanged?: boolean;
  /**
   * Reminders to the State about it: none; reminded (one or more sent, none acknowledged); acknowledged (an agency
   * officer acknowledged one through its link). Absent: none.
   */
  acknowledgment?: Acknowledgment;
}

export const ACKNOWLEDGMENT_STATES = ['none', 'reminded', 'acknowledged'] as const;
export type Acknowledgment = (typeof ACKNOWLEDGMENT_STATES)[number];

export const PAID_STAGES: readonly Stage[] = ['paid_in_full', 'settled'];
export const ESCALATION_LEVELS = [0, 1, 2, 3, 4] as const;
/**
 * Atoms: (level -1..4) × (paid in full or not) × (acknowledgment: none, reminded, acknowledged) = 36 statuses; every
 * count cell is a sum over some of them.
 */
export const ATOMS = Array.from({ length: 36 }, (_, a) => a);
export const atomOf = (escalationLevel: number, stage: Stage, acknowledgment: Acknowledgment = 'none'): number =>
  ((Math.max(-1, Math.min(4, escalationLevel)) + 1) * 2 + (PAID_STAGES.includes(stage) ? 1 : 0)) * 3 + ACKNOWLEDGMENT_STATES.indexOf(acknowledgment);
const levelOfAtom = (a: number) => Math.floor(a / 6) - 1;
const paidAtom = (a: number) => Math.floor(a / 3) % 2 === 1;
const acknowledgmentOfAtom = (a: number) => a % 3;

export const TABLE_IDS = ['totals', 'by_year', 'by_violations', 'by_stage', 'by_agency'] as const;
export type ClaimTableId = (typeof TABLE_IDS)[number];
export type TableId = ClaimTableId;
export const COUNT_MEASURES = ['orders', 'overdue', 'paid_in_full', 'level_0', 'level_1', 'level_2', 'level_3', 'level_4', 'reminded', 'acknowledged'] as const;
export type CountMeasure = string;
export const AMOUNT_MEASURES = ['awarded', 'paid', 'outstanding'] as const;
export type AmountMeasure = string;
/** Counts never published but implied by two published ones (orders minus overdue, orders minus paid in full). */
export type DerivedMeasure = string;

export const MEASURES_OF: Record<ClaimTableId, readonly CountMeasure[]> = {
  totals: ['orders', 'overdue', 'paid_in_full'],
  by_year: ['orders', 'overdue', 'paid_in_full'],
  by_violations: ['orders', 'overdue', 'paid_in_full'],
  // A stage says whether the claim is paid in full, so that column would repeat the stage.
  by_stage: ['orders', 'overdue'],
  // reminded: orders the State was reminded of; acknowledged: of those, orders with a reminder acknowledged by the
  // agency's officer. Their ratio is the agency's acknowledgment rate in the league table.
  by_agency: ['orders', 'overdue', 'paid_in_full', 'level_0', 'level_1', 'level_2', 'level_3', 'level_4', 'reminded', 'acknowledged'],
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

function claimAtomsOf(measure: string): number[] {
  switch (measure) {
    case 'orders': return ATOMS;
    case 'overdue': return ATOMS.filter((a) => levelOfAtom(a) >= 0);
    case 'paid_in_full': return ATOMS.filter(paidAtom);
    case 'not_overdue': return ATOMS.filter((a) => levelOfAtom(a) < 0);
    case 'not_paid_in_full': return ATOMS.filter((a) => !paidAtom(a));
    case 'reminded': return ATOMS.filter((a) => acknowledgmentOfAtom(a) >= 1);
    case 'acknowledged': return ATOMS.filter((a) => acknowledgmentOfAtom(a) === 2);
    case 'not_reminded': return ATOMS.filter((a) => acknowledgmentOfAtom(a) === 0);
    case 'not_acknowledged': return ATOMS.filter((a) => acknowledgmentOfAtom(a) === 1);
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

/** One order as the disclosure engine sees it. */
export function claimUnit(f: ClaimFact): UnitFact {
  return {
    rows: { by_year: yearRowOf(f.yearOfJudgment), by_violations: violationSetOf(f.violationTypes), by_stage: f.stage, by_agency: f.agencyId },
    atom: atomOf(f.escalationLevel, f.stage, f.acknowledgment),
    amounts: { awarded: BigInt(f.awardedCents), paid: BigInt(f.paidCents), outstanding: BigInt(f.outstandingCents) },
    delayDays: f.daysToFullPayment,
    changed: { paid: f.paymentChanged ?? false, outstanding: f.paymentChanged ?? false },
  };
}

/** What the rows of the orders' tables are drawn from, besides the orders: so that no row appears because one did. */
export interface RowContext {
  /** Every respondent agency on the register (whether or not any order names it). */
  agencies: string[];
  /** The year of the release: years of judgment get rows up to it. */
  asOfYear: number;
}

export const CLAIMS: UnitSchema = {
  unitMeasure: 'orders',
  tables: TABLE_IDS,
  staticTables: STATIC_TABLES,
  amountTables: AMOUNT_TABLES,
  amountMeasures: AMOUNT_MEASURES,
  flowAmount: 'awarded',
  // A payment moves both paid and outstanding.
  changedAmounts: ['paid', 'outstanding'],
  companions: {},
  measures: MEASURES_OF,
  atomCount: ATOMS.length,
  atomsOf: claimAtomsOf,
  derived: [
    { measure: 'not_overdue', part: 'overdue' }, { measure: 'not_paid_in_full', part: 'paid_in_full' },
    { measure: 'not_reminded', part: 'reminded' },
    // Reminded but never acknowledged: the difference of two published columns, protected like a complement.
    { measure: 'not_acknowledged', part: 'acknowledged', whole: 'reminded' },
  ],
  // A stage says whether the order is paid in full.
  atomPossible: (table, row, atom) => table !== 'by_stage' || PAID_STAGES.includes(row as Stage) === paidAtom(atom),
  extraRelations: (rows) => (rows.by_agency ?? []).map((row) => ({
    members: ESCALATION_LEVELS.map((l) => cellId('by_agency', row, `level_${l}`)), margin: cellId('by_agency', row, 'overdue'),
  })),
  keyColumn: { totals: 'scope', by_year: 'year_of_judgment', by_violations: 'violations', by_stage: 'stage', by_agency: 'agency_id' },
  labelColumn: { by_agency: 'agency' },
  medianTables: ['totals', 'by_year', 'by_violations', 'by_agency'],
  medianColumn: 'median_months_to_full_payment',
  medianBasis: 'paid_in_full',
  // Registration refuses a judgment after today; one dated after the release's year anyway counts in that year's row
  // (a row of its own would appear because of it).
  rowFor: (table, key, context) => (table === 'by_year' && /^\d{4}$/.test(key) && Number(key) > (context as RowContext).asOfYear
    ? String((context as RowContext).asOfYear) : key),
  /**
   * Fixed lists: every year from 2000 (and "before 2000"), every agency on the register, every violation set,
   * every stage; never "the ones that have orders".
   */
  rowsOf: (context, facts) => {
    const c = context as RowContext;
    const lastYear = c.asOfYear;
    return {
      totals: ['all'],
      by_year: [EARLIER_YEARS_ROW, ...Array.from({ length: lastYear - FIRST_YEAR_ROW + 1 }, (_, i) => String(FIRST_YEAR_ROW + i))],
      by_violations: [...VIOLATION_SETS],
      by_stage: [...STAGES],
      by_agency: [...new Set([...c.agencies, ...facts.map((f) => f.rows.by_agency!)])].sort(),
    };
  },
};

/** The orders' fine groups, accumulated as claims stream past (memory grows with the groups, not the claims). */
export class FineGroups extends UnitGroups {
  add(f: ClaimFact): void {
    this.addUnit(claimUnit(f));
  }
}

/** The orders' tables as published: column order (CSV header, Table Schema), and what an outsider reads back. */
export const columnsOf = (table: string) => columnsOfTable(CLAIMS, table);
export const viewFromTables = (tables: AnyTables) => viewOfTables(CLAIMS, tables);
/** The orders' published tables, by table. */
export type PublishedTables = Record<ClaimTableId, PublishedRow[]>;
export const KEY_COLUMN = CLAIMS.keyColumn;
export const MEDIAN_COLUMN = CLAIMS.medianColumn;
export const atomsOf = (measure: string) => CLAIMS.atomsOf(measure);
export const atomPossible = (table: string, row: string, atom: number) => CLAIMS.atomPossible(table, row, atom);
