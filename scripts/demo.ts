/**
 * `npm run demo`: fills a running Redress (npm start) with clearly fictional data: advocates, contacts, providers,
 * users to sign in with, fund money, and claims at every stage across agencies and years, some with referrals.
 * Running it again adds nothing (orders are registered by court and case number; steps already taken are skipped).
 */
import { Client, Connection } from '@temporalio/client';
import { createUser } from '../api/access/users';
import { createClaimService } from '../api/claims/service';
import { createEscalationService } from '../api/escalation/service';
import { CommandRefused, InvalidInput } from '../api/errors';
import { createReferralService } from '../api/referral/service';
import { addDays, calendarDateAt } from '../domain/calendar-date';
import type { CommandName } from '../domain/claim';
import { financialYearOf } from '../domain/referral';
import { createDb } from '../db/connection';
import { dataConverterFrom } from '../worker/payload-codec';

const AGENCIES = ['national-police-service', 'kenya-prisons-service', 'kenya-defence-forces', 'ministry-of-interior', 'kenya-wildlife-service'];
const VIOLATIONS = [['torture'], ['extra_judicial_killing'], ['enforced_disappearance'], ['torture', 'enforced_disappearance']] as const;
const PASSWORD = process.env.REDRESS_DEMO_PASSWORD ?? 'demo-password-not-for-real-use';

/** A small deterministic generator, so every run builds the same fictional world. */
function seeded(seed: number) {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
}

async function main(): Promise<void> {
  const db = createDb(process.env.DATABASE_URL ?? (() => { throw new Error('set DATABASE_URL (npm start prints it)'); })());
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const client = new Client({ connection, dataConverter: dataConverterFrom() });
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'redress';
  const claims = createClaimService({ client, db, taskQueue });
  const escalation = createEscalationService({ client, db });
  const referrals = createReferralService({ client, db });
  const admin = 'demo-administrator';
  const quietly = async (p: Promise<unknown>) => p.catch((e: unknown) => { if (!(e instanceof InvalidInput || e instanceof CommandRefused)) throw e; });
  const today = calendarDateAt(Date.now());
  const rand = seeded(2026);
  try {
    for (const [id, name] of [['adv-demo-achieng', 'Achieng Demo-Advocate'], ['adv-demo-mwangi', 'Mwangi Demo-Advocate'], ['adv-demo-hassan', 'Hassan Demo-Advocate']]) {
      await escalation.setAdvocate({ id: id!, name: name!, email: `${id}@example.org` }, admin);
    }
    for (const agency of AGENCIES) {
      await escalation.setContact({ agencyId: agency, role: 'accounting_officer', name: `Accounting Officer, ${agency} (fictional)`, email: `ao.${agency}@example.org` }, admin);
      await escalation.setContact({ agencyId: agency, role: 'principal_secretary', name: `Principal Secretary, ${agency} (fictional)`, email: `ps.${agency}@example.org` }, admin);
    }
    for (const role of ['attorney_general', 'national_treasury', 'controller_of_budget', 'knchr', 'commission_on_administrative_justice', 'fund_administrator']) {
      await escalation.setContact({ role, name: `${role.replace(/_/g, ' ')} (fictional)`, email: `${role.replace(/_/g, '-')}@example.org` }, admin);
    }
    await quietly(referrals.registerProvider({ id: 'demo-trauma-centre', name: 'Demo Trauma Recovery Centre', services: ['medical', 'psychological', 'psychosocial'], county: 'Nairobi', email: 'intake@demo-trauma.example.org', capacity: 50 }, admin));
    await quietly(referrals.registerProvider({ id: 'demo-legal-aid', name: 'Demo Legal Aid Clinic', services: ['legal_aid', 'socio_economic'], county: 'Mombasa', email: 'intake@demo-legal.example.org', capacity: 20 }, admin));
    await quietly(createUser(db, { id: 'demo-admin', name: 'Demo Administrator', role: 'administrator', password: PASSWORD }));
    await quietly(createUser(db, { id: 'demo-advocate', name: 'Achieng (demo advocate)', role: 'advocate', advocateId: 'adv-demo-achieng', password: PASSWORD }));
    await quietly(createUser(db, { id: 'demo-auditor', name: 'Demo Auditor', role: 'auditor', password: PASSWORD }));
    await quietly(createUser(db, { id: 'demo-provider', name: 'Demo Trauma Centre intake', role: 'provider', providerId: 'demo-trauma-centre', password: PASSWORD }));
    const fy = financialYearOf(today);
    await referrals.receiveFunds({ financialYear: fy, amountCents: 2_000_000_00, reference: 'DEMO-EXCHEQUER-1', receivedOn: today }, admin);

    const stages = ['registered', 'certificate_issued', 'certificate_served', 'budget_allocated', 'disbursing', 'paid_in_full', 'settled', 'stayed', 'withdrawn', 'enforcement'];
    let n = 0;
    for (let i = 0; i < 40; i++) {
      const year = 2012 + Math.floor(rand() * 13);
      const judgment = `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      const damages = (200_000 + Math.floor(rand() * 40) * 50_000) * 100;
      const costs = (50_000 + Math.floor(rand() * 20) * 10_000) * 100;
      const { claimId, created } = await claims.register({
        court: ['High Court of Kenya at Nairobi', 'High Court of Kenya at Mombasa', 'High Court of Kenya at Kisumu', 'High Court of Kenya at Nakuru'][i % 4],
        caseNumber: `Petition E${100 + i} of ${year} (demo)`, judgmentDate: judgment, respondentAgencyId: AGENCIES[i % AGENCIES.length],
        survivorRef: `DEMO-${String(i + 1).padStart(4, '0')}`, violationTypes: [...VIOLATIONS[i % VIOLATIONS.length]!],
        advocateId: ['adv-demo-achieng', 'adv-demo-mwangi', 'adv-demo-hassan'][i % 3], appropriation: 'interest_first',
        components: [
          { label: 'General damages', amountCents: damages, rateBasisPoints: i % 5 === 0 ? 1400 : 1200, interestFrom: judgment },
          { label: 'Costs', amountCents: costs, rateBasisPoints: 1200, interestFrom: judgment },
        ],
      }, admin);
      if (!created) continue;
      n++;
      const target = stages[i % stages.length]!;
      const step = (name: CommandName, input: Record<string, unknown>) => quietly(claims.command(claimId, name, { actor: admin, ...input } as never));
      const at = (days: number) => { const d = addDays(judgment, days); return d > today ? today : d; };
      if (target === 'registered') continue;
      await step('issueCertificate', { issuedOn: at(30) });
      if (target === 'certificate_issued') continue;
      await step('serveCertificate', { servedOn: at(40) });
      if (target === 'stayed') { await step('grantStay', { grantedOn: at(60), reason: 'appeal pending (demo)' }); continue; }
      if (target === 'withdrawn') { await step('withdraw', { withdrawnOn: at(90), reason: 'withdrawn by the claimant (demo)' }); continue; }
      if (target === 'enforcement') {
        await step('serveEnforcementNotice', { servedOn: at(200) });
        await step('fileMandamus', { filedOn: at(230) });
        await step('grantMandamus', { grantedOn: at(300), complianceDays: 30 });
        continue;
      }
      if (target === 'certificate_served') continue;
      await step('allocateBudget', { amountCents: damages + costs, budgetLine: `R10${i}-2640500`, financialYear: financialYearOf(at(400)), allocatedOn: at(400) });
      if (target === 'budget_allocated') continue;
      await step('recordTranche', { paymentReference: `DEMO-PV-${i}-1`, amountCents: Math.floor(damages / 2), paidOn: at(500) });
      if (target === 'disbursing') continue;
      const live = await claims.liveStatus(claimId);
      await step('recordTranche', { paymentReference: `DEMO-PV-${i}-2`, amountCents: live.amounts.outstandingCents, paidOn: live.asOf });
      if (target === 'paid_in_full') continue;
      await step('confirmReceipt', { paymentReference: `DEMO-PV-${i}-1`, receivedOn: at(505) });
      await step('confirmReceipt', { paymentReference: `DEMO-PV-${i}-2`, receivedOn: today });
    }
    // A few referrals, at different points of their course.
    const someClaims = await db('claims').where('case_number', 'like', '%(demo)').whereNotIn('stage', ['withdrawn', 'settled']).orderBy('id').limit(3).pluck('id');
    for (const [k, claimId] of someClaims.entries()) {
      if (await db('referrals').where({ claim_id: claimId }).first('id')) continue;
      const { referralId } = await referrals.requestReferral(claimId, {
        service: k === 2 ? 'legal_aid' : 'psychological', beneficiary: k === 1 ? { kind: 'family_member', relationship: 'mother' } : { kind: 'survivor' },
        consent: { referral: true, shareAssessment: true, recordedOn: today }, priority: { urgentMedical: k === 0, ageYears: 30 + k * 20, disability: false },
      }, admin);
      const r = (name: Parameters<typeof referrals.command>[1], input: Record<string, unknown>) => referrals.command(referralId, name, { actor: admin, ...input });
      await r('assessNeeds', { assessedOn: today, assessedCostCents: 12_000_000, sessionsPlanned: 10 });
      await r('referToProvider', { referredOn: today, providerId: k === 2 ? 'demo-legal-aid' : 'demo-trauma-centre' });
      if (k < 2) await r('decideFunding', { decision: 'approve', amountCents: 10_000_000, financialYear: fy, decidedOn: today });
      if (k === 0) await r('recordAppointment', { appointmentOn: today });
    }
    console.log(`demo: ${n} new fictional claims; sign in at /signin as demo-admin, demo-advocate, demo-auditor or demo-provider with the password "${PASSWORD}"`);
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
