/**
 * Faults, bounded in time: the worker SIGKILLed mid-import, mid-disbursement and mid-reminder; PostgreSQL restarted
 * under load; the Temporal dev server restarted with file persistence. Afterwards every claim is complete and every
 * event, payment and email exists exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createClaimService } from '../../api/claims/service';
import { importOrders } from '../../api/import/orders-csv';
import { verifyClaimChain } from '../../db/chain';
import { type Db, createDb, migrateLatest } from '../../db/connection';
import { devServerExecutable } from '../../scripts/temporal-binaries';
import { registerSearchAttributes } from '../../worker/search-attributes';
import { countRows, eventually, sampleOrder } from '../support/harness';
import { createImportService } from '../../api/import/service';
import { killHard, spawnWorker, startCluster } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';
import { quietLogger } from '../support/quiet-logger';

jest.setTimeout(300_000);

let pg: ReturnType<typeof startCluster>;
let db: Db;
let env: TestWorkflowEnvironment;
const smtp = new SmtpSink();
const taskQueue = 'faults';
let worker: ChildProcess | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'redress-temporal-'));
const temporalPort = 17_000 + Math.floor(Math.random() * 2000);
const startTemporal = async () => {
  const started = await TestWorkflowEnvironment.createLocal({
    server: { executable: devServerExecutable(), ip: '127.0.0.1', port: temporalPort, dbFilename: join(dataDir, 'temporal.sqlite'), log: { format: 'pretty', level: 'error' } },
  });
  await registerSearchAttributes(started.connection, 'default');
  return started;
};

beforeAll(async () => {
  pg = startCluster();
  db = createDb(pg.url, { max: 20 });
  await migrateLatest(db);
  await db('advocates').insert({ id: 'adv-wanjiru', name: 'Wanjiru', email: 'wanjiru@advocates.test' });
  // Reminders here are due at once: claims start on a policy without the registration grace period (as in global-setup).
  const v1 = await db('deadline_policies').where({ version: 1 }).first('document');
  await db('deadline_policies').insert({ version: 2, document: JSON.stringify({ ...v1.document, registrationGraceHours: 0 }), created_by: 'test', note: 'no grace' });
  await smtp.start();
  env = await startTemporal();
});
afterAll(async () => {
  if (worker) await killHard(worker);
  await env?.teardown();
  await smtp.stop();
  await db?.destroy();
  pg?.stop();
});

const start = async () => { worker = await spawnWorker({ DATABASE_URL: pg.url, TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: smtp.url }); };
const claims = () => createClaimService({ client: env.client, db, taskQueue });
const eventsOnce = async (claimId: string) => {
  const rows = await db('claim_events').where({ claim_id: claimId }).select('sequence');
  expect(rows.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i + 1));
  expect(await verifyClaimChain(db, claimId)).toMatchObject({ ok: true });
};

it('when the worker is killed in the middle of an import workflow, then after a restart the import resumes and registers every row once', async () => {
  await start();
  const rows = ['court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes'];
  for (let i = 0; i < 40; i++) rows.push(`High Court at Nairobi,Fault Workflow Import ${i} of 2015,2017-03-01,national-police-service,FAULTW-${i},torture,adv-wanjiru,${500000 + i}`);
  const imports = createImportService({ client: env.client, db, taskQueue, batchSize: 10 });
  const { id } = await imports.start(rows.join('\n'), 'importer');
  await eventually(() => countRows(db, 'import_rows', { import_id: id }), (n) => n >= 8, 60_000);
  await killHard(worker!);
  expect(await countRows(db, 'import_rows', { import_id: id })).toBeLessThan(40);
  await start();
  const status = await eventually(async () => (await imports.status(id))!, (s) => s.workflowStatus === 'completed', 120_000);
  expect(status).toMatchObject({ rowsRead: 40, registeredSoFar: 40, imported: 40, alreadyRegistered: 0, rejected: 0 });
  const ids = await db('claims').where('case_number', 'like', 'Fault Workflow Import %').pluck('id');
  expect(ids).toHaveLength(40);
  for (const claimId of ids) expect(await countRows(db, 'claim_events', { claim_id: claimId, type: 'claim_registered' })).toBe(1);
});

it('when the worker is killed in the middle of an import, then after a restart every order is registered once', async () => {
  await start();
  const rows = ['court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes,certificate_issued_on,certificate_served_on'];
  for (let i = 0; i < 30; i++) rows.push(`High Court at Nairobi,Fault Import ${i} of 2015,2017-03-01,national-police-service,FAULT-${i},torture,adv-wanjiru,${500000 + i},2017-03-22,2017-03-24`);
  const importing = importOrders(db, claims(), rows.join('\n'), 'importer', { concurrency: 4 });
  await eventually(() => countRows(db, 'claims', {}), (n) => n >= 5, 60_000);
  await killHard(worker!);
  await start();
  const summary = await importing;
  expect(summary).toMatchObject({ imported: 30, rejected: 0 });
  const ids = await db('claims').where('case_number', 'like', 'Fault Import %').pluck('id');
  expect(ids).toHaveLength(30);
  for (const id of ids) {
    await eventsOnce(id);
    expect(await db('claim_events').where({ claim_id: id }).whereIn('type', ['claim_registered', 'certificate_issued', 'certificate_served']).count({ n: '*' }).first()).toEqual({ n: '3' });
  }
});

it('when the worker is killed in the middle of a disbursement, then the tranche is paid exactly once', async () => {
  const c = claims();
  const { claimId } = await c.register(sampleOrder({ caseNumber: 'Fault Disbursement 1 of 2016' }), 'admin');
  await c.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: '2017-03-22' });
  await c.command(claimId, 'serveCertificate', { actor: 'admin', servedOn: '2017-03-24' });
  await c.command(claimId, 'allocateBudget', { actor: 'admin', amountCents: 90_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-01' });
  const paying = c.command(claimId, 'recordTranche', { actor: 'admin', paymentReference: 'PV-FAULT-1', amountCents: 10_000_000, paidOn: '2024-08-01' });
  await new Promise((r) => setTimeout(r, 30));
  await killHard(worker!);
  await start();
  const paid = await paying;
  expect(paid.status.amounts.paidCents).toBe(10_000_000);
  const again = await c.command(claimId, 'recordTranche', { actor: 'admin', paymentReference: 'PV-FAULT-1', amountCents: 10_000_000, paidOn: '2024-08-01' });
  expect(again.duplicate).toBe(true);
  expect(await countRows(db, 'disbursements', { claim_id: claimId })).toBe(1);
  expect(await countRows(db, 'claim_events', { claim_id: claimId, type: 'tranche_paid' })).toBe(1);
  await eventsOnce(claimId);
});

it('when the worker is killed while reminders go out, then each reminder is recorded once and delivered as one email', async () => {
  const c = claims();
  smtp.messages.length = 0;
  // Judgments of 2017 registered today: each owes the advocate an overdue certificate, so a reminder is due at once.
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await c.register(sampleOrder({ caseNumber: `Fault Reminder ${i} of 2016` }), 'admin')).claimId);
  await killHard(worker!);
  await start();
  await eventually(async () => db('reminders').whereIn('claim_id', ids).where({ status: 'sent' }).count({ n: '*' }).first(), (r) => Number(r?.n) === 10, 120_000);
  await new Promise((r) => setTimeout(r, 3_000));
  const mail = smtp.messages.filter((m) => ids.includes(String(m.headers.get('x-redress-claim'))));
  const byReminder = new Map<string, Set<string>>();
  for (const m of mail) {
    const key = `${m.headers.get('x-redress-claim')}/${m.headers.get('x-redress-reminder')}`;
    byReminder.set(key, (byReminder.get(key) ?? new Set()).add(m.messageId));
  }
  // Every reminder arrived, each as one email identity. A kill between the SMTP server's acceptance and the outbox
  // update can make the transport carry a second copy; it has the same Message-ID, so it is the same email.
  expect(byReminder.size).toBe(10);
  expect([...byReminder.values()].every((messageIds) => messageIds.size === 1)).toBe(true);
  expect(new Set(mail.map((m) => m.messageId)).size).toBe(10);
  expect(await db('reminders').whereIn('claim_id', ids).count({ n: '*' }).first()).toEqual({ n: '10' });
  expect(await db('claim_events').whereIn('claim_id', ids).where({ type: 'reminder_queued' }).count({ n: '*' }).first()).toEqual({ n: '10' });
});

it('when PostgreSQL restarts under load, then no step is lost and the record catches up', async () => {
  const c = claims();
  const { claimId } = await c.register(sampleOrder({ caseNumber: 'Fault Database 1 of 2016' }), 'admin');
  await c.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: '2017-03-22' });
  await c.command(claimId, 'serveCertificate', { actor: 'admin', servedOn: '2017-03-24' });
  await c.command(claimId, 'allocateBudget', { actor: 'admin', amountCents: 90_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-01' });
  const tranches = Array.from({ length: 12 }, (_, i) => ({ actor: 'admin', paymentReference: `PV-DB-${i}`, amountCents: 100_000 + i, paidOn: '2024-08-01' }));
  let sent = 0;
  const load = (async () => { for (const t of tranches) { await c.command(claimId, 'recordTranche', t); sent++; } })();
  await eventually(async () => sent, (n) => n >= 3, 60_000);
  pg.restart();
  await load;
  expect(await countRows(db, 'disbursements', { claim_id: claimId })).toBe(12);
  expect(await countRows(db, 'claim_events', { claim_id: claimId, type: 'tranche_paid' })).toBe(12);
  await eventsOnce(claimId);
});

it('when the Temporal dev server restarts with file persistence, then claims and their timers continue', async () => {
  const c = claims();
  const { claimId } = await c.register(sampleOrder({ caseNumber: 'Fault Temporal 1 of 2016' }), 'admin');
  await c.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: '2017-03-22' });
  const before = await c.liveStatus(claimId);
  const timersOf = async () => (await env.client.workflow.getHandle(`claim-${claimId}`).fetchHistory()).events!
    .filter((e) => e.timerStartedEventAttributes).map((e) => [e.timerStartedEventAttributes!.timerId, Number(e.timerStartedEventAttributes!.startToFireTimeout!.seconds)]);
  const claimTimers = await timersOf();
  expect(claimTimers.length).toBeGreaterThan(0);
  // Claim deadlines fall on Nairobi midnights, days away; a timer due 12 s from now must fire after the restart.
  const timer = await env.client.workflow.start('timerWorkflow', { taskQueue: `${taskQueue}-timer`, workflowId: `fault-timer-${Date.now()}`, args: [12_000] });
  await killHard(worker!);
  await env.teardown();
  env = await startTemporal();
  const restartedAt = Date.now();
  await start();
  const after = await createClaimService({ client: env.client, db, taskQueue }).liveStatus(claimId);
  expect(after.stage).toBe('certificate_issued');
  expect(after.deadlines.map((d) => [d.key, d.lapsesAt, d.nextReminderAt])).toEqual(before.deadlines.map((d) => [d.key, d.lapsesAt, d.nextReminderAt]));
  // The claim's durable timers are the ones it had, none fired or lost.
  expect(await timersOf()).toEqual(claimTimers);
  const served = await createClaimService({ client: env.client, db, taskQueue }).command(claimId, 'serveCertificate', { actor: 'admin', servedOn: '2017-03-24' });
  expect(served.status.stage).toBe('certificate_served');
  expect((await env.client.workflow.getHandle(`claim-${claimId}`).describe()).status.name).toBe('RUNNING');
  await eventsOnce(claimId);

  // The timer set before the restart fires after it, and its activity runs once.
  let noops = 0;
  const connection = await NativeConnection.connect({ address: env.address });
  const timerWorker = await Worker.create({
    connection, taskQueue: `${taskQueue}-timer`,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../../bench/workflows'), logger: quietLogger }),
    activities: { noop: async () => { noops++; } },
  });
  try {
    await timerWorker.runUntil(env.client.workflow.getHandle(timer.workflowId).result());
  } finally {
    await connection.close();
  }
  const events = (await env.client.workflow.getHandle(timer.workflowId).fetchHistory()).events!;
  const ms = (e: (typeof events)[number]) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);
  const firedAt = ms(events.find((e) => e.timerFiredEventAttributes)!);
  expect(firedAt).toBeGreaterThanOrEqual(ms(events[0]!) + 12_000);
  expect(firedAt).toBeGreaterThanOrEqual(restartedAt - 1000);
  expect(noops).toBe(1);
});
