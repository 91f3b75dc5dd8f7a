import type { ReferralState } from '../../domain/referral';
import { paidToProvider } from '../../domain/referral';
import type { Db } from '../../db/connection';

/** Keeps the referral's current row (a projection; its steps are events in its claim's or incident's chain). */
export function createReferralProjectionActivities(deps: { db: Db }) {
  async function projectReferral(input: { referral: ReferralState; workflowId: string }): Promise<void> {
    const r = input.referral;
    const row = {
      id: r.referralId, claim_id: r.claimId,
      // Started from an incident, or from a claim that names the incident it arises from.
      incident_id: r.incidentId ?? (r.claimId ? deps.db.raw('(SELECT incident_id FROM claims WHERE id = ?)', [r.claimId]) : null),
      workflow_id: input.workflowId, service: r.service,
      beneficiary_kind: r.beneficiary.kind, stage: r.stage, provider_id: r.providerId,
      assessed_cost_cents: r.assessment?.assessedCostCents ?? null, assessed_on: r.assessment?.assessedOn ?? null,
      financial_year: r.funding?.financialYear ?? null, approved_cents: r.funding?.approvedCents ?? null,
      paid_cents: paidToProvider(r), consented_on: r.consentedOn, updated_at: deps.db.fn.now(),
      // The dates the indicators count from (docs/indicators.md).
      funded_on: r.funding?.committedOn ?? null, first_appointment_on: r.firstAppointmentOn, closed_on: r.closedOn,
    };
    await deps.db('referrals').insert(row).onConflict('id').merge();
  }
  return { projectReferral };
}
