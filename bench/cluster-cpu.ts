/**
 * `npx tsx bench/cluster-cpu.ts`: where the CPU goes while claims are registered on the Temporal cluster, against
 * bare workflow starts and bare update-with-start on the same cluster: CPU seconds of each Temporal service process,
 * of each PostgreSQL cluster (Temporal's and Redress's, all their backends) and of this process (client and worker),
 * per 1,000 operations. The measurement behind docs/performance-findings.md ("On the cluster"). Size: BENCH_ONBOARD.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createClaimService } from '../api/claims/service';
import { addDays, calendarDateAt } from '../domain/calendar-date';
import { createDb, migrateLatest } from '../db/connection';
import { startPostgresCluster } from '../db/embedded';
import { createMailer } from '../worker/mailer';
import { CLUSTER_SERVICES, startTemporalCluster } from '../test/support/cluster';
import { SmtpSink } from '../test/support/smtp-sink';
import { quietLogger } from '../test/support/quiet-logger';
import { readyUpdate } from './messages';

const N = Number(process.env.BENCH_ONBOARD ?? 500);
const TICK = 100; // clock ticks per second (USER_HZ)

const cpuOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime + stime
};
const children = (ppid: number) => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
  try { return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === ppid; } catch { return false; }
});
/** A PostgreSQL cluster's CPU: its postmaster and every backend (backends that ended are counted by the kernel as the postmaster's children's time). */
const postgresCpu = (dir: string) => {
  const postmaster = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const fields = readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICK; // + cutime + cstime
  return own + children(postmaster).reduce((s, pid) => { try { return s + cpuOf(pid); } catch { return s; } }, 0);
};

async function main(): Promise<void> {
  Runtime.install({ logger: quietLogger });
  const pg = startPostgresCluster();
  const db = createDb(pg.url, { max: 40 });
  await migrateLatest(db);
  await db('advocates').insert({ id: 'adv-bench', name: 'Bench Advocate', email: 'bench@advocates.invalid' });
  const smtp = new SmtpSink();
  await smtp.start();
  const cluster = await startTemporalCluster({ historyShards: 4 });
  const connection = await Connection.connect({ address: cluster.address });
  const native = await NativeConnection.connect({ address: cluster.address });
  const client = new Client({ connection });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'redress-cpu-')), 'bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietLogger })).code);
  const worker = await Worker.create({
    connection: native, taskQueue: 'cpu', workflowBundle: { codePath: bundlePath },
    activities: createActivities({ db, mailer: createMailer(smtp.url), mailFrom: 'bench@redress.invalid' }),
  });
  const today = calendarDateAt(Date.now());
  const claims = createClaimService({ client, db, taskQueue: 'cpu' });
  const kinds = {
    'bare start': (tag: string, i: number) => client.workflow.start('emptyWorkflow', { taskQueue: 'cpu', workflowId: `${tag}-e-${i}` }),
    'bare update-with-start': (tag: string, i: number) => client.workflow.executeUpdateWithStart(readyUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation('emptyUpdateWorkflow', { taskQueue: 'cpu', workflowId: `${tag}-u-${i}`, workflowIdConflictPolicy: 'USE_EXISTING' }),
    }),
    'Redress registration': (tag: string, i: number) => claims.register({
      court: `High Court (cpu ${tag})`, caseNumber: `Petition ${i} of 2020`, judgmentDate: addDays(today, -10), respondentAgencyId: 'national-police-service',
      survivorRef: `CPU-${tag}-${i}`, violationTypes: ['torture'], advocateId: 'adv-bench',
      components: [{ label: 'General damages', amountCents: 70_000_000, rateBasisPoints: 1200, interestFrom: addDays(today, -10) }],
    }, 'bench'),
  };
  const sample = () => ({
    ...Object.fromEntries(CLUSTER_SERVICES.map((s) => [`temporal ${s}`, cpuOf(cluster.processes[s].pid!)])),
    'PostgreSQL (Temporal)': postgresCpu(cluster.postgres.dir),
    'PostgreSQL (Redress)': postgresCpu(pg.dir),
    'this process (client + worker)': (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  });
  const rows: string[] = [];
  // The cluster's own work while nothing happens (queue processors, membership, timers): CPU seconds per 10 s idle.
  const idleBefore = sample();
  await new Promise((r) => setTimeout(r, 10_000));
  const idleAfter = sample();
  const idle = Object.entries(idleAfter).map(([k, v]) => `${k} ${(v - (idleBefore as Record<string, number>)[k]!).toFixed(2)}`);
  console.log(`idle, CPU s per 10 s: ${idle.join('; ')}`);
  await worker.runUntil(async () => {
    for (const run of Object.values(kinds)) {
      for (let i = 0; i < 30; i++) await run('warm', i);
    }
    for (const [kind, run] of Object.entries(kinds)) {
      const before = sample();
      const t = Date.now();
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => { while (next < N) await run(`m${t}`, next++); }));
      const wall = (Date.now() - t) / 1000;
      const after = sample();
      const per = Object.entries(after).map(([k, v]) => [k, ((v - (before as Record<string, number>)[k]!) * 1000) / N] as const);
      const total = per.reduce((s, [, v]) => s + v, 0);
      rows.push(`| ${kind} | ${(N / wall).toFixed(1)}/s | ${total.toFixed(1)} | ${per.map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ')} |`);
      console.log(rows.at(-1));
    }
  });
  console.log(`\n| operation (${N}, 16 in flight) | rate | CPU s per 1,000 | CPU s per 1,000 by process |\n|---|---|---|---|\n${rows.join('\n')}`);
  await native.close();
  await connection.close();
  await cluster.stop();
  await smtp.stop();
  await db.destroy();
  pg.stop();
}

main().catch((err) => { console.error(err); process.exit(1); });
