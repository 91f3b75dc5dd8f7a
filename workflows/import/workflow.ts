/**
 * One workflow per imported file: the file waits in PostgreSQL (it names survivors' references, so it never enters
 * Temporal), is validated once, and its valid rows are registered batch by batch. Every row's outcome is written once
 * (import_rows), so a batch retried after a crash of any worker skips what is done; the workflow itself resumes where
 * its history ends. Progress is a Query.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { createImportActivities } from '../../activities/import/rows';
import { type ImportProgress, type ImportWorkflowInput, importProgressQuery } from './messages';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { prepareImport, importBatch } = proxyActivities<ReturnType<typeof createImportActivities>>({
  // A batch heartbeats after each row: a worker that died mid-batch is noticed within the heartbeat timeout, and the batch retried.
  startToCloseTimeout: '30 minutes', heartbeatTimeout: '30 seconds', retry,
});

export async function importWorkflow(input: ImportWorkflowInput): Promise<ImportProgress> {
  const progress: ImportProgress = {
    importId: input.importId, state: 'reading', rowsRead: 0, toRegister: 0, registeredSoFar: 0, imported: 0,
    alreadyRegistered: 0, rejected: 0, duplicatesInFile: 0, problems: 0,
  };
  setHandler(importProgressQuery, () => ({ ...progress }));

  const prepared = await prepareImport({ importId: input.importId });
  Object.assign(progress, prepared, { state: 'importing' });
  const batchSize = input.batchSize ?? 100;
  for (let from = 0; from < prepared.toRegister; from += batchSize) {
    const batch = await importBatch({ importId: input.importId, actor: input.actor, from, count: batchSize });
    progress.registeredSoFar += batch.done;
    progress.imported += batch.imported;
    progress.alreadyRegistered += batch.alreadyRegistered;
    progress.rejected += batch.rejected;
    progress.problems += batch.problems;
  }
  progress.state = 'done';
  return { ...progress };
}
