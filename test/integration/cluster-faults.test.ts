/**
 * Faults on a real Temporal cluster (test/support/cluster.ts) with two worker processes: the history service
 * SIGKILLed mid-disbursement and started again, the matching service restarted while reminders go out, and one of
 * the two workers killed under load. Afterwards every effect exists exactly once and every chain holds.
 */
import type { ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { createClaimService } from '../../api/claims/service';
import { verifyClaimChain } from '../../db/chain';
import { type TemporalCluster, startTemporalCluster } from '../support/cluster';
import { TEST_DATA_CONVERTER, TEST_PAYLOAD_KEYS, countRows, createTestDatabase, eventually, sampleOrder } from '../support/harness';
import { killHard, spawnWorker } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(300_000);

const taskQueue = 'redress-cluster-faults';
let cluster: TemporalCluster;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const smtp = new SmtpSink();
let workers: ChildProcess[] = [];
let connection: Connection;
let claims: ReturnType<typeof createClaimService>;
let env: Parameters<typeof spawnWorker>[0];

beforeAll(async () => {
  cluster = await startTemporalCluster({ historyShards: 4 });
  database = await createTestDatabase();
  await smtp.start();
  env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: cluster.address, TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: smtp.url, REDRESS_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS };
  workers = [await spawnWorker(env), await spawnWorker(env)];
  connection = await Connection.connect({ address: cluster.address });
  claims = createClaimService({ client: new Client({ connection, dataConverter: TEST_DATA_CONVERTER }), db: database.db, taskQueue });
});
afterAll(async () => {
  await connection?.close();
  for (const w of workers) await killHard(w);
  await smtp.stop();
  await database?.drop();
  await cluster?.stop();
});

/** A caller that retries while the cluster is partly down, as an operator or the API's client would (same input). */
async function persistently<T>(attempt: () => Promise<T>, deadlineMs = 120_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > until || /refused/i.test((err as Error).name)) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function eventsOnceAndChained(claimId: string) {
  const rows = await database.db('claim_events').where({ claim_id: claimId }).select('sequence');
  expect(rows.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i + 1));
  expect(await verifyClaimChain(database.db, claimId)).toMatchObject({ ok: true });
}

it('when the history service is SIGKILLed mid-disbursement and started again, then the tranche is paid exactly once', async () => {
  const { claimId } = await claims.register(sampleOrder({ caseNumber: `Cluster History Kill ${Date.now()} of 2016` }), 'admin');
  await claims.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: '2017-03-22' });
  await claims.command(claimId, 'serveCertificate', { actor: 'admin', servedOn: '2017-03-24' });
  await claims.command(claimId, 'allocateBudget', { actor: 'admin', amountCents: 90_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-01' });
  const tranche = { actor: 'admin', paymentReference: 'PV-HISTORY-KILL-1', amountCents: 10_000_000, paidOn: '2024-08-01' };
  const paying = persistently(() => claims.command(claimId, 'recordTranche', tranche));
  await new Promise((r) => setTimeout(r, 30));
  await cluster.kill('history');
  await new Promise((r) => setTimeout(r, 1_000));
  await cluster.start('history');
  const paid = await paying;
  expect(paid.status.amounts.paidCents).toBe(10_000_000);
  const again = await persistently(() => claims.command(claimId, 'recordTranche', tranche));
  expect([again.duplicate, again.sequence]).toEqual([true, paid.sequence]);
  expect(await countRows(database.db, 'disbursements', { claim_id: claimId })).toBe(1);
  expect(await countRows(database.db, 'claim_events', { claim_id: claimId, type: 'tranche_paid' })).toBe(1);
  // Later steps still go through the restarted history service.
  const more = await persistently(() => claims.command(claimId, 'recordTranche', { ...tranche, paymentReference: 'PV-HISTORY-KILL-2', amountCents: 5_000_000 }));
  expect(more.status.amounts.paidCents).toBe(15_000_000);
  await eventsOnceAndChained(claimId);
});

it('when the matching service is restarted while reminders go out, then each reminder is recorded once and delivered as one email', async () => {
  smtp.messages.length = 0;
  const ids: string[] = [];
  // Judgments of 2017 registered today: each owes the advocate an overdue certificate, so a reminder is due at once.
  for (let i = 0; i < 8; i++) ids.push((await claims.register(sampleOrder({ caseNumber: `Cluster Matching ${i} ${Date.now()} of 2016` }), 'admin')).claimId);
  await cluster.kill('matching');
  await new Promise((r) => setTimeout(r, 1_000));
  await cluster.start('matching');
  await eventually(async () => database.db('reminders').whereIn('claim_id', ids).where({ status: 'sent' }).count({ n: '*' }).first(), (r) => Number(r?.n) === 8, 180_000);
  await new Promise((r) => setTimeout(r, 2_000));
  const mail = smtp.messages.filter((m) => ids.includes(String(m.headers.get('x-redress-claim'))));
  const byReminder = new Map<string, Set<string>>();
  for (const m of mail) {
    const key = `${m.headers.get('x-redress-claim')}/${m.headers.get('x-redress-reminder')}`;
    byReminder.set(key, (byReminder.get(key) ?? new Set()).add(m.messageId));
  }
  expect(byReminder.size).toBe(8);
  expect([...byReminder.values()].every((messageIds) => messageIds.size === 1)).toBe(true);
  expect(await database.db('reminders').whereIn('claim_id', ids).count({ n: '*' }).first()).toEqual({ n: '8' });
  expect(await database.db('claim_events').whereIn('claim_id', ids).where({ type: 'reminder_queued' }).count({ n: '*' }).first()).toEqual({ n: '8' });
  for (const id of ids) await eventsOnceAndChained(id);
});

it('when one of two workers is killed under load, then the other finishes every claim and each step is recorded once', async () => {
  const ids: string[] = [];
  const load = (async () => {
    for (let i = 0; i < 12; i++) {
      const { claimId } = await persistently(() => claims.register(sampleOrder({ caseNumber: `Cluster Worker Kill ${i} ${Date.now()} of 2016` }), 'admin'));
      ids.push(claimId);
      await persistently(() => claims.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: '2017-03-22' }));
      await persistently(() => claims.command(claimId, 'serveCertificate', { actor: 'admin', servedOn: '2017-03-24' }));
    }
  })();
  await eventually(async () => ids.length, (n) => n >= 3, 60_000);
  await killHard(workers[0]!);
  await load;
  for (const id of ids) {
    const record = await database.db('claims').where({ id }).first('stage');
    expect(record.stage).toBe('certificate_served');
    expect(await database.db('claim_events').where({ claim_id: id }).whereIn('type', ['claim_registered', 'certificate_issued', 'certificate_served']).count({ n: '*' }).first()).toEqual({ n: '3' });
    await eventsOnceAndChained(id);
  }
  // The survivor keeps serving new work alone, and a replacement joins.
  workers[0] = await spawnWorker(env);
  const { claimId } = await claims.register(sampleOrder({ caseNumber: `Cluster Worker Kill after ${Date.now()} of 2016` }), 'admin');
  expect((await claims.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: '2017-03-22' })).status.stage).toBe('certificate_issued');
});
