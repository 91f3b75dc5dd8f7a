/**
 * Deadlines over months of simulated time on the Java time-skipping test server, with reminders going to a
 * real SMTP server and the record in real PostgreSQL.
 */
import { addDays, daysBetween } from '../../domain/calendar-date';
import { DAY_MS, ROLE_NAMES } from '../../domain/escalation';
import { balanceAt } from '../../domain/interest';
import { formatKes } from '../../domain/money';
import { countRows, sampleOrder } from '../support/harness';
import { CONTACTS, createTimeSkippingHarness } from '../support/time-skipping';

jest.setTimeout(240_000);

let h: Awaited<ReturnType<typeof createTimeSkippingHarness>>;
beforeAll(async () => { h = await createTimeSkippingHarness(); });
afterAll(async () => { await h?.close(); });

/** A claim whose certificate was served yesterday: its budget allocation is due in 60 days. The judgment is
 * recent enough that the advocate's own deadline for the certificate had not lapsed. */
async function servedClaim() {
  const today = await h.today();
  const judgment = addDays(today, -25);
  const { claimId } = await h.claims.register(sampleOrder({
    judgmentDate: judgment,
    components: [
      { label: 'General damages', amountCents: 300_000_000, rateBasisPoints: 1200, interestFrom: judgment },
      { label: 'Costs', amountCents: 12_500_000, rateBasisPoints: 1400, interestFrom: judgment },
    ],
  }), h.admin);
  await h.claims.command(claimId, 'issueCertificate', { actor: h.admin, issuedOn: addDays(today, -3) });
  const served = await h.claims.command(claimId, 'serveCertificate', { actor: h.admin, servedOn: addDays(today, -1) });
  const deadline = served.status.deadlines.find((d) => d.kind === 'budget_allocation')!;
  return { claimId, today, judgment, lapsesAt: Date.parse(deadline.lapsesAt) };
}

async function sleepUntil(instant: number) {
  const now = await h.env.currentTimeMs();
  if (instant > now) await h.env.sleep(instant - now);
}

const toOf = (m: { headers: Map<string, unknown> }) => ((m.headers.get('to') as { value: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);
const ccOf = (m: { headers: Map<string, unknown> }) => ((m.headers.get('cc') as { value: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);

it('when a claim is left alone after service, then the whole ladder writes to each level in order, once each, and stops the moment the agency acts', async () => {
  const { claimId, lapsesAt, judgment } = await servedClaim();
  expect(h.mailFor(claimId)).toEqual([]);

  await sleepUntil(lapsesAt + 90 * DAY_MS + 3_600_000);
  await h.smtp.waitFor(() => h.mailFor(claimId).length >= 16);
  const mail = h.mailFor(claimId);
  // Level 0 at days 0 and 7; level 1 at 14, 21, 28; level 2 at 30..58; level 3 at 60..88; level 4 at 90.
  const expectedTo = [
    ...Array(2).fill([CONTACTS.accounting_officer]),
    ...Array(3).fill([CONTACTS.principal_secretary]),
    ...Array(5).fill([CONTACTS.attorney_general]),
    ...Array(5).fill([CONTACTS.national_treasury, CONTACTS.controller_of_budget]),
    [CONTACTS.knchr, CONTACTS.commission_on_administrative_justice, CONTACTS.advocate],
  ];
  expect(mail.map(toOf)).toEqual(expectedTo);
  expect(ccOf(mail[0]!)).toEqual([]);
  expect(ccOf(mail[5]!)).toEqual([CONTACTS.accounting_officer, CONTACTS.principal_secretary]);
  expect(ccOf(mail[15]!)).toEqual([CONTACTS.accounting_officer, CONTACTS.principal_secretary, CONTACTS.attorney_general, CONTACTS.national_treasury, CONTACTS.controller_of_budget]);
  expect(new Set(mail.map((m) => m.messageId)).size).toBe(16);

  // Each reminder states what is owed on its day, computed independently here from the order.
  const rows = await h.db('reminders').where({ claim_id: claimId }).orderBy('id');
  expect(rows).toHaveLength(16);
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  rows.forEach((row, i) => {
    const c = row.content;
    const owed = balanceAt([
      { amountCents: 300_000_000, rateBasisPoints: 1200, interestFrom: judgment },
      { amountCents: 12_500_000, rateBasisPoints: 1400, interestFrom: judgment },
    ], [], c.asOf);
    expect(c.outstandingCents).toBe(owed.outstandingCents);
    expect(mail[i]!.text).toContain(`Outstanding today: ${formatKes(owed.outstandingCents)}`);
    expect(mail[i]!.text).toContain(`Each further day of delay adds ${formatKes(c.dailyInterestCents)}`);
    expect(mail[i]!.text).toContain('Government Proceedings Act (Cap 40) s.21(3)');
    expect(mail[i]!.text).toContain('Kiasi kinachodaiwa leo');
    expect(mail[i]!.text).toContain(sampleOrder().court);
  });
  expect(mail[15]!.text).toContain('ripe for judicial review for an order of mandamus');
  expect(mail[2]!.text).toContain(`addressed to: ${ROLE_NAMES.principal_secretary!.en}`);
  // The survivor is never named: not even the pseudonymous reference leaves Redress.
  expect(mail.some((m) => m.raw.includes(sampleOrder().survivorRef))).toBe(false);

  const status = await h.claims.liveStatus(claimId);
  expect(status.escalationLevel).toBe(4);
  expect((await h.db('claims').where({ id: claimId }).first()).escalation_level).toBe(4);
  const escalations = await h.db('claim_events').where({ claim_id: claimId, type: 'deadline_escalated' }).orderBy('sequence');
  expect(escalations.map((e) => e.payload.level)).toEqual([0, 1, 2, 3, 4]);

  // The agency acts: the ladder stops at once; the payment deadline (30 days) opens in its place.
  const allocated = await h.claims.command(claimId, 'allocateBudget', { actor: h.admin, amountCents: 100_000_000, budgetLine: 'R1021', financialYear: '2025/26', allocatedOn: await h.today() });
  expect(allocated.status.deadlines.map((d) => d.kind)).toEqual(['payment']);
  await h.env.sleep(20 * DAY_MS);
  expect(h.mailFor(claimId)).toHaveLength(16);
  expect(await countRows(h.db, 'reminders', { claim_id: claimId })).toBe(16);
});

it('when the step is done one moment before its deadline, then no reminder is sent', async () => {
  const { claimId, lapsesAt } = await servedClaim();
  await sleepUntil(lapsesAt - 60_000);
  await h.claims.command(claimId, 'allocateBudget', { actor: h.admin, amountCents: 10_000_000, budgetLine: 'R1', financialYear: '2025/26', allocatedOn: await h.today() });
  await h.env.sleep(25 * DAY_MS);
  await h.claims.liveStatus(claimId);
  expect(h.mailFor(claimId)).toEqual([]);
  expect(await countRows(h.db, 'reminders', { claim_id: claimId })).toBe(0);
});

it('when a stay spans the deadline, then nothing is sent during it and the lift moves the deadline by exactly the days of the stay', async () => {
  const { claimId, lapsesAt, today } = await servedClaim();
  await sleepUntil(lapsesAt - 5 * DAY_MS);
  await h.claims.command(claimId, 'grantStay', { actor: h.admin, grantedOn: await h.today(), reason: 'stay of execution pending appeal' });
  await h.env.sleep(30 * DAY_MS);
  expect(h.mailFor(claimId)).toEqual([]);
  const lifted = await h.claims.command(claimId, 'liftStay', { actor: h.admin, liftedOn: await h.today() });

  // The stay runs between the court's dates (test/integration/claim-corrections.test.ts: recorded after the fact too).
  const events = await h.db('claim_events').where({ claim_id: claimId }).whereIn('type', ['stay_granted', 'stay_lifted']).orderBy('sequence');
  const stayedDays = daysBetween(events[0]!.payload.grantedOn, events[1]!.payload.liftedOn);
  expect(stayedDays).toBe(30);
  const moved = Date.parse(lifted.status.deadlines[0]!.lapsesAt);
  expect(moved - lapsesAt).toBe(stayedDays * DAY_MS);
  expect(lifted.status.deadlines[0]!.lastDay).toBe(addDays(addDays(today, -1), 60)); // the court date itself does not change

  await sleepUntil(moved - 3_600_000);
  expect(h.mailFor(claimId)).toEqual([]);
  await sleepUntil(moved + 3_600_000);
  await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
  expect(toOf(h.mailFor(claimId)[0]!)).toEqual([CONTACTS.accounting_officer]);
});

it('when a claim is moved to a newer policy, then its pending deadline is recomputed and reminders follow the new version', async () => {
  const { claimId, today } = await servedClaim();
  const v1 = await h.escalation.latestPolicy();
  const v2 = await h.escalation.publishPolicy({
    stages: { ...v1.stages, budget_allocation: { ...v1.stages.budget_allocation, days: 10 } },
  }, h.admin, 'allocation within 10 days');
  expect(v2.version).toBe(v1.version + 1);
  const before = await h.claims.liveStatus(claimId);
  expect(before.policyVersion).toBe(v1.version);

  const results = await h.escalation.migrateClaims([claimId], v2.version, h.admin);
  const after = results[claimId] as Awaited<ReturnType<typeof h.claims.liveStatus>>;
  expect(after.policyVersion).toBe(v2.version);
  expect(after.deadlines[0]!.lastDay).toBe(addDays(addDays(today, -1), 10));
  expect((await h.db('claims').where({ id: claimId }).first()).policy_version).toBe(v2.version);

  const again = await h.escalation.migrateClaims([claimId], v2.version, h.admin);
  expect(again[claimId]).toMatchObject({ kind: 'conflict', field: 'policyVersion' });

  await sleepUntil(Date.parse(after.deadlines[0]!.lapsesAt) + 3_600_000);
  await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
  const [row] = await h.db('reminders').where({ claim_id: claimId });
  expect(row.content.policyVersion).toBe(v2.version);
});

it('when the court sets periods on the enforcement track, then each period produces its own reminders, and the advocate is told the claim is ripe for contempt', async () => {
  const today = await h.today();
  const judgment = addDays(today, -200);
  const { claimId } = await h.claims.register(sampleOrder({
    judgmentDate: judgment, components: [{ label: 'General damages', amountCents: 50_000_000, interestFrom: judgment }],
  }), h.admin);
  await h.claims.command(claimId, 'issueCertificate', { actor: h.admin, issuedOn: addDays(judgment, 21) });
  await h.claims.command(claimId, 'serveCertificate', { actor: h.admin, servedOn: addDays(judgment, 22) });

  const early = await h.claims.command(claimId, 'fileMandamus', { actor: 'adv-wanjiru', filedOn: addDays(today, -1) }).catch((e: Error) => e);
  expect(early).toMatchObject({ refusal: { kind: 'conflict', reason: expect.stringContaining('out of order') } });
  await h.claims.command(claimId, 'serveEnforcementNotice', { actor: 'adv-wanjiru', servedOn: addDays(today, -40) });
  const tooSoon = await h.claims.command(claimId, 'fileMandamus', { actor: 'adv-wanjiru', filedOn: addDays(today, -30) }).catch((e: Error) => e);
  expect(tooSoon).toMatchObject({ refusal: { kind: 'invalid', field: 'filedOn' } });
  await h.claims.command(claimId, 'fileMandamus', { actor: 'adv-wanjiru', filedOn: addDays(today, -15) });
  const absurd = await h.claims.command(claimId, 'grantMandamus', { actor: 'adv-wanjiru', grantedOn: today, complianceDays: 900 }).catch((e: Error) => e);
  expect(absurd).toMatchObject({ refusal: { kind: 'invalid', field: 'complianceDays' } });
  const granted = await h.claims.command(claimId, 'grantMandamus', { actor: 'adv-wanjiru', grantedOn: today, complianceDays: 14 });
  const compliance = granted.status.deadlines.find((d) => d.kind === 'mandamus_compliance')!;
  expect(compliance.lastDay).toBe(addDays(today, 14));

  await sleepUntil(Date.parse(compliance.lapsesAt) + 3_600_000);
  await h.smtp.waitFor((all) => all.some((m) => m.headers.get('x-redress-reminder') === 'mandamus_compliance/0/0'));
  const ripe = h.mailFor(claimId).find((m) => m.headers.get('x-redress-reminder') === 'mandamus_compliance/0/0')!;
  expect(toOf(ripe)).toEqual([CONTACTS.accounting_officer, CONTACTS.principal_secretary, CONTACTS.advocate]);
  expect(ripe.text).toContain('ripe for a notice to show cause');
  expect(ripe.text).toContain('order of mandamus');

  await h.claims.command(claimId, 'serveNoticeToShowCause', { actor: 'adv-wanjiru', servedOn: await h.today() });
  const contempt = await h.claims.command(claimId, 'findContempt', { actor: 'adv-wanjiru', foundOn: await h.today(), purgeDays: 30 });
  const purge = contempt.status.deadlines.find((d) => d.kind === 'contempt_purge')!;
  expect(contempt.status.deadlines.some((d) => d.kind === 'mandamus_compliance')).toBe(false);
  await sleepUntil(Date.parse(purge.lapsesAt) + 3_600_000);
  await h.smtp.waitFor((all) => all.some((m) => m.headers.get('x-redress-reminder') === 'contempt_purge/0/0'));
  const purgeMail = h.mailFor(claimId).find((m) => m.headers.get('x-redress-reminder') === 'contempt_purge/0/0')!;
  expect(toOf(purgeMail)).toEqual([CONTACTS.accounting_officer, CONTACTS.principal_secretary, CONTACTS.attorney_general, CONTACTS.advocate]);
  expect(purgeMail.text).toContain('purge the contempt');
});
