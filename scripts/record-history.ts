/**
 * `npm run record-history -- <name>`: runs one fictional claim from registration to settlement (claim-v…), one
 * release of the public figures over it (release-v…), one import of a small file (import-v…), or one incident
 * through every track and a referral started from it (incident-v…), on today's workflow code (its own PostgreSQL
 * cluster and Temporal dev server, payloads unencrypted so the history replays without a key) and writes its history
 * to test/replay/histories/<name>.json, to commit beside the others (docs/workflows.md). An incident writes one
 * history per workflow: incident-v…, and investigation-, prosecution- and inquest-v…-<what>.json and
 * referral-from-incident-v…-<what>.json beside it.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker } from '@temporalio/worker';
import { createClaimService } from '../api/claims/service';
import { createIncidentService } from '../api/incident/service';
import { createReferralService } from '../api/referral/service';
import { calendarDateAt } from '../domain/calendar-date';
import { incidentWorkflowId, trackWorkflowId } from '../domain/incident';
import { financialYearOf } from '../domain/referral';
import { referralWorkflowId } from '../workflows/referral/messages';
import { createImportService } from '../api/import/service';
import { importWorkflowId } from '../workflows/import/messages';

import { createActivities } from '../activities';
import { createDb, migrateLatest } from '../db/connection';
import { startPostgresCluster } from '../db/embedded';
import { workflowsPath } from '../worker/create-worker';
import { createMailer } from '../worker/mailer';
import { registerSearchAttributes } from '../worker/search-attributes';
import { SmtpSink } from '../test/support/smtp-sink';
import { quietLogger } from '../test/support/quiet-logger';
import { devServerExecutable } from './temporal-binaries';

const root = resolve(__dirname, '..');
const RELEASE_ID = 'release-history-1';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^(claim|release|incident|import)-v\d+-[a-z0-9-]+$/.test(name)) throw new Error('usage: npm run record-history -- (claim|release|incident|import)-v<N>-<what-it-covers>');
  Runtime.install({ logger: quietLogger });
  const cluster = startPostgresCluster();
  const db = createDb(cluster.url);
  const smtp = new SmtpSink();
  await smtp.start();
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), ip: '127.0.0.1', log: { format: 'pretty', level: 'error' } } });
  try {
    await registerSearchAttributes(env.connection, 'default');
    await migrateLatest(db);
    await db('advocates').insert({ id: 'history-advocate', name: 'History Advocate', email: 'advocate@history.invalid' });
    const worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: 'history', workflowsPath: workflowsPath(),
      activities: createActivities({ db, mailer: createMailer(smtp.url), mailFrom: 'history@redress.invalid' }),
    });
    if (name.startsWith('incident-')) {
      const histories = await worker.runUntil(() => runIncident(env, db));
      for (const [type, workflowId] of histories) {
        const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
        // incident-v1-x.json, investigation-v1-x.json, …, and referral-from-incident-v1-x.json.
        const file = join(root, 'test/replay/histories', `${type === 'referral' ? `referral-from-${name}` : name.replace(/^incident-/, `${type}-`)}.json`);
        writeFileSync(file, `${historyToJSON(history)}\n`);
        console.log(`written: ${file} (${history.events?.length} events)`);
      }
      return;
    }
    if (name.startsWith('import-')) {
      // One file of two rows (one refused at validation) through the import workflow, to its end.
      const imports = createImportService({ client: env.client, db, taskQueue: 'history', batchSize: 1 });
      const { id } = await worker.runUntil(async () => {
        const started = await imports.start([
          'court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes,interest_rate_percent',
          'High Court of Kenya at Nairobi (fictional),Petition H2 of 2026,2026-11-01,national-police-service,HISTORY-0002,torture,history-advocate,500000,1.15',
          'High Court of Kenya at Nairobi (fictional),Petition H3 of 2026,2026-11-01,national-police-service,HISTORY-0003,torture,history-advocate,1e5,12',
        ].join('\n'), 'history-administrator');
        await env.client.workflow.getHandle(importWorkflowId(started.id)).result();
        return started;
      });
      const history = await env.client.workflow.getHandle(importWorkflowId(id)).fetchHistory();
      const file = join(root, 'test/replay/histories', `${name}.json`);
      writeFileSync(file, `${historyToJSON(history)}\n`);
      console.log(`written: ${file} (${history.events?.length} events)`);

      return;
    }
    const claimId = await worker.runUntil(async () => {
      const claims = createClaimService({ client: env.client, db, taskQueue: 'history' });
      const actor = 'history-administrator';
      // Fixed dates, judged in late 2026 so that no deadline lapses in the run: the history holds the steps alone.
      const { claimId } = await claims.register({
        court: 'High Court of Kenya at Nairobi (fictional)', caseNumber: 'Petition H1 of 2026', judgmentDate: '2026-11-01',
        respondentAgencyId: 'national-police-service', survivorRef: 'HISTORY-0001', violationTypes: ['torture'], advocateId: 'history-advocate',
        components: [{ label: 'General damages', amountCents: 50_000_000, rateBasisPoints: 1200, interestFrom: '2026-11-01' }],
      }, actor);
      await claims.command(claimId, 'issueCertificate', { actor, issuedOn: '2026-11-23' });
      await claims.command(claimId, 'serveCertificate', { actor, servedOn: '2026-11-24' });
      if (name.includes('corrections')) {
        // workbench-v1: a stay recorded by its court dates, and an award varied on appeal.
        await claims.command(claimId, 'grantStay', { actor, grantedOn: '2026-11-24', reason: 'stay pending appeal' });
        await claims.command(claimId, 'liftStay', { actor, liftedOn: '2026-11-25' });
        await claims.command(claimId, 'amendOrder', {
          actor, amendedOn: '2026-11-25', reason: 'varied on appeal',
          components: [{ label: 'General damages (varied)', amountCents: 60_000_000, rateBasisPoints: 1200, interestFrom: '2026-11-01' }],
        });
      }
      await claims.command(claimId, 'allocateBudget', { actor, amountCents: 80_000_000, budgetLine: 'R1021-2640500', financialYear: '2026/27', allocatedOn: '2026-11-25' });
      const live = await claims.liveStatus(claimId);
      await claims.command(claimId, 'recordTranche', { actor, paymentReference: 'PV-H-1', amountCents: live.amounts.outstandingCents, paidOn: live.asOf });
      await claims.command(claimId, 'confirmReceipt', { actor: 'history-advocate', paymentReference: 'PV-H-1', receivedOn: live.asOf });
      await env.client.workflow.getHandle(`claim-${claimId}`).result();
      if (name.startsWith('release-')) {
        await env.client.workflow.execute('releaseWorkflow', {
          taskQueue: 'history', workflowId: RELEASE_ID, args: [{ trigger: 'administrator', requestKey: RELEASE_ID, requestedBy: actor }],
        });
      }
      return claimId;
    });
    const workflowId = name.startsWith('release-') ? RELEASE_ID : `claim-${claimId}`;
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const file = join(root, 'test/replay/histories', `${name}.json`);
    writeFileSync(file, `${historyToJSON(history)}\n`);
    console.log(`written: ${file} (${history.events?.length} events)`);
  } finally {
    await env.teardown();
    await smtp.stop();
    await db.destroy();
    cluster.stop();
  }
}

/**
 * One fictional incident (a death in custody) through its whole course, dated today so no deadline lapses: the
 * investigation forwards its file, the prosecution runs to an appeal decided, the inquest to its finding, and a
 * referral started from the incident runs to completion. Returns each workflow's type and id.
 */
async function runIncident(env: TestWorkflowEnvironment, db: ReturnType<typeof createDb>): Promise<[string, string][]> {
  const taskQueue = 'history';
  const incidents = createIncidentService({ client: env.client, db, taskQueue });
  const referrals = createReferralService({ client: env.client, db });
  const actor = 'history-administrator';
  const today = calendarDateAt(Date.now());
  await incidents.setOrganisation({ id: 'history-org', name: 'History Organisation', email: 'org@history.invalid' }, actor);
  await referrals.registerProvider({ id: 'history-clinic', name: 'History Clinic', services: ['psychological'], county: 'Nairobi', email: 'clinic@history.invalid', capacity: 5 }, actor);
  await referrals.receiveFunds({ financialYear: financialYearOf(today), amountCents: 10_000_000, reference: 'HISTORY-RECEIPT', receivedOn: today }, actor);
  const { incidentId } = await incidents.register({
    reference: 'HISTORY/1', documentingOrganisationId: 'history-org', occurredOn: today, county: 'nairobi', placeCategory: 'police_station',
    acts: [{ act: 'death_in_custody', victimRef: 'HISTORY-V-1', claimantRef: 'HISTORY-F-1', perpetrator: { agencyId: 'national-police-service', unitCategory: 'regular_police' } }],
    sources: [{ kind: 'documenting_organisation', on: today }], interventions: [],
  }, { id: actor, role: 'administrator', organisationId: null });
  const step = (command: Parameters<typeof incidents.command>[1], input: Record<string, unknown>) => incidents.command(incidentId, command, { actor, ...input });
  await step('lodgeComplaint', { lodgedOn: today });
  await step('acknowledgeComplaint', { acknowledgedOn: today, bodyReference: 'HISTORY/C/1' });
  await step('openInvestigation', { openedOn: today });
  await step('recordFindings', { foundOn: today, conclusion: 'offence_disclosed' });
  await step('recommend', { recommendedOn: today, recommendation: 'prosecute' });
  await step('forwardFile', { forwardedOn: today });
  await step('decideCharge', { decidedOn: today, decision: 'charge' });
  await step('fileCharges', { filedOn: today, court: 'High Court of Kenya at Nairobi (fictional)', caseNumber: 'CR H1 of 2026', accusedCount: 1 });
  await step('startTrial', { startedOn: today });
  await step('recordVerdict', { accused: 1, verdict: 'convicted', deliveredOn: today });
  await step('recordSentence', { accused: 1, sentencedOn: today, sentence: 'imprisonment', termMonths: 96 });
  await step('fileAppeal', { filedOn: today, by: 'defence' });
  await step('decideAppeal', { decidedOn: today, outcome: 'dismissed' });
  await step('notifyDeath', { notifiedOn: today, notifiedBy: 'police' });
  await step('recordPostMortem', { examinedOn: today, pathologist: 'joint' });
  await step('openInquest', { openedOn: today, court: "Chief Magistrate's Court (fictional)", inquestNumber: 'Inquest H1 of 2026' });
  await step('recordInquestFinding', { foundOn: today, finding: 'unlawful_killing', recommendsProsecution: true });
  const { referralId } = await referrals.requestIncidentReferral(incidentId, {
    service: 'psychological', beneficiary: { kind: 'family_member', relationship: 'mother' }, consent: { referral: true, shareAssessment: true, recordedOn: today },
    priority: { urgentMedical: false, ageYears: 58, disability: false },
  }, actor);
  const r = (command: Parameters<typeof referrals.command>[1], input: Record<string, unknown>) => referrals.command(referralId, command, { actor, ...input });
  await r('assessNeeds', { assessedOn: today, assessedCostCents: 5_000_000, sessionsPlanned: 4 });
  await r('referToProvider', { referredOn: today, providerId: 'history-clinic' });
  await r('decideFunding', { decision: 'approve', amountCents: 5_000_000, financialYear: financialYearOf(today), decidedOn: today });
  await r('recordAppointment', { appointmentOn: today });
  await r('recordSession', { sessionOn: today, attended: true });
  await r('payProvider', { amountCents: 2_000_000, paidOn: today, reference: 'HISTORY-INV-1' });
  await r('complete', { completedOn: today });
  const tracks = ['investigation', 'prosecution', 'inquest'] as const;
  for (const track of tracks) await env.client.workflow.getHandle(trackWorkflowId(incidentId, track)).result();
  await env.client.workflow.getHandle(referralWorkflowId(referralId)).result();
  // The incident stays open (it waits for what comes next): its history is taken once it has settled.
  for (let i = 0; i < 100 && !(await incidents.incidentStatus(incidentId)).settled; i++) await new Promise((done) => setTimeout(done, 100));
  return [['incident', incidentWorkflowId(incidentId)], ...tracks.map((t) => [t, trackWorkflowId(incidentId, t)] as [string, string]), ['referral', referralWorkflowId(referralId)]];
}

main().catch((err) => { console.error(err); process.exit(1); });
