/**
 * Corrections and dates that keep the record honest, on the Java time-skipping server (real PostgreSQL and SMTP):
 * stays timed by the court's dates, a legacy order's history and the registration grace period, and each amendment.
 */
import { verifyClaimChain } from '../../db/chain';
import { addDays, daysBetween } from '../../domain/calendar-date';
import { DAY_MS } from '../../domain/escalation';
import { balanceAt } from '../../domain/interest';
import { importRow, parseOrdersCsv } from '../../api/import/orders-csv';
import { countRows, sampleOrder } from '../support/harness';
import { CONTACTS, createTimeSkippingHarness } from '../support/time-skipping';

jest.setTimeout(300_000);

const GRACE_HOURS = 6;
let h: Awaited<ReturnType<typeof createTimeSkippingHarness>>;
beforeAll(async () => {
  h = await createTimeSkippingHarness();
  // Claims of this file start on a policy with a grace period of its own (the test template's has none).
  const latest = await h.escalation.latestPolicy();
  await h.escalation.publishPolicy({ stages: latest.stages, registrationGraceHours: GRACE_HOURS }, h.admin, 'grace for this test');
});
afterAll(async () => { await h?.close(); });

async function sleepUntil(instant: number) {
  const now = await h.env.currentTimeMs();
  if (instant > now) await h.env.sleep(instant - now);
}
const toOf = (m: { headers: Map<string, unknown> }) => ((m.headers.get('to') as { value: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);
const events = async (claimId: string) => (await h.db('claim_events').where({ claim_id: claimId }).orderBy('sequence')).map((e) => e.type);

/** A claim whose certificate was served yesterday: its budget allocation is due in 60 days. */
async function servedClaim(components?: unknown[]) {
  const today = await h.today();
  const judgment = addDays(today, -25);
  const { claimId } = await h.claims.register(sampleOrder({
    judgmentDate: judgment,
    components: components ?? [{ label: 'General damages', amountCents: 300_000_000, rateBasisPoints: 1200, interestFrom: judgment }],
  }), h.admin);
  await h.claims.command(claimId, 'issueCertificate', { actor: h.admin, issuedOn: addDays(today, -3) });
  const served = await h.claims.command(claimId, 'serveCertificate', { actor: h.admin, servedOn: addDays(today, -1) });
  const deadline = served.status.deadlines.find((d) => d.kind === 'budget_allocation')!;
  return { claimId, today, judgment, lapsesAt: Date.parse(deadline.lapsesAt) };
}

describe('stays take effect from the dates the court gave', () => {
  it('when a stay is recorded five days after the court granted it, then the lift moves deadlines by the days between the court dates, not the time between the commands', async () => {
    const { claimId, lapsesAt } = await servedClaim();
    await h.env.sleep(20 * DAY_MS);
    const grantedOn = addDays(await h.today(), -5);
    await h.claims.command(claimId, 'grantStay', { actor: h.admin, grantedOn, reason: 'stay of execution pending appeal' });
    await h.env.sleep(10 * DAY_MS);
    const liftedOn = await h.today();
    const lifted = await h.claims.command(claimId, 'liftStay', { actor: h.admin, liftedOn });

    expect(daysBetween(grantedOn, liftedOn)).toBe(15);
    const moved = Date.parse(lifted.status.deadlines.find((d) => d.kind === 'budget_allocation')!.lapsesAt);
    expect(moved - lapsesAt).toBe(15 * DAY_MS);
    const recorded = await h.db('claim_events').where({ claim_id: claimId }).whereIn('type', ['stay_granted', 'stay_lifted']).orderBy('sequence');
    const commandsApart = Date.parse(new Date(recorded[1]!.occurred_at).toISOString()) - Date.parse(new Date(recorded[0]!.occurred_at).toISOString());
    expect(commandsApart).toBeLessThan(11 * DAY_MS); // what the old rule would have moved it by
    const row = await h.db('claim_deadlines').where({ claim_id: claimId, kind: 'budget_allocation' }).first();
    expect(new Date(row.lapses_at).getTime()).toBe(moved);

    await sleepUntil(moved - 3_600_000);
    expect(h.mailFor(claimId)).toEqual([]);
    await sleepUntil(moved + 3_600_000);
    await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
    expect(toOf(h.mailFor(claimId)[0]!)).toEqual([CONTACTS.accounting_officer]);
  });

  it('when a stay and its lift are both recorded after the fact, then deadlines move by exactly the days between them', async () => {
    const { claimId, lapsesAt, today } = await servedClaim();
    await h.env.sleep(3 * DAY_MS);
    await h.claims.command(claimId, 'grantStay', { actor: h.admin, grantedOn: today, reason: 'stay pending appeal (recorded late)' });
    const lifted = await h.claims.command(claimId, 'liftStay', { actor: h.admin, liftedOn: addDays(today, 2) });
    expect(Date.parse(lifted.status.deadlines[0]!.lapsesAt) - lapsesAt).toBe(2 * DAY_MS);
    expect(lifted.status.deadlines[0]!.paused).toBe(false);
    // A lift dated before the grant is refused, and nothing is recorded.
    await h.claims.command(claimId, 'grantStay', { actor: h.admin, grantedOn: await h.today(), reason: 'second stay' });
    const before = await countRows(h.db, 'claim_events', { claim_id: claimId });
    await expect(h.claims.command(claimId, 'liftStay', { actor: h.admin, liftedOn: addDays(await h.today(), -1) })).rejects.toMatchObject({ refusal: { kind: 'invalid', field: 'liftedOn' } });
    expect(await countRows(h.db, 'claim_events', { claim_id: claimId })).toBe(before);
  });
});

describe('a legacy order with its known history, and the registration grace period', () => {
  it('when a legacy order is imported with certificate, allocation, a stay and tranches, then it starts at its true stage and only the reminder due after the grace period goes out', async () => {
    const csv = [
      'court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes,costs_kes,interest_rate_percent,certificate_issued_on,certificate_served_on,allocations,tranches,stays',
      'High Court at Nairobi,Petition 77 of 2015,2017-03-01,national-police-service,LEG-0077,torture,adv-wanjiru,"700,000.00",150110,12,2017-03-22,2017-03-24,'
        + '"500000|2018-07-10|R1021-2640500|2018/19","PV-2018-1|200000|2018-08-01|2018-08-20; PV-2019-1|100000.50|2019-10-01|2019-10-05","2019-02-01|2019-06-30|stay pending appeal"',
    ].join('\n');
    const { rows, problems } = await parseOrdersCsv(h.db, csv);
    expect(problems).toEqual([]);
    const registeredAt = await h.env.currentTimeMs();
    const result = await importRow(h.claims, rows[0]!, h.admin);
    expect(result).toMatchObject({ outcome: 'imported', problems: [] });
    const claimId = result.claimId!;

    expect(await events(claimId)).toEqual([
      'claim_registered', 'certificate_issued', 'certificate_served', 'budget_allocated', 'tranche_paid', 'receipt_confirmed',
      'stay_granted', 'stay_lifted', 'tranche_paid', 'receipt_confirmed',
    ]);
    const live = await h.claims.liveStatus(claimId);
    expect(live.stage).toBe('disbursing');
    const owed = balanceAt([
      { amountCents: 70_000_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' }, { amountCents: 15_011_000, rateBasisPoints: 1200, interestFrom: '2017-03-01' },
    ], [{ paidOn: '2018-08-01', amountCents: 20_000_000 }, { paidOn: '2019-10-01', amountCents: 10_000_050 }], live.asOf);
    expect(live.amounts.outstandingCents).toBe(owed.outstandingCents);
    expect(live.deadlines.map((d) => d.kind)).toEqual(['payment']);

    // Importing the file again enters nothing twice.
    expect(await importRow(h.claims, rows[0]!, h.admin)).toMatchObject({ outcome: 'already_registered', problems: [] });
    expect(await countRows(h.db, 'claim_events', { claim_id: claimId })).toBe(10);

    // Within the grace period nothing is sent, though the payment was due years ago (and the certificate before it).
    await sleepUntil(registeredAt + GRACE_HOURS * 3_600_000 - 60_000);
    await h.claims.liveStatus(claimId);
    expect(h.mailFor(claimId)).toEqual([]);
    expect(await countRows(h.db, 'reminders', { claim_id: claimId })).toBe(0);
    await sleepUntil(registeredAt + GRACE_HOURS * 3_600_000 + 60_000);
    await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
    const reminders = await h.db('reminders').where({ claim_id: claimId });
    expect(reminders.map((r) => [r.kind, r.level])).toEqual([['payment', 4]]);
    expect(toOf(h.mailFor(claimId)[0]!)).toEqual([CONTACTS.knchr, CONTACTS.commission_on_administrative_justice, CONTACTS.advocate]);
  });

  it('when a history step contradicts the order, then the row is reported at its column and the claim keeps what was valid', async () => {
    const csv = [
      'court,case_number,judgment_date,respondent_agency_id,survivor_ref,violation_types,advocate_id,general_damages_kes,certificate_issued_on,tranches',
      'High Court at Nyeri,Petition 78 of 2015,2017-03-01,national-police-service,LEG-0078,torture,adv-wanjiru,100000,2017-03-25,PV-X|50000|2018-01-01',
      'High Court at Nyeri,Petition 79 of 2015,2017-03-01,national-police-service,LEG-0079,torture,adv-wanjiru,100000,,PV-Y|1e5|2018-01-01',
    ].join('\n');
    const { rows, problems } = await parseOrdersCsv(h.db, csv);
    expect(problems).toEqual([{ line: 3, column: 'tranches', rule: 'tranche 1 must be an amount in shillings above 0, like 250000 or 150,110.50' }]);
    const result = await importRow(h.claims, rows[0]!, h.admin);
    expect(result.outcome).toBe('imported');
    expect(result.problems).toEqual([{ line: 2, column: 'tranches', rule: 'recordTranche: a tranche cannot be recorded before a budget allocation' }]);
    expect((await h.claims.liveStatus(result.claimId!)).stage).toBe('certificate_issued');
  });
});

describe('amendments: each a new event with a reason; money and deadlines recomputed from it', () => {
  it('when the award is varied on appeal, then what is owed follows the new award and the payment deadline runs again from the amendment', async () => {
    const { claimId, judgment } = await servedClaim();
    const allocatedOn = await h.today();
    const allocated = await h.claims.command(claimId, 'allocateBudget', { actor: h.admin, amountCents: 400_000_000, budgetLine: 'R1', financialYear: '2026/27', allocatedOn });
    expect(allocated.status.deadlines.find((d) => d.kind === 'payment')!.lastDay).toBe(addDays(allocatedOn, 30));
    await h.env.sleep(10 * DAY_MS);
    const amendedOn = await h.today();
    const varied = [
      { label: 'General damages (varied on appeal)', amountCents: 450_000_000, rateBasisPoints: 1200, interestFrom: judgment },
      { label: 'Costs of the appeal', amountCents: 5_000_000, rateBasisPoints: 1400, interestFrom: amendedOn },
    ];
    const amended = await h.claims.command(claimId, 'amendOrder', { actor: h.admin, amendedOn, reason: 'Civil Appeal 12 of 2026 varied the award', components: varied });
    expect(amended.status.amounts.awardedCents).toBe(455_000_000);
    expect(amended.status.amounts.outstandingCents).toBe(balanceAt(varied, [], amended.status.asOf).outstandingCents);
    const payment = amended.status.deadlines.find((d) => d.kind === 'payment')!;
    expect(payment.lastDay).toBe(addDays(amendedOn, 30));
    expect(payment.level).toBe(-1);

    const row = await h.db('claims').where({ id: claimId }).first();
    expect(Number(row.awarded_cents)).toBe(455_000_000);
    expect((await h.db('claim_current_components').where({ claim_id: claimId }).orderBy('position')).map((c) => [c.label, Number(c.amount_cents)]))
      .toEqual([['General damages (varied on appeal)', 450_000_000], ['Costs of the appeal', 5_000_000]]);
    expect(await h.db('claim_components').where({ claim_id: claimId }).count({ n: '*' }).first()).toEqual({ n: '1' }); // the original stands
    expect((await h.db('claim_events').where({ claim_id: claimId, type: 'order_amended' }).first()).payload.reason).toBe('Civil Appeal 12 of 2026 varied the award');
    expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: true });

    // No reminder on the old date; the first on the new one states the amended amount.
    await sleepUntil(Date.parse(allocated.status.deadlines.find((d) => d.kind === 'payment')!.lapsesAt) + 3_600_000);
    expect(h.mailFor(claimId)).toEqual([]);
    await sleepUntil(Date.parse(payment.lapsesAt) + 3_600_000);
    await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
    const [reminder] = await h.db('reminders').where({ claim_id: claimId });
    expect(reminder.content.outstandingCents).toBe(balanceAt(varied, [], reminder.content.asOf).outstandingCents);
  });

  it('when costs are taxed later and added, then the certificate waits 21 days from the taxation and its deadline moves with it; an amendment that changes nothing is refused with nothing recorded', async () => {
    const today = await h.today();
    const judgment = addDays(today, -10);
    const { claimId } = await h.claims.register(sampleOrder({ judgmentDate: judgment, components: [{ label: 'General damages', amountCents: 100_000_000, interestFrom: judgment }] }), h.admin);
    const taxedOn = addDays(today, -1);
    const amended = await h.claims.command(claimId, 'amendOrder', {
      actor: h.admin, amendedOn: today, reason: 'costs taxed', costsTaxedOn: taxedOn,
      components: [{ label: 'General damages', amountCents: 100_000_000, rateBasisPoints: 1200, interestFrom: judgment }, { label: 'Costs (taxed)', amountCents: 8_000_000, rateBasisPoints: 1200, interestFrom: taxedOn }],
    });
    expect(amended.status.earliestCertificateDate).toBe(addDays(taxedOn, 21));
    expect(amended.status.deadlines.find((d) => d.kind === 'certificate_application')!.lastDay).toBe(addDays(taxedOn, 21 + 14));
    await h.env.sleep(15 * DAY_MS);
    await expect(h.claims.command(claimId, 'issueCertificate', { actor: h.admin, issuedOn: await h.today() }))
      .rejects.toMatchObject({ refusal: { kind: 'invalid', field: 'issuedOn' } });

    const empty = await h.claims.command(claimId, 'amendOrder', { actor: h.admin, amendedOn: await h.today(), reason: 'nothing' }).catch((e: unknown) => e);
    expect(empty).toMatchObject({ refusal: { kind: 'invalid', field: 'components' } });
    expect(await countRows(h.db, 'claim_order_amendments', { claim_id: claimId })).toBe(1);
  });

  it('when a claim is reassigned, then the next reminder the advocate owes goes to the new advocate', async () => {
    const today = await h.today();
    const judgment = addDays(today, -40); // the certificate was due 5 days ago: chased once the grace period ends
    const { claimId } = await h.claims.register(sampleOrder({ judgmentDate: judgment, components: [{ label: 'General damages', amountCents: 10_000_000, interestFrom: judgment }] }), h.admin);
    await expect(h.claims.command(claimId, 'reassignAdvocate', { actor: h.admin, advocateId: 'adv-wanjiru', reassignedOn: today, reason: 'same' }))
      .rejects.toMatchObject({ refusal: { kind: 'invalid', field: 'advocateId' } });
    await h.claims.command(claimId, 'reassignAdvocate', { actor: h.admin, advocateId: 'adv-otieno', reassignedOn: today, reason: 'Wanjiru left the firm' });
    expect((await h.db('claims').where({ id: claimId }).first()).advocate_id).toBe('adv-otieno');
    await h.env.sleep((GRACE_HOURS + 1) * 3_600_000);
    await h.smtp.waitFor(() => h.mailFor(claimId).length === 1);
    expect(toOf(h.mailFor(claimId)[0]!)).toEqual(['otieno@advocates.test']);
  });

  it('when an allocation was recorded wrongly, then a correction replaces it, the ledger keeps both, and the payment deadline runs from the correction', async () => {
    const { claimId } = await servedClaim();
    const first = await h.claims.command(claimId, 'allocateBudget', { actor: h.admin, amountCents: 40_000_000, budgetLine: 'R1', financialYear: '2026/27', allocatedOn: await h.today() });
    await h.env.sleep(5 * DAY_MS);
    const correctedOn = await h.today();
    const corrected = await h.claims.command(claimId, 'correctAllocation', {
      actor: h.admin, allocationSequence: first.sequence, correctedOn, reason: 'typed 400,000 for 4,000,000',
      replacement: { amountCents: 400_000_000, budgetLine: 'R1', financialYear: '2026/27', allocatedOn: addDays(correctedOn, -5) },
    });
    expect(corrected.status.allocations.map((a) => [a.amountCents, a.correction?.sequence ?? null])).toEqual([[40_000_000, corrected.sequence], [400_000_000, null]]);
    expect(corrected.status.deadlines.find((d) => d.kind === 'payment')!.lastDay).toBe(addDays(correctedOn, 30));
    expect(Number((await h.db('claims').where({ id: claimId }).first()).allocated_cents)).toBe(400_000_000);
    expect((await h.db('budget_allocations').where({ claim_id: claimId }).orderBy('event_sequence')).map((a) => Number(a.amount_cents))).toEqual([40_000_000, 400_000_000]);
    expect(await countRows(h.db, 'allocation_corrections', { claim_id: claimId, corrects_sequence: first.sequence })).toBe(1);
    await expect(h.claims.command(claimId, 'correctAllocation', { actor: h.admin, allocationSequence: first.sequence, correctedOn, reason: 'again' }))
      .rejects.toMatchObject({ refusal: { kind: 'conflict' } });
  });

  it('when a receipt was confirmed wrongly, then withdrawing it reopens the advocate\'s confirmation deadline', async () => {
    const { claimId } = await servedClaim();
    await h.claims.command(claimId, 'allocateBudget', { actor: h.admin, amountCents: 100_000_000, budgetLine: 'R1', financialYear: '2026/27', allocatedOn: await h.today() });
    const paidOn = await h.today();
    await h.claims.command(claimId, 'recordTranche', { actor: h.admin, paymentReference: 'PV-C-1', amountCents: 50_000_000, paidOn });
    const confirmed = await h.claims.command(claimId, 'confirmReceipt', { actor: h.admin, paymentReference: 'PV-C-1', receivedOn: paidOn });
    expect(confirmed.status.deadlines.some((d) => d.kind === 'receipt_confirmation')).toBe(false);
    // An award varied below what was already paid is refused, and nothing is recorded.
    const events = await countRows(h.db, 'claim_events', { claim_id: claimId });
    await expect(h.claims.command(claimId, 'amendOrder', {
      actor: h.admin, amendedOn: paidOn, reason: 'reduced on appeal', components: [{ label: 'General damages', amountCents: 10_000_000, rateBasisPoints: 1200, interestFrom: paidOn }],
    })).rejects.toMatchObject({ refusal: { kind: 'invalid', field: 'components', reason: expect.stringContaining('already paid') } });
    expect(await countRows(h.db, 'claim_events', { claim_id: claimId })).toBe(events);
    const withdrawn = await h.claims.command(claimId, 'correctReceipt', { actor: h.admin, paymentReference: 'PV-C-1', correctedOn: paidOn, reason: 'the bank returned the transfer', receivedOn: null });
    expect(withdrawn.status.tranches[0]!.receivedOn).toBeNull();
    expect(withdrawn.status.deadlines.find((d) => d.kind === 'receipt_confirmation')!.lastDay).toBe(addDays(paidOn, 14));
    expect((await h.db('claim_events').where({ claim_id: claimId, type: 'receipt_corrected' }).first()).payload)
      .toMatchObject({ previousReceivedOn: paidOn, receivedOn: null, reason: 'the bank returned the transfer' });
  });
});
