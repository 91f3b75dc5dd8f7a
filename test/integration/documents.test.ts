/**
 * Documents over real HTTP, PostgreSQL and Temporal: type and size limits, the SHA-256 in the claim's chain, every
 * download logged, assessment reports only with consent, nothing recorded for a refusal, and no claim's documents or
 * reminders reachable by another advocate or a provider. Also the claim's reminders.
 */
import { createHash } from 'node:crypto';
import { createApiKey, createUser } from '../../api/access/users';
import { verifyClaimChain } from '../../db/chain';
import { calendarDateAt } from '../../domain/calendar-date';
import { type Harness, countRows, createHarness, eventually, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(180_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  await h.referrals.registerProvider({ id: 'doc-clinic', name: 'Clinic', services: ['psychological'], county: 'Nairobi', email: 'c@clinic.test', capacity: 5 }, 'admin');
  for (const [id, role, extra] of [['achieng', 'administrator', {}], ['wanjiru', 'advocate', { advocateId: 'adv-wanjiru' }],
    ['otieno', 'advocate', { advocateId: 'adv-otieno' }], ['clinic', 'provider', { providerId: 'doc-clinic' }]] as const) {
    await createUser(h.db, { id, name: id, role, password: 'a long enough password', ...extra });
    tokens[id] = await createApiKey(h.db, id, 'test');
  }
});
afterAll(async () => { await api?.close(); await h?.close(); });

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('decree of the High Court (fictional)\n'), Buffer.from('%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

async function upload(claimId: string, who: string, body: Buffer, query: string, type = 'application/pdf') {
  const res = await fetch(`${api.base}/api/claims/${encodeURIComponent(claimId)}/documents?${query}`, {
    method: 'POST', body, headers: { 'content-type': type, authorization: `Bearer ${tokens[who]}` },
  });
  return { status: res.status, body: await res.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const get = (path: string, who: string) => fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });

it('when a decree is attached, then its SHA-256 is in the claim\'s chain, the download returns the same bytes, and the download is logged', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const up = await upload(claimId, 'wanjiru', PDF, 'kind=decree&filename=decree.pdf');
  expect(up.status).toBe(201);
  const sha256 = createHash('sha256').update(PDF).digest('hex');
  expect(up.body).toMatchObject({ kind: 'decree', filename: 'decree.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256 });
  const event = await h.db('claim_events').where({ claim_id: claimId, sequence: up.body.eventSequence }).first();
  expect([event.type, event.payload.sha256, event.payload.documentId, event.actor]).toEqual(['document_attached', sha256, up.body.id, 'wanjiru']);
  expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: true });

  const list = await (await get(`/api/claims/${claimId}/documents`, 'achieng')).json() as { items: { id: string; sha256: string }[] };
  expect(list.items.map((d) => [d.id, d.sha256])).toEqual([[up.body.id, sha256]]);
  const reads = () => countRows(h.db, 'personal_data_reads', { claim_id: claimId, what: 'document download', user_id: 'achieng' });
  expect(await reads()).toBe(0);
  const download = await get(`/api/claims/${claimId}/documents/${up.body.id}`, 'achieng');
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
  expect(await reads()).toBe(1);
  const logged = await h.db('personal_data_reads').where({ claim_id: claimId, what: 'document download' }).first();
  expect(logged.details).toEqual({ documentId: up.body.id, kind: 'decree', sha256 });
});

it('when a file is of the wrong type, too large, empty or of an unknown kind, then it is refused naming the rule and nothing is recorded', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const events = await countRows(h.db, 'claim_events', { claim_id: claimId });
  const answers = [
    await upload(claimId, 'achieng', PNG, 'kind=decree&filename=x.pdf'), // says PDF, is PNG
    await upload(claimId, 'achieng', Buffer.from('hello'), 'kind=decree&filename=x.txt', 'text/plain'),
    await upload(claimId, 'achieng', Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024)]), 'kind=decree&filename=big.pdf'),
    await upload(claimId, 'achieng', PDF, 'kind=selfie&filename=x.pdf'),
    await upload(claimId, 'achieng', PDF, 'kind=decree&filename=../../etc/passwd'),
    await upload(claimId, 'achieng', Buffer.alloc(0), 'kind=decree&filename=empty.pdf'),
    await upload(claimId, 'achieng', PDF, 'kind=decree&filename=x.pdf&colour=red'),
  ];
  expect(answers.map((a) => a.status)).toEqual([422, 415, 413, 422, 422, 422, 422]);
  expect(answers.map((a) => a.body.errors?.[0]?.field).slice(0, 6)).toEqual(['(body)', 'Content-Type', '(body)', 'kind', 'filename', '(body)']);
  expect(answers[6]!.body.errors[0].rule).toBe('unknown field(s): colour');
  expect(await countRows(h.db, 'claim_documents', { claim_id: claimId })).toBe(0);
  expect(await countRows(h.db, 'claim_events', { claim_id: claimId })).toBe(events);
});

it('when an assessment report is attached, then it is kept only where the survivor consented to sharing it', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const today = calendarDateAt(Date.now());
  const ask = (shareAssessment: boolean) => h.referrals.requestReferral(claimId, {
    service: 'psychological', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment, recordedOn: today },
    priority: { urgentMedical: false, ageYears: 30, disability: false },
  }, 'wanjiru');
  const { referralId: withheld } = await ask(false);
  const { referralId: shared } = await ask(true);
  await eventually(() => countRows(h.db, 'referrals', { claim_id: claimId }), (n) => n === 2);
  const refused = await upload(claimId, 'wanjiru', PDF, `kind=assessment_report&filename=a.pdf&referralId=${withheld}`);
  expect([refused.status, refused.body.errors[0].field]).toEqual([409, 'referralId']);
  expect((await upload(claimId, 'wanjiru', PDF, 'kind=assessment_report&filename=a.pdf')).status).toBe(422);
  expect((await upload(claimId, 'wanjiru', PDF, 'kind=assessment_report&filename=a.pdf&referralId=someone-elses--r-1')).status).toBe(404);
  const kept = await upload(claimId, 'wanjiru', PDF, `kind=assessment_report&filename=a.pdf&referralId=${shared}`);
  expect(kept.status).toBe(201);
  expect((await h.db('claim_documents').where({ claim_id: claimId }).pluck('referral_id'))).toEqual([shared]);
});

it('when another advocate or a provider asks for a claim\'s documents or reminders, then every endpoint answers 404', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const up = await upload(claimId, 'achieng', PDF, 'kind=payment_voucher&filename=pv.pdf');
  for (const who of ['otieno', 'clinic']) {
    expect((await upload(claimId, who, PDF, 'kind=decree&filename=x.pdf')).status).toBe(404);
    for (const path of [`/api/claims/${claimId}/documents`, `/api/claims/${claimId}/documents/${up.body.id}`, `/api/claims/${claimId}/reminders`, `/api/claims/${claimId}`]) {
      expect([who, path, (await get(path, who)).status]).toEqual([who, path, 404]);
    }
  }
  // A document id of another claim is not found through this one.
  const { claimId: other } = await h.service.register(sampleOrder(), 'achieng');
  expect((await get(`/api/claims/${other}/documents/${up.body.id}`, 'achieng')).status).toBe(404);
  expect(await countRows(h.db, 'personal_data_reads', { what: 'document download', claim_id: claimId })).toBe(0);
});

it('when reminders went out for a claim, then its page lists each with its recipients and outcome', async () => {
  const { claimId } = await h.service.register(sampleOrder({ judgmentDate: '2017-03-01' }), 'achieng'); // its certificate is long overdue
  const answer = await eventually(async () => (await get(`/api/claims/${claimId}/reminders`, 'wanjiru')).json() as Promise<{ items: Record<string, unknown>[] }>,
    (b) => b.items.length === 1 && b.items[0]!.status === 'sent', 60_000);
  expect(answer.items[0]).toMatchObject({ kind: 'certificate_application', level: 0, to: ['advocate'], recipients: ['wanjiru@advocates.test'], serverReply: null });
});
