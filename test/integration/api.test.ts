/**
 * The HTTP API against real PostgreSQL and Temporal, over real HTTP on loopback.
 */
import { createUser } from '../../api/access/users';
import { calendarDateAt } from '../../domain/calendar-date';
import { financialYearOf } from '../../domain/referral';
import { type Harness, countRows, createHarness, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(120_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let base = '';
const tokens: Record<string, string> = {};
const password = 'correct horse battery staple';

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  base = api.base;
  await createUser(h.db, { id: 'achieng', name: 'Achieng (administrator)', role: 'administrator', password });
  await createUser(h.db, { id: 'wanjiru', name: 'Wanjiru (advocate)', role: 'advocate', advocateId: 'adv-wanjiru', password });
  await createUser(h.db, { id: 'otieno', name: 'Otieno (advocate)', role: 'advocate', advocateId: 'adv-otieno', password });
  await createUser(h.db, { id: 'kamau', name: 'Kamau (auditor)', role: 'auditor', password });
  for (const id of ['achieng', 'wanjiru', 'otieno', 'kamau']) {
    const res = await call('POST', '/api/session', { body: { userId: id, password } });
    expect(res.status).toBe(201);
    tokens[id] = res.body.token;
  }
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

async function call(method: string, path: string, opts: { as?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.as ? { authorization: `Bearer ${tokens[opts.as]}` } : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let body: any = text; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { body = JSON.parse(text); } catch { /* CSV or HTML */ }
  return { status: res.status, body, headers: res.headers };
}

const today = calendarDateAt(Date.now());
async function registered(overrides: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/claims', { as: 'achieng', body: sampleOrder(overrides) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('API', () => {
  it('when the OpenAPI document is fetched, then it is 3.1 and documents every command path; /docs lists them', async () => {
    const doc = await call('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    for (const p of ['/api/claims', '/api/claims/{id}', '/api/claims/{id}/tranches', '/api/claims/{id}/enforcement/mandamus/grant', '/api/claims/{id}/referrals/{referralId}/funding-decision', '/api/public/statistics']) {
      expect(Object.keys(doc.body.paths)).toContain(p);
    }
    const docs = await call('GET', '/docs');
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(docs.body).toContain('/api/claims/{id}/receipts');
    expect((await call('GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/ready')).body).toEqual({ status: 'ready', workersPolling: 1 });
  });

  it('when an administrator registers an order, then 201; the same court and case again, then 200 with the same claim', async () => {
    const order = sampleOrder();
    const first = await call('POST', '/api/claims', { as: 'achieng', body: order });
    expect(first.status).toBe(201);
    expect(first.body.claim).toMatchObject({ stage: 'registered', currency: 'KES', amounts: { awardedCents: 85_011_000 } });
    const again = await call('POST', '/api/claims', { as: 'achieng', body: order });
    expect([again.status, again.body.id, again.body.created]).toEqual([200, first.body.id, false]);
  });

  it('when a body breaks field rules, then 422 problem+json names each field and rule; unknown fields are refused', async () => {
    const res = await call('POST', '/api/claims', { as: 'achieng', body: { ...sampleOrder(), judgmentDate: '2017-02-30', components: [{ label: 'x', amountCents: -1, interestFrom: '2017-03-01' }], colour: 'red' } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([
      { field: 'judgmentDate', rule: 'must be a calendar date YYYY-MM-DD' },
      { field: 'components.0.amountCents', rule: 'must be more than 0' },
      { field: '(body)', rule: 'unknown field(s): colour' },
    ]));
    const bad = await fetch(`${base}/api/claims`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.achieng}` }, body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ title: 'Bad Request', detail: 'the body is not valid JSON' });
  });

  it('when commands are sent, then each returns the workflow verdict: 200 with the new state, 422 or 409 with its reason', async () => {
    const id = await registered();
    const early = await call('POST', `/api/claims/${id}/certificate`, { as: 'achieng', body: { issuedOn: '2017-03-10' } });
    expect([early.status, early.body.errors[0].field]).toEqual([422, 'issuedOn']);
    const alloc = await call('POST', `/api/claims/${id}/allocations`, { as: 'achieng', body: { amountCents: 100, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-01' } });
    expect(alloc.status).toBe(409);
    expect(alloc.body.detail).toMatch(/before the certificate of order is served/);
    expect((await call('POST', `/api/claims/${id}/certificate`, { as: 'achieng', body: { issuedOn: '2017-03-22' } })).status).toBe(200);
    expect((await call('POST', `/api/claims/${id}/certificate/service`, { as: 'achieng', body: { servedOn: '2017-03-23' } })).body.status.stage).toBe('certificate_served');
    expect((await call('POST', `/api/claims/${id}/allocations`, { as: 'achieng', body: { amountCents: 90_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-01' } })).status).toBe(200);
    const over = await call('POST', `/api/claims/${id}/tranches`, { as: 'achieng', body: { paymentReference: 'PV-1', amountCents: 9_999_999_999, paidOn: '2024-08-01' } });
    expect([over.status, over.body.errors[0].field]).toEqual([422, 'amountCents']);

    const tranche = { paymentReference: 'PV-1', amountCents: 10_000_000, paidOn: '2024-08-01' };
    const paid = await call('POST', `/api/claims/${id}/tranches`, { as: 'achieng', body: tranche, headers: { 'idempotency-key': 'tranche-PV-1-attempt' } });
    expect(paid.status).toBe(200);
    const replay = await call('POST', `/api/claims/${id}/tranches`, { as: 'achieng', body: tranche, headers: { 'idempotency-key': 'tranche-PV-1-attempt' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(paid.body);
    const refusal = { amountCents: 100, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2016-01-01' };
    const refused = await call('POST', `/api/claims/${id}/allocations`, { as: 'achieng', body: refusal, headers: { 'idempotency-key': 'allocation-refused-1' } });
    const refusedAgain = await call('POST', `/api/claims/${id}/allocations`, { as: 'achieng', body: refusal, headers: { 'idempotency-key': 'allocation-refused-1' } });
    expect([refusedAgain.status, refusedAgain.headers.get('content-type'), refusedAgain.body]).toEqual([refused.status, expect.stringContaining('application/problem+json'), refused.body]);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const misuse = await call('POST', `/api/claims/${id}/tranches`, { as: 'achieng', body: { ...tranche, amountCents: 5 }, headers: { 'idempotency-key': 'tranche-PV-1-attempt' } });
    expect([misuse.status, misuse.body.errors[0].field]).toEqual([422, 'Idempotency-Key']);
    expect(await countRows(h.db, 'disbursements', { claim_id: id })).toBe(1);

    const detail = await call('GET', `/api/claims/${id}`, { as: 'achieng' });
    expect(detail.body).toMatchObject({ stage: 'disbursing', currency: 'KES', amounts: { paidCents: 10_000_000 } });
    expect(detail.body.amounts.outstandingCents).toBeGreaterThan(0);
    expect(detail.body.deadlines.map((d: { kind: string }) => d.kind)).toEqual(expect.arrayContaining(['payment']));
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['claim_registered', 'tranche_paid']));
  });

  it('when every claim command is sent over HTTP, then each succeeds in order, and each refuses an impossible date naming its field', async () => {
    const id = await registered();
    const steps: [string, Record<string, unknown>, string][] = [
      ['certificate', { issuedOn: '2017-03-22' }, 'issuedOn'],
      ['certificate/service', { servedOn: '2017-03-23' }, 'servedOn'],
      ['enforcement/notice', { servedOn: '2017-06-01' }, 'servedOn'],
      ['enforcement/mandamus', { filedOn: '2017-07-01' }, 'filedOn'],
      ['enforcement/mandamus/grant', { grantedOn: '2017-08-01', complianceDays: 14 }, 'grantedOn'],
      ['enforcement/show-cause', { servedOn: '2017-09-01' }, 'servedOn'],
      ['enforcement/contempt', { foundOn: '2017-09-15', purgeDays: 30 }, 'foundOn'],
      ['stay', { grantedOn: '2018-01-01', reason: 'appeal' }, 'grantedOn'],
      ['stay/lift', { liftedOn: '2018-06-01' }, 'liftedOn'],
      ['allocations', { amountCents: 200_000_000, budgetLine: 'R1', financialYear: '2024/25', allocatedOn: '2024-07-01' }, 'allocatedOn'],
      ['tranches', { paymentReference: 'PV-A', amountCents: 1_000_000, paidOn: '2024-08-01' }, 'paidOn'],
      ['tranches/reversals', { paymentReference: 'PV-A', reason: 'wrong claim' }, 'paymentReference'],
      ['tranches', { paymentReference: 'PV-B', amountCents: 2_000_000, paidOn: '2024-08-02' }, 'paidOn'],
      ['receipts', { paymentReference: 'PV-B', receivedOn: '2024-08-03' }, 'receivedOn'],
      ['withdrawal', { withdrawnOn: '2024-09-01', reason: 'settled out of court' }, 'withdrawnOn'],
    ];
    for (const [path, body, dateField] of steps) {
      const wrong = { ...body, [dateField]: dateField === 'paymentReference' ? 'no such ref!' : '2017-02-30' };
      const refused = await call('POST', `/api/claims/${id}/${path}`, { as: 'achieng', body: wrong });
      expect([path, refused.status, refused.body.errors?.[0]?.field]).toEqual([path, 422, dateField]);
      const ok = await call('POST', `/api/claims/${id}/${path}`, { as: 'achieng', body });
      expect([path, ok.status]).toEqual([path, 200]);
    }
    const after = await call('POST', `/api/claims/${id}/stay`, { as: 'achieng', body: { grantedOn: '2024-09-02', reason: 'x' } });
    expect([after.status, after.body.detail]).toEqual([409, 'the claim is withdrawn; no further step can be recorded']);
    const other = await registered();
    expect((await call('POST', `/api/claims/${other}/set-aside`, { as: 'achieng', body: { setAsideOn: '2017-13-01', reason: 'appeal allowed' } })).status).toBe(422);
    expect((await call('POST', `/api/claims/${other}/set-aside`, { as: 'achieng', body: { setAsideOn: '2017-05-01', reason: 'appeal allowed' } })).body.status.stage).toBe('set_aside');
  });

  it('when referral steps are sent over HTTP, then each succeeds in order and an out-of-order step is refused', async () => {
    const id = await registered({ advocateId: 'adv-wanjiru' });
    await h.referrals.registerProvider({ id: 'api-clinic', name: 'Clinic', services: ['medical'], county: 'Nairobi', email: 'c@clinic.test', capacity: 5 }, 'achieng');
    const fy = financialYearOf(today);
    expect((await call('POST', '/api/fund/receipts', { as: 'achieng', body: { financialYear: fy, amountCents: 10_000_000, reference: 'API-R1', receivedOn: today } })).status).toBe(201);
    const noConsent = await call('POST', `/api/claims/${id}/referrals`, { as: 'wanjiru', body: { service: 'medical', beneficiary: { kind: 'survivor' }, consent: { referral: false, shareAssessment: true, recordedOn: today }, priority: { urgentMedical: true, ageYears: 50, disability: false } } });
    expect([noConsent.status, noConsent.body.errors[0].field]).toEqual([422, 'consent.referral']);
    const created = await call('POST', `/api/claims/${id}/referrals`, { as: 'wanjiru', body: { service: 'medical', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment: true, recordedOn: today }, priority: { urgentMedical: true, ageYears: 50, disability: false } } });
    expect(created.status).toBe(201);
    const r = `/api/claims/${id}/referrals/${created.body.referralId}`;
    const early = await call('POST', `${r}/appointments`, { as: 'wanjiru', body: { appointmentOn: today } });
    expect(early.status).toBe(409);
    for (const [path, body, who] of [
      ['assessment', { assessedOn: today, assessedCostCents: 500_000, sessionsPlanned: 2 }, 'wanjiru'],
      ['provider', { referredOn: today, providerId: 'api-clinic' }, 'wanjiru'],
      ['funding-decision', { decision: 'approve', amountCents: 400_000, financialYear: fy, decidedOn: today }, 'achieng'],
      ['appointments', { appointmentOn: today }, 'wanjiru'],
      ['sessions', { sessionOn: today, attended: true }, 'wanjiru'],
      ['provider-payments', { amountCents: 300_000, paidOn: today, reference: 'INV-1' }, 'achieng'],
      ['completion', { completedOn: today }, 'wanjiru'],
    ] as const) {
      const res = await call('POST', `${r}/${path}`, { as: who, body });
      expect([path, res.status]).toEqual([path, 200]);
    }
    expect((await call('POST', `${r}/discontinuation`, { as: 'wanjiru', body: { discontinuedOn: today, reason: 'x' } })).status).toBe(409);
    expect((await call('POST', `${r}/provider-payments`, { as: 'wanjiru', body: { amountCents: 1, paidOn: today, reference: 'INV-2' } })).status).toBe(403);
    const report = await call('GET', `/api/fund/reports/${fy.replace('/', '-')}`, { as: 'kamau' });
    expect(report.body).toMatchObject({ receivedCents: 10_000_000, committedCents: 400_000, paidCents: 300_000, releasedCents: 100_000 });
  });

  it('when a second advocate asks for any endpoint that takes a claim id, then 404; the assigned advocate is served and the read is logged', async () => {
    const id = await registered({ advocateId: 'adv-wanjiru' });
    const doc = await call('GET', '/openapi.json');
    const claimPaths = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).filter(([p]) => p.startsWith('/api/claims/{id}'));
    expect(claimPaths.length).toBeGreaterThanOrEqual(25);
    for (const [path, ops] of claimPaths) {
      for (const method of Object.keys(ops)) {
        const url = path.replace('{id}', id).replace('{referralId}', `${id}--r-00000000`);
        const res = await call(method.toUpperCase(), url, { as: 'otieno', body: method === 'post' ? {} : undefined });
        // Scope comes first: even an empty (invalid) body gets 404, never 422, 403 or 409.
        expect([`${method} ${path}`, res.status]).toEqual([`${method} ${path}`, 404]);
      }
    }
    expect((await call('POST', `/api/claims/${id}/receipts`, { as: 'otieno', body: { paymentReference: 'PV-1', receivedOn: today } })).status).toBe(404);
    expect((await call('POST', `/api/claims/${id}/stay`, { as: 'otieno', body: { grantedOn: today, reason: 'x' } })).status).toBe(404);
    const list = await call('GET', '/api/claims?limit=100', { as: 'otieno' });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(id);

    const mine = await call('GET', `/api/claims/${id}`, { as: 'wanjiru' });
    expect([mine.status, mine.body.survivorRef]).toEqual([200, 'SURV-2016-0042']);
    expect(await countRows(h.db, 'personal_data_reads', { user_id: 'wanjiru', claim_id: id })).toBe(1);
    expect((await call('POST', `/api/claims/${id}/stay`, { as: 'wanjiru', body: { grantedOn: today, reason: 'x' } })).status).toBe(403);
    expect((await call('POST', `/api/claims/${id}/stay`, { as: 'kamau', body: { grantedOn: today, reason: 'x' } })).status).toBe(403);
    expect((await call('GET', `/api/claims/${id}/audit`, { as: 'kamau' })).body).toMatchObject({ ok: true, claimId: id });
  });

  it('when a list is asked for, then it is filtered and paginated with a cap of 100', async () => {
    await registered({ respondentAgencyId: 'kenya-wildlife-service' });
    const capped = await call('GET', '/api/claims?limit=101', { as: 'achieng' });
    expect([capped.status, capped.body.errors[0]]).toEqual([422, { field: 'limit', rule: 'must be at most 100 (the cap)' }]);
    const filtered = await call('GET', '/api/claims?agency=kenya-wildlife-service&limit=1', { as: 'achieng' });
    expect(filtered.body).toMatchObject({ total: 1, limit: 1, offset: 0 });
    expect(filtered.body.items[0]).toMatchObject({ respondentAgencyId: 'kenya-wildlife-service', currency: 'KES' });
    expect((await call('GET', '/api/claims?colour=red', { as: 'achieng' })).status).toBe(422);
  });

  it('when no or a bad credential is given, then 401; an expired session is refused; an API key works', async () => {
    expect((await call('GET', '/api/claims')).status).toBe(401);
    expect((await call('POST', '/api/session', { body: { userId: 'achieng', password: 'wrong password!' } })).status).toBe(401);
    const s = await call('POST', '/api/session', { body: { userId: 'kamau', password } });
    await h.db('sessions').update({ expires_at: new Date(Date.now() - 1000) }).whereRaw('created_at >= now() - interval \'5 seconds\'').andWhere('user_id', 'kamau');
    expect((await fetch(`${base}/api/claims`, { headers: { authorization: `Bearer ${s.body.token}` } })).status).toBe(401);
    const key = await call('POST', '/api/api-keys', { as: 'achieng', body: { label: 'import script' } });
    expect(key.body.key).toMatch(/^rk_/);
    expect((await fetch(`${base}/api/claims`, { headers: { authorization: `Bearer ${key.body.key}` } })).status).toBe(200);
    expect(await countRows(h.db, 'api_keys', { key_hash: key.body.key })).toBe(0); // stored hashed only
  });
});
