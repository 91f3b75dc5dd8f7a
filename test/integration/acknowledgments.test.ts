/**
 * Agency officers with no account, on the time-skipping server with real PostgreSQL, SMTP and HTTP: every reminder
 * to the State carries a signed, expiring link; the officer acknowledges through it and commits to a step by a date;
 * both enter the claim's chain; a commitment that lapses escalates; forged, expired and repeated uses are refused.
 */
import pino from 'pino';
import { createApp } from '../../api/http/app';
import { acknowledgmentCounts } from '../../db/acknowledgments';
import { verifyClaimChain } from '../../db/chain';
import { acknowledgmentRates } from '../../domain/escalation';
import { addDays } from '../../domain/calendar-date';
import { DAY_MS } from '../../domain/escalation';
import { TEST_LINK_SIGNER, countRows, sampleOrder } from '../support/harness';
import { apiCaller } from '../support/http';
import { CONTACTS, createTimeSkippingHarness } from '../support/time-skipping';

jest.setTimeout(300_000);

let h: Awaited<ReturnType<typeof createTimeSkippingHarness>>;
let server: import('node:http').Server;
let call: ReturnType<typeof apiCaller>;
beforeAll(async () => {
  h = await createTimeSkippingHarness();
  const { app } = createApp({ db: h.db, client: h.env.client, taskQueue: h.taskQueue, logger: pino({ level: 'silent' }), linkSigner: TEST_LINK_SIGNER, rateLimitPerMinute: 1_000_000 });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  call = apiCaller(`http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`);
});
afterAll(async () => { await new Promise((r) => server?.close(r)); await h?.close(); });

async function sleepUntil(instant: number) {
  const now = await h.env.currentTimeMs();
  if (instant > now) await h.env.sleep(instant - now);
}
const toOf = (m: { headers: Map<string, unknown> }) => ((m.headers.get('to') as { value: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);
const tokenIn = (text: string) => /\/acknowledge#(\S+?)[\s)]/.exec(text)![1]!;

it('when an officer acknowledges a reminder and commits to a date, then both enter the chain, and when the date passes with the step still owed, the commitment escalates', async () => {
  const today = await h.today();
  const judgment = addDays(today, -25);
  const { claimId } = await h.claims.register(sampleOrder({ judgmentDate: judgment, components: [{ label: 'General damages', amountCents: 100_000_000, interestFrom: judgment }] }), h.admin);
  await h.claims.command(claimId, 'issueCertificate', { actor: h.admin, issuedOn: addDays(today, -3) });
  const served = await h.claims.command(claimId, 'serveCertificate', { actor: h.admin, servedOn: addDays(today, -1) });
  await sleepUntil(Date.parse(served.status.deadlines[0]!.lapsesAt) + 3_600_000);
  await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
  const mail = h.mailFor(claimId)[0]!;
  expect(toOf(mail)).toEqual([CONTACTS.accounting_officer]);
  expect(mail.text).toContain('http://127.0.0.1:3000/acknowledge#');
  const token = tokenIn(mail.text);

  const page = await call('GET', `/api/acknowledgments/${token}`);
  expect(page.status).toBe(200);
  expect(page.body).toMatchObject({ claim: { id: claimId }, agency: { id: 'national-police-service' }, reminder: { kind: 'budget_allocation', level: 0 }, acknowledged: null });
  expect(JSON.stringify(page.body)).not.toContain('SURV-2016-0042'); // no survivor on a page anyone with the link can open

  // Forged, malformed and expired links open nothing.
  const [id, exp, sig] = token.split('.') as [string, string, string];
  expect((await call('GET', `/api/acknowledgments/${id}.${exp}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).status).toBe(404);
  expect((await call('GET', `/api/acknowledgments/${Number(id) + 1}.${exp}.${sig}`)).status).toBe(404);
  expect((await call('GET', '/api/acknowledgments/nothing')).status).toBe(404);
  expect((await call('GET', `/api/acknowledgments/${TEST_LINK_SIGNER.sign(id, Date.now() - 1000)}`)).status).toBe(410);
  expect((await call('POST', `/api/acknowledgments/${TEST_LINK_SIGNER.sign(id, Date.now() - 1000)}`, { body: { officerName: 'X' } })).status).toBe(410);

  const now = await h.today();
  const badDate = await call('POST', `/api/acknowledgments/${token}`, { body: { officerName: 'Jane Accounting', commitment: { action: 'x', dueOn: addDays(now, -1), responsible: 'CFO' } } });
  expect([badDate.status, badDate.body.errors[0].field]).toEqual([422, 'commitment.dueOn']);
  const dueOn = addDays(now, 10);
  const ack = await call('POST', `/api/acknowledgments/${token}`, {
    body: { officerName: 'Jane Accounting', officerRole: 'Accounting Officer', commitment: { action: 'allocate the amount in the supplementary budget', dueOn, responsible: 'Chief Finance Officer' } },
  });
  expect(ack.status).toBe(201);
  const event = await h.db('claim_events').where({ claim_id: claimId, type: 'reminder_acknowledged' }).first();
  expect(event.payload).toMatchObject({ officerName: 'Jane Accounting', deadlineKey: 'budget_allocation', commitment: { dueOn, responsible: 'Chief Finance Officer' } });
  expect(event.actor).toBe('agency:national-police-service');
  expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: true });
  expect((await call('POST', `/api/acknowledgments/${token}`, { body: { officerName: 'Again' } })).status).toBe(409);
  expect((await call('GET', `/api/acknowledgments/${token}`)).body.acknowledged).toMatchObject({ officerName: 'Jane Accounting', commitment: { dueOn } });

  // The next reminder (a week on) is acknowledged by two requests at once: one is recorded.
  await sleepUntil(Date.parse(served.status.deadlines[0]!.lapsesAt) + 7 * DAY_MS + 3_600_000);
  await h.smtp.waitFor(() => h.mailFor(claimId).length === 2);
  const second = tokenIn(h.mailFor(claimId)[1]!.text);
  const both = await Promise.all([0, 1].map(() => call('POST', `/api/acknowledgments/${second}`, { body: { officerName: 'Twice' } })));
  expect(both.map((a) => a.status).sort()).toEqual([201, 409]);
  expect(await countRows(h.db, 'agency_acknowledgments', { claim_id: claimId })).toBe(2);

  // The commitment's date passes with the allocation still owed: the principal secretary and the AG are told.
  await sleepUntil(Date.parse(`${dueOn}T21:00:00Z`) + 3_600_000);
  await h.smtp.waitFor(() => h.mailFor(claimId).some((m) => String(m.headers.get('x-redress-reminder')).startsWith('commitment:')));
  const lapsed = h.mailFor(claimId).find((m) => String(m.headers.get('x-redress-reminder')).startsWith('commitment:'))!;
  expect(toOf(lapsed)).toEqual([CONTACTS.principal_secretary, CONTACTS.attorney_general]);
  expect(lapsed.text).toContain('Jane Accounting committed, for National Police Service, to: allocate the amount in the supplementary budget');
  expect(await countRows(h.db, 'claim_events', { claim_id: claimId, type: 'deadline_escalated' })).toBeGreaterThanOrEqual(2);

  // The agency's acknowledgment rate counts what happened here (the route itself needs sign-in).
  expect((await call('GET', '/api/agencies/acknowledgments')).status).toBe(401);
  const [police] = acknowledgmentRates(await acknowledgmentCounts(h.db)).filter((r) => r.agencyId === 'national-police-service');
  const toState = await h.db('reminders').where({ claim_id: claimId }).whereNot({ kind: 'agency_commitment' }).count({ n: '*' }).first();
  expect(police).toMatchObject({ acknowledged: 2, commitments: 1, commitmentsLapsed: 1, reminders: Number(toState!.n), ordersReminded: 1, ordersAcknowledged: 1 });
  expect(police!.ratePercent).toBe(Math.floor(200 / Number(toState!.n)));
});

it('when the step is done before the date the agency gave, then its commitment closes and nothing escalates', async () => {
  const today = await h.today();
  const judgment = addDays(today, -25);
  const { claimId } = await h.claims.register(sampleOrder({ judgmentDate: judgment, respondentAgencyId: 'national-police-service', components: [{ label: 'General damages', amountCents: 100_000_000, interestFrom: judgment }] }), h.admin);
  await h.claims.command(claimId, 'issueCertificate', { actor: h.admin, issuedOn: addDays(today, -3) });
  const served = await h.claims.command(claimId, 'serveCertificate', { actor: h.admin, servedOn: addDays(today, -1) });
  await sleepUntil(Date.parse(served.status.deadlines[0]!.lapsesAt) + 3_600_000);
  await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
  const dueOn = addDays(await h.today(), 5);
  expect((await call('POST', `/api/acknowledgments/${tokenIn(h.mailFor(claimId)[0]!.text)}`, { body: { officerName: 'Kept', commitment: { action: 'allocate', dueOn, responsible: 'CFO' } } })).status).toBe(201);
  await h.claims.command(claimId, 'allocateBudget', { actor: h.admin, amountCents: 200_000_000, budgetLine: 'R1', financialYear: '2026/27', allocatedOn: await h.today() });
  await sleepUntil(Date.parse(`${dueOn}T21:00:00Z`) + 2 * DAY_MS);
  await h.claims.liveStatus(claimId);
  expect(await countRows(h.db, 'reminders', { claim_id: claimId, kind: 'agency_commitment' })).toBe(0);
  // A reminder to the advocate carries no link.
  expect(h.mailFor(claimId).every((m) => toOf(m).includes(CONTACTS.advocate) === !m.text.includes('/acknowledge#'))).toBe(true);
});
