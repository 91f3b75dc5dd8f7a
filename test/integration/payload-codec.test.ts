/**
 * Temporal payloads and failure messages are encrypted end to end; the codec endpoint decrypts them for
 * administrators and auditors only, logs each decode as a read of personal data, lets only administrators
 * encode, and refuses to "decode" a payload that was never encrypted.
 */
import { createApiKey, createUser } from '../../api/access/users';
import { claimIdFor } from '../../domain/claim';
import { type Harness, countRows, createHarness, eventually, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(120_000);

/** Claims whose first reminder attempt fails with a message naming this marker (as a refused send would). */
const failFirstAttempt = new Map<string, string>();

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
const keys: Record<string, string> = {};
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker({
    deliveryFaults: {
      beforeSend: (input, attempt) => {
        const marker = failFirstAttempt.get(input.claimId ?? '');
        if (marker && attempt === 1) throw new Error(`the relay refused the message about ${marker}`);
      },
    },
  });
  api = await startApi(h);
  for (const [id, role] of [['auditor', 'auditor'], ['advocate', 'advocate'], ['admin', 'administrator']] as const) {
    await createUser(h.db, { id, name: id, role, password: 'a long enough password', ...(role === 'advocate' ? { advocateId: 'adv-wanjiru' } : {}) });
    keys[id] = await createApiKey(h.db, id, 'x');
  }
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

type Wire = { metadata: Record<string, string>; data: string };
const toWire = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): Wire => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const codec = (op: 'encode' | 'decode', payloads: Wire[], as?: string, headers: Record<string, string> = {}) =>
  fetch(`${api.base}/codec/${op}`, {
    method: 'POST', body: JSON.stringify({ payloads }),
    headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${keys[as]}` } : {}), ...headers },
  });
const decodeReads = () => countRows(h.db, 'personal_data_reads', { what: 'temporal payload decode' });

it('when a claim runs, then its history holds no readable order, and the codec endpoint opens it only for the right roles, logging each read', async () => {
  const order = sampleOrder();
  const { claimId } = await h.service.register(order, 'admin');
  await h.service.command(claimId, 'issueCertificate', { actor: 'admin', issuedOn: '2017-03-22' });
  expect((await h.service.liveStatus(claimId)).stage).toBe('certificate_issued'); // the client decrypts transparently

  const history = await h.env.client.workflow.getHandle(`claim-${claimId}`).fetchHistory();
  const started = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  const raw = JSON.stringify(history);
  const everyPayload = (raw.match(/"data":"([A-Za-z0-9+/=]+)"/g) ?? []).map((d) => Buffer.from(d.slice(8, -1), 'base64').toString('latin1')).join('');
  for (const text of [order.caseNumber, order.court, order.survivorRef, '2017-03-22']) {
    expect(raw).not.toContain(text);
    expect(everyPayload).not.toContain(text);
  }
  expect(Buffer.from(started.metadata!.encoding!).toString()).toBe('binary/encrypted');

  const wire = [toWire(started)];
  const before = await decodeReads();
  expect((await codec('decode', wire)).status).toBe(401);
  expect((await codec('decode', wire, 'advocate')).status).toBe(403);
  expect(await decodeReads()).toBe(before);
  const ok = await codec('decode', wire, 'auditor', { 'x-namespace': 'default' });
  expect(ok.status).toBe(200);
  const [payload] = ((await ok.json()) as { payloads: Wire[] }).payloads;
  expect(Buffer.from(payload!.data, 'base64').toString()).toContain(order.caseNumber);
  const [read] = await h.db('personal_data_reads').where({ what: 'temporal payload decode' }).orderBy('id', 'desc').limit(1);
  expect(read).toMatchObject({ user_id: 'auditor', claim_id: null, details: { namespace: 'default', payloads: 1 } });
  expect(await decodeReads()).toBe(before + 1);
});

it('when an auditor asks to encode, then 403; an administrator encodes, and the result is sealed', async () => {
  const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"court":"High Court"}').toString('base64') };
  expect((await codec('encode', [plain], 'auditor')).status).toBe(403);
  const res = await codec('encode', [plain], 'admin');
  expect(res.status).toBe(200);
  const [sealed] = ((await res.json()) as { payloads: Wire[] }).payloads;
  expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
  expect(Buffer.from(sealed!.data, 'base64').toString('latin1')).not.toContain('High Court');
  const opened = ((await (await codec('decode', [sealed!], 'admin')).json()) as { payloads: Wire[] }).payloads[0]!;
  expect(Buffer.from(opened.data, 'base64').toString()).toBe('{"court":"High Court"}');
});

it('when a payload that is not encrypted is sent to decode, then 422 names its index, and nothing is returned or logged', async () => {
  const sealed = ((await (await codec('encode', [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') }], 'admin')).json()) as { payloads: Wire[] }).payloads[0]!;
  const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"survivorRef":"SURV-1"}').toString('base64') };
  const before = await decodeReads();
  const res = await codec('decode', [sealed, plain, { metadata: {}, data: '' }], 'auditor');
  expect(res.status).toBe(422);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = await res.json() as { errors: { field: string; rule: string }[] };
  expect(body.errors.map((e) => e.field)).toEqual(['payloads[1]', 'payloads[2]']);
  expect(body.errors[0]!.rule).toContain('is not encrypted (encoding json/plain)');
  expect(JSON.stringify(body)).not.toContain(plain.data);
  expect(await decodeReads()).toBe(before);
  expect((await codec('decode', [null as unknown as Wire], 'auditor')).status).toBe(422);
});

it('when an activity fails, then its message is unreadable in the raw history and readable through the codec', async () => {
  const order = sampleOrder();
  const marker = `SURV-FAILURE-${Math.floor(Math.random() * 1e9)}`;
  failFirstAttempt.set(claimIdFor(order.court, order.caseNumber), marker);
  const { claimId } = await h.service.register(order, 'admin');
  // The first attempt to send the (overdue) reminder fails with the marker; the retry sends it.
  await eventually(() => h.db('reminders').where({ claim_id: claimId }).first(), (r) => r?.status === 'sent', 60_000);
  const history = await h.env.client.workflow.getHandle(`claim-${claimId}`).fetchHistory();
  const retried = history.events!.map((e) => e.activityTaskStartedEventAttributes).find((a) => a?.lastFailure);
  expect(retried?.attempt).toBe(2);
  expect(retried!.lastFailure!.message).toBe('Encoded failure');
  expect(retried!.lastFailure!.stackTrace).toBe('');
  expect(JSON.stringify(history)).not.toContain(marker);
  expect(Buffer.from(retried!.lastFailure!.encodedAttributes!.data!).toString('latin1')).not.toContain(marker);

  const res = await codec('decode', [toWire(retried!.lastFailure!.encodedAttributes!)], 'auditor');
  expect(res.status).toBe(200);
  const [attrs] = ((await res.json()) as { payloads: Wire[] }).payloads;
  const decoded = JSON.parse(Buffer.from(attrs!.data, 'base64').toString()) as { message: string; stack_trace: string };
  expect(decoded.message).toBe(`the relay refused the message about ${marker}`);
  expect(await countRows(h.db, 'reminder_deliveries', { step: 'failed', detail: decoded.message })).toBe(1);
});

it('when the Temporal UI sends cookies instead of a token, then a signed-in auditor decodes through the codec cookie, which is HttpOnly, Secure, same-site and for /codec only; others cannot get one', async () => {
  const { claimId } = await h.service.register(sampleOrder(), 'admin');
  const history = await h.env.client.workflow.getHandle(`claim-${claimId}`).fetchHistory();
  const wire = [toWire(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!)];
  const session = (as: string, method = 'POST') => fetch(`${api.base}/codec/session`, { method, headers: { authorization: `Bearer ${keys[as]}` } });

  expect((await session('advocate')).status).toBe(403);
  expect((await fetch(`${api.base}/codec/session`, { method: 'POST' })).status).toBe(401);
  const granted = await session('auditor');
  expect(granted.status).toBe(204);
  const cookie = granted.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^redress_codec=[^;]+; Max-Age=43200; Path=\/codec; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);

  const before = await decodeReads();
  const viaCookie = await codec('decode', wire, undefined, { cookie: cookie.split(';')[0]! });
  expect(viaCookie.status).toBe(200);
  expect(await decodeReads()).toBe(before + 1);
  // The auditor's cookie does not open encode (administrators only), and a forged one opens nothing.
  expect((await codec('encode', wire, undefined, { cookie: cookie.split(';')[0]! })).status).toBe(403);
  expect((await codec('decode', wire, undefined, { cookie: 'redress_codec=rk_forged' })).status).toBe(401);
  const cleared = await session('auditor', 'DELETE');
  expect([cleared.status, cleared.headers.get('set-cookie')]).toEqual([204, expect.stringMatching(/^redress_codec=; Path=\/codec; Expires=Thu, 01 Jan 1970/)]);
});
