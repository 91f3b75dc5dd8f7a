/** Temporal payloads are encrypted end to end; the codec endpoint decrypts them for administrators and auditors only. */
import { createApiKey, createUser } from '../../api/access/users';
import { type Harness, createHarness, sampleOrder, startApi } from '../support/harness';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
});
afterAll(async () => { await h?.close(); });

it('when a claim runs, then its history holds no readable order, and the codec endpoint opens it only for the right roles', async () => {
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

  await createUser(h.db, { id: 'auditor', name: 'Auditor', role: 'auditor', password: 'a long enough password' });
  await createUser(h.db, { id: 'advocate', name: 'Advocate', role: 'advocate', advocateId: 'adv-wanjiru', password: 'a long enough password' });
  const api = await startApi(h);
  try {
    const wire = { payloads: [{ metadata: Object.fromEntries(Object.entries(started.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(started.data!).toString('base64') }] };
    const decode = async (headers: Record<string, string>) => fetch(`${api.base}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(wire) });
    expect((await decode({})).status).toBe(401);
    expect((await decode({ authorization: `Bearer ${await createApiKey(h.db, 'advocate', 'x')}` })).status).toBe(403);
    const ok = await decode({ authorization: `Bearer ${await createApiKey(h.db, 'auditor', 'x')}` });
    expect(ok.status).toBe(200);
    const [payload] = ((await ok.json()) as { payloads: { data: string }[] }).payloads;
    expect(Buffer.from(payload!.data, 'base64').toString()).toContain(order.caseNumber);
  } finally {
    await api.close();
  }
});
