/**
 * Claim reads for the API, from PostgreSQL only (never from workflow queries), so pages stay fast whatever
 * Temporal is doing. Amounts owed today are computed from the record with the same domain code the workflow uses.
 */
import { calendarDateAt } from '../../domain/calendar-date';
import { balanceAt, dailyInterestCents } from '../../domain/interest';
import { type Cents, CURRENCY, centsFromDb } from '../../domain/money';
import type { Db } from '../../db/connection';
import { dateOnly, readClaimRecord, stateFromRecord } from '../../db/claims';
import { statusOf } from '../../domain/claim';

export interface ClaimListFilters {
  stage?: string;
  agency?: string;
  overdue?: boolean;
  minEscalationLevel?: number;
  q?: string;
  stayed?: boolean;
  /** escalation (most escalated, oldest judgment first: the default), judgment, updated or case. */
  sort?: 'escalation' | 'judgment' | 'updated' | 'case';
  limit: number;
  offset: number;
  /** Set for advocates: the query itself is scoped to their claims. */
  advocateId?: string;
}


/** Amounts owed today for many claims at once (two queries, whatever the page size). */
export async function amountsToday(db: Db, claimIds: string[], appropriation: Map<string, string>) {
  const today = calendarDateAt(Date.now());
  const [components, payments] = await Promise.all([
    db('claim_current_components').whereIn('claim_id', claimIds).orderBy(['claim_id', 'position']).select(),
    db('disbursements').whereIn('claim_id', claimIds).orderBy('event_sequence').select('claim_id', 'entry', 'payment_reference', 'amount_cents', 'paid_on'),
  ]);
  const out = new Map<string, { awardedCents: Cents; interestAccruedCents: Cents; paidCents: Cents; outstandingCents: Cents; dailyInterestCents: Cents }>();
  for (const id of claimIds) {
    const comps = components.filter((c) => c.claim_id === id).map((c) => ({
      amountCents: centsFromDb(c.amount_cents), rateBasisPoints: c.rate_basis_points, interestFrom: dateOnly(c.interest_from)!,
    }));
    const mine = payments.filter((p) => p.claim_id === id);
    const reversed = new Set(mine.filter((p) => p.entry === 'reversal').map((p) => p.payment_reference));
    const active = mine.filter((p) => p.entry === 'tranche' && !reversed.has(p.payment_reference))
      .map((p) => ({ paidOn: dateOnly(p.paid_on)!, amountCents: centsFromDb(p.amount_cents) }));
    const b = balanceAt(comps, active, today, (appropriation.get(id) ?? 'interest_first') as 'interest_first');
    out.set(id, { awardedCents: b.awardedCents, interestAccruedCents: b.interestAccruedCents, paidCents: b.paidCents, outstandingCents: b.outstandingCents, dailyInterestCents: dailyInterestCents(b, comps) });
  }
  return out;
}

export async function listClaims(db: Db, f: ClaimListFilters) {
  const q = db('claims');
  if (f.advocateId) q.where('advocate_id', f.advocateId);
  if (f.stage) q.where('stage', f.stage);
  if (f.agency) q.where('respondent_agency_id', f.agency);
  if (f.overdue !== undefined) q.where((w) => (f.overdue ? w.where('escalation_level', '>=', 0) : w.where('escalation_level', '<', 0)));
  if (f.minEscalationLevel !== undefined) q.where('escalation_level', '>=', f.minEscalationLevel);
  if (f.stayed !== undefined) q.where('stayed', f.stayed);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q.where((w) => w.whereILike('id', like).orWhereILike('case_number', like));
  }
  const counted = await q.clone().count({ total: '*' }).first();
  const total = counted?.total ?? 0;
  const order = {
    escalation: [{ column: 'escalation_level', order: 'desc' }, { column: 'judgment_date', order: 'asc' }],
    judgment: [{ column: 'judgment_date', order: 'asc' }],
    updated: [{ column: 'updated_at', order: 'desc' }],
    case: [{ column: 'court', order: 'asc' }, { column: 'case_number', order: 'asc' }],
  }[f.sort ?? 'escalation'] as { column: string; order: 'asc' | 'desc' }[];
  const rows = await q.orderBy([...order, { column: 'id' }])
    .limit(f.limit).offset(f.offset)
    .select('id', 'court', 'case_number', 'judgment_date', 'respondent_agency_id', 'advocate_id', 'stage', 'stayed', 'escalation_level', 'next_deadline_at', 'appropriation');
  const amounts = await amountsToday(db, rows.map((r) => r.id), new Map(rows.map((r) => [r.id, r.appropriation])));
  return {
    total: Number(total), limit: f.limit, offset: f.offset,
    items: rows.map((r) => ({
      id: r.id, court: r.court, caseNumber: r.case_number, judgmentDate: dateOnly(r.judgment_date), respondentAgencyId: r.respondent_agency_id,
      advocateId: r.advocate_id, stage: r.stage, stayed: r.stayed, escalationLevel: r.escalation_level,
      nextDeadlineAt: r.next_deadline_at ? new Date(r.next_deadline_at).toISOString() : null, currency: CURRENCY, ...amounts.get(r.id)!,
    })),
  };
}

/** The claim page: stage, money owed today, deadlines, escalation, referrals and timeline (one statement). */
export async function claimDetail(db: Db, claimId: string, logReadBy?: { userId: string; what: string }) {
  const record = await readClaimRecord(db, claimId, { page: true, ...(logReadBy ? { logReadBy } : {}) });
  if (!record) return null;
  const { deadlines, referrals, components } = record;
  const state = stateFromRecord(record);
  const status = statusOf(state, calendarDateAt(Date.now()));
  return {
    id: claimId, court: record.court, caseNumber: record.caseNumber, judgmentDate: record.judgmentDate,
    respondentAgencyId: record.respondentAgencyId, advocateId: record.advocateId, survivorRef: state.order.survivorRef,
    violationTypes: state.order.violationTypes, stage: status.stage, stay: status.stay, currency: CURRENCY,
    amounts: status.amounts, asOf: status.asOf, earliestCertificateDate: status.earliestCertificateDate,
    components: components.map((c) => ({ label: c.label, amountCents: centsFromDb(c.amount_cents), rateBasisPoints: c.rate_basis_points, interestFrom: dateOnly(c.interest_from) })),
    certificate: status.certificate, allocations: status.allocations, tranches: status.tranches, enforcement: state.enforcement,
    policyVersion: record.policyVersion, escalationLevel: record.escalationLevel,
    deadlines: deadlines.map((d) => ({
      key: d.key, kind: d.kind, owedBy: d.owed_by, lastDay: dateOnly(d.last_day), lapsesAt: new Date(d.lapses_at).toISOString(),
      paused: d.paused, level: d.level, remindersSent: d.reminders_sent, nextReminderAt: d.next_reminder_at ? new Date(d.next_reminder_at).toISOString() : null,
    })),
    referrals: referrals.map((r) => ({
      id: r.id, service: r.service, beneficiaryKind: r.beneficiary_kind, stage: r.stage, providerId: r.provider_id,
      approvedCents: r.approved_cents === null ? null : centsFromDb(r.approved_cents), paidCents: centsFromDb(r.paid_cents),
    })),
    timeline: record.events.slice(-200).map((e) => ({ sequence: e.sequence, type: e.type, actor: e.actor, occurredAt: e.occurredAt })),
    eventCount: record.events.length,
  };
}
