/**
 * Reads and writes of published releases, and the scan of claims a release is built from. The scan reads claims
 * in keyset batches (id order, a fixed number of parameters per query), so building a release over hundreds of
 * thousands of claims holds one batch in memory at a time.
 */
import type { Knex } from 'knex';
import { type CalendarDate, daysBetween } from '../domain/calendar-date';
import type { ViolationType } from '../domain/claim/order';
import type { Stage } from '../domain/claim/rules';
import { type AppropriationRule, balanceAt } from '../domain/interest';
import { centsFromDb } from '../domain/money';
import { type Acknowledgment, type ClaimFact, PAID_STAGES } from '../domain/release/claims-schema';
import type { PublishedTables } from '../domain/release/claims-schema';
import type { DisclosureRecord } from '../domain/release/release';
import type { AnyTables } from '../domain/release/publish';
import type { PublicIndicatorRow } from '../domain/report/public-indicators';
import type { Db } from './connection';

export const CLAIM_BATCH = 5_000;

interface FactRow {
  id: string;
  judgment_date: string;
  respondent_agency_id: string;
  violation_types: ViolationType[];
  stage: Stage;
  escalation_level: number;
  appropriation: AppropriationRule;
  components: { amount: string; rate: number; from: string }[] | null;
  payments: { entry: 'tranche' | 'reversal'; ref: string; amount: string; on: string | null; recorded: string }[] | null;
  member: boolean;
  acknowledgment: Acknowledgment;
}

// Dates leave PostgreSQL as text, so no time zone can move a court's date; amounts as text, parsed exactly.
const FACTS_SQL = `SELECT c.id, c.judgment_date::text AS judgment_date, c.respondent_agency_id, c.violation_types, c.stage,
  c.escalation_level, c.appropriation,
  (SELECT json_agg(json_build_object('amount', cc.amount_cents::text, 'rate', cc.rate_basis_points, 'from', cc.interest_from::text)
     ORDER BY cc.position) FROM claim_current_components cc WHERE cc.claim_id = c.id) AS components,
  (SELECT json_agg(json_build_object('entry', d.entry, 'ref', d.payment_reference, 'amount', d.amount_cents::text, 'on', d.paid_on::text,
     'recorded', d.recorded_at) ORDER BY d.event_sequence) FROM disbursements d WHERE d.claim_id = c.id) AS payments,
  EXISTS (SELECT 1 FROM release_members m WHERE m.claim_id = c.id) AS member,
  -- The State's reminders of it (the commitments an agency made are its own, not reminders of the order).
  CASE WHEN EXISTS (SELECT 1 FROM agency_acknowledgments k WHERE k.claim_id = c.id) THEN 'acknowledged'
       WHEN EXISTS (SELECT 1 FROM reminders r WHERE r.claim_id = c.id AND r.content->>'owedBy' = 'state' AND r.kind <> 'agency_commitment') THEN 'reminded'
       ELSE 'none' END AS acknowledgment
  FROM claims c WHERE c.id > ? AND (?::boolean OR EXISTS (SELECT 1 FROM release_members m WHERE m.claim_id = c.id)) ORDER BY c.id LIMIT ?`;

const PENDING = 'FROM claims c WHERE NOT EXISTS (SELECT 1 FROM release_members m WHERE m.claim_id = c.id)';

/** Orders registered but not yet counted by any release. */
export async function pendingOrders(db: Db | Knex.Transaction): Promise<number> {
  const { rows } = await db.raw(`SELECT count(*)::int AS n ${PENDING}`);
  return rows[0].n as number;
}

/** Counts every pending order from release `number` on (in the caller's snapshot: orders it cannot see wait). */
export async function admitPendingOrders(trx: Knex.Transaction, number: number): Promise<number> {
  const { rowCount } = await trx.raw(`INSERT INTO release_members (claim_id, release_number) SELECT c.id, ? ${PENDING}`, [number]);
  return rowCount ?? 0;
}

/** The previous release, for telling which orders' payments changed since: its money date and when it was taken. */
export interface PaymentsSince {
  moneyAsOf: CalendarDate;
  takenAt: string;
}

function factOf(row: FactRow, asOf: CalendarDate, since: PaymentsSince | null): ClaimFact {
  const components = (row.components ?? []).map((c) => ({ amountCents: centsFromDb(c.amount), rateBasisPoints: c.rate, interestFrom: c.from }));
  const payments = row.payments ?? [];
  const reversed = new Set(payments.filter((p) => p.entry === 'reversal').map((p) => p.ref));
  const tranches = payments.filter((p) => p.entry === 'tranche' && !reversed.has(p.ref) && p.on)
    .map((p) => ({ paidOn: p.on!, amountCents: centsFromDb(p.amount) }));
  const balance = balanceAt(components, tranches, asOf, row.appropriation);
  const lastPaid = tranches.reduce<string | null>((last, t) => (last === null || t.paidOn > last ? t.paidOn : last), null);
  // A payment in the period, a reversal or a payment entered late (after the previous release), or an order counted
  // for the first time with money paid: its paid and outstanding figures moved since the previous release.
  const paymentChanged = since !== null && (
    payments.some((p) => (p.entry === 'tranche' && p.on !== null && p.on > since.moneyAsOf && p.on <= asOf)
      || (new Date(p.recorded) > new Date(since.takenAt) && (p.entry === 'reversal' || (p.on !== null && p.on <= asOf))))
    || (!row.member && balance.paidCents !== 0));
  return {
    yearOfJudgment: Number(row.judgment_date.slice(0, 4)),
    agencyId: row.respondent_agency_id,
    violationTypes: row.violation_types,
    stage: row.stage,
    escalationLevel: row.escalation_level,
    awardedCents: balance.awardedCents,
    paidCents: balance.paidCents,
    outstandingCents: balance.outstandingCents,
    daysToFullPayment: PAID_STAGES.includes(row.stage) && lastPaid ? daysBetween(row.judgment_date, lastPaid) : null,
    paymentChanged,
    acknowledgment: row.acknowledgment,
  };
}

/**
 * Every order a release counts, batch by batch, as of a date (interest runs to that date): those earlier releases
 * admitted, and the pending ones too when `withPending`.
 */
export async function scanClaimFacts(
  db: Db | Knex.Transaction, asOf: CalendarDate, withPending: boolean, onBatch: (facts: ClaimFact[]) => void | Promise<void>, batch = CLAIM_BATCH,
  since: PaymentsSince | null = null,
): Promise<number> {
  let after = '';
  let total = 0;
  for (;;) {
    const { rows } = (await db.raw(FACTS_SQL, [after, withPending, batch])) as { rows: FactRow[] };
    if (!rows.length) return total;
    await onBatch(rows.map((r) => factOf(r, asOf, since)));
    total += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}

export interface StoredRelease {
  number: number;
  requestKey: string;
  publishedAt: string;
  asOf: CalendarDate;
  /** Amounts are as at this date: the end of the month before the release (interest and payments to then). */
  moneyAsOf: CalendarDate;
  trigger: 'schedule' | 'administrator';
  requestedBy: string | null;
  claims: number;
  dataPackageVersion: string;
  tables: PublishedTables;
  digest: string;
  checkpoint: unknown;
  /** Further public sections: { indicators: { definitionsVersion, rows } }. */
  extras: ReleaseExtras;
}

export interface ReleaseExtras {
  indicators?: { definitionsVersion: number; rows: PublicIndicatorRow[] };
  /** The accountability tables (incidents), once six incidents can be counted. */
  accountability?: { tables: AnyTables };
}

const PUBLIC_COLUMNS = ['number', 'request_key', 'published_at', 'as_of', 'money_as_of', 'trigger', 'requested_by', 'claims', 'data_package_version', 'tables', 'digest', 'checkpoint', 'extras'];

const toRelease = (r: Record<string, unknown>): StoredRelease => ({
  number: Number(r.number), requestKey: String(r.request_key), publishedAt: new Date(r.published_at as string).toISOString(),
  asOf: String(r.as_of), moneyAsOf: String(r.money_as_of), trigger: r.trigger as StoredRelease['trigger'], requestedBy: (r.requested_by as string | null) ?? null,
  claims: Number(r.claims), dataPackageVersion: String(r.data_package_version), tables: r.tables as PublishedTables,
  digest: String(r.digest), checkpoint: r.checkpoint ?? null, extras: (r.extras as ReleaseExtras | null) ?? {},
});

const selectPublic = (db: Db | Knex.Transaction) =>
  db('releases').select(PUBLIC_COLUMNS.map((c) => (c === 'as_of' || c === 'money_as_of' ? db.raw(`${c}::text AS ${c}`) : c)));

export async function latestRelease(db: Db | Knex.Transaction): Promise<StoredRelease | null> {
  const row = await selectPublic(db).orderBy('number', 'desc').first();
  return row ? toRelease(row) : null;
}

export async function releaseByNumber(db: Db | Knex.Transaction, number: number): Promise<StoredRelease | null> {
  const row = await selectPublic(db).where({ number }).first();
  return row ? toRelease(row) : null;
}

export async function releaseByRequestKey(db: Db | Knex.Transaction, requestKey: string): Promise<StoredRelease | null> {
  const row = await selectPublic(db).where({ request_key: requestKey }).first();
  return row ? toRelease(row) : null;
}

export async function latestReleaseNumber(db: Db): Promise<number | null> {
  const row = await db('releases').max({ n: 'number' }).first();
  return row?.n === null || row?.n === undefined ? null : Number(row.n);
}

/** The public list of releases: numbers, dates and digests (not how many orders each counts: that would be exact). */
export async function listReleases(db: Db): Promise<{ number: number; publishedAt: string; asOf: string; trigger: string; digest: string }[]> {
  const rows = await db('releases').orderBy('number', 'desc')
    .select('number', 'published_at', db.raw('as_of::text AS as_of'), 'trigger', 'digest');
  return rows.map((r) => ({ number: r.number, publishedAt: new Date(r.published_at).toISOString(), asOf: r.as_of, trigger: r.trigger, digest: r.digest }));
}

export async function releaseDisclosure(db: Db | Knex.Transaction, number: number): Promise<DisclosureRecord | null> {
  const row = await db('releases').where({ number }).first('disclosure');
  return (row?.disclosure as DisclosureRecord | undefined) ?? null;
}

export async function insertRelease(
  trx: Knex.Transaction,
  r: Omit<StoredRelease, 'publishedAt' | 'number'> & { number: number; disclosure: DisclosureRecord },
): Promise<void> {
  await trx('releases').insert({
    number: r.number, request_key: r.requestKey, as_of: r.asOf, money_as_of: r.moneyAsOf, trigger: r.trigger, requested_by: r.requestedBy, claims: r.claims,
    data_package_version: r.dataPackageVersion, tables: JSON.stringify(r.tables), digest: r.digest,
    checkpoint: r.checkpoint === null ? null : JSON.stringify(r.checkpoint), disclosure: JSON.stringify(r.disclosure), extras: JSON.stringify(r.extras),
  });
}

/** Agency names as they stand when a release is built (the release keeps them, so it never changes afterwards). */
export async function agencyNames(db: Db | Knex.Transaction): Promise<Map<string, string>> {
  const rows = await db('agencies').select('id', 'name');
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}
