/**
 * Providers sign in and see only the referrals sent to them (real HTTP, PostgreSQL and Temporal): they record the
 * first appointment, sessions and invoices; another provider's referral, and every claim, answers 404.
 */
import { createApiKey, createUser } from '../../api/access/users';
import { calendarDateAt } from '../../domain/calendar-date';
import { financialYearOf } from '../../domain/referral';
import { type Harness, countRows, createHarness, eventually, sampleOrder, startApi } from '../support/harness';
import { apiCaller } from '../support/http';

jest.setTimeout(180_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let call: ReturnType<typeof apiCaller>;
const tokens: Record<string, string> = {};
const today = calendarDateAt(Date.now());
const fy = financialYearOf(today);

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  call = apiCaller(api.base);
  for (const id of ['clinic-a', 'clinic-b']) {
    await h.referrals.registerProvider({ id, name: id, services: ['psychological'], county: 'Nairobi', email: `${id}@provider.test`, capacity: 10 }, 'admin');
  }
  await h.referrals.receiveFunds({ financialYear: fy, amountCents: 500_000_000, reference: 'EX-1', receivedOn: today }, 'admin');
  for (const [id, role, extra] of [['nurse-a', 'provider', { providerId: 'clinic-a' }], ['nurse-b', 'provider', { providerId: 'clinic-b' }],
    ['wanjiru', 'advocate', { advocateId: 'adv-wanjiru' }]] as const) {
    await createUser(h.db, { id, name: id, role, password: 'a long enough password', ...extra });
    tokens[id] = await createApiKey(h.db, id, 'test');
  }
});
afterAll(async () => { await api?.close(); await h?.close(); });

async function fundedReferral(providerId: string, shareAssessment = true) {
  const { claimId } = await h.service.register(sampleOrder(), 'admin');
  const { referralId } = await h.referrals.requestReferral(claimId, {
    service: 'psychological', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment, recordedOn: today },
    priority: { urgentMedical: false, ageYears: 34, disability: false }, needsNote: 'Cannot sleep more than three hours.',
  }, 'wanjiru');
  const cmd = (name: Parameters<Harness['referrals']['command']>[1], input: Record<string, unknown>) => h.referrals.command(referralId, name, { actor: 'admin', ...input });
  await cmd('assessNeeds', { assessedOn: today, assessedCostCents: 30_000_000, sessionsPlanned: 6 });
  await cmd('referToProvider', { referredOn: today, providerId });
  await cmd('decideFunding', { decision: 'approve', amountCents: 30_000_000, financialYear: fy, decidedOn: today });
  await eventually(() => h.db('referrals').where({ id: referralId }).first('stage'), (r) => r?.stage === 'funded');
  return { claimId, referralId };
}

it('when a provider signs in, then they see the referrals sent to them and record an appointment, a session and an invoice', async () => {
  const { referralId } = await fundedReferral('clinic-a');
  const list = await call('GET', '/api/provider/referrals', { token: tokens['nurse-a'] });
  expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([referralId]);
  expect((await call('GET', '/api/provider/referrals', { token: tokens['nurse-b'] })).body.items).toEqual([]);

  const detail = await call('GET', `/api/provider/referrals/${referralId}`, { token: tokens['nurse-a'] });
  expect(detail.body).toMatchObject({ stage: 'funded', approvedCents: 30_000_000, assessment: { needsNote: 'Cannot sleep more than three hours.' } });
  expect(await countRows(h.db, 'personal_data_reads', { user_id: 'nurse-a', what: 'referral needs assessment (provider)' })).toBe(1);

  const session = await call('POST', `/api/provider/referrals/${referralId}/sessions`, { token: tokens['nurse-a'], body: { sessionOn: today, attended: true } });
  expect(session.status).toBe(409); // the first appointment comes first
  expect((await call('POST', `/api/provider/referrals/${referralId}/appointments`, { token: tokens['nurse-a'], body: { appointmentOn: today } })).status).toBe(200);
  const attended = await call('POST', `/api/provider/referrals/${referralId}/sessions`, { token: tokens['nurse-a'], body: { sessionOn: today, attended: true } });
  expect([attended.status, attended.body.sessions]).toEqual([200, [{ sessionOn: today, attended: true }]]);
  const invoice = await call('POST', `/api/provider/referrals/${referralId}/invoices`, { token: tokens['nurse-a'], body: { reference: 'INV-001', amountCents: 5_000_000, invoicedOn: today } });
  expect(invoice.status).toBe(201);
  expect((await call('POST', `/api/provider/referrals/${referralId}/invoices`, { token: tokens['nurse-a'], body: { reference: 'INV-001', amountCents: 5_000_000, invoicedOn: today } })).status).toBe(409);
  expect((await call('POST', `/api/provider/referrals/${referralId}/invoices`, { token: tokens['nurse-a'], body: { reference: 'INV-002', amountCents: 0, invoicedOn: today } })).body.errors[0].field).toBe('amountCents');
  await eventually(() => h.db('claim_events').where({ type: 'referral_step' }).whereRaw("payload->>'referralId' = ?", [referralId]).pluck('payload'),
    (p) => p.some((x: { step: string }) => x.step === 'recordSession'));
});

it('when a provider reaches for another provider\'s referral or any claim, then every endpoint answers 404, and nothing is recorded', async () => {
  const { claimId, referralId } = await fundedReferral('clinic-a', false);
  const b = tokens['nurse-b'];
  const answers = [
    await call('GET', `/api/provider/referrals/${referralId}`, { token: b }),
    await call('POST', `/api/provider/referrals/${referralId}/appointments`, { token: b, body: { appointmentOn: today } }),
    await call('POST', `/api/provider/referrals/${referralId}/sessions`, { token: b, body: { sessionOn: today, attended: true } }),
    await call('POST', `/api/provider/referrals/${referralId}/invoices`, { token: b, body: { reference: 'X-1', amountCents: 1, invoicedOn: today } }),
    await call('POST', `/api/provider/referrals/${referralId}/invoices`, { token: b, body: { nonsense: true } }), // 404 before the body is judged
    await call('GET', `/api/claims/${claimId}`, { token: b }),
    await call('GET', `/api/claims/${claimId}/documents`, { token: b }),
    await call('POST', `/api/claims/${claimId}/referrals/${referralId}/sessions`, { token: b, body: { sessionOn: today, attended: true } }),
    await call('GET', '/api/provider/referrals/made-up--r-00000000', { token: tokens['nurse-a'] }),
  ];
  expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 404]);
  expect(await countRows(h.db, 'provider_invoices', { referral_id: referralId })).toBe(0);
  // Without consent to share, the provider's own view has no assessment.
  expect((await call('GET', `/api/provider/referrals/${referralId}`, { token: tokens['nurse-a'] })).body.assessment).toBeNull();
  // Advocates and others are not providers.
  expect((await call('GET', '/api/provider/referrals', { token: tokens.wanjiru })).status).toBe(403);
});
