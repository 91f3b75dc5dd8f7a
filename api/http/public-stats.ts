/**
 * Public figures: aggregates only. Any count of 5 or fewer is published as "5 or fewer", with its amounts; and
 * where a group's total is published and only one of its cells is hidden, the next smallest cell is hidden too,
 * so no one can subtract their way to the small count.
 */
import { createHash } from 'node:crypto';
import { type CalendarDate, calendarDateAt, daysBetween } from '../../domain/calendar-date';
import { type Cents, CURRENCY } from '../../domain/money';
import type { Db } from '../../db/connection';
import { amountsToday } from './claims-read';

export const SMALL = 5;
export const SUPPRESSED = '5 or fewer';
export type PublicCount = number | typeof SUPPRESSED;

interface Cell { key: string; count: number; awardedCents: Cents; paidCents: Cents; outstandingCents: Cents; overdue: number; delays: number[] }

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Which cells of a group to hide: every small one, and, if that leaves one alone, the next smallest. */
export function cellsToHide(counts: number[]): Set<number> {
  const hide = new Set(counts.map((c, i) => [c, i] as const).filter(([c]) => c > 0 && c <= SMALL).map(([, i]) => i));
  if (hide.size === 1) {
    const next = counts.map((c, i) => [c, i] as const).filter(([c, i]) => !hide.has(i) && c > 0).sort((a, b) => a[0] - b[0])[0];
    if (next) hide.add(next[1]);
  }
  return hide;
}

function publish(cells: Cell[]) {
  const hide = cellsToHide(cells.map((c) => c.count));
  return cells.map((c, i) => (hide.has(i)
    ? { key: c.key, orders: SUPPRESSED, awardedCents: null, paidCents: null, outstandingCents: null, overdue: SUPPRESSED, medianDaysToFullPayment: null }
    : {
      key: c.key, orders: c.count, awardedCents: c.awardedCents, paidCents: c.paidCents, outstandingCents: c.outstandingCents,
      overdue: c.overdue > 0 && c.overdue <= SMALL ? SUPPRESSED : c.overdue,
      medianDaysToFullPayment: c.delays.length > SMALL ? median(c.delays) : null,
    }));
}

interface ClaimFacts {
  publicId: string; agency: string; agencyName: string; violationTypes: string[]; year: number; court: string; stage: string;
  escalationLevel: number; judgmentDate: CalendarDate; fullyPaidOn: CalendarDate | null;
  awardedCents: Cents; paidCents: Cents; outstandingCents: Cents;
}

async function claimFacts(db: Db): Promise<ClaimFacts[]> {
  const rows = await db('claims').join('agencies', 'agencies.id', 'claims.respondent_agency_id')
    .select('claims.id', 'claims.court', 'claims.judgment_date', 'claims.respondent_agency_id', 'agencies.name as agency_name',
      'claims.violation_types', 'claims.stage', 'claims.escalation_level', 'claims.appropriation');
  const amounts = await amountsToday(db, rows.map((r) => r.id), new Map(rows.map((r) => [r.id, r.appropriation])));
  const lastPaid: { claim_id: string; last: Date }[] = await db('disbursements').where({ entry: 'tranche' }).groupBy('claim_id')
    .select('claim_id', db.raw('max(paid_on) AS last'));
  const paidOn = new Map(lastPaid.map((p) => [p.claim_id, p.last]));
  return rows.map((r) => {
    const judgment = calendarDateAt(new Date(r.judgment_date).getTime() + 12 * 3_600_000);
    const paid = ['paid_in_full', 'settled'].includes(r.stage) && paidOn.get(r.id) ? calendarDateAt(new Date(paidOn.get(r.id)!).getTime() + 12 * 3_600_000) : null;
    return {
      // An opaque id: the case number would lead to a judgment that names the survivor.
      publicId: createHash('sha256').update(`redress-public:${r.id}`).digest('hex').slice(0, 12),
      agency: r.respondent_agency_id, agencyName: r.agency_name, violationTypes: r.violation_types, year: Number(judgment.slice(0, 4)),
      court: r.court, stage: r.stage, escalationLevel: r.escalation_level, judgmentDate: judgment, fullyPaidOn: paid, ...amounts.get(r.id)!,
    };
  });
}

function group(facts: ClaimFacts[], keysOf: (f: ClaimFacts) => string[]): Cell[] {
  const cells = new Map<string, Cell>();
  for (const f of facts) {
    for (const key of keysOf(f)) {
      const c = cells.get(key) ?? { key, count: 0, awardedCents: 0, paidCents: 0, outstandingCents: 0, overdue: 0, delays: [] };
      c.count++; c.awardedCents += f.awardedCents; c.paidCents += f.paidCents; c.outstandingCents += f.outstandingCents;
      if (f.escalationLevel >= 0) c.overdue++;
      if (f.fullyPaidOn) c.delays.push(daysBetween(f.judgmentDate, f.fullyPaidOn));
      cells.set(key, c);
    }
  }
  return [...cells.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export async function publicStatistics(db: Db) {
  const facts = await claimFacts(db);
  const [total] = group(facts, () => ['all']);
  return {
    currency: CURRENCY, asOf: calendarDateAt(Date.now()), suppression: `counts of ${SMALL} or fewer are shown as "${SUPPRESSED}"`,
    total: total ? publish([total])[0] : null,
    byViolationType: publish(group(facts, (f) => f.violationTypes)),
    byYearOfJudgment: publish(group(facts, (f) => [String(f.year)])),
  };
}

export async function agencyLeagueTable(db: Db) {
  const facts = await claimFacts(db);
  const byAgency = group(facts, (f) => [f.agency]);
  const hide = cellsToHide(byAgency.map((c) => c.count));
  const names = new Map(facts.map((f) => [f.agency, f.agencyName]));
  return byAgency.map((c, i) => {
    const mine = facts.filter((f) => f.agency === c.key);
    const paidInFull = mine.filter((f) => f.fullyPaidOn).length;
    const levels = [0, 1, 2, 3, 4].map((level) => mine.filter((f) => f.escalationLevel === level).length);
    const levelHide = cellsToHide(levels);
    const small = (n: number): PublicCount => (n > 0 && n <= SMALL ? SUPPRESSED : n);
    return hide.has(i)
      ? { agencyId: c.key, agency: names.get(c.key), orders: SUPPRESSED, paidInFull: SUPPRESSED, overdue: SUPPRESSED, outstandingCents: null, medianDaysToFullPayment: null, escalationLevels: null }
      : {
        agencyId: c.key, agency: names.get(c.key), orders: c.count, paidInFull: small(paidInFull), overdue: small(c.overdue),
        outstandingCents: c.outstandingCents, medianDaysToFullPayment: c.delays.length > SMALL ? median(c.delays) : null,
        escalationLevels: Object.fromEntries(levels.map((n, l) => [`level${l}`, levelHide.has(l) ? SUPPRESSED : n])),
      };
  }).sort((a, b) => (Number(b.outstandingCents ?? -1) - Number(a.outstandingCents ?? -1)));
}

/** One row per claim, with no personal data: an opaque id, the year (not the date), no case number. */
export async function publicClaimRows(db: Db) {
  return (await claimFacts(db)).map((f) => ({
    publicId: f.publicId, court: f.court, yearOfJudgment: f.year, respondentAgency: f.agencyName, violationTypes: f.violationTypes.join(' '),
    stage: f.stage, overdue: f.escalationLevel >= 0, escalationLevel: f.escalationLevel, currency: CURRENCY,
    awardedCents: f.awardedCents, paidCents: f.paidCents, outstandingCents: f.outstandingCents,
  })).sort((a, b) => a.publicId.localeCompare(b.publicId));
}
