/**
 * What operators watch, against the real dev server and PostgreSQL: /ready follows whether a worker polls the task
 * queue; the API's metrics port counts requests by route pattern and reads the business gauges from the record; the
 * worker process serves its health endpoint and the SDK's Prometheus metrics; worker logs are JSON and redacted.
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createUser } from '../../api/access/users';
import { createApiMetrics, serveMetrics } from '../../api/http/metrics';
import { calendarDateAt } from '../../domain/calendar-date';
import { LOG_REDACT } from '../../worker/log-redact';
import { sdkLogger } from '../../worker/observability';
import { TEST_PAYLOAD_KEYS, type Harness, createHarness, eventually, sampleOrder, startApi } from '../support/harness';
import { apiCaller } from '../support/http';
import { killHard, spawnWorkerProcess } from '../support/processes';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(async () => { await h?.close(); });

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as import('node:net').AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

it('when no worker polls the task queue, then /ready is 503 naming it; once a worker polls, 200 with the count', async () => {
  const api = await startApi(h);
  try {
    const call = apiCaller(api.base);
    const before = await call('GET', '/ready');
    expect([before.status, before.headers.get('content-type')]).toEqual([503, expect.stringContaining('application/problem+json')]);
    expect(before.body.detail).toContain(`no worker is polling task queue ${h.taskQueue}`);
    const worker = await h.startWorker();
    const after = await eventually(() => call('GET', '/ready'), (r) => r.status === 200, 30_000);
    expect(after.body).toEqual({ status: 'ready', workersPolling: 1 });
    await worker.stop();
  } finally {
    await api.close();
  }
});

it('when requests are answered and the record changes, then the metrics port shows them by route pattern and the business gauges follow', async () => {
  const metrics = createApiMetrics(h.db);
  const port = await freePort();
  const server = await serveMetrics(metrics.registry, port, '127.0.0.1');
  const api = await startApi(h, { metrics });
  const worker = await h.startWorker();
  try {
    const call = apiCaller(api.base);
    await createUser(h.db, { id: 'metrics-admin', name: 'Metrics Admin', role: 'administrator', password: 'correct horse battery staple' });
    const token = (await call('POST', '/api/session', { body: { userId: 'metrics-admin', password: 'correct horse battery staple' } })).body.token;
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const before = await scrape();
    const registeredBefore = Number(/redress_claims\{stage="registered"\} (\d+)/.exec(before)?.[1] ?? 0);

    // A claim of 2017 registered today is overdue at once: it counts as registered and, once reminded, at level 0.
    const res = await call('POST', '/api/claims', { token, body: sampleOrder() });
    expect(res.status).toBe(201);
    await call('GET', `/api/claims/${res.body.id}`, { token });
    await call('GET', '/api/claims/not-a-claim', { token });
    const fy = '2035/36';
    await call('POST', '/api/fund/receipts', { token, body: { financialYear: fy, amountCents: 123_456, reference: 'METRICS-1', receivedOn: calendarDateAt(Date.now()) } });
    await eventually(() => h.db('reminders').where({ claim_id: res.body.id, status: 'sent' }).first(), (r) => r !== undefined, 60_000);
    const text = await eventually(scrape, (t) => /redress_claims_overdue\{level="0"\} [1-9]/.test(t), 30_000);

    expect(text).toContain(`redress_claims{stage="registered"} ${registeredBefore + 1}`);
    expect(text).toContain(`redress_fund_uncommitted_cents{financial_year="${fy}"} 123456`);
    expect(text).toContain(`redress_fund_waiting_referrals{financial_year="${fy}"} 0`);
    expect(text).toMatch(/redress_reminders\{status="undeliverable"\} \d+/);
    expect(text).toMatch(/redress_reminders\{status="pending"\} \d+/);
    // Route patterns, never ids: one series for every claim read, whatever the id.
    expect(text).toMatch(/redress_http_request_duration_seconds_count\{method="POST",route="\/api\/claims",status="201"\} 1/);
    expect(text).toMatch(/redress_http_request_duration_seconds_count\{method="GET",route="\/api\/claims\/:id",status="200"\} 1/);
    expect(text).toMatch(/redress_http_request_duration_seconds_count\{method="GET",route="\/api\/claims\/:id",status="404"\} 1/);
    expect(text).not.toContain(res.body.id);
    expect(text).not.toContain('SURV-2016-0042');
    // The metrics are not on the public port.
    expect((await call('GET', '/metrics')).status).toBe(404);
  } finally {
    await worker.stop();
    await api.close();
    server.close();
  }
});

it('when the worker process runs, then its health endpoint says ok and its SDK metrics are scraped from the configured port', async () => {
  const metricsPort = await freePort();
  const { child, health } = await spawnWorkerProcess({
    DATABASE_URL: h.dbUrl, TEMPORAL_ADDRESS: h.env.address, TEMPORAL_TASK_QUEUE: h.taskQueue, SMTP_URL: h.smtp.url,
    REDRESS_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS, REDRESS_WORKER_METRICS: `127.0.0.1:${metricsPort}`,
  });
  try {
    const answer = await fetch(health!);
    expect([answer.status, await answer.json()]).toEqual([200, { status: 'ok', state: 'RUNNING' }]);
    expect((await fetch(health!.replace('/health', '/other'))).status).toBe(404);
    const text = await eventually(async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), (t) => t.includes('temporal_'), 30_000);
    expect(text).toMatch(/temporal_\w+\{[^}]*task_queue="[^"]+"/);
  } finally {
    await killHard(child);
  }
});

it('when the SDK logs through the project logger, then lines are JSON and personal data is redacted', () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const logger = sdkLogger(pino({ level: 'info', redact: LOG_REDACT }, sink));
  logger.warn('activity failed', { order: { survivorRef: 'SURV-SECRET-1' }, request: { needsNote: 'nightmares' }, workflowId: 'claim-x' });
  logger.debug('not shown at info', {});
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]!);
  expect(line).toMatchObject({ level: 40, msg: 'activity failed', workflowId: 'claim-x', order: { survivorRef: '[Redacted]' }, request: { needsNote: '[Redacted]' } });
  expect(lines[0]).not.toContain('SURV-SECRET-1');
  expect(lines[0]).not.toContain('nightmares');
});
