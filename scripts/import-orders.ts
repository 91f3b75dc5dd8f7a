/**
 * `npm run import -- orders.csv`: imports legacy court orders into a running Redress (a worker must be running, as
 * `npm start` does). The file is stored and handed to an import workflow, so the import goes on and resumes even if
 * this command or a worker stops; the command follows the workflow's progress (a bar with rate and time left) and
 * prints each problem by line, column and rule, and a summary. Safe to run again: nothing is imported twice.
 * `--detach` prints the import's id and leaves it running.
 */
import { readFileSync } from 'node:fs';
import { createImportService } from '../api/import/service';
import { createDb } from '../db/connection';
import { databaseUrl } from '../worker/local-instance';
import { connectClient } from '../worker/temporal-config';
import { progressBar } from './progress';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) { console.error('usage: npm run import -- orders.csv [--detach]   (columns: docs/import.md)'); return 2; }
  const db = createDb(databaseUrl(), { max: 2 });
  const { client, settings, close } = await connectClient();
  const imports = createImportService({ client, db, taskQueue: settings.taskQueue });
  const started = Date.now();
  let lastPrinted = 0;
  try {
    const { id } = await imports.start(readFileSync(file, 'utf8'), process.env.REDRESS_ACTOR ?? 'import');
    console.log(`import ${id} started`);
    if (args.includes('--detach')) return 0;
    for (;;) {
      const status = (await imports.status(id))!;
      const bar = progressBar(status.registeredSoFar, status.toRegister, started);
      if (process.stdout.isTTY) process.stdout.write(`\r${bar}`);
      else if (status.state === 'done' || Date.now() - lastPrinted > 2000) { lastPrinted = Date.now(); console.log(bar); }
      if (status.state === 'done' || !['running', 'completed'].includes(status.workflowStatus)) {
        if (process.stdout.isTTY) process.stdout.write('\n');
        for (const p of await imports.problems(id)) console.log(`line ${p.line}, ${p.column}: ${p.rule}`);
        console.log(`rows read ${status.rowsRead}; imported ${status.imported}; already registered ${status.alreadyRegistered}; `
          + `rejected ${status.rejected}; duplicates in file ${status.duplicatesInFile}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
        if (status.state !== 'done') { console.error(`the import workflow ended ${status.workflowStatus}`); return 2; }
        return status.rejected > 0 ? 1 : 0;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await close();
    await db.destroy();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
