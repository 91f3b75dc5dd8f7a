/** The import workflow's messages, shared with its clients (API, CLI, tests). */
import { defineQuery } from '@temporalio/workflow';

export interface ImportProgress {
  importId: string;
  state: 'reading' | 'importing' | 'done';
  /** Data rows in the file (the header not counted). */
  rowsRead: number;
  /** Rows that passed validation and are registered, or to be. */
  toRegister: number;
  /** Of those, rows done so far (registered, already registered, or refused by the claim). */
  registeredSoFar: number;
  imported: number;
  alreadyRegistered: number;
  /** Rows with a problem: refused at validation, refused by the claim, or repeated in the file. */
  rejected: number;
  duplicatesInFile: number;
  problems: number;
}

export const importProgressQuery = defineQuery<ImportProgress>('importProgress');

export function importWorkflowId(importId: string): string {
  return `import-${importId}`;
}

export interface ImportWorkflowInput {
  importId: string;
  actor: string;
  /** Rows per activity: each batch is one retryable, heartbeating unit of work. */
  batchSize?: number;
}

export interface PreparedImport {
  rowsRead: number;
  toRegister: number;
  rejected: number;
  duplicatesInFile: number;
  problems: number;
}

export interface ImportBatchResult {
  imported: number;
  alreadyRegistered: number;
  rejected: number;
  problems: number;
  done: number;
}
