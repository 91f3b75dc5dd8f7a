/**
 * Red-team helpers: crafted claim sets, releases built exactly as the release activity builds them (the pure
 * functions, the previous release's stored record, the "wait for six new orders" rule), and readers that see only
 * what an outsider downloads (the published tables).
 */
import { loadSolver } from '../../activities/release/solver';
import {
  type ClaimFact, FineGroups, type PublishedRow, type PublishedTables, SMALL, type TableId, newOrdersSince, previousRelease, releaseContent,
} from '../../domain/release';
import type { LinearSolver } from '../../domain/release/attack';

export type Release = ReturnType<typeof releaseContent>;

let solverLoading: Promise<LinearSolver> | null = null;
export const solver = () => (solverLoading ??= loadSolver());

/** KSh to cents, so data sets read in shillings. */
export const ksh = (shillings: number) => shillings * 100;

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

const NAMES = new Map<string, string>();

/**
 * Builds the next release over `claims` the way activities/release/build.ts does: against the stored record of
 * the one before, and refused (null) when 1-5 orders arrived since it.
 */
export async function nextRelease(claims: ClaimFact[], before: Release | null): Promise<Release | null> {
  const previous = before ? previousRelease(before.tables, before.disclosure) : null;
  const groups = groupsOf(claims);
  const gained = newOrdersSince(groups, previous);
  if (before && gained > 0 && gained <= SMALL) return null;
  return releaseContent(groups, await solver(), previous, NAMES);
}

/** A chain of releases, one per claim set (each must be publishable: 0 or 6+ new orders). */
export async function releaseChain(...claimSets: ClaimFact[][]): Promise<Release[]> {
  const out: Release[] = [];
  for (const [i, claims] of claimSets.entries()) {
    const r = await nextRelease(claims, out[out.length - 1] ?? null);
    if (!r) throw new Error(`release ${i + 1} of the chain would be refused (1-5 new orders): fix the data set`);
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

export const isNumber = (v: unknown): v is number => typeof v === 'number';

/** Thousands of shillings from a published amount in cents. */
export const thousands = (cents: number) => cents / 100_000;

/** Whether [lo, hi] bounds a true amount within half its value either way (what the promise forbids). */
export const boundedWithinHalf = (truth: number, lo: number, hi: number) => lo > truth * 0.5 && hi < truth * 1.5;
