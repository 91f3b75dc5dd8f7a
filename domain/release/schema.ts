/**
 * What a family of public tables is made of, so that one disclosure engine (model, attack, suppression, publishing,
 * audit) serves every kind of unit Redress publishes about: court orders (claims-schema.ts) and incidents. A unit is
 * in exactly one row of each table, and its status is one "atom"; every count cell is a sum over some atoms.
 */
export interface UnitFact {
  /** The row the unit is in, for each table but the totals. */
  rows: Readonly<Record<string, string>>;
  /** Its status, 0..atomCount-1. */
  atom: number;
  /** Its money, per amount measure (cents); empty for units without money. */
  amounts: Readonly<Record<string, bigint>>;
  /** Days the median is taken over (e.g. judgment to full payment), or null. */
  delayDays: number | null;
  /** Per amount measure, whether the unit's money changed since the previous release (a payment, a reversal). */
  changed?: Readonly<Record<string, boolean>>;
}

export interface UnitSchema {
  /** The count measure that counts units ("orders", "incidents"). */
  unitMeasure: string;
  /** Every table; the first is "totals" (one row, "all"). */
  tables: readonly string[];
  /** Tables whose rows a unit never leaves (their counts only grow): flows between releases are protected there. */
  staticTables: readonly string[];
  amountTables: readonly string[];
  amountMeasures: readonly string[];
  /** The amount whose growth between releases belongs to new units (the awards of new orders), if any. */
  flowAmount: string | null;
  /**
   * Amounts that change as units are paid (paid): where 1-5 units' money changed since the previous release, or since
   * the figure was last shown, the change is protected like the money of 1-5 units; `companions` are withheld with it
   * (outstanding moves with paid, and its interest would only blur the payment).
   */
  changedAmounts: readonly string[];
  companions: Readonly<Record<string, readonly string[]>>;
  /** Count measures of each table; the first is the unit measure. */
  measures: Readonly<Record<string, readonly string[]>>;
  atomCount: number;
  /** The atoms a count measure (or a derived one) sums. */
  atomsOf(measure: string): number[];
  /** Counts never published but implied by two published ones: the units (or `whole`) minus a part. */
  derived: readonly DerivedSpec[];
  /** Whether a row can hold an atom at all (a stage says whether an order is paid in full). */
  atomPossible(table: string, row: string, atom: number): boolean;
  /** Relations beyond "a column adds up to its total" (the escalation levels add up to overdue). */
  extraRelations(rows: Readonly<Record<string, readonly string[]>>): { members: string[]; margin: string | null }[];
  keyColumn: Readonly<Record<string, string>>;
  /** A column naming the row in words (the agency's name beside its id), per table that has one. */
  labelColumn: Readonly<Record<string, string>>;
  /** Tables with a median column, its name, and the count measure whose publication allows it. */
  medianTables: readonly string[];
  medianColumn: string;
  medianBasis: string;
  /** Every row of every table: fixed lists, never "the rows that have units" (a row appearing would tell). */
  rowsOf(context: unknown, facts: readonly UnitFact[]): Record<string, string[]>;
  /** The row a unit's key falls in, where the fixed list has no row of its own for it (a year after the release's). */
  rowFor(table: string, key: string, context: unknown): string;
}

/** A count implied by two published ones in the same row: `whole` (default: the unit measure) minus `part`. */
export interface DerivedSpec { measure: string; part: string; whole?: string }
/** The measure a derived count is subtracted from. */
export const wholeOf = (schema: UnitSchema, d: DerivedSpec) => d.whole ?? schema.unitMeasure;
/** The derived counts a table implies: those whose part and whole it publishes. */
export const derivedOf = (schema: UnitSchema, table: string) =>
  schema.derived.filter((d) => (schema.measures[table] ?? []).includes(d.part) && (schema.measures[table] ?? []).includes(wholeOf(schema, d)));

export const cellId = (table: string, row: string, measure: string) => `${table}/${row}/${measure}`;
export const rowId = (table: string, row: string) => `${table}/${row}`;
