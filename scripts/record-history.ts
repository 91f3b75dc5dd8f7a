/**
 * `npm run record-history -- <name>`: runs one fictional claim from registration to settlement (claim-v…), one
 * release of the public figures over it (release-v…), or one import of a small file (import-v…), on today's workflow code (its own PostgreSQL cluster and
 * Temporal dev server, payloads unencrypted so the history replays without a key) and writes its history to
 * test/replay/histories/<name>.json, to commit beside the others (docs/workflows.md).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker } from '@temporalio/worker';
import { createClaimService } from '../api/claims/service';
import { createImportService } from '../api/import/service';
import { importWorkflowId } from '../workflows/import/messages';
import { createActivities } from '../activities';
import { createDb, migrateLatest } from '../db/connection';
import { startPostgresCluster } from '../db/embedded';
import { workflowsPath } from '../worker/create-worker';
import { createMailer } from '../worker/mailer';
import { SmtpSink } from '../test/support/smtp-sink';
import { quietLogger } from '../test/support/quiet-logger';
import { devServerExecutable } from './temporal-binaries';

const root = resolve(__dirname, '..');
const RELEASE_ID = 'release-history-1';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^(claim|release|import)-v\d+-[a-z0-9-]+$/.test(name)) throw new Error('usage: npm run record-history -- (claim|release|import)-v<N>-<what-it-covers>');
  Runtime.install({ logger: quietLogger });
  const cluster = startPostgresCluster();
  const db = createDb(cluster.url);
  const smtp = new SmtpSink();
  await smtp.start();
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), ip: '127.0.0.1', log: { format: 'pretty', level: 'error' } } });
  try {
    await migrateLatest(db);
    await db('advocates').insert({ id: 'history-advocate', name: 'History Advocate', email: 'advocate@history.invalid' });
    const worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: 'history', workflowsPath: workflowsPath(),
      activities: createActivities({ db, mailer: createMailer(smtp.url), mailFrom: 'history@redress.invalid' }),
    });
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

main().catch((err) => { console.error(err); process.exit(1); });
