/**
 * `npm run bench`: four measurements, each against a bare baseline on the same machine in the same run, written to
 * docs/performance.md. Sizes: BENCH_ONBOARD (500), BENCH_STORM (200), BENCH_API_ROWS (100000),
 * BENCH_API_REQUESTS (5000), BENCH_MEMORY (2000). Starts its own PostgreSQL, Temporal servers and SMTP sink.
 * `npm run bench -- --cluster` (or BENCH_TEMPORAL=cluster) runs each benchmark, and its bare baseline, against a real
 * Temporal cluster instead (test/support/cluster.ts: frontend, history, matching, worker on PostgreSQL, 4 shards);
 * its rows are named "… (cluster)" and sit beside the dev-server rows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import express from 'express';
import pino from 'pino';
import { createApiKey, createUser } from '../api/access/users';
import { createClaimService } from '../api/claims/service';
import { createApp } from '../api/http/app';
import { createActivities } from '../activities';
import { addDays, calendarDateAt } from '../domain/calendar-date';
import { createDb, migrateLatest } from '../db/connection';
import { startPostgresCluster } from '../db/embedded';
import { devServerExecutable, timeSkippingExecutable } from '../scripts/temporal-binaries';
import { createMailer } from '../worker/mailer';
import { registerSearchAttributes } from '../worker/search-attributes';
import { startTemporalCluster } from '../test/support/cluster';
import { SmtpSink } from '../test/support/smtp-sink';
import { quietLogger } from '../test/support/quiet-logger';
import { readyUpdate } from './messages';
import { benchReleases } from './releases';

const root = resolve(__dirname, '..');
const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const N_ONBOARD = size('BENCH_ONBOARD', 500);
const N_STORM = size('BENCH_STORM', 200);
const API_ROWS = size('BENCH_API_ROWS', 100_000);
const API_REQUESTS = size('BENCH_API_REQUESTS', 5_000);
const N_MEMORY = size('BENCH_MEMORY', 2_000);
/** The worker's cache cap for the memory benchmark (the production default is 250; 0 = cache every claim). */
const MEMORY_CACHE = size('BENCH_MEMORY_CACHE', 250);
/** Run only some benchmarks: BENCH_ONLY=memory,storm (default: all). */
const ONLY = (process.env.BENCH_ONLY ?? 'onboarding,api,memory,release,storm').split(',');
/** Against a real Temporal cluster instead of the CLI dev server (and, for the storm, the time-skipping server). */
const CLUSTER = process.argv.includes('--cluster') || process.env.BENCH_TEMPORAL === 'cluster';
/** Claims a release is built over (each size built in turn, to show memory does not grow with them). */
const RELEASE_SIZES = (process.env.BENCH_RELEASE_SIZES ?? '50000,200000').split(',').map(Number);

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await fn(items[next++]!); }));
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const order = (n: number, judgmentDate: string, tag: string) => ({
  court: `High Court of Kenya (bench ${tag})`, caseNumber: `Petition ${n} of 2020`, judgmentDate, respondentAgencyId: 'national-police-service',
  survivorRef: `BENCH-${tag}-${n}`, violationTypes: ['torture'], advocateId: 'adv-bench',
  components: [{ label: 'General damages', amountCents: 70_000_000, rateBasisPoints: 1200, interestFrom: judgmentDate }],
});
async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) { if (Date.now() > end) throw new Error('benchmark timed out'); await new Promise((r) => setTimeout(r, 20)); }
}

interface BenchTemporal {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  teardown(): Promise<void>;
}

/** The Temporal server every benchmark and its baseline run on: the dev server, or the cluster (--cluster). */
async function startTemporal(): Promise<BenchTemporal> {
  if (!CLUSTER) {
    const dev = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), ip: '127.0.0.1', log: { format: 'pretty', level: 'error' } } });
    await registerSearchAttributes(dev.connection, 'default');
    return { address: dev.address, client: dev.client, nativeConnection: dev.nativeConnection, teardown: () => dev.teardown() };
  }
  const cluster = await startTemporalCluster({ historyShards: 4 });
  const connection = await Connection.connect({ address: cluster.address });
  const nativeConnection = await NativeConnection.connect({ address: cluster.address });
  return {
    address: cluster.address, client: new Client({ connection }), nativeConnection,
    async teardown() { await nativeConnection.close(); await connection.close(); await cluster.stop(); },
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: quietLogger });
  const cluster = startPostgresCluster();
  const databaseUrl = cluster.url;
  const db = createDb(databaseUrl, { max: 40 });
  await migrateLatest(db);
  await db('advocates').insert({ id: 'adv-bench', name: 'Bench Advocate', email: 'bench@advocates.invalid' });
  await db('contacts').insert({ agency_id: 'national-police-service', role: 'accounting_officer', name: 'AO (bench)', email: 'ao@bench.invalid' });
  const smtp = new SmtpSink();
  await smtp.start();
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'redress-bench-')), 'bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietLogger })).code);
  let noops = 0;
  const activities = { ...createActivities({ db, mailer: createMailer(smtp.url), mailFrom: 'bench@redress.invalid' }), noop: async () => { noops++; } };
  const today = calendarDateAt(Date.now());
  const results: string[] = [];
  // Cluster rows carry " (cluster)" after the benchmark's name, so both servers' rows stand side by side.
  const report = (line: string) => {
    const row = CLUSTER ? line.replace(/^\| ([^|]+?) \|/, '| $1 (cluster) |') : line;
    console.log(row);
    results.push(row);
  };

  const dev = await startTemporal();
  try {
    // 1. Onboarding: registrations (workflow started, first event in PostgreSQL) against bare empty-workflow starts.
    if (ONLY.includes('onboarding')) {
      const worker = await Worker.create({ connection: dev.nativeConnection, taskQueue: 'bench', workflowBundle: { codePath: bundlePath }, activities, maxConcurrentActivityTaskExecutions: 100 });
      await worker.runUntil(async () => {
        const claims = createClaimService({ client: dev.client, db, taskQueue: 'bench' });
        // Each kind of onboarding, as a rate over N starts; the tag keeps workflow ids apart between runs.
        const kinds = {
          bare: (tag: string, i: number) => dev.client.workflow.start('emptyWorkflow', { taskQueue: 'bench', workflowId: `${tag}-empty-${i}` }),
          bareUpdate: (tag: string, i: number) => dev.client.workflow.executeUpdateWithStart(readyUpdate, {
            startWorkflowOperation: new WithStartWorkflowOperation('emptyUpdateWorkflow', { taskQueue: 'bench', workflowId: `${tag}-empty-update-${i}`, workflowIdConflictPolicy: 'USE_EXISTING' }),
          }),
          redress: (tag: string, i: number) => claims.register(order(i, addDays(today, -10), tag), 'bench'),
        };
        const rate = async (kind: keyof typeof kinds, tag: string, n: number) => {
          const t = process.hrtime.bigint();
          await pool(range(n), 16, (i) => kinds[kind](tag, i));
          return n / seconds(t);
        };
        // Warm-up, not timed: the first workflows of each kind pay for loading and JIT-compiling their code.
        for (const kind of ['bare', 'bareUpdate', 'redress'] as const) await rate(kind, 'warm', 50);
        const bare = await rate('bare', 'onboard', N_ONBOARD);
        const bareUpdate = await rate('bareUpdate', 'onboard', N_ONBOARD);
        const redress = await rate('redress', 'onboard', N_ONBOARD);
        report(`| onboarding | ${N_ONBOARD} claims registered (started and first event recorded) | ${redress.toFixed(1)}/s | bare empty-workflow starts ${bare.toFixed(1)}/s | ${(100 * redress / bare).toFixed(0)}% | ≥ 60% |`);
        report(`| onboarding, same shape | the same registrations against empty workflows started by update-with-start and answered (one workflow task each, no database) | ${redress.toFixed(1)}/s | bare update-with-start ${bareUpdate.toFixed(1)}/s | ${(100 * redress / bareUpdate).toFixed(0)}% | — |`);
      });
    }

    // 3. API: status reads with API_ROWS claims in the database, against bare express + pg primary-key reads.
    if (ONLY.includes('api')) {
      await db.raw(`INSERT INTO claims (id, workflow_id, court, case_number, judgment_date, respondent_agency_id, survivor_ref, violation_types,
          advocate_id, appropriation, stage, awarded_cents, last_sequence, last_event_hash, registered_at, updated_at)
        SELECT 'bench-' || g, 'claim-bench-' || g, 'High Court (bench rows)', 'Bench ' || g, date '2017-03-01' + (g % 2000), 'national-police-service',
          'BENCHROW-' || g, '{torture}', 'adv-bench', 'interest_first', 'registered', 85011000, 1, repeat('0', 64), now(), now()
        FROM generate_series(1, ?) g`, [API_ROWS]);
      await db.raw(`INSERT INTO claim_components (claim_id, position, label, amount_cents, rate_basis_points, interest_from)
        SELECT 'bench-' || g, 0, 'General damages', 85011000, 1200, date '2017-03-01' + (g % 2000) FROM generate_series(1, ?) g`, [API_ROWS]);
      await db.raw(`INSERT INTO claim_events (claim_id, sequence, type, actor, occurred_at, payload, prev_hash, hash)
        SELECT 'bench-' || g, 1, 'claim_registered', 'bench', now(), jsonb_build_object('order', jsonb_build_object(
          'court', 'High Court (bench rows)', 'caseNumber', 'Bench ' || g, 'judgmentDate', to_char(date '2017-03-01' + (g % 2000), 'YYYY-MM-DD'),
          'respondentAgencyId', 'national-police-service', 'survivorRef', 'BENCHROW-' || g, 'violationTypes', jsonb_build_array('torture'),
          'advocateId', 'adv-bench', 'appropriation', 'interest_first', 'components', jsonb_build_array(jsonb_build_object(
            'label', 'General damages', 'amountCents', 85011000, 'rateBasisPoints', 1200, 'interestFrom', to_char(date '2017-03-01' + (g % 2000), 'YYYY-MM-DD'))))),
          repeat('0', 64), repeat('1', 64) FROM generate_series(1, ?) g`, [API_ROWS]);
      await db.raw('ANALYZE');
      await createUser(db, { id: 'bench-admin', name: 'Bench', role: 'administrator', password: 'bench password long enough' });
      const key = await createApiKey(db, 'bench-admin', 'bench');
      const { app } = createApp({ db, client: dev.client, taskQueue: 'bench', logger: pino({ level: 'silent' }), rateLimitPerMinute: 10_000_000 });
      const bareApp = express();
      bareApp.get('/claims/:id', async (req, res) => { res.json((await db.raw('SELECT * FROM claims WHERE id = ?', [req.params.id])).rows[0]); });
      const serve = async (a: express.Express) => { const s = a.listen(0, '127.0.0.1'); await new Promise((r) => s.once('listening', r)); return s; };
      const [redressServer, bareServer] = [await serve(app), await serve(bareApp)];
      const load = async (url: (i: number) => string, headers: Record<string, string>, concurrency = 32) => {
        const latencies: number[] = [];
        const t = process.hrtime.bigint();
        await pool(range(API_REQUESTS), concurrency, async (i) => {
          const s = process.hrtime.bigint();
          const res = await fetch(url(i), { headers });
          if (res.status !== 200) throw new Error(`status ${res.status}`);
          await res.arrayBuffer();
          latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        });
        return { rate: API_REQUESTS / seconds(t), p50: pct(latencies, 50), p99: pct(latencies, 99) };
      };
      const port = (s: typeof redressServer) => (s.address() as { port: number }).port;
      const id = (i: number) => `bench-${1 + ((i * 7919) % API_ROWS)}`;
      const bare = await load((i) => `http://127.0.0.1:${port(bareServer)}/claims/${id(i)}`, {});
      const redress = await load((i) => `http://127.0.0.1:${port(redressServer)}/api/claims/${id(i)}`, { authorization: `Bearer ${key}` });
      // Latency as a handful of staff see it (4 requests in flight); at 32 the queue on 2 cores dominates both.
      const bareFew = await load((i) => `http://127.0.0.1:${port(bareServer)}/claims/${id(i + 1)}`, {}, 4);
      const redressFew = await load((i) => `http://127.0.0.1:${port(redressServer)}/api/claims/${id(i + 1)}`, { authorization: `Bearer ${key}` }, 4);
      report(`| API status read | GET /api/claims/{id} (sign-in check, amounts owed today, deadlines, timeline, personal-data read logged), ${API_ROWS} claims, ${API_REQUESTS} requests, 32 at a time | ${redress.rate.toFixed(0)}/s, p50 ${redress.p50.toFixed(1)} ms, p99 ${redress.p99.toFixed(1)} ms | bare express + pg primary-key read ${bare.rate.toFixed(0)}/s, p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms | ${(100 * redress.rate / bare.rate).toFixed(0)}% | ≥ 50%, p99 < 20 ms |`);
      report(`| API status read, 4 at a time | the same reads, 4 in flight | ${redressFew.rate.toFixed(0)}/s, p50 ${redressFew.p50.toFixed(1)} ms, p99 ${redressFew.p99.toFixed(1)} ms | bare ${bareFew.rate.toFixed(0)}/s, p50 ${bareFew.p50.toFixed(1)} ms, p99 ${bareFew.p99.toFixed(1)} ms | ${(100 * redressFew.rate / bareFew.rate).toFixed(0)}% | ≥ 50%, p99 < 20 ms |`);
      redressServer.close(); bareServer.close();
    }

    // 5. Releases: building one over many claims, and public endpoints answering from it.
    if (ONLY.includes('release')) {
      await benchReleases({ adminUrl: databaseUrl, client: dev.client, sizes: RELEASE_SIZES, seconds: Number(process.env.BENCH_PUBLIC_SECONDS ?? 10), report });
    }

    // 4. Worker memory with N_MEMORY open claims, in a worker process of its own, with the cache capped (or not).
    if (ONLY.includes('memory')) {
      const child: ChildProcess = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'worker-process.ts')], {
        env: { ...process.env, NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '', DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: dev.address, TASK_QUEUE: 'bench-memory', SMTP_URL: smtp.url, MAX_CACHED: String(MEMORY_CACHE > 0 ? MEMORY_CACHE : N_MEMORY + 100), BUNDLE: bundlePath },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((ok) => child.stdout!.on('data', (d) => { if (String(d).includes('ready')) ok(); }));
      const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
      const before = rss();
      const claims = createClaimService({ client: dev.client, db, taskQueue: 'bench-memory' });
      await pool(range(N_MEMORY), 32, (i) => claims.register(order(i, addDays(today, -10), 'memory'), 'bench'));
      await new Promise((r) => setTimeout(r, 2000));
      const after = rss();
      child.kill('SIGTERM');
      const heapFlags = process.env.BENCH_WORKER_NODE_OPTIONS ? `, worker run with \`${process.env.BENCH_WORKER_NODE_OPTIONS}\`` : '';
      const cached = (MEMORY_CACHE > 0 ? `cache capped at ${MEMORY_CACHE}` : 'every claim cached') + heapFlags;
      const perClaim = MEMORY_CACHE > 0 ? '' : `, ${((after - before) * 1024 / N_MEMORY).toFixed(0)} KB a cached claim`;
      report(`| worker memory | resident memory with ${N_MEMORY} open claims, ${cached} | ${after.toFixed(0)} MB (${(after - before).toFixed(0)} MB above idle${perClaim}) | idle worker ${before.toFixed(0)} MB | — | ≤ 400 MB at 10,000 |`);
    }
  } finally {
    await dev.teardown();
  }

  // 2. Deadline storm on the time-skipping server: N_STORM deadlines lapse at one instant.
  if (!ONLY.includes('storm')) { await smtp.stop(); await db.destroy(); cluster.stop(); writeReport(results); return; }
  if (CLUSTER) {
    await clusterStorm({ db, activities, bundlePath, smtp, report, today, resetNoops: () => { noops = 0; }, noops: () => noops });
    await smtp.stop(); await db.destroy(); cluster.stop(); writeReport(results); return;
  }
  const ts = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: timeSkippingExecutable() } });
  try {
    const worker = await Worker.create({ connection: ts.nativeConnection, taskQueue: 'bench-storm', workflowBundle: { codePath: bundlePath }, activities, maxConcurrentActivityTaskExecutions: 100 });
    await worker.runUntil(async () => {
      noops = 0;
      await pool(range(N_STORM), 16, (i) => ts.client.workflow.start('timerWorkflow', { taskQueue: 'bench-storm', workflowId: `timer-${i}`, args: [61 * 86_400_000] }));
      let t = process.hrtime.bigint();
      await ts.sleep(62 * 86_400_000);
      await until(() => noops >= N_STORM, 600_000);
      const bare = seconds(t);
      const claims = createClaimService({ client: ts.client, db, taskQueue: 'bench-storm' });
      const now = calendarDateAt(await ts.currentTimeMs());
      await pool(range(N_STORM), 16, async (i) => {
        const { claimId } = await claims.register(order(i, addDays(now, -25), 'storm'), 'bench');
        await claims.command(claimId, 'issueCertificate', { actor: 'bench', issuedOn: addDays(now, -3) });
        await claims.command(claimId, 'serveCertificate', { actor: 'bench', servedOn: addDays(now, -1) });
      });
      smtp.messages.length = 0;
      t = process.hrtime.bigint();
      await ts.sleep(62 * 86_400_000);
      await until(() => smtp.messages.length >= N_STORM, 600_000);
      const redress = seconds(t);
      await new Promise((r) => setTimeout(r, 2000));
      const keys = smtp.messages.map((m) => `${m.headers.get('x-redress-claim')}/${m.headers.get('x-redress-reminder')}`);
      const duplicates = keys.length - new Set(keys).size;
      const first = smtp.messages.filter((m) => m.headers.get('x-redress-reminder') === 'budget_allocation/0/0').length;
      report(`| deadline storm | ${N_STORM} budget-allocation deadlines lapse together; time until every reminder is in the SMTP sink | ${redress.toFixed(2)} s (${first} first reminders, ${duplicates} duplicates) | ${N_STORM} bare timers + no-op activities ${bare.toFixed(2)} s | ${(redress / bare).toFixed(2)}× | ≤ 2×, 0 duplicates |`);
    });
  } finally {
    await ts.teardown();
    await smtp.stop();
    await db.destroy();
    cluster.stop();
  }

  writeReport(results);
}

/**
 * The storm on the cluster, in real time (a cluster cannot skip time): N_STORM claims registered overdue at once
 * (judgments of 2017: a certificate long owed, so each is reminded as soon as it starts) until every reminder is in
 * the SMTP sink, against N_STORM bare workflows started the same way, each a zero timer and a no-op activity.
 */
async function clusterStorm(o: {
  db: ReturnType<typeof createDb>; activities: Parameters<typeof Worker.create>[0]['activities']; bundlePath: string; smtp: SmtpSink;
  report: (line: string) => void; today: string; resetNoops(): void; noops(): number;
}): Promise<void> {
  const temporal = await startTemporal();
  try {
    const worker = await Worker.create({ connection: temporal.nativeConnection, taskQueue: 'bench-storm', workflowBundle: { codePath: o.bundlePath }, activities: o.activities, maxConcurrentActivityTaskExecutions: 100 });
    await worker.runUntil(async () => {
      o.resetNoops();
      let t = process.hrtime.bigint();
      await pool(range(N_STORM), 16, (i) => temporal.client.workflow.start('timerWorkflow', { taskQueue: 'bench-storm', workflowId: `storm-bare-${Date.now()}-${i}`, args: [0] }));
      await until(() => o.noops() >= N_STORM, 600_000);
      const bare = seconds(t);
      const claims = createClaimService({ client: temporal.client, db: o.db, taskQueue: 'bench-storm' });
      o.smtp.messages.length = 0;
      t = process.hrtime.bigint();
      await pool(range(N_STORM), 16, (i) => claims.register(order(i, '2017-03-01', `storm-${Date.now()}`), 'bench'));
      await until(() => o.smtp.messages.length >= N_STORM, 600_000);
      const redress = seconds(t);
      await new Promise((r) => setTimeout(r, 2000));
      const keys = o.smtp.messages.map((m) => `${m.headers.get('x-redress-claim')}/${m.headers.get('x-redress-reminder')}`);
      const duplicates = keys.length - new Set(keys).size;
      o.report(`| deadline storm | ${N_STORM} overdue claims registered at once, in real time; time until every reminder is in the SMTP sink | ${redress.toFixed(2)} s (${keys.length} reminders, ${duplicates} duplicates) | ${N_STORM} bare workflows (zero timer + no-op activity) started the same way ${bare.toFixed(2)} s | ${(redress / bare).toFixed(2)}× | ≤ 2×, 0 duplicates |`);
    });
  } finally {
    await temporal.teardown();
  }
}

/** This run's rows replace those of the same benchmarks; rows of benchmarks not run this time are kept. */
function mergedRows(results: string[]): string[] {
  const file = join(root, 'docs/performance.md');
  const name = (row: string) => row.split('|')[1]?.trim() ?? '';
  const measured = new Set(results.map(name));
  let kept: string[] = [];
  try {
    kept = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark') && !measured.has(name(l)));
  } catch { /* first run */ }
  return [...kept, ...results];
}

function writeReport(fresh: string[]): void {
  const results = mergedRows(fresh);
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  writeFileSync(join(root, 'docs/performance.md'), `# Performance

Measured by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}: ${machine}. Each figure is
measured against a bare baseline on the same servers in the same run: the Temporal CLI dev server (SQLite) for
onboarding, reads and memory; the Java time-skipping test server for the deadline storm; one PostgreSQL 15 cluster
(fsync off). The ratio is Redress over bare (for the storm, time over time: lower is better). Rows named
"(cluster)" ran, Redress and baseline alike, on a real Temporal cluster instead (\`npm run bench -- --cluster\`: the
server built from go.temporal.io/server, frontend, history, matching and internal worker as separate processes on
PostgreSQL 15, 4 history shards; the storm there runs in real time). Findings where a target is missed:
docs/performance-findings.md.

| benchmark | what | Redress | baseline | ratio | target |
|---|---|---|---|---|---|
${results.join('\n')}

Reproduce with \`npm run bench\`; sizes via BENCH_ONBOARD, BENCH_STORM, BENCH_API_ROWS, BENCH_API_REQUESTS, BENCH_MEMORY,
BENCH_MEMORY_CACHE (the worker's cache cap; 0 caches every claim), BENCH_RELEASE_SIZES (claims a release is built over,
e.g. 50000,200000); BENCH_ONLY selects benchmarks (onboarding, api, memory, release, storm). A run replaces the rows
of the benchmarks it ran and keeps the others.
The API rows are inserted directly in SQL (a registration event and one award component each); reads go through the
whole API path, including authentication and the personal-data read log.
`);
  console.log('written: docs/performance.md');
}

main().catch((err) => { console.error(err); process.exit(1); });
