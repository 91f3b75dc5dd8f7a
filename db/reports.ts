/**
 * The record as the reports read it: each order's facts (components, payments less the reversed ones, stays,
 * closure, escalations), referrals' dates, incidents when the record has them, and the versioned indicator
 * definitions. Orders are read in keyset batches (id order), so a report over many orders never holds one huge
 * result. Nothing here reads a survivor's reference or name.
 */
import type { Knex } from 'knex';
import { calendarDateAt } from '../domain/calendar-date';
import { type PolicyDocument, stagePolicyFor } from '../domain/escalation/policy';
import type { AppropriationRule } from '../domain/interest';
import { centsFromDb } from '../domain/money';
import { type IndicatorDefinitions, type IndicatorDocument, indicatorDocumentSchema } from '../domain/report/indicator-definitions';
import type { ClaimIndicatorFacts, IncidentIndicatorFacts, IndicatorRecord, ReferralIndicatorFacts } from '../domain/report/indicators';
import type { PendingOrderFacts } from '../domain/report/pending-bills';
import type { Db } from './connection';

type Reader = Db | Knex.Transaction;
export const ORDER_BATCH = 5_000;

interface OrderRow {
  id: string;
  court: string;
  case_number: string;
  respondent_agency_id: string;
  judgment_date: string;
  certificate_issued_on: string | null;
  appropriation: AppropriationRule;
  components: { amount: string; rate: number; from: string }[] | null;
  payments: { entry: 'tranche' | 'reversal'; ref: string; amount: string; on: string | null }[] | null;
  steps: { type: string; on: string | null; at: string; level: number | null }[] | null;
}

// Dates leave PostgreSQL as text (no time zone can move a court's date) and amounts as text (parsed exactly).
const ORDERS_SQL = `SELECT c.id, c.court, c.case_number, c.respondent_agency_id, c.judgment_date::text AS judgment_date,
  c.certificate_issued_on::text AS certificate_issued_on, c.appropriation,
  (SELECT json_agg(json_build_object('amount', cc.amount_cents::text, 'rate', cc.rate_basis_points, 'from', cc.interest_from::text)
     ORDER BY cc.position) FROM claim_current_components cc WHERE cc.claim_id = c.id) AS components,
  (SELECT json_agg(json_build_object('entry', d.entry, 'ref', d.payment_reference, 'amount', d.amount_cents::text, 'on', d.paid_on::text)
     ORDER BY d.event_sequence) FROM disbursements d WHERE d.claim_id = c.id) AS payments,
  (SELECT json_agg(json_build_object('type', e.type, 'at', e.occurred_at,
       'on', coalesce(e.payload->>'grantedOn', e.payload->>'liftedOn', e.payload->>'withdrawnOn', e.payload->>'setAsideOn'),
       'level', (e.payload->>'level')::int) ORDER BY e.sequence)
     FROM claim_events e WHERE e.claim_id = c.id
       AND e.type IN ('stay_granted', 'stay_lifted', 'claim_withdrawn', 'claim_set_aside', 'deadline_escalated')) AS steps
  FROM claims c WHERE c.id > ? AND (?::text IS NULL OR c.respondent_agency_id = ?) AND (?::boolean OR c.certificate_issued_on IS NOT NULL)
    AND (NOT ?::boolean OR EXISTS (SELECT 1 FROM release_members m WHERE m.claim_id = c.id))
  ORDER BY c.id LIMIT ?`;

function orderFacts(row: OrderRow) {
  const components = (row.components ?? []).map((c) => ({ amountCents: centsFromDb(c.amount), rateBasisPoints: c.rate, interestFrom: c.from }));
  const payments = row.payments ?? [];
  // A reversed tranche counts for nothing: the money did not reach the claimant.
  const reversed = new Set(payments.filter((p) => p.entry === 'reversal').map((p) => p.ref));
  const tranches = payments.filter((p) => p.entry === 'tranche' && !reversed.has(p.ref) && p.on)
    .map((p) => ({ paymentReference: p.ref, amountCents: centsFromDb(p.amount), paidOn: p.on! }));
  const stays: PendingOrderFacts['stays'] = [];
  let closedOn: string | null = null;
  const escalations: ClaimIndicatorFacts['escalations'] = [];
  for (const s of row.steps ?? []) {
    if (s.type === 'stay_granted' && s.on) stays.push({ grantedOn: s.on, liftedOn: null });
    else if (s.type === 'stay_lifted' && s.on && stays.length) stays[stays.length - 1]!.liftedOn = s.on;
    else if ((s.type === 'claim_withdrawn' || s.type === 'claim_set_aside') && s.on) closedOn = s.on;
    else if (s.type === 'deadline_escalated' && s.level !== null) escalations.push({ level: s.level, on: calendarDateAt(Date.parse(s.at)) });
  }
  return { components, tranches, stays, closedOn, escalations };
}

async function scanOrders(db: Reader, opts: { agencyId?: string; certifiedOnly: boolean; releasedOnly?: boolean }, onRow: (row: OrderRow) => void, batch = ORDER_BATCH): Promise<void> {
  let after = '';
  const agency = opts.agencyId ?? null;
  for (;;) {
    const { rows } = (await db.raw(ORDERS_SQL, [after, agency, agency, !opts.certifiedOnly, opts.releasedOnly ?? false, batch])) as { rows: OrderRow[] };
    rows.forEach(onRow);
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Every certified order (of one agency, or all), as the pending-bills report needs it. */
export async function pendingOrderFacts(db: Reader, agencyId?: string, batch = ORDER_BATCH): Promise<PendingOrderFacts[]> {
  const out: PendingOrderFacts[] = [];
  await scanOrders(db, { agencyId, certifiedOnly: true }, (row) => {
    const f = orderFacts(row);
    out.push({
      claimId: row.id, court: row.court, caseNumber: row.case_number, agencyId: row.respondent_agency_id, judgmentDate: row.judgment_date,
      certificateIssuedOn: row.certificate_issued_on, components: f.components, appropriation: row.appropriation,
      tranches: f.tranches, stays: f.stays, closedOn: f.closedOn,
    });
  }, batch);
  return out;
}

/** Agencies by id, with their names (every agency, so one owing nothing is reported as such). */
export async function agencyList(db: Reader): Promise<Map<string, string>> {
  const rows = await db('agencies').orderBy('name').select('id', 'name');
  return new Map(rows.map((r) => [r.id as string, r.name as string]));
}

interface ReferralRow {
  id: string;
  assessed_on: string | null;
  assessed_cost_cents: string | null;
  funded_on: string | null;
  approved_cents: string | null;
  first_appointment_on: string | null;
  closed_on: string | null;
  policy: PolicyDocument | null;
}

/**
 * Incidents, read through the view `incident_indicator_facts` (columns in docs/indicators.md), which the accountability
 * track defines over its own tables. Null while there is no `incidents` table, or no view over it yet: those
 * indicators then say "no data".
 */
export async function incidentFacts(db: Reader): Promise<IncidentIndicatorFacts[] | null> {
  const { rows: [exists] } = await db.raw(`SELECT to_regclass('public.incidents') IS NOT NULL AS incidents, to_regclass('public.incident_indicator_facts') IS NOT NULL AS facts`);
  if (!exists.incidents || !exists.facts) return null;
  const { rows } = await db.raw(`SELECT incident_id::text AS incident_id, documented_on::text AS documented_on, investigation_due_on::text AS investigation_due_on,
    investigation_opened_on::text AS investigation_opened_on, investigation_ended_on::text AS investigation_ended_on,
    charging_decision_on::text AS charging_decision_on, death, inquest_due_on::text AS inquest_due_on, inquest_opened_on::text AS inquest_opened_on,
    coalesce(conviction_dates::text[], '{}') AS conviction_dates FROM incident_indicator_facts ORDER BY incident_id`);
  return (rows as Record<string, unknown>[]).map((r) => ({
    incidentId: String(r.incident_id), documentedOn: String(r.documented_on),
    investigationDueOn: (r.investigation_due_on as string | null) ?? null, investigationOpenedOn: (r.investigation_opened_on as string | null) ?? null,
    investigationEndedOn: (r.investigation_ended_on as string | null) ?? null, chargingDecisionOn: (r.charging_decision_on as string | null) ?? null,
    death: Boolean(r.death), inquestDueOn: (r.inquest_due_on as string | null) ?? null, inquestOpenedOn: (r.inquest_opened_on as string | null) ?? null,
    convictionDates: (r.conviction_dates as string[]).map((d) => d.slice(0, 10)),
  }));
}

/**
 * Everything the indicators are computed from. `releasedOnly`: only orders a release has admitted (release_members),
 * and the referrals under them, so public indicators count the same orders as the release's other tables.
 */
export async function indicatorRecord(db: Reader, opts: { releasedOnly?: boolean } = {}, batch = ORDER_BATCH): Promise<IndicatorRecord> {
  const claims: ClaimIndicatorFacts[] = [];
  await scanOrders(db, { certifiedOnly: false, releasedOnly: opts.releasedOnly }, (row) => {
    const f = orderFacts(row);
    claims.push({
      claimId: row.id, judgmentDate: row.judgment_date, certificateIssuedOn: row.certificate_issued_on, components: f.components,
      appropriation: row.appropriation, tranches: f.tranches, closedOn: f.closedOn, escalations: f.escalations,
    });
  }, batch);
  const { rows } = (await db.raw(`SELECT r.id, r.assessed_on::text AS assessed_on, r.assessed_cost_cents::text AS assessed_cost_cents,
      r.funded_on::text AS funded_on, r.approved_cents::text AS approved_cents, r.first_appointment_on::text AS first_appointment_on,
      r.closed_on::text AS closed_on, p.document AS policy
    FROM referrals r JOIN claims c ON c.id = r.claim_id LEFT JOIN deadline_policies p ON p.version = c.policy_version
    WHERE NOT ?::boolean OR EXISTS (SELECT 1 FROM release_members m WHERE m.claim_id = r.claim_id) ORDER BY r.id`, [opts.releasedOnly ?? false])) as { rows: ReferralRow[] };
  const referrals: ReferralIndicatorFacts[] = rows.map((r) => ({
    referralId: r.id, assessedOn: r.assessed_on, assessedCostCents: r.assessed_cost_cents === null ? null : centsFromDb(r.assessed_cost_cents),
    fundedOn: r.funded_on, approvedCents: r.approved_cents === null ? null : centsFromDb(r.approved_cents),
    firstAppointmentOn: r.first_appointment_on, closedOn: r.closed_on,
    // The claim's own policy version gives the deadline, as it does for the reminders.
    firstAppointmentDays: stagePolicyFor(r.policy ?? ({ stages: {} } as PolicyDocument), 'referral_first_appointment').days ?? 0,
  }));
  return { claims, referrals, incidents: await incidentFacts(db) };
}

const toDefinitions = (row: { version: number; document: IndicatorDocument; created_by: string; note: string | null; created_at: Date | string }): IndicatorDefinitions => ({
  ...row.document, version: row.version, publishedBy: row.created_by, note: row.note ?? null, publishedAt: new Date(row.created_at).toISOString(),
});

export async function latestIndicatorDefinitions(db: Reader): Promise<IndicatorDefinitions> {
  const row = await db('indicator_definitions').orderBy('version', 'desc').first();
  if (!row) throw new Error('no indicator definitions: run the migrations');
  return toDefinitions(row);
}

export async function indicatorDefinitionsVersion(db: Reader, version: number): Promise<IndicatorDefinitions | null> {
  const row = await db('indicator_definitions').where({ version }).first();
  return row ? toDefinitions(row) : null;
}

export async function indicatorDefinitionVersions(db: Reader): Promise<{ version: number; publishedAt: string; publishedBy: string; note: string | null }[]> {
  const rows = await db('indicator_definitions').orderBy('version', 'desc').select('version', 'created_by', 'note', 'created_at');
  return rows.map((r) => ({ version: r.version, publishedBy: r.created_by, note: r.note ?? null, publishedAt: new Date(r.created_at).toISOString() }));
}

/** Publishes a new version (the next number, under a lock so two at once get two numbers); earlier ones never change. */
export async function publishIndicatorDefinitions(db: Db, document: IndicatorDocument, by: string, note: string | null): Promise<IndicatorDefinitions> {
  const doc = indicatorDocumentSchema.parse(document);
  return db.transaction(async (trx) => {
    await trx.raw('LOCK TABLE indicator_definitions IN EXCLUSIVE MODE');
    const max = await trx('indicator_definitions').max({ v: 'version' }).first();
    const version = Number(max?.v ?? 0) + 1;
    const [row] = await trx('indicator_definitions').insert({ version, document: JSON.stringify(doc), created_by: by, note }).returning('*');
    return toDefinitions(row);
  });
}
