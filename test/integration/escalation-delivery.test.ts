/**
 * Reminder delivery against a real SMTP server that goes down and comes back, and a worker that stops between
 * writing the outbox row and sending: each reminder arrives once. Also: contacts and policies refuse bad input.
 */
import { InvalidInput } from '../../api/errors';
import { DEFAULT_POLICY_DOCUMENT } from '../../domain/escalation';
import { type Harness, countRows, createHarness, sampleOrder } from '../support/harness';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(async () => { await h?.close(); });

const admin = 'admin-achieng';
const forClaim = (claimId: string) => h.smtp.messages.filter((m) => m.headers.get('x-redress-claim') === claimId);

async function waitForRow(claimId: string, predicate: (row: Record<string, unknown>) => boolean, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await h.db('reminders').where({ claim_id: claimId }).first();
    if (row && predicate(row)) return row;
    if (Date.now() > until) throw new Error(`reminder row never matched: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('when SMTP is down for a while, then the reminder is delivered once after it recovers', async () => {
  const worker = await h.startWorker();
  try {
    await h.smtp.stop();
    // A judgment of 2017 registered today: the advocate's certificate deadline lapsed long ago, so a reminder is due at once.
    const { claimId } = await h.service.register(sampleOrder(), admin);
    const failing = await waitForRow(claimId, (r) => Number(r.attempts) >= 2);
    expect(failing.status).toBe('pending');
    expect(String(failing.last_error)).toMatch(/ECONNREFUSED|connect/i);
    expect(forClaim(claimId)).toEqual([]);

    await h.smtp.start();
    await h.smtp.waitFor(() => forClaim(claimId).length === 1, 60_000);
    const sent = await waitForRow(claimId, (r) => r.status === 'sent');
    expect(sent.recipients).toEqual(['wanjiru@advocates.test']);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(forClaim(claimId)).toHaveLength(1);
    expect(await countRows(h.db, 'reminders', { claim_id: claimId })).toBe(1);
  } finally {
    await worker.stop();
  }
});

it('when the worker stops after the outbox row is written and before sending, then the next worker sends it once', async () => {
  let reachedSend = 0;
  const first = await h.startWorker({
    deliveryFaults: {
      beforeSend: () => {
        reachedSend++;
        throw new Error('worker crashed before handing the message to SMTP');
      },
    },
  });
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const until = Date.now() + 20_000;
  while (reachedSend === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(reachedSend).toBeGreaterThan(0);
  await first.stop();
  expect((await h.db('reminders').where({ claim_id: claimId }).first()).status).toBe('pending');
  expect(forClaim(claimId)).toEqual([]);

  const second = await h.startWorker();
  try {
    await h.smtp.waitFor(() => forClaim(claimId).length === 1, 60_000);
    await waitForRow(claimId, (r) => r.status === 'sent');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(forClaim(claimId)).toHaveLength(1);
  } finally {
    await second.stop();
  }
});

describe('contacts and policies refuse bad input and record nothing', () => {
  async function refused(p: Promise<unknown>) {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    return (err as InvalidInput).issues;
  }

  it('when a contact names an unknown agency, an invalid email, or the wrong kind of body, then it is refused naming the field', async () => {
    const before = [await countRows(h.db, 'contacts', {}), await countRows(h.db, 'contact_changes', {})];
    expect(await refused(h.escalation.setContact({ agencyId: 'ministry-of-magic', role: 'accounting_officer', name: 'X', email: 'x@y.test' }, admin)))
      .toEqual([{ field: 'agencyId', rule: 'unknown agency ministry-of-magic' }]);
    expect(await refused(h.escalation.setContact({ agencyId: 'national-police-service', role: 'accounting_officer', name: 'X', email: 'not-an-email' }, admin)))
      .toEqual([{ field: 'email', rule: 'must be a valid email address' }]);
    expect((await refused(h.escalation.setContact({ role: 'principal_secretary', name: 'X', email: 'x@y.test' }, admin)))[0]!.field).toBe('agencyId');
    expect((await refused(h.escalation.setContact({ agencyId: 'national-police-service', role: 'knchr', name: 'X', email: 'x@y.test' }, admin)))[0]!.rule).toContain('shared body');
    expect((await refused(h.escalation.setContact({ role: 'governor', name: 'X', email: 'x@y.test' }, admin)))[0]!.field).toBe('role');
    expect([await countRows(h.db, 'contacts', {}), await countRows(h.db, 'contact_changes', {})]).toEqual(before);
  });

  it('when an agency is added, then contacts can be set for it; a duplicate or malformed id is refused', async () => {
    await h.escalation.addAgency({ id: 'county-government-of-kisumu', name: 'County Government of Kisumu' }, admin);
    expect(await refused(h.escalation.addAgency({ id: 'county-government-of-kisumu', name: 'Again' }, admin))).toEqual([{ field: 'id', rule: 'agency county-government-of-kisumu already exists' }]);
    expect((await refused(h.escalation.addAgency({ id: 'Bad Id!', name: 'X' }, admin)))[0]!.field).toBe('id');
    await h.escalation.setContact({ agencyId: 'county-government-of-kisumu', role: 'accounting_officer', name: 'County AO', email: 'ao@kisumu.test' }, admin);
    expect((await h.db('agencies').where({ id: 'county-government-of-kisumu' }).first()).name).toBe('County Government of Kisumu');
  });

  it('when a contact changes, then the old one is retired and both changes are logged', async () => {
    await h.escalation.setContact({ agencyId: 'kenya-prisons-service', role: 'accounting_officer', name: 'First Officer', email: 'first@prisons.test' }, admin);
    await h.escalation.setContact({ agencyId: 'kenya-prisons-service', role: 'accounting_officer', name: 'Second Officer', email: 'SECOND@prisons.test' }, admin);
    const active = await h.db('contacts').where({ agency_id: 'kenya-prisons-service', role: 'accounting_officer', active: true });
    expect(active.map((c) => c.email)).toEqual(['second@prisons.test']);
    const log = await h.db('contact_changes').where({ agency_id: 'kenya-prisons-service' }).orderBy('id');
    expect(log.map((c) => [c.email, c.actor])).toEqual([['first@prisons.test', admin], ['second@prisons.test', admin]]);
  });

  it('when a policy has a negative or absurd period, then it is refused and no version is published', async () => {
    const before = await countRows(h.db, 'deadline_policies', {});
    const stages = DEFAULT_POLICY_DOCUMENT.stages;
    const issues = await refused(h.escalation.publishPolicy({
      stages: { ...stages, payment: { ...stages.payment, days: -3 }, budget_allocation: { ...stages.budget_allocation, cadenceDays: 5000 } },
    }, admin));
    expect(issues.map((i) => i.field).sort()).toEqual(['stages.budget_allocation.cadenceDays', 'stages.payment.days']);
    expect(await countRows(h.db, 'deadline_policies', {})).toBe(before);
  });
});
