/**
 * Idempotency-Key over real HTTP, against real PostgreSQL and Temporal: reserved before the command runs, scoped
 * per user and route, released when the command fails, never keeping a secret, and purged when expired.
 */
import { Client } from '@temporalio/client';
import { createUser } from '../../api/access/users';
import { purgeExpired } from '../../db/credentials';
import { calendarDateAt } from '../../domain/calendar-date';
import { ensureMaintenanceSchedule } from '../../worker/maintenance-schedule';
import { type Harness, TEST_DATA_CONVERTER, countRows, createHarness, eventually, sampleOrder, startApi } from '../support/harness';
import { type Answer, apiCaller } from '../support/http';

jest.setTimeout(120_000);

let h: Harness;
let api: Awaited<ReturnType<typeof startApi>>;
let call: ReturnType<typeof apiCaller>;
const tokens: Record<string, string> = {};
const password = 'correct horse battery staple';
const today = calendarDateAt(Date.now());

beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
  api = await startApi(h);
  call = apiCaller(api.base);
  await createUser(h.db, { id: 'achieng', name: 'Achieng (administrator)', role: 'administrator', password });
  await createUser(h.db, { id: 'baraka', name: 'Baraka (administrator)', role: 'administrator', password });
  await createUser(h.db, { id: 'wanjiru', name: 'Wanjiru (advocate)', role: 'advocate', advocateId: 'adv-wanjiru', password });
  for (const id of ['achieng', 'baraka', 'wanjiru']) {
    const res = await call('POST', '/api/session', { body: { userId: id, password } });
    expect(res.status).toBe(201);
    tokens[id] = res.body.token;
  }
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

const referralRequest = { service: 'medical', beneficiary: { kind: 'survivor' }, consent: { referral: true, shareAssessment: true, recordedOn: today }, priority: { urgentMedical: false, ageYears: 40, disability: false } };

async function registered(): Promise<string> {
  const res = await call('POST', '/api/claims', { token: tokens.achieng, body: sampleOrder({ advocateId: 'adv-wanjiru' }) });
  expect(res.status).toBe(201);
  return res.body.id;
}

const secretIn = (a: Answer) => /rk_[A-Za-z0-9_-]{20,}/.test(a.text);

describe('Idempotency-Key', () => {
  it('when two identical referral requests with one key arrive at once, then one referral is recorded and both get its answer', async () => {
    const id = await registered();
    const send = () => call('POST', `/api/claims/${id}/referrals`, { token: tokens.wanjiru, body: referralRequest, headers: { 'idempotency-key': 'referral-once-0001' } });
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.referralId)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    const referrals = await h.db('referral_priority').where('referral_id', 'like', `${id}--%`).count({ n: '*' }).first();
    expect(Number(referrals!.n)).toBe(1);
    // Without a key, the same request is a second referral: the key is what made the difference.
    expect((await call('POST', `/api/claims/${id}/referrals`, { token: tokens.wanjiru, body: referralRequest })).status).toBe(201);
    const after = await h.db('referral_priority').where('referral_id', 'like', `${id}--%`).count({ n: '*' }).first();
    expect(Number(after!.n)).toBe(2);
  });

  it('when two API-key creations with one key arrive at once, then one key exists and only one answer shows it; a replay says it was shown once', async () => {
    const send = () => call('POST', '/api/api-keys', { token: tokens.baraka, body: { label: 'nightly export' }, headers: { 'idempotency-key': 'api-key-once-0001' } });
    const answers = await Promise.all([send(), send()]);
    expect(await countRows(h.db, 'api_keys', { user_id: 'baraka' })).toBe(1);
    const shown = answers.filter(secretIn);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.status).toBe(201);
    const other = answers.find((a) => !secretIn(a))!;
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const replay = await send();
    expect(replay.status).toBe(409);
    expect(secretIn(replay)).toBe(false);
    expect(replay.body.detail).toMatch(/shown once/);
    expect(replay.body.firstAnswerWithoutSecret).toEqual({ id: shown[0]!.body.id, label: 'nightly export', expiresAt: shown[0]!.body.expiresAt });
    const stored = await h.db('idempotency_keys').where({ user_id: 'baraka', key: 'api-key-once-0001' }).first();
    expect(stored.state).toBe('secret_withheld');
    expect(JSON.stringify(stored)).not.toContain('rk_');
    expect(await countRows(h.db, 'api_keys', { user_id: 'baraka' })).toBe(1);
  });

  it('when someone signs in with an Idempotency-Key, then nothing is kept and each sign-in gets its own token', async () => {
    const send = () => call('POST', '/api/session', { body: { userId: 'wanjiru', password }, headers: { 'idempotency-key': 'sign-in-key-0001' } });
    const [a, b] = [await send(), await send()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.token).not.toBe(b.body.token);
    expect(await countRows(h.db, 'idempotency_keys', { key: 'sign-in-key-0001' })).toBe(0);
  });

  it('when one key is used on another route or by another user, then each is independent', async () => {
    const key = { 'idempotency-key': 'shared-key-0001' };
    const order = sampleOrder();
    const first = await call('POST', '/api/claims', { token: tokens.achieng, body: order, headers: key });
    expect(first.status).toBe(201);
    // Another route, same user and key: runs, not a 422 for "another request".
    const other = await call('POST', '/api/advocates', { token: tokens.achieng, body: { id: 'adv-kilonzo', name: 'Kilonzo', email: 'kilonzo@advocates.test' }, headers: key });
    expect([other.status, other.headers.get('idempotent-replayed')]).toEqual([201, null]);
    // Another user, same route and key: their own claim.
    const theirs = await call('POST', '/api/claims', { token: tokens.baraka, body: sampleOrder(), headers: key });
    expect([theirs.status, theirs.headers.get('idempotent-replayed')]).toEqual([201, null]);
    expect(theirs.body.id).not.toBe(first.body.id);
    // Same user, route and key: the first answer again; with another body, refused.
    const again = await call('POST', '/api/claims', { token: tokens.achieng, body: order, headers: key });
    expect([again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, first.body.id, 'true']);
    const misuse = await call('POST', '/api/claims', { token: tokens.achieng, body: sampleOrder(), headers: key });
    expect([misuse.status, misuse.body.errors]).toEqual([422, [{ field: 'Idempotency-Key', rule: 'was used with a different request' }]]);
    expect(await countRows(h.db, 'idempotency_keys', { key: 'shared-key-0001' })).toBe(3);
  });

  it('when a key is held by a request still running elsewhere, then a repeat waits, then is refused with 409; an abandoned reservation is taken over', async () => {
    const quick = await startApi(h, { idempotency: { waitMs: 300 } });
    try {
      const body = { financialYear: '2030/31', amountCents: 5_000, reference: 'HELD-1', receivedOn: today };
      const callQuick = apiCaller(quick.base);
      const send = () => callQuick('POST', '/api/fund/receipts', { token: tokens.achieng, body, headers: { 'idempotency-key': 'held-key-0001' } });
      const first = await send();
      expect(first.status).toBe(201);
      // As if another API process had reserved it and were still running the command.
      await h.db('idempotency_keys').where({ user_id: 'achieng', key: 'held-key-0001' })
        .update({ state: 'in_progress', status: null, response: null, reserved_until: h.db.raw("now() + interval '1 minute'") });
      const started = Date.now();
      const busy = await send();
      expect(busy.status).toBe(409);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(busy.body.errors).toEqual([{ field: 'Idempotency-Key', rule: 'is in use by a request still running' }]);
      // The other process died: once its lease has run out, the repeat runs (the receipt answers as recorded).
      await h.db('idempotency_keys').where({ user_id: 'achieng', key: 'held-key-0001' }).update({ reserved_until: h.db.raw("now() - interval '1 second'") });
      const taken = await send();
      expect([taken.status, taken.body]).toEqual([200, first.body]);
      expect((await h.db('idempotency_keys').where({ user_id: 'achieng', key: 'held-key-0001' }).first()).state).toBe('completed');
    } finally {
      await quick.close();
    }
  });

  it('when the command fails with a server error, then the key is released and a retry runs it', async () => {
    // An API process whose Temporal namespace is missing: registration fails with a 500.
    const broken = await startApi(h, { client: new Client({ connection: h.env.client.connection, namespace: 'no-such-namespace', dataConverter: TEST_DATA_CONVERTER }) });
    try {
      const order = sampleOrder();
      const key = { 'idempotency-key': 'failing-key-0001' };
      const failed = await apiCaller(broken.base)('POST', '/api/claims', { token: tokens.achieng, body: order, headers: key });
      expect(failed.status).toBe(500);
      expect(await countRows(h.db, 'idempotency_keys', { key: 'failing-key-0001' })).toBe(0);
      const retried = await call('POST', '/api/claims', { token: tokens.achieng, body: order, headers: key });
      expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, null]);
      const replayed = await call('POST', '/api/claims', { token: tokens.achieng, body: order, headers: key });
      expect([replayed.status, replayed.body.id, replayed.headers.get('idempotent-replayed')]).toEqual([201, retried.body.id, 'true']);
    } finally {
      await broken.close();
    }
  });

  it('when keys and sessions expire, then the purge deletes them and keeps the rest', async () => {
    const hash = 'x'.repeat(64);
    await h.db('idempotency_keys').insert([
      { user_id: 'achieng', route: 'POST /api/claims', key: 'expired-key-0001', request_hash: hash, state: 'completed', status: 201, response: '{}', expires_at: h.db.raw("now() - interval '1 second'") },
      { user_id: 'achieng', route: 'POST /api/claims', key: 'live-key-0001', request_hash: hash, state: 'completed', status: 201, response: '{}', expires_at: h.db.raw("now() + interval '1 hour'") },
    ]);
    await h.db('sessions').insert([
      { token_hash: 'expired-session', user_id: 'achieng', expires_at: h.db.raw("now() - interval '1 second'") },
      { token_hash: 'live-session', user_id: 'achieng', expires_at: h.db.raw("now() + interval '1 hour'") },
    ]);
    const purged = await purgeExpired(h.db);
    expect(purged.idempotencyKeys).toBeGreaterThanOrEqual(1);
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    expect(await countRows(h.db, 'idempotency_keys', { key: 'expired-key-0001' })).toBe(0);
    expect(await countRows(h.db, 'idempotency_keys', { key: 'live-key-0001' })).toBe(1);
    expect(await countRows(h.db, 'sessions', { token_hash: 'expired-session' })).toBe(0);
    expect(await countRows(h.db, 'sessions', { token_hash: 'live-session' })).toBe(1);
  });

  it('when an expired key is used again before the purge, then the request runs afresh', async () => {
    const body = { financialYear: '2030/31', amountCents: 7_000, reference: 'EXPIRED-KEY-1', receivedOn: today };
    const key = { 'idempotency-key': 'expiring-key-0001' };
    expect((await call('POST', '/api/fund/receipts', { token: tokens.achieng, body, headers: key })).status).toBe(201);
    await h.db('idempotency_keys').where({ key: 'expiring-key-0001' }).update({ expires_at: h.db.raw("now() - interval '1 second'") });
    const fresh = await call('POST', '/api/fund/receipts', { token: tokens.achieng, body, headers: key });
    // Not replayed from the key: the receipt itself answers that it is already recorded.
    expect([fresh.status, fresh.headers.get('idempotent-replayed')]).toEqual([200, null]);
  });

  it('when the maintenance Schedule is ensured twice and triggered, then one Schedule exists and its run purges expired keys', async () => {
    const scheduleId = `maintenance-${h.taskQueue}`;
    await ensureMaintenanceSchedule(h.env.client, h.taskQueue, { scheduleId, everyMinutes: 30 });
    await ensureMaintenanceSchedule(h.env.client, h.taskQueue, { scheduleId, everyMinutes: 45 });
    const handle = h.env.client.schedule.getHandle(scheduleId);
    try {
      const described = await handle.describe();
      expect(described.spec.intervals?.[0]?.every).toBe(45 * 60_000);
      expect(described.action).toMatchObject({ workflowType: 'maintenanceWorkflow', taskQueue: h.taskQueue });
      await h.db('idempotency_keys').insert({ user_id: 'achieng', route: 'POST /api/claims', key: 'scheduled-purge-0001', request_hash: 'y'.repeat(64), state: 'completed', status: 201, response: '{}', expires_at: h.db.raw("now() - interval '1 second'") });
      await handle.trigger();
      await eventually(() => countRows(h.db, 'idempotency_keys', { key: 'scheduled-purge-0001' }), (n) => n === 0);
    } finally {
      await handle.delete();
    }
  });
});
