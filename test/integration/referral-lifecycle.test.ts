/**
 * Rehabilitation referrals as child workflows of their claim, on the real dev server, PostgreSQL and SMTP.
 */
import { CommandRefused, InvalidInput } from '../../api/errors';
import { calendarDateAt, addDays } from '../../domain/calendar-date';
import { financialYearOf } from '../../domain/referral';
import { type Harness, claimSteps, countRows, createHarness, eventually, sampleOrder } from '../support/harness';

jest.setTimeout(120_000);

let h: Harness;
const admin = 'admin-achieng';
const advocate = 'adv-wanjiru';
const fundAdmin = 'vpf-administrator';
const today = calendarDateAt(Date.now());
const fy = financialYearOf(today);

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  await h.referrals.registerProvider({ id: 'trauma-centre-nairobi', name: 'Trauma Recovery Centre (fictional)', services: ['psychological', 'psychosocial', 'medical'], county: 'Nairobi', email: 'referrals@trauma-centre.test', capacity: 40 }, admin);
  await h.referrals.registerProvider({ id: 'legal-aid-clinic', name: 'Legal Aid Clinic (fictional)', services: ['legal_aid'], county: 'Kisumu', email: 'intake@legal-aid.test', capacity: 10 }, admin);
  await h.escalation.setContact({ role: 'fund_administrator', name: 'VPF administrator', email: 'vpf@fund.test' }, admin);
  await h.referrals.receiveFunds({ financialYear: fy, amountCents: 500_000_000, reference: 'EXCHEQUER-001', receivedOn: today }, fundAdmin);
});
afterAll(async () => { await h?.close(); });

const request = (overrides: Record<string, unknown> = {}) => ({
  service: 'psychological', beneficiary: { kind: 'survivor' },
  consent: { referral: true, shareAssessment: true, recordedOn: today },
  priority: { urgentMedical: false, ageYears: 34, disability: false },
  needsNote: 'Recurring nightmares since detention; cannot sleep more than three hours.',
  ...overrides,
});
const cmd = (id: string, name: Parameters<Harness['referrals']['command']>[1], input: Record<string, unknown>) =>
  h.referrals.command(id, name, { actor: advocate, ...input });
async function referred(claimId: string, cost = 30_000_000, service = 'psychological') {
  const { referralId } = await h.referrals.requestReferral(claimId, request({ service }), advocate);
  await cmd(referralId, 'assessNeeds', { assessedOn: today, assessedCostCents: cost, sessionsPlanned: 12 });
  await cmd(referralId, 'referToProvider', { referredOn: today, providerId: 'trauma-centre-nairobi' });
  return referralId;
}
const claimReferrals = async (claimId: string) => (await h.service.liveStatus(claimId)).referrals;

it('when a referral runs its full course while the claim is still unpaid, then care is funded, paid, completed and recorded on the claim', async () => {
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const referralId = await referred(claimId);
  const funded = await cmd(referralId, 'decideFunding', { actor: fundAdmin, decision: 'approve', amountCents: 25_000_000, financialYear: fy, decidedOn: today });
  expect(funded.stage).toBe('funded');
  expect((await cmd(referralId, 'recordAppointment', { appointmentOn: today })).stage).toBe('in_care');
  await cmd(referralId, 'recordSession', { sessionOn: today, attended: true });
  await cmd(referralId, 'recordSession', { sessionOn: today, attended: false });
  await cmd(referralId, 'payProvider', { amountCents: 20_000_000, paidOn: today, reference: 'INV-2026-014' });
  const done = await cmd(referralId, 'complete', { completedOn: today });
  expect(done.stage).toBe('completed');
  expect(done.sessions).toHaveLength(2);

  const ledger = await h.db('fund_ledger').where({ referral_id: referralId }).orderBy('id').select('entry', 'amount_cents');
  expect(ledger.map((l) => [l.entry, Number(l.amount_cents)])).toEqual([['commitment', 25_000_000], ['payment', 20_000_000], ['release', 5_000_000]]);
  const row = await h.db('referrals').where({ id: referralId }).first();
  expect([row.stage, row.provider_id, Number(row.paid_cents)]).toEqual(['completed', 'trauma-centre-nairobi', 20_000_000]);

  // The claim records each step in its chain and shows the referral; its own money is still unpaid.
  const summary = await eventually(() => claimReferrals(claimId), (rs) => rs[0]?.stage === 'completed');
  expect(summary).toHaveLength(1);
  const steps = await eventually(
    () => h.db('claim_events').where({ claim_id: claimId }).whereIn('type', ['referral_requested', 'referral_step']).orderBy('sequence'),
    (rows) => rows.length >= 9,
  );
  expect(steps.map((e) => e.payload.step ?? 'requested')).toEqual([
    'requested', 'assessNeeds', 'referToProvider', 'decideFunding', 'recordAppointment', 'recordSession', 'recordSession', 'payProvider', 'complete',
  ]);
  expect((await h.service.record(claimId))!.stage).toBe('registered');

  // Health facts stay in PostgreSQL: neither workflow's history carries them.
  for (const id of [`claim-${claimId}`, `referral-${referralId}`]) {
    const history = JSON.stringify(await h.env.client.workflow.getHandle(id).fetchHistory());
    const decoded = Buffer.from(history).toString() + (history.match(/"data":"([A-Za-z0-9+/=]+)"/g) ?? [])
      .map((d) => Buffer.from(d.slice(8, -1), 'base64').toString()).join('');
    expect(decoded).not.toContain('nightmares');
    expect(decoded).not.toContain('ageYears');
    expect(decoded).not.toContain('urgentMedical');
  }
});

it('when the fund refuses, then the referral ends with the reason and takes no further step', async () => {
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const referralId = await referred(claimId);
  const refused = await cmd(referralId, 'decideFunding', { actor: fundAdmin, decision: 'refuse', reason: 'covered by NHIF', decidedOn: today });
  expect([refused.stage, refused.refusal]).toEqual(['funding_refused', 'covered by NHIF']);
  const after = await cmd(referralId, 'recordAppointment', { appointmentOn: today }).catch((e: unknown) => e);
  expect(after).toBeInstanceOf(CommandRefused);
  expect((after as CommandRefused).refusal.reason).toMatch(/funding refused/);
  expect(await countRows(h.db, 'fund_ledger', { referral_id: referralId })).toBe(0);
});

it('when care is discontinued after funding, then the whole unpaid commitment goes back to the fund', async () => {
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const referralId = await referred(claimId);
  await cmd(referralId, 'decideFunding', { actor: fundAdmin, decision: 'approve', amountCents: 10_000_000, financialYear: fy, decidedOn: today });
  const stopped = await cmd(referralId, 'discontinue', { discontinuedOn: today, reason: 'moved abroad' });
  expect([stopped.stage, stopped.closureReason]).toEqual(['discontinued', 'moved abroad']);
  const ledger = await h.db('fund_ledger').where({ referral_id: referralId }).orderBy('id').select('entry', 'amount_cents');
  expect(ledger.map((l) => [l.entry, Number(l.amount_cents)])).toEqual([['commitment', 10_000_000], ['release', 10_000_000]]);
});

it('when a claim has several referrals, including one for a family member, then each runs on its own', async () => {
  const { claimId } = await h.service.register(sampleOrder({ violationTypes: ['enforced_disappearance'] }), admin);
  const a = await referred(claimId);
  const { referralId: b } = await h.referrals.requestReferral(claimId, request({ service: 'legal_aid', beneficiary: { kind: 'family_member', relationship: 'mother' } }), advocate);
  await cmd(b, 'assessNeeds', { assessedOn: today, assessedCostCents: 5_000_000, sessionsPlanned: 2 });
  await cmd(b, 'referToProvider', { referredOn: today, providerId: 'legal-aid-clinic' });
  await cmd(a, 'discontinue', { discontinuedOn: today, reason: 'declined further sessions' });
  const summary = await eventually(() => claimReferrals(claimId), (rs) => rs.length === 2 && rs.some((r) => r.stage === 'discontinued'));
  expect(summary.map((r) => [r.service, r.stage]).sort()).toEqual([['legal_aid', 'referred'], ['psychological', 'discontinued']]);
});

describe('bad input is refused with a reason and nothing is recorded', () => {
  async function nothingRecorded(claimId: string, attempt: () => Promise<unknown>) {
    const before = [await countRows(h.db, 'referrals', {}), await countRows(h.db, 'referral_priority', {}), await countRows(h.db, 'fund_ledger', {}), (await h.db('claim_events').where({ claim_id: claimId })).length];
    const err = await attempt().then(() => null, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    const after = [await countRows(h.db, 'referrals', {}), await countRows(h.db, 'referral_priority', {}), await countRows(h.db, 'fund_ledger', {}), (await h.db('claim_events').where({ claim_id: claimId })).length];
    expect(after).toEqual(before);
    return err as InvalidInput | CommandRefused;
  }

  it('when consent is missing, then the request is refused naming the consent field', async () => {
    const { claimId } = await h.service.register(sampleOrder(), admin);
    await h.service.liveStatus(claimId);
    await new Promise((r) => setTimeout(r, 500)); // let the legacy claim's first reminders settle
    const err = await nothingRecorded(claimId, () => h.referrals.requestReferral(claimId, request({ consent: { referral: false, shareAssessment: true, recordedOn: today } }), advocate));
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).issues).toEqual([{ field: 'consent.referral', rule: 'consent to the referral is required' }]);
  });

  it('when the provider is unknown or does not offer the service, or steps come out of order or with amounts ≤ 0, then each is refused', async () => {
    const { claimId } = await h.service.register(sampleOrder(), admin);
    const { referralId } = await h.referrals.requestReferral(claimId, request(), advocate);
    await new Promise((r) => setTimeout(r, 500));
    const early = await nothingRecorded(claimId, () => cmd(referralId, 'referToProvider', { referredOn: today, providerId: 'trauma-centre-nairobi' }));
    expect((early as CommandRefused).refusal.reason).toBe('assess the needs before referring to a provider');
    const zero = await nothingRecorded(claimId, () => cmd(referralId, 'assessNeeds', { assessedOn: today, assessedCostCents: 0, sessionsPlanned: 3 }));
    expect((zero as CommandRefused).refusal).toMatchObject({ kind: 'invalid', field: 'assessedCostCents' });
    await cmd(referralId, 'assessNeeds', { assessedOn: today, assessedCostCents: 8_000_000, sessionsPlanned: 3 });
    await new Promise((r) => setTimeout(r, 300));
    const unknown = await nothingRecorded(claimId, () => cmd(referralId, 'referToProvider', { referredOn: today, providerId: 'no-such-clinic' }));
    expect((unknown as InvalidInput).issues).toEqual([{ field: 'providerId', rule: 'unknown provider no-such-clinic' }]);
    const wrong = await nothingRecorded(claimId, () => cmd(referralId, 'referToProvider', { referredOn: today, providerId: 'legal-aid-clinic' }));
    expect((wrong as CommandRefused).refusal).toMatchObject({ kind: 'invalid', field: 'providerId', reason: 'provider legal-aid-clinic does not offer psychological' });
    const appointment = await nothingRecorded(claimId, () => cmd(referralId, 'recordAppointment', { appointmentOn: today }));
    expect((appointment as CommandRefused).refusal.reason).toBe('the fund must approve the referral first');
    await cmd(referralId, 'referToProvider', { referredOn: today, providerId: 'trauma-centre-nairobi' });
    await cmd(referralId, 'decideFunding', { actor: fundAdmin, decision: 'approve', amountCents: 8_000_000, financialYear: fy, decidedOn: today });
    await cmd(referralId, 'recordAppointment', { appointmentOn: today });
    await new Promise((r) => setTimeout(r, 300));
    const negative = await nothingRecorded(claimId, () => cmd(referralId, 'payProvider', { amountCents: -100, paidOn: today, reference: 'INV-1' }));
    expect((negative as CommandRefused).refusal.field).toBe('amountCents');
    const tooMuch = await nothingRecorded(claimId, () => cmd(referralId, 'payProvider', { amountCents: 8_000_001, paidOn: today, reference: 'INV-1' }));
    expect((tooMuch as CommandRefused).refusal.reason).toMatch(/more than the 8000000 cents still committed/);
    const future = await nothingRecorded(claimId, () => cmd(referralId, 'recordSession', { sessionOn: addDays(today, 3), attended: true }));
    expect((future as CommandRefused).refusal.field).toBe('sessionOn');
  });
});

it('when a funding decision and a session report are overdue, then the fund administrator and the provider are each reminded once', async () => {
  const { claimId } = await h.service.register(sampleOrder(), admin);
  const past = (d: number) => addDays(today, -d);
  const { referralId } = await h.referrals.requestReferral(claimId, request({ consent: { referral: true, shareAssessment: false, recordedOn: past(60) } }), advocate);
  await cmd(referralId, 'assessNeeds', { assessedOn: past(59), assessedCostCents: 6_000_000, sessionsPlanned: 6 });
  await cmd(referralId, 'referToProvider', { referredOn: past(50), providerId: 'trauma-centre-nairobi' });
  // Due 36 days ago: ladder level 1 (from day 14), which writes to the fund administrator and the advocate.
  const fundMail = () => h.smtp.messages.filter((m) => String(m.headers.get('x-redress-reminder')).startsWith(`referral:${referralId}:funding_decision/1/`));
  await h.smtp.waitFor(() => fundMail().length === 1);
  expect(fundMail()[0]!.text).toContain('decide whether the Victim Protection Fund funds this rehabilitation referral');
  expect(fundMail()[0]!.headers.get('to')).toMatchObject({ value: [{ address: 'vpf@fund.test' }, { address: 'wanjiru@advocates.test' }] });

  await cmd(referralId, 'decideFunding', { actor: fundAdmin, decision: 'approve', amountCents: 6_000_000, financialYear: fy, decidedOn: today });
  await cmd(referralId, 'recordAppointment', { appointmentOn: past(40) });
  const providerMail = () => h.smtp.messages.filter((m) => String(m.headers.get('x-redress-reminder')).startsWith(`referral:${referralId}:session_report/`));
  await h.smtp.waitFor(() => providerMail().length === 1);
  // Due 10 days ago: level 0, the provider alone.
  expect(providerMail()[0]!.headers.get('x-redress-reminder')).toBe(`referral:${referralId}:session_report/0/1`);
  expect(providerMail()[0]!.headers.get('to')).toMatchObject({ value: [{ address: 'referrals@trauma-centre.test' }] });
  expect(providerMail()[0]!.text).not.toContain('Outstanding today'); // the claim's money is not the provider's business
  await new Promise((r) => setTimeout(r, 3_000));
  expect(fundMail()).toHaveLength(1);
  expect(providerMail()).toHaveLength(1);
  expect(await countRows(h.db, 'reminders', { claim_id: claimId, deadline_key: `referral:${referralId}:funding_decision` })).toBe(1);
  expect((await claimSteps(h.db, claimId)).length).toBe(1);
});
