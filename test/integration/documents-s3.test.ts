/**
 * Documents in an S3-compatible store, over real HTTP, PostgreSQL, Temporal and a real S3 protocol server on loopback
 * (s3rver, test/support/s3-server.ts): the row keeps no bytes, the object's key says nothing personal, the download
 * returns the same bytes and is logged, documents kept under one setting stay downloadable under the other, bytes
 * altered in the bucket are never served, and another advocate still sees nothing.
 */
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createApiKey, createUser } from '../../api/access/users';
import { documentStoresFrom } from '../../api/config';
import { verifyClaimChain } from '../../db/chain';
import { workflowIdFor } from '../../domain/claim';
import { type Harness, countRows, createHarness, sampleOrder, startApi } from '../support/harness';
import { S3Server } from '../support/s3-server';

jest.setTimeout(180_000);

let h: Harness;
const s3 = new S3Server();
/** The API with REDRESS_DOCUMENT_STORE=s3, and one as deployed before the setting (PostgreSQL only). */
let api: Awaited<ReturnType<typeof startApi>>;
let before: Awaited<ReturnType<typeof startApi>>;
let bucket: S3Client;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  await s3.start();
  api = await startApi(h, documentStoresFrom({ ...s3.env }));
  before = await startApi(h);
  // Someone with access to the bucket, behind Redress's back.
  bucket = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  for (const [id, role, extra] of [['achieng', 'administrator', {}], ['wanjiru', 'advocate', { advocateId: 'adv-wanjiru' }],
    ['otieno', 'advocate', { advocateId: 'adv-otieno' }]] as const) {
    await createUser(h.db, { id, name: id, role, password: 'a long enough password', ...extra });
    tokens[id] = await createApiKey(h.db, id, 'test');
  }
});
afterAll(async () => { bucket?.destroy(); await api?.close(); await before?.close(); await s3.stop(); await h?.close(); });

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('decree of the High Court (fictional)\n'), Buffer.from('%%EOF\n')]);
const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function upload(base: string, claimId: string, who: string, body: Buffer, query: string) {
  const res = await fetch(`${base}/api/claims/${encodeURIComponent(claimId)}/documents?${query}`, {
    method: 'POST', body, headers: { 'content-type': 'application/pdf', authorization: `Bearer ${tokens[who]}` },
  });
  return { status: res.status, body: await res.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const get = (base: string, path: string, who: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
const downloads = (claimId: string) => countRows(h.db, 'personal_data_reads', { claim_id: claimId, what: 'document download' });
const keysInBucket = async () => ((await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key!);

it('when a decree is attached with the s3 store, then its row keeps no bytes, the object\'s key holds only its id, and the download returns the same bytes and is logged', async () => {
  const order = sampleOrder();
  const { claimId } = await h.service.register(order, 'achieng');
  const filename = `decree ${order.survivorRef}.pdf`;
  const up = await upload(api.base, claimId, 'wanjiru', PDF, `kind=decree&filename=${encodeURIComponent(filename)}`);
  expect(up.status).toBe(201);
  expect(up.body).toMatchObject({ kind: 'decree', filename, sizeBytes: PDF.length, sha256: sha256Of(PDF) });
  const event = await h.db('claim_events').where({ claim_id: claimId, sequence: up.body.eventSequence }).first();
  expect([event.type, event.payload.sha256, event.payload.documentId]).toEqual(['document_attached', sha256Of(PDF), up.body.id]);
  expect(await verifyClaimChain(h.db, claimId)).toMatchObject({ ok: true });

  const row = await h.db('claim_documents').where({ id: up.body.id }).first('storage', 'content');
  expect(row).toEqual({ storage: 's3', content: null });
  const key = `documents/${up.body.id}`;
  expect(await keysInBucket()).toContain(key);
  for (const personal of [claimId, order.survivorRef, order.caseNumber, filename, 'decree']) expect(key).not.toContain(personal);
  const head = await bucket.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
  expect([head.ContentLength, head.Metadata ?? {}]).toEqual([PDF.length, {}]);

  expect(await downloads(claimId)).toBe(0);
  const download = await get(api.base, `/api/claims/${claimId}/documents/${up.body.id}`, 'achieng');
  expect([download.status, download.headers.get('content-type'), download.headers.get('x-content-sha256')]).toEqual([200, 'application/pdf', sha256Of(PDF)]);
  expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
  expect(await downloads(claimId)).toBe(1);
  const logged = await h.db('personal_data_reads').where({ claim_id: claimId, what: 'document download' }).first();
  expect([logged.user_id, logged.details]).toEqual(['achieng', { documentId: up.body.id, kind: 'decree', sha256: sha256Of(PDF) }]);
});

it('when the setting changes between postgres and s3, then documents kept under either stay downloadable', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const old = await upload(before.base, claimId, 'wanjiru', PDF, 'kind=decree&filename=decree.pdf');
  expect(await h.db('claim_documents').where({ id: old.body.id }).first('storage')).toEqual({ storage: 'postgres' });
  const fresh = await upload(api.base, claimId, 'wanjiru', PDF, 'kind=payment_voucher&filename=pv.pdf');
  expect(await h.db('claim_documents').where({ id: fresh.body.id }).first('storage')).toEqual({ storage: 's3' });

  // Set back to postgres, with the bucket still configured: the documents kept in S3 are read from there.
  const back = await startApi(h, documentStoresFrom({ ...s3.env, REDRESS_DOCUMENT_STORE: 'postgres' }));
  try {
    for (const base of [api.base, back.base]) {
      for (const id of [old.body.id, fresh.body.id]) {
        const res = await get(base, `/api/claims/${claimId}/documents/${id}`, 'achieng');
        expect([base, id, res.status]).toEqual([base, id, 200]);
        expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
      }
    }
  } finally { await back.close(); }
  expect(await downloads(claimId)).toBe(4);

  // An API told nothing of the bucket says so, rather than that the document does not exist.
  const unaware = await get(before.base, `/api/claims/${claimId}/documents/${fresh.body.id}`, 'achieng');
  expect(unaware.status).toBe(503);
  expect(await downloads(claimId)).toBe(4);
});

it('when an object is altered or removed in the bucket behind Redress\'s back, then the download is refused and nothing is served or logged', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const altered = await upload(api.base, claimId, 'wanjiru', PDF, 'kind=decree&filename=decree.pdf');
  const removed = await upload(api.base, claimId, 'wanjiru', PDF, 'kind=certificate_of_order&filename=cert.pdf');
  const forged = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('decree of the High Court, amount doubled (fictional)\n'), Buffer.from('%%EOF\n')]);
  await bucket.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `documents/${altered.body.id}`, Body: forged }));
  await bucket.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: `documents/${removed.body.id}` }));

  const res = await get(api.base, `/api/claims/${claimId}/documents/${altered.body.id}`, 'achieng');
  expect(res.status).toBe(500);
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.includes(Buffer.from('amount doubled'))).toBe(false);
  expect(JSON.parse(body.toString('utf8')).detail).toMatch(/does not match the SHA-256/);
  const gone = await get(api.base, `/api/claims/${claimId}/documents/${removed.body.id}`, 'achieng');
  expect(gone.status).toBe(500); // a fault of the store, not a document that does not exist
  expect(await downloads(claimId)).toBe(0);
});

it('when another advocate asks for a claim\'s document kept in the bucket, then it is not found and nothing is logged', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  const up = await upload(api.base, claimId, 'wanjiru', PDF, 'kind=decree&filename=decree.pdf');
  expect(up.status).toBe(201);
  expect((await upload(api.base, claimId, 'otieno', PDF, 'kind=decree&filename=x.pdf')).status).toBe(404);
  for (const path of [`/api/claims/${claimId}/documents`, `/api/claims/${claimId}/documents/${up.body.id}`]) {
    expect([path, (await get(api.base, path, 'otieno')).status]).toEqual([path, 404]);
  }
  const { claimId: other } = await h.service.register(sampleOrder(), 'achieng');
  expect((await get(api.base, `/api/claims/${other}/documents/${up.body.id}`, 'achieng')).status).toBe(404);
  expect(await downloads(claimId)).toBe(0);
  expect(await countRows(h.db, 'claim_documents', { claim_id: claimId })).toBe(1);
});

it('when the bucket cannot take the file, then the upload fails before anything is recorded: no chain event, no row', async () => {
  const broken = await startApi(h, documentStoresFrom({ ...s3.env, REDRESS_S3_BUCKET: 'no-such-bucket' }));
  try {
    const { claimId } = await h.service.register(sampleOrder(), 'achieng');
    const events = await countRows(h.db, 'claim_events', { claim_id: claimId });
    const up = await upload(broken.base, claimId, 'wanjiru', PDF, 'kind=decree&filename=decree.pdf');
    expect(up.status).toBeGreaterThanOrEqual(500);
    expect(await countRows(h.db, 'claim_events', { claim_id: claimId })).toBe(events);
    expect(await countRows(h.db, 'claim_documents', { claim_id: claimId })).toBe(0);
  } finally {
    await broken.close();
  }
});

it('when the claim refuses the document (its workflow has ended), then the file is taken back out of the bucket and nothing is recorded', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'achieng');
  await h.env.client.workflow.getHandle(workflowIdFor(claimId)).terminate('test: a claim that no longer takes commands');
  const keys = await keysInBucket();
  const up = await upload(api.base, claimId, 'wanjiru', PDF, 'kind=decree&filename=decree.pdf');
  expect(up.status).toBeGreaterThanOrEqual(400);
  expect(await keysInBucket()).toEqual(keys);
  expect(await countRows(h.db, 'claim_documents', { claim_id: claimId })).toBe(0);
  expect(await countRows(h.db, 'claim_events', { claim_id: claimId, type: 'document_attached' })).toBe(0);
});
