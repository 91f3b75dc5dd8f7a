/**
 * Reminder email exactly once, against a real SMTP server: a retry that overlaps a slow first attempt, and two
 * attempts at once, send one message; a 550 makes the reminder undeliverable with the server's reply, listed for
 * administrators, and is not retried; a 4xx is retried until the server takes the message.
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApiKey, createUser } from '../../api/access/users';
import { REMINDER_DELIVERY } from '../../domain/escalation';
import { createMailer } from '../../worker/mailer';
import { type Harness, TEST_DATA_CONVERTER, createHarness, eventually, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
});
afterAll(async () => { await h?.close(); });

const admin = 'admin-achieng';
const reminderKey = (m: { headers: Map<string, unknown> }) => `${m.headers.get('x-redress-claim')}/${m.headers.get('x-redress-reminder')}`;
const steps = async (reminderId: string) => (await h.db('reminder_deliveries').where({ reminder_id: reminderId }).orderBy('id')).map((d) => [d.step, d.attempt]);

/** A claim whose first reminder (the overdue certificate, due at once) has gone out; returns its outbox row. */
async function claimWithSentReminder(order = sampleOrder()) {
  const { claimId } = await h.service.register(order, admin);
  return eventually(() => h.db('reminders').where({ claim_id: claimId }).first(), (r) => r?.status === 'sent', 60_000);
}

/** A further pending row in the outbox for the same claim, as the record activity writes one. */
async function queueAnother(row: Record<string, unknown>, occurrence: number) {
  const content = { ...(row.content as object), occurrence };
  const [inserted] = await h.db('reminders').insert({
    claim_id: row.claim_id, deadline_key: row.deadline_key, kind: row.kind, level: row.level, occurrence,
    event_sequence: row.event_sequence, content: JSON.stringify(content),
  }).returning('*');
  return { id: String(inserted.id), input: { claimId: String(row.claim_id), deadlineKey: String(row.deadline_key), level: Number(row.level), occurrence } };
}

/** A worker running the real activities under the test workflows of test/support/workflows/delivery-attempts.ts. */
async function withAttemptWorker<T>(run: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `delivery-attempts-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: h.env.address });
  try {
    const worker = await Worker.create({
      connection, taskQueue, dataConverter: TEST_DATA_CONVERTER,
      workflowsPath: require.resolve('../support/workflows/delivery-attempts'),
      activities: createActivities({ db: h.db, mailer: createMailer(h.smtp.url), mailFrom: 'Redress test <redress@test.invalid>' }),
    });
    return await worker.runUntil(run(taskQueue));
  } finally {
    await connection.close();
  }
}

it('when a retry starts while a slow first attempt is still sending, then the reminder is sent once', async () => {
  const first = await claimWithSentReminder();
  const { id, input } = await queueAnother(first, 100);
  h.smtp.acceptDelayMs = 6_000; // three times the test workflow's 2-second attempt timeout
  try {
    const result = await withAttemptWorker(async (taskQueue) => {
      const handle = await h.env.client.workflow.start('deliverWithShortAttempts', { taskQueue, workflowId: `overlap-${id}`, args: [input] });
      const outcome = await handle.result();
      const history = await handle.fetchHistory();
      return { outcome, attempts: Math.max(...history.events!.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0)) };
    });
    expect(result.outcome).toMatchObject({ status: 'sent' });
    expect(result.attempts).toBeGreaterThanOrEqual(2); // the retry really overlapped the first attempt
    await new Promise((r) => setTimeout(r, 3_000));
    const copies = h.smtp.messages.filter((m) => reminderKey(m) === `${input.claimId}/${input.deadlineKey}/${input.level}/100`);
    expect(copies).toHaveLength(1);
    const row = await h.db('reminders').where({ id }).first();
    expect([row.status, row.attempts, row.lease_token]).toEqual(['sent', 1, null]);
    expect(await steps(id)).toEqual([['leased', 1], ['sent', 1]]);
  } finally {
    h.smtp.acceptDelayMs = 0;
  }
});

it('when two attempts deliver the same outbox row at once, then one message goes out and both report it sent', async () => {
  const first = await claimWithSentReminder();
  const { id, input } = await queueAnother(first, 200);
  h.smtp.acceptDelayMs = 1_000;
  try {
    const outcomes = await withAttemptWorker(async (taskQueue) =>
      h.env.client.workflow.execute('deliverTwiceAtOnce', { taskQueue, workflowId: `twice-${id}`, args: [input] }));
    expect(outcomes).toEqual([expect.objectContaining({ status: 'sent' }), expect.objectContaining({ status: 'sent' })]);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(h.smtp.messages.filter((m) => reminderKey(m) === `${input.claimId}/${input.deadlineKey}/${input.level}/200`)).toHaveLength(1);
    expect((await steps(id)).map(([step]) => step)).toEqual(['leased', 'sent']);
  } finally {
    h.smtp.acceptDelayMs = 0;
  }
});

it('when the mail server refuses the recipient with 550, then the reminder is undeliverable with its reply, listed, and not retried', async () => {
  await h.escalation.setAdvocate({ id: 'adv-gone', name: 'Gone Test-Advocate', email: 'gone@advocates.test' }, admin);
  h.smtp.refuseRecipient = (address) => (address === 'gone@advocates.test' ? '550 5.1.1 <gone@advocates.test>: mailbox unavailable' : null);
  try {
    const { claimId } = await h.service.register(sampleOrder({ advocateId: 'adv-gone' }), admin);
    const row = await eventually(() => h.db('reminders').where({ claim_id: claimId }).first(), (r) => r?.status !== undefined && r.status !== 'pending', 60_000);
    expect(row.status).toBe('undeliverable');
    expect(row.smtp_response).toContain('550 5.1.1 <gone@advocates.test>: mailbox unavailable');
    await new Promise((r) => setTimeout(r, 5_000)); // the activity's retry interval is 2 s: a retry would show by now
    expect((await h.db('reminders').where({ id: row.id }).first()).attempts).toBe(1);
    expect((await steps(String(row.id))).map(([step]) => step)).toEqual(['leased', 'rejected']);
    expect(h.smtp.messages.filter((m) => m.headers.get('x-redress-claim') === claimId)).toEqual([]);
    expect((await h.service.liveStatus(claimId)).stage).toBe('registered'); // the claim goes on

    await createUser(h.db, { id: 'auditor-njeri', name: 'Auditor', role: 'auditor', password: 'a long enough password' });
    const api = await startApi(h);
    try {
      const key = await createApiKey(h.db, 'auditor-njeri', 'test');
      const res = await fetch(`${api.base}/api/reminders?status=undeliverable&claimId=${encodeURIComponent(claimId)}`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      const body = await res.json() as { total: number; items: { status: string; smtpResponse: string; attempts: number }[] };
      expect(body.total).toBe(1);
      expect(body.items[0]).toMatchObject({ status: 'undeliverable', attempts: 1, smtpResponse: expect.stringContaining('550 5.1.1') });
    } finally {
      await api.close();
    }
  } finally {
    h.smtp.refuseRecipient = () => null;
  }
});

it('when the mail server answers 450 for a while, then the reminder is retried and sent once the server takes it', async () => {
  await h.escalation.setAdvocate({ id: 'adv-busy', name: 'Busy Test-Advocate', email: 'busy@advocates.test' }, admin);
  h.smtp.refuseRecipient = (address) => (address === 'busy@advocates.test' ? '450 4.2.1 mailbox busy, try later' : null);
  const { claimId } = await h.service.register(sampleOrder({ advocateId: 'adv-busy' }), admin);
  const failing = await eventually(() => h.db('reminders').where({ claim_id: claimId }).first(), (r) => Number(r?.attempts) >= 2, 60_000);
  expect([failing.status, failing.last_error]).toEqual(['pending', expect.stringContaining('450 4.2.1')]);
  h.smtp.refuseRecipient = () => null;
  const sent = await eventually(() => h.db('reminders').where({ claim_id: claimId }).first(), (r) => r?.status === 'sent', 60_000);
  expect(h.smtp.messages.filter((m) => m.headers.get('x-redress-claim') === claimId)).toHaveLength(1);
  expect((await steps(String(sent.id))).map(([step]) => step).slice(-2)).toEqual(['leased', 'sent']);
});

it('when a reminder is scheduled, then its attempt timeout is the one the SMTP timeouts are measured against', async () => {
  const { claim_id: claimId } = await claimWithSentReminder();
  const history = await h.env.client.workflow.getHandle(`claim-${claimId}`).fetchHistory();
  const scheduled = history.events!.map((e) => e.activityTaskScheduledEventAttributes).find((a) => a?.activityType?.name === 'deliverReminder');
  expect(Number(scheduled!.startToCloseTimeout!.seconds) * 1000).toBe(REMINDER_DELIVERY.startToCloseMs);
});
