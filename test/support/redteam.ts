/**
 * Red-team helpers: crafted registers, releases built exactly as activities/release/build.ts builds them (the pure
 * functions, the previous release's stored record and "shown" figures, the batch rule of `admission`), and readers
 * that see only what an outsider downloads (the published tables).
 *
 * A register is the list of orders in the order they were registered: order i of one register is order i of the
 * next (a status may change; nothing is removed). Since a release admits every pending order or none, the orders a
 * release counts are always the first `members` of the register.
 */
import { loadSolver } from '../../activities/release/solver';
import {
  type ClaimFact, FineGroups, type PublishedRow, type PublishedTables, type TableId, admission, previousRelease, releaseContent,
} from '../../domain/release';
import type { LinearSolver } from '../../domain/release/attack';

export interface Release extends ReturnType<typeof releaseContent> {
  number: number;
  /** How many orders of the register this release counts (a prefix: batches are admitted whole). */
  members: number;
  /** Each counted order's paid amount (to tell, next time, whose payments changed). */
  paid: number[];
  /** Whether this release admitted the orders pending before it. */
  admitted: boolean;
}

let solverLoading: Promise<LinearSolver> | null = null;
export const solver = () => (solverLoading ??= loadSolver());

/** KSh to cents, so data sets read in shillings. */
export const ksh = (shillings: number) => shillings * 100;

/** The respondent agencies migration 001 puts on the register: every release has a row for each. */
export const REGISTER_AGENCIES = [
  'national-police-service', 'office-of-the-attorney-general', 'ministry-of-interior', 'kenya-prisons-service', 'kenya-defence-forces', 'kenya-wildlife-service',
];
/** The year the releases are built in (rows for every year from 2000 to it). */
export const AS_OF_YEAR = 2026;

/** One court order as a release sees it; unpaid, registered, not overdue unless told otherwise. */
export function order(o: Partial<ClaimFact> = {}): ClaimFact {
  const awardedCents = o.awardedCents ?? ksh(1_000_000);
  return {
    yearOfJudgment: 2018, agencyId: 'national-police-service', violationTypes: ['torture'], stage: 'registered', escalationLevel: -1,
    awardedCents, paidCents: 0, outstandingCents: awardedCents, daysToFullPayment: null, ...o,
  };
}

export const orders = (n: number, o: Partial<ClaimFact> = {}) => Array.from({ length: n }, () => order(o));

export function groupsOf(claims: ClaimFact[]) {
  const g = new FineGroups();
  for (const c of claims) g.add(c);
  return g.list();
}

export interface ChainOptions {
  agencies?: string[];
  asOfYear?: number;
}

/**
 * The next release over a register, as build.ts makes it: its pending orders (those after the previous release's
 * members) are admitted all together when there are six or more, else they wait and the release shows the counted
 * orders' current statuses; the very first release waits (null) until six can be admitted.
 */
export async function nextRelease(register: ClaimFact[], before: Release | null, opts: ChainOptions = {}): Promise<Release | null> {
  const members = before?.members ?? 0;
  if (register.length < members) throw new Error('a register never shrinks: orders are never removed');
  const { admit, publish } = admission(register.length - members, before !== null);
  if (!publish) return null;
  // As build.ts marks them from the disbursements: an order whose paid amount moved since the previous release (or
  // counted for the first time with money paid) changed its payments.
  const counted = (admit ? register : register.slice(0, members)).map((o, i) => ({
    ...o, paymentChanged: before !== null && (i >= members ? o.paidCents !== 0 : o.paidCents !== before.paid[i]),
  }));
  const previous = before ? previousRelease(before.tables, before.disclosure) : null;
  const number = (before?.number ?? 0) + 1;
  const agencies = opts.agencies ?? REGISTER_AGENCIES;
  const content = releaseContent(groupsOf(counted), await solver(), previous,
    { agencyNames: new Map(agencies.map((a) => [a, a])), agencies, asOfYear: opts.asOfYear ?? AS_OF_YEAR, number }, before?.disclosure.shown ?? {});
  return { ...content, number, members: counted.length, admitted: admit, paid: counted.map((o) => o.paidCents) };
}

/** A chain of releases, one per register (the first must hold six orders or more: it would wait otherwise). */
export async function releaseChain(...registers: ClaimFact[][]): Promise<Release[]> {
  const out: Release[] = [];
  for (const [i, register] of registers.entries()) {
    const r = await nextRelease(register, out[out.length - 1] ?? null);
    if (!r) throw new Error(`release ${i + 1} of the chain would wait (fewer than six orders): fix the data set`);
    out.push(r);
  }
  return out;
}

/** The published row of a table whose key column holds `key` (what an outsider reads). */
export function row(tables: PublishedTables, table: TableId, key: string | number): PublishedRow {
  const r = tables[table].find((x) => String(Object.values(x)[0]) === String(key));
  if (!r) throw new Error(`no published row ${key} in ${table}`);
  return r;
}

export const key = (r: Record<string, unknown>) => String(Object.values(r)[0]);
export const isNumber = (v: unknown): v is number => typeof v === 'number';

/** Thousands of shillings from a published amount in cents. */
export const thousands = (cents: number) => cents / 100_000;

/** Whether [lo, hi] bounds a true amount within half its value either way (what the promise forbids). */
export const boundedWithinHalf = (truth: number, lo: number, hi: number) => lo > truth * 0.5 && hi < truth * 1.5;

/** The true value of a cell of a release (from its private record). */
export const truth = (r: Release, id: string) => Number(r.disclosure.values[id]);
