/**
 * `npm run demo`: fills a running Redress (npm start) with clearly fictional data: advocates, contacts, providers,
 * users to sign in with, fund money, claims at every stage across agencies and years, some with referrals, and
 * incidents with their investigation, prosecution and inquest at every stage (one referral from an incident alone,
 * one claim arising from an incident). Running it again adds nothing (orders are registered by court and case number,
 * incidents by organisation and reference; steps already taken are skipped).
 */
import { createUser } from '../api/access/users';
import { createClaimService } from '../api/claims/service';
import { createEscalationService } from '../api/escalation/service';
import { type IncidentService, createIncidentService } from '../api/incident/service';
import { CommandRefused, InvalidInput } from '../api/errors';
import { createReferralService } from '../api/referral/service';
import { addDays, calendarDateAt } from '../domain/calendar-date';
import type { CommandName } from '../domain/claim';
import { type Act, INVESTIGATION_STAGES, PROSECUTION_STAGES, type TrackCommandName } from '../domain/incident';
import { financialYearOf } from '../domain/referral';
import { createDb } from '../db/connection';
import { databaseUrl } from '../worker/local-instance';
import { connectClient } from '../worker/temporal-config';

const AGENCIES = ['national-police-service', 'kenya-prisons-service', 'kenya-defence-forces', 'ministry-of-interior', 'kenya-wildlife-service'];
const VIOLATIONS = [['torture'], ['extra_judicial_killing'], ['enforced_disappearance'], ['torture', 'enforced_disappearance']] as const;
const PASSWORD = process.env.REDRESS_DEMO_PASSWORD ?? 'demo-password-not-for-real-use';

/** A small deterministic generator, so every run builds the same fictional world. */
function seeded(seed: number) {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
}

async function main(): Promise<void> {
  const db = createDb(databaseUrl());
  const { client, settings, close } = await connectClient();
  const taskQueue = settings.taskQueue;
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
    for (const role of ['attorney_general', 'national_treasury', 'controller_of_budget', 'knchr', 'commission_on_administrative_justice', 'fund_administrator', 'coroner']) {
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

    // Incidents first: one of the claims below arises from one of them.
    const incidents = createIncidentService({ client, db, taskQueue });
    const { created: newIncidents, linked } = await demoIncidents(incidents, referrals, admin, today, fy);
    await quietly(createUser(db, { id: 'demo-investigator', name: 'Omondi (demo IPOA investigator)', role: 'investigator', bodyId: 'ipoa', password: PASSWORD }));
    await quietly(createUser(db, { id: 'demo-prosecutor', name: 'Atieno (demo ODPP counsel)', role: 'prosecutor', bodyId: 'odpp', password: PASSWORD }));
    await quietly(createUser(db, { id: 'demo-organisation', name: 'Njeri (demo documenting organisation)', role: 'documenting_organisation', organisationId: 'demo-imlu', password: PASSWORD }));

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
        ...(i === 1 ? { incidentId: linked } : {}),
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
    console.log(`demo: ${newIncidents} new fictional incidents; sign in as demo-investigator, demo-prosecutor or demo-organisation (same password) for them`);
  } finally {
    await close();
    await db.destroy();
  }
}

/** Where each demo incident stops: every stage of every track appears at least once. */
const INCIDENT_TARGETS = [
  ...INVESTIGATION_STAGES.filter((x) => x !== 'forwarded').map((stage) => ({ track: 'investigation' as const, stage })),
  ...PROSECUTION_STAGES.map((stage) => ({ track: 'prosecution' as const, stage })),
];
const INVESTIGATION_PATH: [TrackCommandName, Record<string, unknown>, string][] = [
  ['lodgeComplaint', {}, 'lodgedOn'], ['acknowledgeComplaint', { bodyReference: 'IPOA/DEMO' }, 'acknowledgedOn'], ['openInvestigation', {}, 'openedOn'],
  ['recordFindings', { conclusion: 'offence_disclosed' }, 'foundOn'], ['recommend', { recommendation: 'prosecute' }, 'recommendedOn'], ['forwardFile', {}, 'forwardedOn'],
];
const INQUEST_PATH: [TrackCommandName, Record<string, unknown>, string][] = [
  ['notifyDeath', { notifiedBy: 'police' }, 'notifiedOn'], ['recordPostMortem', { pathologist: 'joint' }, 'examinedOn'],
  ['openInquest', { court: "Chief Magistrate's Court (demo)", inquestNumber: 'Inquest E1 (demo)' }, 'openedOn'],
  ['recordInquestFinding', { finding: 'unlawful_killing', recommendsProsecution: true }, 'foundOn'],
];

/**
 * Fictional incidents recorded by two fictional organisations, one stopping at each stage of the investigation and
 * the prosecution; those with a death have an inquest at one stage or another. Returns how many were new, and the
 * incident a demo claim arises from.
 */
async function demoIncidents(incidents: IncidentService, referrals: ReturnType<typeof createReferralService>, admin: string, today: string, fy: string) {
  await incidents.setOrganisation({ id: 'demo-imlu', name: 'Demo Medico-Legal Unit', email: 'cases@demo-imlu.example.org' }, admin);
  await incidents.setOrganisation({ id: 'demo-watch', name: 'Demo Prison Watch', email: 'desk@demo-watch.example.org' }, admin);
  await incidents.setBody({ id: 'ipoa', name: 'Independent Policing Oversight Authority', kind: 'investigating', email: 'complaints@ipoa.example.org' }, admin);
  await incidents.setBody({ id: 'dci', name: 'Directorate of Criminal Investigations', kind: 'investigating', email: 'registry@dci.example.org' }, admin);
  await incidents.setBody({ id: 'odpp', name: 'Office of the Director of Public Prosecutions', kind: 'prosecuting', email: 'registry@odpp.example.org' }, admin);
  const counties = ['nairobi', 'mombasa', 'kisumu', 'nakuru', 'garissa', 'kakamega', 'machakos', 'turkana'];
  const acts: Act[][] = [['torture'], ['torture', 'death_in_custody'], ['extra_judicial_killing'], ['enforced_disappearance'], ['arbitrary_arrest_or_detention', 'torture']];
  let created = 0;
  let linked = '';
  let deaths = 0;
  for (const [i, target] of INCIDENT_TARGETS.entries()) {
    const occurredOn = addDays(today, -420 + i * 13);
    const set = acts[i % acts.length]!;
    const police = i % 4 !== 3;
    const agency = police ? { agencyId: 'national-police-service', unitCategory: i % 2 ? 'general_service_unit' : 'regular_police' } : { agencyId: 'kenya-prisons-service', unitCategory: 'prison_officers' };
    const family = set.some((a) => a === 'death_in_custody' || a === 'extra_judicial_killing' || a === 'enforced_disappearance');
    const organisation = i % 3 ? 'demo-imlu' : 'demo-watch';
    const { incidentId, created: isNew } = await incidents.register({
      reference: `DEMO/${2025 + Math.floor(i / 12)}/${String(i + 1).padStart(3, '0')}`, documentingOrganisationId: organisation, occurredOn,
      county: counties[i % counties.length], placeCategory: police ? (i % 2 ? 'public_place' : 'police_station') : 'prison',
      acts: set.map((act) => ({ act, victimRef: `DEMO-V-${String(i + 1).padStart(4, '0')}`, ...(family ? { claimantRef: `DEMO-F-${String(i + 1).padStart(4, '0')}` } : {}), perpetrator: agency })),
      sources: [{ kind: i % 2 ? 'complaint' : 'medico_legal_examination', on: addDays(occurredOn, 2) }],
      interventions: [{ kind: 'complaint_to_oversight_body', on: addDays(occurredOn, 3) }],
    }, { id: admin, role: 'administrator', organisationId: null });
    if (i === 1) linked = incidentId;
    if (!isNew) continue;
    created++;
    const at = (k: number) => { const d = addDays(occurredOn, 10 * (k + 1)); return d > today ? today : d; };
    const step = (name: TrackCommandName, input: Record<string, unknown>) => incidents.command(incidentId, name, { actor: admin, ...input });
    // How many of the investigation's steps to take: up to the target stage; up to the opening before a closure.
    const investigationSteps = target.track === 'prosecution' ? 5 : target.stage === 'closed' ? 3 : INVESTIGATION_STAGES.indexOf(target.stage as never);
    for (const [k, [name, input, dateField]] of INVESTIGATION_PATH.slice(0, investigationSteps).entries()) await step(name, { ...input, [dateField]: at(k) });
    if (target.stage === 'closed') {
      await step('recordFindings', { foundOn: at(3), conclusion: 'insufficient_evidence' });
      await step('recommend', { recommendedOn: at(4), recommendation: 'close', reasons: 'the complainant could not be traced (demo)' });
    }
    if (target.track === 'prosecution') {
      await step('forwardFile', { forwardedOn: at(5) });
      await prosecute(step, target.stage, today, `CR E${1000 + i} (demo)`);
    }
    // Every death has an inquest: each at its own stage, in turn.
    if (set.some((a) => a === 'death_in_custody' || a === 'extra_judicial_killing')) {
      for (const [k, [name, input, dateField]] of INQUEST_PATH.slice(0, deaths++ % (INQUEST_PATH.length + 1)).entries()) await step(name, { ...input, [dateField]: at(k) });
    }
  }
  // Rehabilitation straight from an incident, with no court order: the fund decides under its usual rules.
  if ((await incidents.incidentStatus(linked)).referrals.length === 0) {
    const { referralId } = await referrals.requestIncidentReferral(linked, {
      service: 'psychological', beneficiary: { kind: 'family_member', relationship: 'mother' }, consent: { referral: true, shareAssessment: true, recordedOn: today },
      priority: { urgentMedical: false, ageYears: 63, disability: false },
    }, admin);
    const r = (name: Parameters<typeof referrals.command>[1], input: Record<string, unknown>) => referrals.command(referralId, name, { actor: admin, ...input });
    await r('assessNeeds', { assessedOn: today, assessedCostCents: 9_000_000, sessionsPlanned: 12 });
    await r('referToProvider', { referredOn: today, providerId: 'demo-trauma-centre' });
    await r('decideFunding', { decision: 'approve', amountCents: 9_000_000, financialYear: fy, decidedOn: today });
  }
  return { created, linked };
}

/** The prosecution up to a stage, every step dated today (so a concluded case is still within its appeal period). */
async function prosecute(step: (name: TrackCommandName, input: Record<string, unknown>) => Promise<unknown>, stage: string, today: string, caseNumber: string) {
  if (stage === 'file_received') return;
  if (stage === 'returned_for_investigation') { await step('decideCharge', { decidedOn: today, decision: 'further_investigation', reasons: 'witness statements missing (demo)' }); return; }
  if (stage === 'not_charged') { await step('decideCharge', { decidedOn: today, decision: 'no_charge', reasons: 'the evidence does not meet the threshold (demo)' }); return; }
  await step('decideCharge', { decidedOn: today, decision: 'charge' });
  if (stage === 'to_be_charged') return;
  await step('fileCharges', { filedOn: today, court: "Chief Magistrate's Court at Milimani (demo)", caseNumber, accusedCount: 2 });
  if (stage === 'charged') return;
  await step('startTrial', { startedOn: today });
  if (stage === 'on_trial') return;
  await step('recordVerdict', { accused: 1, verdict: 'convicted', deliveredOn: today });
  await step('recordVerdict', { accused: 2, verdict: 'acquitted', deliveredOn: today });
  if (stage === 'verdicts_given') return;
  await step('recordSentence', { accused: 1, sentencedOn: today, sentence: 'imprisonment', termMonths: 60 });
  if (stage === 'concluded') return;
  await step('fileAppeal', { filedOn: today, by: 'defence' });
  if (stage === 'on_appeal') return;
  await step('decideAppeal', { decidedOn: today, outcome: 'dismissed' });
}

main().catch((err) => { console.error(err); process.exit(1); });
