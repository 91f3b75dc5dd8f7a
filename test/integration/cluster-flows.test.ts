/**
 * Redress on a real Temporal cluster (test/support/cluster.ts: frontend, history, matching and internal-worker
 * services as separate processes on PostgreSQL, 4 history shards), with two worker processes and two API
 * processes sharing it, driven over HTTP alternately through both APIs: the claim lifecycle, escalation delivery,
 * referrals and the fund race; the search attributes listed with `temporal workflow list --query`; readiness,
 * health and metrics of the real processes.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createUser } from '../../api/access/users';
import { verifyClaimChain } from '../../db/chain';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { financialYearOf } from '../../domain/referral';
import { devServerExecutable } from '../../scripts/temporal-binaries';
import { type TemporalCluster, startTemporalCluster } from '../support/cluster';
import { TEST_PAYLOAD_KEYS, createTestDatabase, eventually, sampleOrder } from '../support/harness';
import { apiCaller } from '../support/http';
import { killHard, spawnApi, spawnWorkerProcess } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(300_000);

const taskQueue = 'redress-cluster';
const password = 'correct horse battery staple';
let cluster: TemporalCluster;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const smtp = new SmtpSink();
const workers: { child: ChildProcess; health: string | null }[] = [];
const apis: { child: ChildProcess; base: string; metrics: string | null }[] = [];
let connection: Connection;
const tokens: Record<string, string> = {};
const today = calendarDateAt(Date.now());

beforeAll(async () => {
  cluster = await startTemporalCluster({ historyShards: 4 });
  database = await createTestDatabase();
  await smtp.start();
  const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: cluster.address, TEMPORAL_NAMESPACE: cluster.namespace, TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: smtp.url, REDRESS_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS };
  for (let i = 0; i < 2; i++) workers.push(await spawnWorkerProcess(env));
  for (let i = 0; i < 2; i++) apis.push(await spawnApi(env));
  await createUser(database.db, { id: 'achieng', name: 'Achieng (administrator)', role: 'administrator', password });
  await createUser(database.db, { id: 'wanjiru', name: 'Wanjiru (advocate)', role: 'advocate', advocateId: 'adv-wanjiru', password });
  for (const [i, id] of ['achieng', 'wanjiru'].entries()) {
    const res = await apiCaller(apis[i]!.base)('POST', '/api/session', { body: { userId: id, password } });
    expect(res.status).toBe(201);
    tokens[id] = res.body.token;
  }
  connection = await Connection.connect({ address: cluster.address });
});
afterAll(async () => {
  await connection?.close();
  for (const p of [...apis, ...workers]) await killHard(p.child);
  await smtp.stop();
  await database?.drop();
  await cluster?.stop();
});

/** Requests go to the two API processes in turn. */
let turn = 0;
function call(method: string, path: string, opts: { as?: string; body?: unknown } = {}) {
  const api = apis[turn++ % apis.length]!;
  return apiCaller(api.base)(method, path, { token: opts.as ? tokens[opts.as] : undefined, body: opts.body });
}
async function ok(method: string, path: string, opts: { as?: string; body?: unknown } = {}) {
  const res = await call(method, path, opts);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
}

/** `temporal workflow list --query` against the cluster: the workflow ids it lists. */
function listWorkflows(query: string): string[] {
  const cli = devServerExecutable();
  if (cli.type !== 'existing-path') throw new Error('the temporal CLI is not provisioned (npm run provision)');
  const out = execFileSync(cli.path, ['workflow', 'list', '--address', cluster.address, '--namespace', cluster.namespace, '--query', query, '--output', 'json'], { encoding: 'utf8' });
  // One JSON document per execution (or an array of them, depending on the CLI version).
  const trimmed = out.trim();
  const docs: { execution: { workflowId: string } }[] = trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed ? trimmed.split(/\n(?=\{)/).map((d) => JSON.parse(d)) : [];
  return docs.map((d) => d.execution.workflowId);
}

async function eventsInOrderAndChained(claimId: string) {
  const rows = await database.db('claim_events').where({ claim_id: claimId }).select('sequence');
  expect(rows.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i + 1));
  expect(await verifyClaimChain(database.db, claimId)).toMatchObject({ ok: true });
}

it('when two workers and two APIs share the cluster, then both workers poll, each answers its health check, and each API is ready', async () => {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: cluster.namespace, taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  expect(new Set(pollers!.map((p) => p.identity)).size).toBeGreaterThanOrEqual(2);
  for (const w of workers) expect((await fetch(w.health!)).status).toBe(200);
  for (const api of apis) {
    const ready = await apiCaller(api.base)('GET', '/ready');
    expect([ready.status, ready.body.workersPolling >= 2]).toEqual([200, true]);
  }
  expect(cluster.historyShards).toBeGreaterThan(1);
});

it('when a claim is driven to settlement through both APIs, then every step is recorded once, the chain holds, and the search attributes follow it', async () => {
  const judgment = addDays(today, -60);
  const order = sampleOrder({
    caseNumber: `Cluster Lifecycle ${Date.now()} of 2026`, judgmentDate: judgment,
    components: [{ label: 'General damages', amountCents: 50_000_000, rateBasisPoints: 1200, interestFrom: judgment }],
  });
  const registered = await ok('POST', '/api/claims', { as: 'achieng', body: order });
  const id = registered.id as string;
  await ok('POST', `/api/claims/${id}/certificate`, { as: 'achieng', body: { issuedOn: addDays(judgment, 25) } });
  await ok('POST', `/api/claims/${id}/certificate/service`, { as: 'achieng', body: { servedOn: addDays(judgment, 27) } });
  const allocated = await ok('POST', `/api/claims/${id}/allocations`, { as: 'achieng', body: { amountCents: 100_000_000, budgetLine: 'R1', financialYear: financialYearOf(today), allocatedOn: today } });
  const tranche = { paymentReference: `PV-CLUSTER-${id.slice(0, 8)}`, amountCents: allocated.status.amounts.outstandingCents, paidOn: today };
  const paid = await ok('POST', `/api/claims/${id}/tranches`, { as: 'achieng', body: tranche });
  const again = await ok('POST', `/api/claims/${id}/tranches`, { as: 'achieng', body: tranche });
  expect([paid.duplicate, again.duplicate, again.sequence]).toEqual([false, true, paid.sequence]);
  const settled = await ok('POST', `/api/claims/${id}/receipts`, { as: 'wanjiru', body: { paymentReference: tranche.paymentReference, receivedOn: today } });
  expect(settled.status.stage).toBe('settled');

  expect(await database.db('disbursements').where({ claim_id: id }).count({ n: '*' }).first()).toEqual({ n: '1' });
  await eventsInOrderAndChained(id);
  const workflowId = `claim-${id}`;
  await eventually(() => connection.workflowService.describeWorkflowExecution({ namespace: cluster.namespace, execution: { workflowId } }),
    (d) => d.workflowExecutionInfo?.status === temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, 60_000);
  // Visibility (on PostgreSQL) catches up within seconds; an operator's query then finds the claim by its attributes.
  await eventually(async () => listWorkflows(`RedressStage = 'settled' AND RedressRespondentAgency = 'national-police-service' AND WorkflowId = '${workflowId}'`),
    (ids) => ids.includes(workflowId), 60_000);
  expect(listWorkflows(`RedressStage = 'registered' AND WorkflowId = '${workflowId}'`)).toEqual([]);
});

it('when overdue claims are registered through both APIs, then each reminder is sent once and the claims are listed by escalation level', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    // Judgments of 2017 registered today owe a certificate long overdue: a reminder is due at once.
    const res = await ok('POST', '/api/claims', { as: 'achieng', body: sampleOrder({ caseNumber: `Cluster Reminder ${i} ${Date.now()} of 2017`, respondentAgencyId: 'kenya-prisons-service' }) });
    ids.push(res.id as string);
  }
  await eventually(() => database.db('reminders').whereIn('claim_id', ids).where({ status: 'sent' }).count({ n: '*' }).first(), (r) => Number(r?.n) === 6, 120_000);
  const mail = smtp.messages.filter((m) => ids.includes(String(m.headers.get('x-redress-claim'))));
  expect(new Set(mail.map((m) => m.messageId)).size).toBe(6);
  expect(await database.db('reminders').whereIn('claim_id', ids).count({ n: '*' }).first()).toEqual({ n: '6' });
  expect(await database.db('claim_events').whereIn('claim_id', ids).where({ type: 'reminder_queued' }).count({ n: '*' }).first()).toEqual({ n: '6' });
  for (const id of ids) await eventsInOrderAndChained(id);
  const listed = await eventually(async () => listWorkflows(`RedressRespondentAgency = 'kenya-prisons-service' AND RedressEscalationLevel >= 0 AND RedressStayed = false`),
    (found) => ids.every((id) => found.includes(`claim-${id}`)), 60_000);
  expect(listed.filter((w) => w.startsWith('claim-')).sort()).toEqual(ids.map((id) => `claim-${id}`).sort());
});

it('when eight approvals race for a small fund through both APIs, then it is never over-committed, the rest wait, and a release admits the next', async () => {
  const fy = '2033/34';
  await ok('POST', '/api/providers', { as: 'achieng', body: { id: 'cluster-clinic', name: 'Cluster Clinic (fictional)', services: ['medical'], county: 'Kisumu', email: 'clinic@cluster.test', capacity: 100 } });
  await ok('POST', '/api/fund/receipts', { as: 'achieng', body: { financialYear: fy, amountCents: 1_000_000, reference: 'CLUSTER-R-1', receivedOn: today } });
  const claimId = (await ok('POST', '/api/claims', { as: 'achieng', body: sampleOrder({ caseNumber: `Cluster Fund ${Date.now()} of 2016` }) })).id as string;
  const referrals: string[] = [];
  for (let i = 0; i < 8; i++) {
    const { referralId } = await ok('POST', `/api/claims/${claimId}/referrals`, { as: 'wanjiru', body: {
      service: 'medical', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment: true, recordedOn: today },
      priority: { urgentMedical: false, ageYears: 40, disability: false },
    } });
    await ok('POST', `/api/claims/${claimId}/referrals/${referralId}/assessment`, { as: 'wanjiru', body: { assessedOn: today, assessedCostCents: 300_000, sessionsPlanned: 4 } });
    await ok('POST', `/api/claims/${claimId}/referrals/${referralId}/provider`, { as: 'wanjiru', body: { referredOn: today, providerId: 'cluster-clinic' } });
    referrals.push(referralId as string);
  }
  const decisions = await Promise.all(referrals.map((r) => ok('POST', `/api/claims/${claimId}/referrals/${r}/funding-decision`, {
    as: 'achieng', body: { decision: 'approve', amountCents: 300_000, financialYear: fy, decidedOn: today },
  })));
  expect(decisions.filter((d) => d.stage === 'funded')).toHaveLength(3);
  expect(decisions.filter((d) => d.stage === 'funding_queued')).toHaveLength(5);
  const report = await ok('GET', `/api/fund/reports/${fy.replace('/', '-')}`, { as: 'achieng' });
  expect([report.committedCents, report.uncommittedCents, report.waitingList.length]).toEqual([900_000, 100_000, 5]);

  // One funded referral is discontinued: its 300,000 go back, and the first in the queue is admitted.
  const funded = referrals[decisions.findIndex((d) => d.stage === 'funded')]!;
  await ok('POST', `/api/claims/${claimId}/referrals/${funded}/discontinuation`, { as: 'wanjiru', body: { discontinuedOn: today, reason: 'moved away' } });
  const after = await eventually(() => ok('GET', `/api/fund/reports/${fy.replace('/', '-')}`, { as: 'achieng' }), (r) => r.waitingList.length === 4, 60_000);
  expect([after.committedCents - after.releasedCents, after.uncommittedCents]).toEqual([900_000, 100_000]);
  const ledger = await database.db('fund_ledger').where({ financial_year: fy }).select('entry', 'referral_id');
  expect(ledger.filter((l) => l.entry === 'commitment')).toHaveLength(4);
  expect(new Set(ledger.filter((l) => l.entry === 'commitment').map((l) => l.referral_id)).size).toBe(4);
  await eventsInOrderAndChained(claimId);
  const referralStage = await eventually(async () => listWorkflows(`RedressStage = 'discontinued' AND WorkflowId = 'referral-${funded}'`), (ids) => ids.length === 1, 60_000);
  expect(referralStage).toEqual([`referral-${funded}`]);

  // The business gauges of each API process read the same record.
  for (const api of apis) {
    const text = await (await fetch(api.metrics!)).text();
    expect(text).toContain(`redress_fund_waiting_referrals{financial_year="${fy}"} 4`);
    expect(text).toContain(`redress_fund_uncommitted_cents{financial_year="${fy}"} 100000`);
    expect(text).toMatch(/redress_http_request_duration_seconds_count\{method="POST",route="\/api\/claims\/:id\/referrals\/:referralId\/funding-decision",status="200"\} \d+/);
  }
});
