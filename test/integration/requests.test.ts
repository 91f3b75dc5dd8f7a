/**
 * Requests an outsider can send, over raw HTTP: authentication before any large body is read; every body or
 * encoding error a 4xx problem+json, never a 500; a fund receipt sent again answered with the first.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createUser } from '../../api/access/users';
import { calendarDateAt } from '../../domain/calendar-date';
import { type Harness, countRows, createHarness, sampleOrder, startApi } from '../support/harness';
import { apiCaller } from '../support/http';

jest.setTimeout(120_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let call: ReturnType<typeof apiCaller>;
let token = '';
const password = 'correct horse battery staple';
const today = calendarDateAt(Date.now());

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  call = apiCaller(api.base);
  await createUser(h.db, { id: 'achieng', name: 'Achieng (administrator)', role: 'administrator', password });
  token = (await call('POST', '/api/session', { body: { userId: 'achieng', password } })).body.token;
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

/** A raw request: these headers and this body exactly, as an outsider's own client would send them. */
function raw(method: string, path: string, headers: Record<string, string | number>, body: Buffer | string = ''): Promise<{ status: number; type: string; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = request(`${api.base}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('requests an outsider can send', () => {
  it('when a large body is sent without sign-in, then 401 comes back before the body has been read', async () => {
    const declared = 50 * 1024 * 1024;
    const answer = await new Promise<{ status: number; sent: number; type: string; connection: string | undefined }>((resolve, reject) => {
      let sent = 0;
      // Without an answer while the rest of the body is held back, the API is waiting to read it: a failure.
      const timer = setTimeout(() => { req.destroy(); reject(new Error('no answer before the body was complete')); }, 10_000);
      const req = request(`${api.base}/api/claims`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': declared } }, (res) => {
        clearTimeout(timer);
        res.resume();
        resolve({ status: res.statusCode!, sent, type: String(res.headers['content-type']), connection: res.headers.connection });
      });
      req.on('error', (err) => (sent < declared ? undefined : reject(err))); // the server may close on us mid-upload: expected
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => { while (sent < 1024 * 1024 && req.write(chunk)) sent += chunk.length; };
      req.write('{"court":"');
      pump();
      // Stop after 1 MiB of the 50 MiB: the answer must come without the rest.
    });
    expect(answer.status).toBe(401);
    expect(answer.type).toMatch(/application\/problem\+json/);
    expect(answer.sent).toBeLessThan(declared);
    expect(answer.connection).toBe('close'); // the rest of the body is not drained
  });

  it('when a body is larger than the limit, then 413 for a signed-in route (after sign-in) and for sign-in (16 kB)', async () => {
    const big = JSON.stringify({ ...sampleOrder(), survivorRef: 'x'.repeat(300 * 1024) });
    const signedIn = await raw('POST', '/api/claims', { 'content-type': 'application/json', authorization: `Bearer ${token}` }, big);
    expect([signedIn.status, signedIn.body.title]).toEqual([413, 'Payload Too Large']);
    expect(signedIn.body.errors).toEqual([{ field: '(body)', rule: 'must be at most 204800 bytes' }]);
    const anonymous = await raw('POST', '/api/claims', { 'content-type': 'application/json' }, big);
    expect(anonymous.status).toBe(401);
    const signIn = await raw('POST', '/api/session', { 'content-type': 'application/json' }, JSON.stringify({ userId: 'achieng', password: 'p'.repeat(20 * 1024) }));
    expect([signIn.status, signIn.body.errors]).toEqual([413, [{ field: '(body)', rule: 'must be at most 16384 bytes' }]]);
  });

  it('when a body or its encoding is wrong in any way, then 4xx problem+json naming what is wrong, never 500', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const json = { 'content-type': 'application/json', ...auth };
    const order = JSON.stringify(sampleOrder());
    const cases: [string, string, Record<string, string>, Buffer | string, number, string | undefined][] = [
      ['malformed JSON', '/api/claims', json, '{"court": ', 400, '(body)'],
      ['a JSON string, not an object', '/api/claims', json, '"court"', 400, '(body)'],
      ['JSON null', '/api/claims', json, 'null', 400, '(body)'],
      ['a JSON array', '/api/claims', json, '[]', 422, '(body)'],
      ['latin-1 charset', '/api/claims', { ...json, 'content-type': 'application/json; charset=latin1' }, order, 415, 'Content-Type'],
      ['an unknown charset', '/api/claims', { ...json, 'content-type': 'application/json; charset=klingon' }, order, 415, 'Content-Type'],
      ['an unknown charset for CSV', '/api/imports', { ...auth, 'content-type': 'text/csv; charset=klingon' }, 'a,b\n', 415, 'Content-Type'],
      ['an unsupported content encoding', '/api/claims', { ...json, 'content-encoding': 'compress' }, order, 415, 'Content-Encoding'],
      ['gzip that is not gzip', '/api/claims', { ...json, 'content-encoding': 'gzip' }, 'not gzip at all', 400, undefined],
      ['text/plain', '/api/claims', { ...auth, 'content-type': 'text/plain' }, order, 415, 'Content-Type'],
      ['no content type', '/api/claims', auth, order, 415, 'Content-Type'],
      ['a form', '/api/session', { 'content-type': 'application/x-www-form-urlencoded' }, 'userId=achieng&password=x', 415, 'Content-Type'],
      ['JSON to the CSV import', '/api/imports', json, '{}', 415, 'Content-Type'],
      ['CSV to a JSON route', '/api/claims', { ...auth, 'content-type': 'text/csv' }, 'a,b\n', 415, 'Content-Type'],
      ['a gzip bomb past the limit', '/api/claims', { ...json, 'content-encoding': 'gzip' }, gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20)), 413, '(body)'],
    ];
    for (const [what, path, headers, body, status, field] of cases) {
      const res = await raw('POST', path, headers, body);
      expect([what, res.status]).toEqual([what, status]);
      expect([what, res.type]).toEqual([what, expect.stringMatching(/^application\/problem\+json/)]);
      if (field) expect([what, res.body.errors?.[0]?.field]).toEqual([what, field]);
    }
    // A compressed body within the limit is read.
    const gzipped = await raw('POST', '/api/claims', { ...json, 'content-encoding': 'gzip' }, gzipSync(order));
    expect(gzipped.status).toBe(201);
    // A malformed path is a 400 too.
    expect((await raw('GET', '/api/claims/%E0%A4%A', auth)).status).toBe(400);
  });

  it('when a fund receipt is sent again, then the first receipt answers (200, same body); with another amount or date, 409; never a second entry', async () => {
    const fy = '2029/30';
    const receipt = { financialYear: fy, amountCents: 2_500_000, reference: 'EXCH-2029-7', receivedOn: today };
    const first = await call('POST', '/api/fund/receipts', { token, body: receipt });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ ...receipt, admitted: [] });
    const again = await call('POST', '/api/fund/receipts', { token, body: receipt });
    expect([again.status, again.body]).toEqual([200, first.body]);
    const otherAmount = await call('POST', '/api/fund/receipts', { token, body: { ...receipt, amountCents: 2_500_001 } });
    expect([otherAmount.status, otherAmount.body.errors[0].field]).toEqual([409, 'amountCents']);
    expect(otherAmount.body.detail).toMatch(/already recorded/);
    const otherDate = await call('POST', '/api/fund/receipts', { token, body: { ...receipt, receivedOn: '2029-07-02' } });
    expect([otherDate.status, otherDate.body.errors[0].field]).toEqual([409, 'receivedOn']);
    // Sent five times at once: one entry, one 201.
    const burst = { ...receipt, reference: 'EXCH-2029-8' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/api/fund/receipts', { token, body: burst })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    for (const a of answers) expect(a.body).toEqual({ ...burst, admitted: [] });
    for (const reference of ['EXCH-2029-7', 'EXCH-2029-8']) {
      expect(await countRows(h.db, 'fund_ledger', { financial_year: fy, entry: 'receipt', reference })).toBe(1);
    }
    const report = await call('GET', '/api/fund/reports/2029-30', { token });
    expect(report.body.receivedCents).toBe(5_000_000);
  });

  it('when the OpenAPI document is fetched, then it documents the new endpoints and their problems', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/sessions', '/api/session/password', '/api/api-keys', '/api/api-keys/{keyId}', '/api/users/{userId}/deactivation']));
    expect(Object.keys(doc.paths['/api/sessions'])).toEqual(['delete']);
    expect(Object.keys(doc.paths['/api/api-keys/{keyId}'])).toEqual(['delete']);
    expect(Object.keys(doc.paths['/api/api-keys']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/session'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '413', '415', '422', '429']));
    expect(Object.keys(doc.paths['/api/claims'].post.responses)).toEqual(expect.arrayContaining(['400', '409', '413', '415']));
  });
});
