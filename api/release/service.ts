/**
 * Publishing releases (through the release workflow) and serving the latest one. Public endpoints read the stored
 * release, never live claims; each API process keeps the latest release in memory and looks for a newer one at
 * most once a second, so a public request costs no query over claims whatever their number.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { type StoredRelease, latestReleaseNumber, listReleases, releaseByNumber } from '../../db/releases';
import { type BuildReleaseResult, releaseWorkflowId } from '../../workflows/release/messages';
import type { releaseWorkflow } from '../../workflows/release/workflow';

export const RELEASE_RECHECK_MS = 1_000;

export interface ReleaseServiceDeps {
  client: Client;
  db: Db;
  taskQueue: string;
}

export function createReleaseService(deps: ReleaseServiceDeps) {
  let cached: StoredRelease | null = null;
  let checkedAt = 0;
  let checking: Promise<StoredRelease | null> | null = null;

  async function refresh(): Promise<StoredRelease | null> {
    const number = await latestReleaseNumber(deps.db);
    if (number === null) cached = null;
    else if (cached?.number !== number) cached = await releaseByNumber(deps.db, number);
    checkedAt = Date.now();
    return cached;
  }

  return {
    /** The latest published release (one look-up a second at most, shared by concurrent requests). */
    async latest(): Promise<StoredRelease | null> {
      if (Date.now() - checkedAt < RELEASE_RECHECK_MS) return cached;
      checking ??= refresh().finally(() => { checking = null; });
      return checking;
    },
    /** Builds a release now (an administrator's request) and waits for it. */
    async publishNow(requestedBy: string): Promise<BuildReleaseResult> {
      const requestId = randomUUID();
      const result = await deps.client.workflow.execute<typeof releaseWorkflow>('releaseWorkflow', {
        taskQueue: deps.taskQueue, workflowId: releaseWorkflowId(requestId),
        args: [{ trigger: 'administrator', requestKey: releaseWorkflowId(requestId), requestedBy }],
      });
      checkedAt = 0;
      return result;
    },
    list: () => listReleases(deps.db),
  };
}
export type ReleaseService = ReturnType<typeof createReleaseService>;
