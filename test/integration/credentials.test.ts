/**
 * Credentials over real HTTP against two API processes, each with its own Db and so its own credential cache:
 * revocation, deactivation and signing out everywhere reach both within the documented time (AUTH_CACHE_MS);
 * API keys expire; passwords change; failed sign-ins slow an account down whatever address they come from.
 */
import { AUTH_CACHE_MS, createUser } from '../../api/access/users';
import { type Db, createDb } from '../../db/connection';
import { waitAfterFailures } from '../../db/credentials';
import { type Harness, countRows, createHarness, startApi } from '../support/harness';
import { apiCaller, pollUntil } from '../support/http';

jest.setTimeout(120_000);

let h: Harness;
let dbB: Db;
let apiA: Awaited<ReturnType<typeof startApi>>;
let apiB: Awaited<ReturnType<typeof startApi>>;
let callA: ReturnType<typeof apiCaller>;
let callB: ReturnType<typeof apiCaller>;
const password = 'correct horse battery staple';
/** Documented: every API process refuses a revoked credential within AUTH_CACHE_MS. A little slack for the poll. */
const WITHIN_MS = AUTH_CACHE_MS + 1_000;

beforeAll(async () => {
  h = await createHarness();
  // Two API processes: A uses the harness's Db, B its own (its own pool and credential cache).
  dbB = createDb(h.dbUrl);
  apiA = await startApi(h);
  apiB = await startApi(h, { db: dbB });
  callA = apiCaller(apiA.base);
  callB = apiCaller(apiB.base);
  await createUser(h.db, { id: 'achieng', name: 'Achieng (administrator)', role: 'administrator', password });
  for (const id of ['wanjiru', 'otieno', 'njeri', 'muthoni']) {
    await createUser(h.db, { id, name: `${id} (auditor)`, role: 'auditor', password });
  }
});
afterAll(async () => {
  await apiA?.close();
  await apiB?.close();
  await dbB?.destroy();
  await h?.close();
});

async function signIn(userId: string, pw = password): Promise<string> {
  const res = await callA('POST', '/api/session', { body: { userId, password: pw } });
  expect(res.status).toBe(201);
  return res.body.token;
}

/** Both processes accept the credential now (and so hold it in their caches). */
async function acceptedByBoth(token: string): Promise<void> {
  for (const call of [callA, callB]) expect((await call('GET', '/api/session', { token })).status).toBe(200);
}

/** How long until process B refuses the credential (A, which did the change, refuses it at once). */
async function refusedEverywhere(token: string): Promise<number> {
  expect((await callA('GET', '/api/session', { token })).status).toBe(401);
  const b = await pollUntil(() => callB('GET', '/api/session', { token }), (r) => r.status === 401, WITHIN_MS);
  expect(b.accepted).toBe(true);
  return b.afterMs;
}

describe('credentials in every API process', () => {
  // The three run side by side: each waits out the other process's cache, which is what is being tested.
  it('when a key is revoked, a user deactivated or a user signs out everywhere, then every API process refuses the credential within AUTH_CACHE_MS', async () => {
    const admin = await signIn('achieng');

    async function revokedKey(): Promise<string> {
      const mine = await signIn('wanjiru');
      const created = await callA('POST', '/api/api-keys', { token: mine, body: { label: 'laptop' } });
      expect(created.status).toBe(201);
      await acceptedByBoth(created.body.key);
      const revoked = await callA('DELETE', `/api/api-keys/${created.body.id}`, { token: mine });
      expect([revoked.status, revoked.body.id, typeof revoked.body.revokedAt]).toEqual([200, created.body.id, 'string']);
      return `revoked key: ${await refusedEverywhere(created.body.key)} ms`;
    }

    async function deactivatedUser(): Promise<string> {
      const token = await signIn('otieno');
      const key = (await callA('POST', '/api/api-keys', { token, body: { label: 'script' } })).body.key as string;
      await acceptedByBoth(token);
      await acceptedByBoth(key);
      const done = await callA('POST', '/api/users/otieno/deactivation', { token: admin });
      expect([done.status, done.body.id, done.body.active]).toEqual([200, 'otieno', false]);
      const [a, b] = await Promise.all([refusedEverywhere(token), refusedEverywhere(key)]);
      expect((await callB('POST', '/api/session', { body: { userId: 'otieno', password } })).status).toBe(401);
      expect(await countRows(h.db, 'sessions', { user_id: 'otieno' })).toBe(0);
      return `deactivated user's session: ${a} ms, key: ${b} ms`;
    }

    async function signedOutEverywhere(): Promise<string> {
      const here = await signIn('njeri');
      const there = await signIn('njeri');
      await acceptedByBoth(here);
      await acceptedByBoth(there);
      const out = await callB('DELETE', '/api/sessions', { token: there });
      expect([out.status, out.body.sessionsEnded]).toEqual([200, 2]);
      // B did it: B refuses both at once; A follows within AUTH_CACHE_MS.
      expect((await callB('GET', '/api/session', { token: here })).status).toBe(401);
      const a = await pollUntil(() => callA('GET', '/api/session', { token: here }), (r) => r.status === 401, WITHIN_MS);
      expect(a.accepted).toBe(true);
      expect((await callA('GET', '/api/session', { token: there })).status).toBe(401);
      return `signed-out-everywhere session: ${a.afterMs} ms`;
    }

    const measured = await Promise.all([revokedKey(), deactivatedUser(), signedOutEverywhere()]);
    console.log(`refused by the other API process after: ${measured.join('; ')}`);
  });
});

describe('API keys', () => {
  it('when keys are created, listed and revoked, then they expire, the list never shows a secret, and only the owner or an administrator revokes', async () => {
    const token = await signIn('muthoni');
    const plain = await callA('POST', '/api/api-keys', { token, body: { label: 'default lifetime' } });
    const days = (Date.parse(plain.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const short = await callA('POST', '/api/api-keys', { token, body: { label: 'one day', expiresInDays: 1 } });
    expect(short.status).toBe(201);
    const tooLong = await callA('POST', '/api/api-keys', { token, body: { label: 'forever', expiresInDays: 366 } });
    expect([tooLong.status, tooLong.body.errors]).toEqual([422, [{ field: 'expiresInDays', rule: 'must be at most 365' }]]);

    const list = await callA('GET', '/api/api-keys', { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((k: { label: string }) => k.label).sort()).toEqual(['default lifetime', 'one day']);
    expect(list.text).not.toContain('rk_');
    expect(Object.keys(list.body.items[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'revokedAt', 'userId']);

    // A key is refused from its expiry on, even by a process that holds it in its cache (kept no longer than the key).
    await h.db('api_keys').where({ public_id: short.body.id }).update({ expires_at: h.db.raw("now() + interval '1500 milliseconds'") });
    await acceptedByBoth(short.body.key);
    const expiresAt = Date.parse((await callA('GET', '/api/api-keys', { token })).body.items.find((k: { id: string }) => k.id === short.body.id).expiresAt);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now())));
    for (const call of [callA, callB]) {
      const refused = await pollUntil(() => call('GET', '/api/session', { token: short.body.key }), (r) => r.status === 401, 500, 20);
      expect(refused.accepted).toBe(true);
    }

    // Another user cannot revoke it, or see it (404, as for a key that does not exist); an administrator can.
    const other = await signIn('njeri');
    expect((await callA('DELETE', `/api/api-keys/${plain.body.id}`, { token: other })).status).toBe(404);
    expect((await callA('GET', '/api/api-keys?userId=muthoni', { token: other })).status).toBe(403);
    expect((await callA('DELETE', '/api/api-keys/00000000-0000-4000-8000-000000000000', { token })).status).toBe(404);
    expect((await callA('DELETE', '/api/api-keys/1', { token })).status).toBe(404);
    const admin = await signIn('achieng');
    expect((await callA('GET', '/api/api-keys?userId=muthoni', { token: admin })).body.items).toHaveLength(2);
    const revoked = await callA('DELETE', `/api/api-keys/${plain.body.id}`, { token: admin });
    expect([revoked.status, revoked.body.userId]).toEqual([200, 'muthoni']);
    expect((await h.db('api_keys').where({ public_id: plain.body.id }).first()).revoked_by).toBe('achieng');
    // Revoking again changes nothing.
    const again = await callA('DELETE', `/api/api-keys/${plain.body.id}`, { token: admin });
    expect([again.status, again.body.revokedAt]).toEqual([200, revoked.body.revokedAt]);
  });

  it('when deactivation is asked by a non-administrator, for oneself or for nobody, then it is refused', async () => {
    const auditor = await signIn('muthoni');
    expect((await callA('POST', '/api/users/njeri/deactivation', { token: auditor })).status).toBe(403);
    const admin = await signIn('achieng');
    expect((await callA('POST', '/api/users/achieng/deactivation', { token: admin })).status).toBe(409);
    expect((await callA('POST', '/api/users/nobody-here/deactivation', { token: admin })).status).toBe(404);
  });
});

describe('passwords and sign-in limits', () => {
  it('when a user changes their password, then the current one is required, other sessions end and this one goes on', async () => {
    await createUser(h.db, { id: 'kiprono', name: 'Kiprono', role: 'auditor', password });
    const here = await signIn('kiprono');
    const elsewhere = await signIn('kiprono');
    await acceptedByBoth(elsewhere);
    const wrong = await callA('POST', '/api/session/password', { token: here, body: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' } });
    expect([wrong.status, wrong.body.errors]).toEqual([422, [{ field: 'currentPassword', rule: 'is not your current password' }]]);
    const same = await callA('POST', '/api/session/password', { token: here, body: { currentPassword: password, newPassword: password } });
    expect([same.status, same.body.errors[0].field]).toEqual([422, 'newPassword']);
    const short = await callA('POST', '/api/session/password', { token: here, body: { currentPassword: password, newPassword: 'short' } });
    expect([short.status, short.body.errors[0]]).toEqual([422, { field: 'newPassword', rule: 'must be at least 12 characters' }]);
    const changed = await callA('POST', '/api/session/password', { token: here, body: { currentPassword: password, newPassword: 'a brand new passphrase' } });
    expect([changed.status, changed.body.otherSessionsEnded]).toEqual([200, 1]);
    expect((await callA('GET', '/api/session', { token: here })).status).toBe(200);
    expect((await callA('GET', '/api/session', { token: elsewhere })).status).toBe(401);
    expect((await callA('POST', '/api/session', { body: { userId: 'kiprono', password } })).status).toBe(401);
    await signIn('kiprono', 'a brand new passphrase');
  });

  it('when failed sign-ins for one account come from many addresses, then the account waits 1 s, 2 s … and a success resets it', async () => {
    await createUser(h.db, { id: 'amani', name: 'Amani', role: 'auditor', password });
    let address = 0;
    const attempt = (pw: string, userId = 'amani') => callA('POST', '/api/session', { body: { userId, password: pw }, headers: { 'x-forwarded-for': `203.0.113.${++address}` } });
    // Four free failures, each from another address.
    for (let i = 0; i < 4; i++) expect((await attempt('guess')).status).toBe(401);
    // The fifth is checked, and earns a 1 s wait; during it, even the right password is not looked at.
    expect((await attempt('guess')).status).toBe(401);
    const waiting = await attempt(password);
    expect([waiting.status, waiting.headers.get('retry-after')]).toEqual([429, '1']);
    expect(waiting.headers.get('content-type')).toMatch(/application\/problem\+json/);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await attempt('guess')).status).toBe(401); // the sixth: 2 s
    expect((await attempt(password)).headers.get('retry-after')).toBe('2');
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await attempt('guess')).status).toBe(401); // the seventh: 4 s
    const third = await attempt(password);
    expect([third.status, Number(third.headers.get('retry-after'))]).toEqual([429, 4]);
    // B is another API process: it reads the same count from PostgreSQL.
    expect((await callB('POST', '/api/session', { body: { userId: 'amani', password } })).status).toBe(429);
    await new Promise((r) => setTimeout(r, 4_100));
    expect((await attempt(password)).status).toBe(201);
    expect(await countRows(h.db, 'sign_in_failures', { account: 'amani' })).toBe(0);
    expect((await attempt('guess')).status).toBe(401); // counted from zero again: free
    expect((await attempt('guess')).status).toBe(401);

    // An account that does not exist is slowed down the same way: throttling says nothing about who exists.
    for (let i = 0; i < 5; i++) expect((await attempt('guess', 'nobody-at-all')).status).toBe(401);
    expect((await attempt('guess', 'nobody-at-all')).status).toBe(429);
  });

  it('when twenty guesses for one account arrive at once, then only the five the rule allows are checked', async () => {
    await createUser(h.db, { id: 'zawadi', name: 'Zawadi', role: 'auditor', password });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      callA('POST', '/api/session', { body: { userId: 'zawadi', password: `guess ${i}` }, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } })));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(15);
  });

  it('when the wait grows, then it doubles from 1 s and stops at 5 minutes', () => {
    expect([1, 4, 5, 6, 7, 8, 13, 14, 40, 10_000].map((n) => waitAfterFailures(n))).toEqual([0, 0, 1, 2, 4, 8, 256, 300, 300, 300]);
  });
});

describe('trust proxy', () => {
  it('when trust proxy is loopback, then the per-address limit counts X-Forwarded-For; when false, the connecting address', async () => {
    const loopback = await startApi(h, { rateLimitPerMinute: 3 });
    const direct = await startApi(h, { rateLimitPerMinute: 3, trustProxy: false });
    try {
      for (const [api, expected] of [[loopback, [200, 200, 200, 200]], [direct, [200, 200, 200, 429]]] as const) {
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          // Three requests from one forwarded address, the fourth from another.
          const res = await fetch(`${api.base}/api/public/statistics`, { headers: { 'x-forwarded-for': i < 3 ? '192.0.2.1' : '192.0.2.2' } });
          statuses.push(res.status);
        }
        expect(statuses).toEqual(expected);
      }
    } finally {
      await loopback.close();
      await direct.close();
    }
  });
});
