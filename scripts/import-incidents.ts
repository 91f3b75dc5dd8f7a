/**
 * `npm run import-incidents -- incidents.csv --organisation <id> [--concurrency 8]`: imports a documenting
 * organisation's incident records into a running Redress (columns: docs/accountability.md). Prints each problem by
 * line, column and rule (bad rows are not imported), progress with rate and time left, and a summary. Safe to run
 * again: incidents already registered (same organisation and reference) are counted, not imported twice. Without
 * --organisation the rows are filed as an administrator's (each row may name its organisation).
 */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { createIncidentService } from '../api/incident/service';
import { importIncidents } from '../api/import/incidents-csv';
import { createDb } from '../db/connection';
import { dataConverterFrom } from '../worker/payload-codec';
import { progressBar } from './progress';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const concurrency = Number(option('--concurrency') ?? 8) || 8;
  const organisation = option('--organisation');
  if (!file) { console.error('usage: npm run import-incidents -- incidents.csv [--organisation <id>] [--concurrency 8]   (columns: docs/accountability.md)'); return 2; }
  const db = createDb(process.env.DATABASE_URL ?? (() => { throw new Error('set DATABASE_URL (npm start prints it)'); })(), { max: concurrency + 2 });
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const incidents = createIncidentService({ client: new Client({ connection, dataConverter: dataConverterFrom() }), db, taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'redress' });
  const actor = process.env.REDRESS_ACTOR ?? 'import';
  const by = organisation ? { id: actor, role: 'documenting_organisation', organisationId: organisation } : { id: actor, role: 'administrator', organisationId: null };
  const started = Date.now();
  let lastPrinted = 0;
  try {
    if (organisation && !(await db('documenting_organisations').where({ id: organisation }).first('id'))) {
      console.error(`unknown documenting organisation ${organisation}`);
      return 2;
    }
    const summary = await importIncidents(incidents, readFileSync(file, 'utf8'), by, {
      concurrency,
      onProgress: (done, total) => {
        if (process.stdout.isTTY) process.stdout.write(`\r${progressBar(done, total, started)}`);
        else if (done === total || Date.now() - lastPrinted > 2000) { lastPrinted = Date.now(); console.log(progressBar(done, total, started)); }
      },
    });
    if (process.stdout.isTTY) process.stdout.write('\n');
    for (const p of summary.problems) console.log(`line ${p.line}, ${p.column}: ${p.rule}`);
    console.log(`rows read ${summary.rowsRead}; imported ${summary.imported}; already registered ${summary.alreadyRegistered}; `
      + `rejected ${summary.rejected}; duplicates in file ${summary.duplicatesInFile}; ${summary.seconds.toFixed(1)} s`);
    return summary.rejected > 0 ? 1 : 0;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
