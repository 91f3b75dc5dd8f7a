/**
 * Builds one release in a process of its own (started by bench/releases.ts with a small heap cap), so that finishing
 * at all proves the build's memory is bounded; prints its peak resident memory.
 */
import { readFileSync } from 'node:fs';
import { createReleaseActivities } from '../activities/release/build';
import { createDb } from '../db/connection';

async function main(): Promise<void> {
  const db = createDb(process.env.DATABASE_URL!, { max: 2 });
  const t = process.hrtime.bigint();
  const result = await createReleaseActivities({ db }).buildRelease({ requestKey: `bench-capped-${Date.now()}`, trigger: 'administrator', requestedBy: 'bench' });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const peak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  console.log(JSON.stringify({ result, seconds, peakRssMb: peak }));
  await db.destroy();
}

main().catch((err) => { console.error(err); process.exit(1); });
