/**
 * Release benchmark: building a published release over many claims (bounded memory: the claims stream past in
 * keyset batches), and the public endpoints answering from the stored release, each against a bare baseline.
 * Claims are inserted directly in SQL with a spread of agencies, years, violations, stages, escalation levels and
 * payments, in a database of their own.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import pino from 'pino';
import { createReleaseActivities } from '../activities/release/build';
import { createApp } from '../api/http/app';
import type { Client } from '@temporalio/client';
import { type Db, createDb, migrateLatest } from '../db/connection';

const run = promisify(execFile);
/** The heap cap the capped build runs under: finishing inside it shows memory does not grow with the claims. */
const CAPPED_HEAP_MB = 128;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const mb = (bytes: number) => bytes / 2 ** 20;

async function fillClaims(db: Db, from: number, to: number): Promise<void> {
  // Deterministic spread: 6 agencies, judgments 2005-2025, three violation sets, stages and levels by residue.
  await db.raw(`INSERT INTO claims (id, workflow_id, court, case_number, judgment_date, respondent_agency_id, survivor_ref, violation_types,
      advocate_id, appropriation, stage, escalation_level, awarded_cents, last_sequence, last_event_hash, registered_at, updated_at)
    SELECT 'rel-' || lpad(g::text, 7, '0'), 'claim-rel-' || g, 'High Court (bench)', 'Bench ' || g, date '2005-01-01' + (g * 37 % 7600),
      (ARRAY['national-police-service','kenya-prisons-service','kenya-defence-forces','ministry-of-interior','kenya-wildlife-service','office-of-the-attorney-general'])[1 + g % 6],
      'BENCHREL-' || g, (ARRAY['{torture}','{extra_judicial_killing}','{torture,enforced_disappearance}'])[1 + g % 3]::text[], 'adv-bench', 'interest_first',
      (ARRAY['registered','certificate_issued','certificate_served','budget_allocated','disbursing','paid_in_full','settled','withdrawn'])[1 + g % 8],
      CASE WHEN g % 8 IN (5, 6, 7) THEN -1 ELSE (g / 8) % 6 - 1 END, 5000000 + (g * 7919 % 100000) * 1000, 1, repeat('0', 64), now(), now()
    FROM generate_series(?::int, ?::int) g`, [from, to]);
  await db.raw(`INSERT INTO claim_components (claim_id, position, label, amount_cents, rate_basis_points, interest_from)
    SELECT 'rel-' || lpad(g::text, 7, '0'), 0, 'General damages', 5000000 + (g * 7919 % 100000) * 1000, 1200, date '2005-01-01' + (g * 37 % 7600)
    FROM generate_series(?::int, ?::int) g`, [from, to]);
  // Disbursing claims were paid a third; paid-in-full and settled ones the whole award and interest (a generous tranche).
  await db.raw(`INSERT INTO disbursements (claim_id, event_sequence, entry, payment_reference, amount_cents, paid_on)
    SELECT 'rel-' || lpad(g::text, 7, '0'), 2, 'tranche', 'PV-' || g,
      CASE WHEN g % 8 = 4 THEN (5000000 + (g * 7919 % 100000) * 1000) / 3 ELSE (5000000 + (g * 7919 % 100000) * 1000) * 4 END,
      date '2005-01-01' + (g * 37 % 7600) + 400
    FROM generate_series(?::int, ?::int) g WHERE g % 8 IN (4, 5, 6)`, [from, to]);
}

export async function benchReleases(opts: { adminUrl: string; client: Client; sizes: number[]; seconds: number; report: (line: string) => void }): Promise<void> {
  const admin = createDb(opts.adminUrl, { max: 1 });
  await admin.raw('DROP DATABASE IF EXISTS bench_releases WITH (FORCE)');
  await admin.raw('CREATE DATABASE bench_releases');
  await admin.destroy();
  const url = new URL(opts.adminUrl);
  url.pathname = '/bench_releases';
  const db = createDb(url.toString(), { max: 20 });
  try {
    await migrateLatest(db);
    const { buildRelease } = createReleaseActivities({ db });
    let filled = 0;
    for (const n of opts.sizes) {
      await fillClaims(db, filled + 1, n);
      filled = n;
      await db.raw('ANALYZE');
      // Baseline: one SQL pass over every claim, grouped the way the release groups them (no interest, no protection).
      let t = process.hrtime.bigint();
      await db.raw(`SELECT extract(year FROM judgment_date) y, respondent_agency_id, violation_types, stage, escalation_level, count(*), sum(awarded_cents)
        FROM claims GROUP BY 1, 2, 3, 4, 5`);
      const bare = seconds(t);
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = heapBefore;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 20);
      t = process.hrtime.bigint();
      const result = await buildRelease({ requestKey: `bench-${n}-${Date.now()}`, trigger: 'administrator', requestedBy: 'bench' });
      const built = seconds(t);
      clearInterval(sampler);
      if (result.outcome !== 'published') throw new Error(`release not published: ${JSON.stringify(result)}`);
      // The same build in a process of its own whose heap is capped: it finishes, or memory is not bounded.
      const capped = await run(process.execPath, [`--max-old-space-size=${CAPPED_HEAP_MB}`, '--require', require.resolve('tsx/cjs'), join(__dirname, 'release-build-process.ts')],
        { env: { ...process.env, DATABASE_URL: url.toString() } });
      const child = JSON.parse(capped.stdout.trim().split('\n').pop()!) as { seconds: number; peakRssMb: number };
      opts.report(`| release build, ${n} claims | one release over ${n} claims: streamed in batches of 5,000, interest to the day, suppression checked by the integer attack | ${built.toFixed(1)} s (heap peak +${mb(peak - heapBefore).toFixed(0)} MB, collectable); in a process capped at ${CAPPED_HEAP_MB} MB of heap: ${child.seconds.toFixed(1)} s, peak RSS ${child.peakRssMb.toFixed(0)} MB | one SQL GROUP BY over the same claims ${bare.toFixed(2)} s | ${(built / bare).toFixed(1)}× | bounded memory and time |`);
    }

    // Public endpoints answer from the stored release: autocannon, in a process of its own, 32 connections, against
    // a bare express app returning a constant JSON body of the same order of size.
    const { app } = createApp({ db, client: opts.client, taskQueue: 'bench', logger: pino({ level: 'silent' }), rateLimitPerMinute: 10_000_000 });
    const bareApp = express();
    const constant = JSON.stringify({ items: Array.from({ length: 6 }, (_, i) => ({ agency: `agency ${i}`, orders: 1000 + i, awarded_cents: 123_400_000 })) });
    bareApp.get('/constant', (_req, res) => { res.type('application/json').send(constant); });
    const serve = async (a: express.Express) => { const s = a.listen(0, '127.0.0.1'); await new Promise((r) => s.once('listening', r)); return s; };
    const [server, bareServer] = [await serve(app), await serve(bareApp)];
    const port = (s: typeof server) => (s.address() as { port: number }).port;
    const load = async (target: string) => {
      const { stdout } = await run(process.execPath, [require.resolve('autocannon/autocannon.js'), '-c', '32', '-d', String(opts.seconds), '-j', target], { maxBuffer: 16 * 2 ** 20 });
      const r = JSON.parse(stdout) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
      if (r.non2xx || r.errors) throw new Error(`${target}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return { rate: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total };
    };
    await load(`http://127.0.0.1:${port(bareServer)}/constant`); // warm-up
    const bare = await load(`http://127.0.0.1:${port(bareServer)}/constant`);
    for (const path of ['/api/public/statistics', '/api/public/agencies', '/api/public/data/by_agency.csv']) {
      await load(`http://127.0.0.1:${port(server)}${path}`); // warm-up
      const r = await load(`http://127.0.0.1:${port(server)}${path}`);
      opts.report(`| public ${path} | from the stored release (${filled} claims); autocannon in its own process, 32 connections for ${opts.seconds} s (${r.total} requests) | ${r.rate.toFixed(0)}/s, p50 ${r.p50} ms, p99 ${r.p99} ms | bare express constant JSON ${bare.rate.toFixed(0)}/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms | ${(100 * r.rate / bare.rate).toFixed(0)}% | p99 < 50 ms |`);
    }
    server.close(); bareServer.close();
  } finally {
    await db.destroy();
  }
}
