/**
 * Incidents over real HTTP against real PostgreSQL and Temporal: who sees what (an investigator, a prosecutor and a
 * documenting organisation get 404 on every endpoint of an incident that is not theirs), every read of a victim's
 * record logged, a referral funded from an incident with no court order, and a claim and a referral linked to one
 * incident.
 */
import { createApiKey, createUser } from '../../api/access/users';
import { addDays, calendarDateAt } from '../../domain/calendar-date';
import { financialYearOf } from '../../domain/referral';
import { type Harness, countRows, createHarness, eventually, sampleIncident, sampleOrder, startApi } from '../support/harness';
import { apiCaller } from '../support/http';

jest.setTimeout(180_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let call: ReturnType<typeof apiCaller>;
const keys: Record<string, string> = {};
const password = 'a long enough password';
const today = calendarDateAt(Date.now());
const fy = financialYearOf(today);
let mine = ''; // recorded by imlu, police: IPOA investigates; forwarded to the ODPP
let theirs = ''; // recorded by watch, prisons: the DCI investigates; not forwarded

const as = (user: string, method: string, path: string, body?: unknown) => call(method, path, { token: keys[user], body });

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  call = apiCaller(api.base);
  await h.incidents.setOrganisation({ id: 'imlu', name: 'Medico-legal unit (fictional)', email: 'cases@imlu.test' }, 'setup');
  await h.incidents.setOrganisation({ id: 'watch', name: 'Prison watch (fictional)', email: 'desk@watch.test' }, 'setup');
  await h.incidents.setBody({ id: 'odpp-coast', name: 'ODPP Coast Region (fictional)', kind: 'prosecuting' }, 'setup');
  await h.referrals.registerProvider({ id: 'trauma-centre', name: 'Trauma Centre (fictional)', services: ['psychological', 'medical'], county: 'Nairobi', email: 'intake@trauma.test', capacity: 20 }, 'setup');
  await h.referrals.receiveFunds({ financialYear: fy, amountCents: 100_000_000, reference: 'EXCHEQUER-INC-1', receivedOn: today }, 'setup');
  const users: [string, string, Record<string, string>][] = [
    ['achieng', 'administrator', {}], ['kamau', 'auditor', {}], ['wanjiru', 'advocate', { advocateId: 'adv-wanjiru' }],
    ['ipoa-officer', 'investigator', { bodyId: 'ipoa' }], ['dci-officer', 'investigator', { bodyId: 'dci' }],
    ['odpp-counsel', 'prosecutor', { bodyId: 'odpp' }], ['coast-counsel', 'prosecutor', { bodyId: 'odpp-coast' }],
    ['imlu-clerk', 'documenting_organisation', { organisationId: 'imlu' }], ['watch-clerk', 'documenting_organisation', { organisationId: 'watch' }],
  ];
  for (const [id, role, extra] of users) {
    await createUser(h.db, { id, name: id, role, password, ...extra });
    keys[id] = await createApiKey(h.db, id, 'test');
  }
  const occurredOn = addDays(today, -30);
  const a = await as('imlu-clerk', 'POST', '/api/incidents', sampleIncident({ reference: 'IMLU/2026/1', occurredOn, sources: [{ kind: 'complaint', on: occurredOn }], interventions: [] }));
  expect(a.status).toBe(201);
  mine = a.body.id;
  const b = await as('watch-clerk', 'POST', '/api/incidents', sampleIncident({
    reference: 'PW/2026/9', occurredOn, sources: [{ kind: 'documenting_organisation', on: occurredOn }], interventions: [],
    acts: [{ act: 'torture', victimRef: 'VICT-PW-9', perpetrator: { agencyId: 'kenya-prisons-service', unitCategory: 'prison_officers' } }],
  }));
  expect(b.status).toBe(201);
  theirs = b.body.id;
  for (const [path, body, user] of [
    ['complaint', { lodgedOn: today }, 'imlu-clerk'], ['acknowledgement', { acknowledgedOn: today, bodyReference: 'IPOA/1' }, 'ipoa-officer'],
    ['opening', { openedOn: today }, 'ipoa-officer'], ['findings', { foundOn: today, conclusion: 'offence_disclosed' }, 'ipoa-officer'],
    ['recommendation', { recommendedOn: today, recommendation: 'prosecute' }, 'ipoa-officer'], ['forwarding', { forwardedOn: today }, 'ipoa-officer'],
  ] as const) {
    const res = await as(user, 'POST', `/api/incidents/${mine}/investigation/${path}`, body);
    expect([path, res.status]).toEqual([path, 200]);
  }
  await eventually(() => h.incidents.trackStatus(mine, 'prosecution').catch(() => null), (s) => s !== null);
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

it('when each role lists incidents, then each sees exactly its own; an advocate may not list them', async () => {
  const ids = async (user: string) => (await as(user, 'GET', '/api/incidents?limit=100')).body.items.map((i: { id: string }) => i.id).sort();
  expect(await ids('achieng')).toEqual([mine, theirs].sort());
  expect(await ids('kamau')).toEqual([mine, theirs].sort());
  expect(await ids('ipoa-officer')).toEqual([mine]);
  expect(await ids('dci-officer')).toEqual([theirs]);
  expect(await ids('odpp-counsel')).toEqual([mine]);
  expect(await ids('coast-counsel')).toEqual([]);
  expect(await ids('imlu-clerk')).toEqual([mine]);
  expect(await ids('watch-clerk')).toEqual([theirs]);
  expect((await as('wanjiru', 'GET', '/api/incidents')).status).toBe(403);
  // Filters work inside the scope, never around it.
  expect((await as('dci-officer', 'GET', `/api/incidents?q=${encodeURIComponent('IMLU/2026/1')}`)).body).toMatchObject({ total: 0, items: [] });
  expect((await as('achieng', 'GET', '/api/incidents?prosecutionStage=file_received')).body.items.map((i: { id: string }) => i.id)).toEqual([mine]);
  expect((await as('achieng', 'GET', '/api/incidents?act=torture&county=nairobi&limit=1')).body).toMatchObject({ total: 2, limit: 1 });
});

it('when an investigator of another body, another prosecutor office, another organisation or an advocate tries every endpoint of an incident, then each gets 404 and nothing is recorded or logged', async () => {
  const doc = (await call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const endpoints = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/incidents/{id}'))
    .flatMap(([p, ops]) => Object.keys(ops).map((method) => [method.toUpperCase(), p] as const));
  expect(endpoints.length).toBe(2 + 6 + 8 + 4 + 1 + 8); // read, audit; the steps of each track; a referral and its steps
  const before = [await countRows(h.db, 'incident_events', {}), await countRows(h.db, 'personal_data_reads', {}), await countRows(h.db, 'referral_priority', {})];
  const outsiders: [string, string][] = [['dci-officer', mine], ['coast-counsel', mine], ['watch-clerk', mine], ['wanjiru', mine], ['odpp-counsel', theirs], ['ipoa-officer', theirs], ['imlu-clerk', theirs]];
  for (const [user, incident] of outsiders) {
    for (const [method, path] of endpoints) {
      const url = path.replace('{id}', encodeURIComponent(incident)).replace('{referralId}', `${incident}--r-00000000`);
      const res = await as(user, method, url, method === 'POST' ? {} : undefined);
      expect([user, method, path, res.status, res.headers.get('content-type')]).toEqual([user, method, path, 404, expect.stringContaining('application/problem+json')]);
    }
    // A guessed id is no different from another's.
    expect((await as(user, 'GET', '/api/incidents/imlu.imlu-2026-2')).status).toBe(404);
  }
  expect([await countRows(h.db, 'incident_events', {}), await countRows(h.db, 'personal_data_reads', {}), await countRows(h.db, 'referral_priority', {})]).toEqual(before);
});

it('when those who may see an incident read it, then each read is logged; one may see but not act (403), an auditor reads and verifies but records nothing', async () => {
  for (const user of ['ipoa-officer', 'odpp-counsel', 'imlu-clerk', 'kamau', 'achieng']) {
    const reads = await countRows(h.db, 'personal_data_reads', { user_id: user, incident_id: mine });
    const res = await as(user, 'GET', `/api/incidents/${mine}`);
    expect([user, res.status]).toEqual([user, 200]);
    expect(res.body.acts[1]).toMatchObject({ act: 'death_in_custody', victimRef: 'VICT-2026-0001', claimantRef: 'FAM-2026-0001' });
    expect(res.body.tracks.map((t: { track: string; stage: string }) => [t.track, t.stage])).toEqual([['inquest', 'awaiting_notification'], ['investigation', 'forwarded'], ['prosecution', 'file_received']]);
    expect(await countRows(h.db, 'personal_data_reads', { user_id: user, incident_id: mine })).toBe(reads + 1);
  }
  expect((await as('ipoa-officer', 'GET', `/api/incidents/${mine}`)).body.linkedClaims).toBeUndefined();
  expect((await as('ipoa-officer', 'POST', `/api/incidents/${mine}/prosecution/charging-decision`, { decidedOn: today, decision: 'charge' })).status).toBe(403);
  expect((await as('odpp-counsel', 'POST', `/api/incidents/${mine}/investigation/opening`, { openedOn: today })).status).toBe(403);
  expect((await as('kamau', 'POST', `/api/incidents/${mine}/inquest/notification`, { notifiedOn: today, notifiedBy: 'police' })).status).toBe(403);
  const audit = await as('kamau', 'GET', `/api/incidents/${mine}/audit`);
  expect(audit.body).toMatchObject({ ok: true, chains: [{ track: 'incident' }, { track: 'inquest' }, { track: 'investigation' }, { track: 'prosecution' }] });
});

it('when a step is refused over HTTP, then the answer is problem+json naming the field or the reason, and nothing is recorded', async () => {
  const events = await countRows(h.db, 'incident_events', { incident_id: mine, track: 'prosecution' });
  const early = await as('odpp-counsel', 'POST', `/api/incidents/${mine}/prosecution/charges`, { filedOn: today, court: 'Milimani', caseNumber: 'CR 1', accusedCount: 1 });
  expect([early.status, early.body.detail]).toEqual([409, 'out of order: record a decision to charge first']);
  const bad = await as('odpp-counsel', 'POST', `/api/incidents/${mine}/prosecution/charging-decision`, { decidedOn: today, decision: 'no_charge' });
  expect([bad.status, bad.body.errors]).toEqual([422, [{ field: 'reasons', rule: 'reasons are required for a decision of no charge' }]]);
  const shape = await as('odpp-counsel', 'POST', `/api/incidents/${mine}/prosecution/charging-decision`, { decidedOn: '2026-02-30', decision: 'maybe' });
  expect(shape.status).toBe(422);
  expect(shape.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['decidedOn', 'decision']);
  expect(await countRows(h.db, 'incident_events', { incident_id: mine, track: 'prosecution' })).toBe(events);
  const charged = await as('odpp-counsel', 'POST', `/api/incidents/${mine}/prosecution/charging-decision`, { decidedOn: today, decision: 'charge' });
  expect([charged.status, charged.body.status.stage]).toEqual([200, 'to_be_charged']);
});

it('when a documenting organisation registers under another organisation, then it is refused; an administrator may register for any', async () => {
  const res = await as('watch-clerk', 'POST', '/api/incidents', sampleIncident({ documentingOrganisationId: 'imlu', occurredOn: today, sources: [{ kind: 'complaint', on: today }], interventions: [] }));
  expect([res.status, res.body.errors]).toEqual([422, [{ field: 'documentingOrganisationId', rule: 'must be your own organisation (watch) or left out' }]]);
  const admin = await as('achieng', 'POST', '/api/incidents', sampleIncident({ documentingOrganisationId: 'imlu', occurredOn: today, sources: [{ kind: 'complaint', on: today }], interventions: [] }));
  expect([admin.status, admin.body.incident.documentingOrganisationId]).toEqual([201, 'imlu']);
  expect((await as('ipoa-officer', 'POST', '/api/incidents', sampleIncident())).status).toBe(403);
});

it('when a referral starts from an incident with no court order, then the fund commits from its ledger under the same rules, and the incident keeps its record and deadlines', async () => {
  const requested = await as('imlu-clerk', 'POST', `/api/incidents/${mine}/referrals`, {
    service: 'psychological', beneficiary: { kind: 'family_member', relationship: 'mother' },
    consent: { referral: true, shareAssessment: false, recordedOn: today }, priority: { urgentMedical: false, ageYears: 61, disability: false },
  });
  expect(requested.status).toBe(201);
  const referralId = requested.body.referralId as string;
  expect(referralId.startsWith(`${mine}--r-`)).toBe(true);
  const noConsent = await as('imlu-clerk', 'POST', `/api/incidents/${mine}/referrals`, {
    service: 'medical', beneficiary: { kind: 'survivor' }, consent: { referral: false, shareAssessment: false, recordedOn: today }, priority: { urgentMedical: true, ageYears: 30, disability: false },
  });
  expect([noConsent.status, noConsent.body.errors[0]]).toEqual([422, { field: 'consent.referral', rule: 'consent to the referral is required' }]);
  const base = `/api/incidents/${mine}/referrals/${referralId}`;
  expect((await as('imlu-clerk', 'POST', `${base}/assessment`, { assessedOn: today, assessedCostCents: 8_000_000, sessionsPlanned: 8 })).status).toBe(200);
  expect((await as('imlu-clerk', 'POST', `${base}/provider`, { referredOn: today, providerId: 'trauma-centre' })).status).toBe(200);
  expect((await as('imlu-clerk', 'POST', `${base}/funding-decision`, { decision: 'approve', amountCents: 7_500_000, financialYear: fy, decidedOn: today })).status).toBe(403);
  const funded = await as('achieng', 'POST', `${base}/funding-decision`, { decision: 'approve', amountCents: 7_500_000, financialYear: fy, decidedOn: today });
  expect([funded.status, funded.body.stage]).toEqual([200, 'funded']);
  const ledger = await h.db('fund_ledger').where({ referral_id: referralId }).select('entry', 'amount_cents');
  expect(ledger.map((l) => [l.entry, Number(l.amount_cents)])).toEqual([['commitment', 7_500_000]]);
  const row = await eventually(() => h.db('referrals').where({ id: referralId }).first(), (r) => r?.stage === 'funded');
  expect([row.claim_id, row.incident_id]).toEqual([null, mine]);
  // The incident records each step in its own chain and now keeps the first appointment's deadline.
  const steps = await eventually(() => h.db('incident_events').where({ incident_id: mine, track: 'incident' }).whereIn('type', ['referral_requested', 'referral_step']).orderBy('sequence'),
    (rows) => rows.length >= 4);
  expect(steps.map((e) => e.payload.step ?? 'requested')).toEqual(['requested', 'assessNeeds', 'referToProvider', 'decideFunding']);
  const live = await eventually(() => h.incidents.incidentStatus(mine), (s) => s.deadlines.some((d) => d.kind === 'referral_first_appointment'));
  expect(live.deadlines.map((d) => d.kind)).toEqual(['referral_first_appointment']);
  // Another incident's referral is not reachable through this one.
  expect((await as('achieng', 'POST', `/api/incidents/${theirs}/referrals/${referralId}/appointments`, { appointmentOn: today })).status).toBe(404);
});

it('when a court order names the incident and a referral is made on that claim, then the incident shows the claim and its referral beside its own, and records the link', async () => {
  // Referrals started from this incident before (written with the request, before any projection).
  const earlier = Number((await h.db('referral_priority').where('referral_id', 'like', `${mine}--r-%`).count({ n: '*' }).first())?.n ?? 0);
  const direct = await as('imlu-clerk', 'POST', `/api/incidents/${mine}/referrals`, {
    service: 'legal_aid', beneficiary: { kind: 'family_member', relationship: 'sister' },
    consent: { referral: true, shareAssessment: true, recordedOn: today }, priority: { urgentMedical: false, ageYears: 35, disability: true },
  });
  expect(direct.status).toBe(201);
  const claim = await as('achieng', 'POST', '/api/claims', sampleOrder({ incidentId: mine, violationTypes: ['torture', 'extra_judicial_killing'] }));
  expect(claim.status).toBe(201);
  const claimId = claim.body.id as string;
  expect((await h.db('claims').where({ id: claimId }).first()).incident_id).toBe(mine);
  const unknown = await as('achieng', 'POST', '/api/claims', sampleOrder({ incidentId: 'imlu.no-such-record' }));
  expect([unknown.status, unknown.body.errors]).toEqual([422, [{ field: 'incidentId', rule: 'unknown incident imlu.no-such-record' }]]);
  const referral = await h.referrals.requestReferral(claimId, {
    service: 'medical', beneficiary: { kind: 'family_member', relationship: 'brother' }, consent: { referral: true, shareAssessment: true, recordedOn: today },
    priority: { urgentMedical: true, ageYears: 40, disability: false },
  }, 'adv-wanjiru');
  await eventually(() => h.db('referrals').where({ id: referral.referralId }).first(), (r) => r !== undefined);
  const detail = await eventually(() => as('achieng', 'GET', `/api/incidents/${mine}`), (r) => r.body.referrals.length === earlier + 2);
  expect(detail.body.linkedClaims).toEqual([{ id: claimId, court: sampleOrder().court, caseNumber: claim.body.claim.caseNumber, stage: 'registered' }]);
  expect(detail.body.referrals).toEqual(expect.arrayContaining([
    expect.objectContaining({ id: referral.referralId, claimId }), expect.objectContaining({ id: direct.body.referralId, claimId: null }),
  ]));
  await eventually(() => countRows(h.db, 'incident_events', { incident_id: mine, type: 'claim_linked' }), (n) => n === 1);
  // Registering the same order again links nothing twice.
  await as('achieng', 'POST', '/api/claims', sampleOrder({ incidentId: mine, caseNumber: claim.body.claim.caseNumber }));
  await h.incidents.incidentStatus(mine);
  expect(await countRows(h.db, 'incident_events', { incident_id: mine, type: 'claim_linked' })).toBe(1);
});
