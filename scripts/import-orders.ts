/**
 * `npm run import -- orders.csv [--concurrency 8]`: imports legacy court orders into a running Redress.
 * Prints each problem by line, column and rule (bad rows are not imported), a progress bar with rate and time
 * left, and a summary. Safe to run again: orders already registered are counted, not imported twice.
 */
import { readFileSync } from 'node:fs';
import { createClaimService } from '../api/claims/service';
import { importOrders } from '../api/import/orders-csv';
import { createDb } from '../db/connection';
import { databaseUrl } from '../worker/local-instance';
import { connectClient } from '../worker/temporal-config';
import { progressBar } from './progress';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const concurrency = Number(args[args.indexOf('--concurrency') + 1] ?? 8) || 8;
  if (!file) { console.error('usage: npm run import -- orders.csv [--concurrency 8]   (columns: docs/import.md)'); return 2; }
  const db = createDb(databaseUrl(), { max: concurrency + 2 });
  const { client, settings, close } = await connectClient();
  const claims = createClaimService({ client, db, taskQueue: settings.taskQueue });
  const started = Date.now();
  let lastPrinted = 0;
  try {
    const summary = await importOrders(db, claims, readFileSync(file, 'utf8'), process.env.REDRESS_ACTOR ?? 'import', {
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
    await close();
    await db.destroy();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
