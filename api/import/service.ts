/**
 * Imports as durable work: the file is stored, then one import workflow per file registers its rows; its progress
 * is the workflow's Query while it runs and its result once done; the problems are read from PostgreSQL.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { importCounts, importFile, importProblems, insertImport } from '../../db/imports';
import { type ImportProgress, importProgressQuery, importWorkflowId } from '../../workflows/import/messages';
import type { importWorkflow } from '../../workflows/import/workflow';

export interface ImportStatus extends ImportProgress {
  createdBy: string;
  createdAt: string;
  /** running, completed, or the workflow's end otherwise (failed, terminated). */
  workflowStatus: string;
  /** workflow: its Query or result; record: counted from import_rows (no worker answered, or the workflow is gone). */
  progressFrom: 'workflow' | 'record';
}

export function createImportService(deps: { client: Client; db: Db; taskQueue: string; batchSize?: number }) {
  const { client, db, taskQueue } = deps;

  async function start(csv: string, actor: string): Promise<{ id: string }> {
    const id = randomUUID();
    await insertImport(db, { id, sha256: createHash('sha256').update(csv).digest('hex'), csv, createdBy: actor });
    await client.workflow.start<typeof importWorkflow>('importWorkflow', {
      workflowId: importWorkflowId(id), taskQueue, args: [{ importId: id, actor, ...(deps.batchSize ? { batchSize: deps.batchSize } : {}) }],
    });
    return { id };
  }

  /** Null for an unknown id. */
  async function status(id: string): Promise<ImportStatus | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const file = await importFile(db, id);
    if (!file) return null;
    const handle = client.workflow.getHandle(importWorkflowId(id));
    // What the record says of each row, for when the workflow cannot answer.
    const fromRecord = async (state: ImportProgress['state']): Promise<ImportProgress> => {
      const counts = await importCounts(db, id);
      return { importId: id, state, rowsRead: 0, toRegister: 0, registeredSoFar: counts.imported + counts.alreadyRegistered, ...counts };
    };
    let workflowStatus: string;
    try {
      workflowStatus = (await handle.describe()).status.name.toLowerCase();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The workflow is gone (past retention).
      return { ...(await fromRecord('done')), createdBy: file.createdBy, createdAt: file.createdAt, workflowStatus: 'unknown', progressFrom: 'record' };
    }
    if (workflowStatus === 'completed') {
      return { ...(await handle.result()), createdBy: file.createdBy, createdAt: file.createdAt, workflowStatus, progressFrom: 'workflow' };
    }
    try {
      const progress = await client.connection.withDeadline(Date.now() + 3_000, () => handle.query(importProgressQuery));
      return { ...progress, createdBy: file.createdBy, createdAt: file.createdAt, workflowStatus, progressFrom: 'workflow' };
    } catch {
      // No worker answers the Query (all stopped, or a crash being recovered): the import goes on; say what is recorded.
      return { ...(await fromRecord('importing')), createdBy: file.createdBy, createdAt: file.createdAt, workflowStatus, progressFrom: 'record' };
    }
  }

  return { start, status, problems: (id: string) => importProblems(db, id) };
}
export type ImportService = ReturnType<typeof createImportService>;
